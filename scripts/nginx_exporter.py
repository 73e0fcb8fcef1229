"""nginx's metrics for Prometheus, in one small process beside nginx.

- Responses by route and status, counted from nginx's own access log lines. nginx
  answers some requests itself (its JSON 503 when main is down or too slow, 413,
  the 404 of /metrics): Django never sees them, only nginx's log does. nginx sends
  each line over syslog/UDP (`access_log syslog:server=…` in nginx/nginx.conf), so
  nginx never waits for this process and nothing grows on disk; a line sent while
  the exporter is down is lost, never queued.
- Connections and requests from nginx's stub_status page, read at each scrape
  (nginx_up is 0 when it does not answer).

docker-compose.yml runs it in nginx's network namespace; `make stack` as a process.
Standalone on purpose (the nginx-exporter image copies this one file):
    python nginx_exporter.py --listen 0.0.0.0:9113 --syslog 127.0.0.1:9514 \
        --stub-status http://127.0.0.1:8082/stub_status
Metric names: docs/metrics.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import socketserver
import urllib.request

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

logger = logging.getLogger("nginx_exporter")

# First matching prefix wins; "ai" is the internal balancer in front of the ai_servers.
ROUTES = (("/api/", "api"), ("/grafana/", "grafana"), ("/v1/", "ai"))
DURATION_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120)
# nginx cuts syslog messages at about 2 KB (a long User-Agent): then the fields up
# to request_time, which come first in log_format json, are read by this pattern.
_HEAD = re.compile(
    r'"uri":"(?P<uri>(?:[^"\\]|\\.)*)","status":(?P<status>\d{3}),'
    r'"bytes":\d+,"request_time":(?P<request_time>[\d.]+)'
)
_STUB = re.compile(
    r"Active connections:\s*(\d+)\s*server accepts handled requests\s*(\d+)\s+(\d+)\s+(\d+)"
    r"\s*Reading:\s*(\d+)\s*Writing:\s*(\d+)\s*Waiting:\s*(\d+)"
)


def route_of(uri: str) -> str:
    for prefix, route in ROUTES:
        if uri.startswith(prefix):
            return route
    return "site"


class LogMetrics:
    """Counters fed by nginx's JSON access log lines (log_format json in nginx.conf)."""

    def __init__(self, registry: CollectorRegistry):
        self.responses = Counter(
            "nginx_http_responses",
            "Responses sent by nginx, by route and HTTP status (from its access log)",
            ["route", "status"],
            registry=registry,
        )
        self.duration = Histogram(
            "nginx_http_request_duration_seconds",
            "Request time as nginx measured it ($request_time), by route",
            ["route"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self.unparsed = Counter(
            "nginx_log_lines_unparsed", "Access log lines that were not JSON", registry=registry
        )
        for _, route in (*ROUTES, ("", "site")):
            self.duration.labels(route=route)

    def observe(self, message: str) -> None:
        """One syslog message: `<190>Nov 30 07:52:56 nginx: {json}`."""
        fields = _fields(message)
        if fields is None:
            self.unparsed.inc()
            logger.debug("unparsed access log line: %r", message[:200])
            return
        uri, status, seconds = fields
        route = route_of(uri)
        self.responses.labels(route=route, status=status).inc()
        self.duration.labels(route=route).observe(seconds)


def _fields(message: str) -> tuple[str, str, float] | None:
    """(uri, status, request_time) of one syslog message `<190>… nginx: {json}`."""
    try:
        line = json.loads(message[message.index("{") :])
        return str(line["uri"]), str(int(line["status"])), float(line.get("request_time") or 0)
    except (ValueError, KeyError, TypeError):
        pass
    match = _HEAD.search(message)
    if match is None:
        return None
    return match["uri"], match["status"], float(match["request_time"])


class StubStatusCollector:
    """nginx_up, nginx_connections_*, nginx_http_requests_total from stub_status."""

    def __init__(self, url: str, timeout: float = 2.0):
        self.url = url
        self.timeout = timeout

    def describe(self):
        return []

    def collect(self):
        try:
            with urllib.request.urlopen(self.url, timeout=self.timeout) as resp:  # noqa: S310
                match = _STUB.search(resp.read().decode())
        except OSError:
            match = None
        yield GaugeMetricFamily(
            "nginx_up", "1 when nginx's stub_status answered this scrape", value=1 if match else 0
        )
        if not match:
            return
        active, accepted, handled, requests, reading, writing, waiting = map(int, match.groups())
        yield GaugeMetricFamily("nginx_connections_active", "Open client connections", value=active)
        for state, value in (("reading", reading), ("writing", writing), ("waiting", waiting)):
            yield GaugeMetricFamily(
                f"nginx_connections_{state}", f"Connections {state} (stub_status)", value=value
            )
        yield CounterMetricFamily(
            "nginx_connections_accepted", "Client connections accepted", value=accepted
        )
        yield CounterMetricFamily(
            "nginx_connections_handled",
            "Client connections handled (below accepted: connections dropped at a limit)",
            value=handled,
        )
        yield CounterMetricFamily(
            "nginx_http_requests", "Client requests (stub_status)", value=requests
        )


def serve_syslog(host: str, port: int, metrics: LogMetrics) -> socketserver.UDPServer:
    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            metrics.observe(self.request[0].decode("utf-8", errors="replace"))

    return socketserver.UDPServer((host, port), Handler)


def _addr(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    return host or "0.0.0.0", int(port)  # noqa: S104 (a container listens on its own network)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="0.0.0.0:9113", help="host:port of /metrics")
    parser.add_argument("--syslog", default="127.0.0.1:9514", help="UDP host:port nginx logs to")
    parser.add_argument("--stub-status", default="", help="URL of nginx's stub_status page")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    registry = CollectorRegistry()
    metrics = LogMetrics(registry)
    if args.stub_status:
        registry.register(StubStatusCollector(args.stub_status))
    listen_host, listen_port = _addr(args.listen)
    start_http_server(listen_port, addr=listen_host, registry=registry)
    server = serve_syslog(*_addr(args.syslog), metrics)
    logger.info("metrics on %s, access log on udp %s", args.listen, args.syslog)
    server.serve_forever()


if __name__ == "__main__":
    main()
