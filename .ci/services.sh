#!/usr/bin/env bash
# Make sure the services and Debian tools the test suites need are present.
set -euo pipefail
pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
(echo > /dev/tcp/127.0.0.1/5672) 2>/dev/null || { rabbitmq-server -detached; sleep 10; } || true
redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v nginx >/dev/null || need+=(nginx)            # make test-deploy / stack-check
command -v promtool >/dev/null || need+=(prometheus)    # prometheus + promtool
command -v amtool >/dev/null || need+=(prometheus-alertmanager)                  # make stack: alerts
command -v prometheus-node-exporter >/dev/null || need+=(prometheus-node-exporter)  # make stack: host metrics
command -v busybox >/dev/null || need+=(busybox)        # tests/deploy: Alertmanager's config as its image renders it
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
