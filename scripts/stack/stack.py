"""`make stack` / `make stack-stop`: bring the rehearsal up and down.

Topology (the same as docker-compose.yml, as processes):
  nginx :base      → SPA, /api → gunicorn main :base+10, /protected-media (X-Accel)
  nginx :base+1    → ai_server :base+31, :base+32 … (least_conn upstream)
  celery worker ×N → RabbitMQ (own queue), metrics on :base+21, :base+22 …
  celery beat ×1   (the sweeps that retry or fail stuck jobs)
  prometheus :base+90 scraping main, workers, ai_servers, RabbitMQ, node, nginx
  alertmanager :base+91 → the webhook receiver :base+92 (or ALERT_WEBHOOK_URL)
  node exporter :base+93, nginx exporter :base+94 (access log over UDP :base+95,
  stub_status on nginx :base+3)
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import subprocess
import urllib.request
from dataclasses import dataclass

from scripts.stack import procs, render, services
from scripts.stack.config import StackConfig
from scripts.stack.envs import ai_env, main_env
from scripts.stack.procs import State

log = logging.getLogger("stack")


@dataclass
class Started:
    """A started process and the URL that answers 200 once it is ready."""

    name: str
    proc: subprocess.Popen
    ready_url: str
    timeout: float


def up(cfg: StackConfig) -> State:
    state = State(cfg.state_file)
    if state.data.get("procs"):
        if any(procs.group_alive(pid) for pid in state.owned_procs().values()):
            raise RuntimeError(
                f"a stack is already running ({cfg.state_file}): `make stack-stop` first"
            )
        log.info("cleaning up after a stack that died without `make stack-stop`")
        down(cfg)
        state = State(cfg.state_file)
    services.ensure_tools()
    busy = [p for p in cfg.all_ports() if not procs.port_free(p)]
    if busy:
        raise RuntimeError(f"ports in use: {busy}; set STACK_PORT_BASE to another free block")
    # A fresh start: old media, logs and Prometheus samples would make the checks
    # pass on data of an earlier run.
    for stale in (
        cfg.logs_dir,
        cfg.data_dir,
        cfg.state_dir / "prometheus",
        cfg.state_dir / "alertmanager",
    ):
        if stale.exists():
            shutil.rmtree(stale)
    cfg.media_root.mkdir(parents=True)
    try:
        started = _start_everything(cfg, state)
        for item in started:
            procs.wait_until(
                item.name,
                lambda url=item.ready_url: procs.http_ok(url),
                timeout=item.timeout,
                procs=[item.proc],
                log_paths=[cfg.logs_dir / f"{item.name}.log"],
            )
        procs.wait_until(
            "every Prometheus target up",
            lambda: targets_up(cfg) == state.data["targets"],
            timeout=60,
        )
    except BaseException:
        log.error("stack failed to start: stopping what was started (logs: %s)", cfg.logs_dir)
        down(cfg)
        raise
    return state


def _start_everything(cfg: StackConfig, state: State) -> list[Started]:
    py = str(cfg.venv_bin / "python")
    main_dir = cfg.repo / "main_server"

    def start(name: str, argv: list[str], env: dict[str, str], cwd=main_dir) -> subprocess.Popen:
        return procs.start(state, name, argv, env=env, cwd=cwd, logs_dir=cfg.logs_dir)

    db_name, db_url = services.create_database(cfg.pg_admin_url)
    queue = services.new_queue_name()
    state.data.update(database=db_name, queue=queue, ports=_ports(cfg))
    state.save()
    secret_key = secrets.token_urlsafe(50)
    db = {"database_url": db_url, "queue": queue, "secret_key": secret_key}
    env = main_env(cfg, service="main", **db)
    worker_env = main_env(cfg, service="worker", **db)
    started: list[Started] = []

    # TensorFlow takes a while to load: start the ai_servers first, wait for them last.
    ai = []
    for i in range(cfg.ai_servers):
        argv = [py, "-m", "ai_server", "--host", "127.0.0.1", "--port", str(cfg.ai_port(i))]
        proc = start(f"ai{i + 1}", argv, ai_env(cfg, i), cwd=cfg.repo)
        ai.append(Started(f"ai{i + 1}", proc, f"http://127.0.0.1:{cfg.ai_port(i)}/healthz", 300))

    # What compose's one-shot `migrate` service runs.
    for step in (["migrate", "--noinput"], ["createcachetable"], ["ensure_builtin_templates"]):
        procs.run(
            [py, "manage.py", *step], env=env, cwd=main_dir, logs_dir=cfg.logs_dir, name=step[0]
        )

    # The same commands as docker-compose.yml's main, worker and beat.
    bin_ = cfg.venv_bin
    main = start(
        "main",
        [str(bin_ / "gunicorn"), "config.wsgi:application", f"--bind=127.0.0.1:{cfg.main_port}",
         "--workers=1", "--worker-class=gthread", f"--threads={cfg.main_threads}",
         "--timeout=120", "--forwarded-allow-ips=127.0.0.1", "--access-logfile=-"],
        env,
    )  # fmt: skip
    started.append(Started("main", main, f"http://127.0.0.1:{cfg.main_port}/api/v1/health", 60))
    for i in range(cfg.workers):
        port = cfg.worker_metrics_port(i)
        proc = start(
            f"worker{i + 1}",
            [str(bin_ / "celery"), "--app=config", "worker", "--pool=threads", "--concurrency=2",
             "--without-mingle", "--without-gossip", "--loglevel=INFO", f"--hostname=w{i + 1}-{queue}@%h"],
            {**worker_env, "WORKER_METRICS_PORT": str(port)},
        )  # fmt: skip
        started.append(Started(f"worker{i + 1}", proc, f"http://127.0.0.1:{port}/metrics", 60))
    start(
        "beat",
        [str(bin_ / "celery"), "--app=config", "beat", "--loglevel=INFO",
         f"--schedule={cfg.state_dir / 'celerybeat-schedule'}"],
        env,
    )  # fmt: skip

    tool_env = dict(os.environ)
    started += _start_monitoring(cfg, start, tool_env)

    nginx_conf = render.render_nginx_for_stack(cfg)
    prefix = f"{nginx_conf.parent}/"
    procs.run(["nginx", "-t", "-p", prefix, "-c", str(nginx_conf)], env=tool_env, cwd=cfg.repo,
              logs_dir=cfg.logs_dir, name="nginx-test")  # fmt: skip
    nginx = start(
        "nginx", ["nginx", "-p", prefix, "-c", str(nginx_conf), "-g", "daemon off;"], tool_env
    )
    started.append(Started("nginx", nginx, f"{cfg.public_url}/api/v1/health", 30))

    rabbitmq = services.rabbitmq_metrics_target()
    prom_conf = render.render_prometheus(cfg, cfg.state_dir / "prometheus", rabbitmq=rabbitmq)
    procs.run(["promtool", "check", "config", str(prom_conf)], env=tool_env, cwd=cfg.repo,
              logs_dir=cfg.logs_dir, name="promtool-check")  # fmt: skip
    prometheus = start(
        "prometheus",
        ["prometheus", f"--config.file={prom_conf}",
         f"--storage.tsdb.path={cfg.state_dir / 'prometheus' / 'data'}",
         f"--web.listen-address=127.0.0.1:{cfg.prometheus_port}", "--storage.tsdb.retention.time=1d"],
        tool_env,
    )  # fmt: skip
    started.append(Started("prometheus", prometheus, f"{cfg.prometheus_url}/-/ready", 60))
    # prometheus, alertmanager, main, node, nginx; rabbitmq and rabbitmq_queues.
    state.data["targets"] = 5 + cfg.workers + cfg.ai_servers + (2 if rabbitmq else 0)
    state.save()
    return started + ai


def _start_monitoring(cfg: StackConfig, start, env: dict[str, str]) -> list[Started]:
    """The nginx exporter (before nginx: it counts nginx's first requests), the node
    exporter, and Alertmanager notifying ALERT_WEBHOOK_URL or the stack's own receiver."""
    py = str(cfg.venv_bin / "python")
    started = []
    exporter = start(
        "nginx-exporter",
        [py, "-m", "scripts.nginx_exporter", f"--listen=127.0.0.1:{cfg.nginx_exporter_port}",
         f"--syslog=127.0.0.1:{cfg.nginx_log_port}",
         f"--stub-status=http://127.0.0.1:{cfg.nginx_status_port}/stub_status"],
        env,
        cwd=cfg.repo,
    )  # fmt: skip
    metrics = f"http://127.0.0.1:{cfg.nginx_exporter_port}/metrics"
    started.append(Started("nginx-exporter", exporter, metrics, 30))
    node = start(
        "node-exporter",
        ["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{cfg.node_exporter_port}"],
        env,
    )
    metrics = f"http://127.0.0.1:{cfg.node_exporter_port}/metrics"
    started.append(Started("node-exporter", node, metrics, 30))

    webhook = cfg.alert_webhook_url
    if not webhook:
        receiver = start(
            "alert-receiver",
            [py, "-m", "scripts.stack.alert_receiver", f"--port={cfg.alert_receiver_port}"],
            env,
            cwd=cfg.repo,
        )
        started.append(Started("alert-receiver", receiver, f"{cfg.alert_receiver_url}/healthz", 30))
        webhook = f"{cfg.alert_receiver_url}/alertmanager"
    am_dir = cfg.state_dir / "alertmanager"
    am_conf = render.render_alertmanager(cfg, am_dir, webhook_url=webhook)
    procs.run(["amtool", "check-config", str(am_conf)], env=env, cwd=cfg.repo,
              logs_dir=cfg.logs_dir, name="amtool-check")  # fmt: skip
    alertmanager = start(
        "alertmanager",
        ["prometheus-alertmanager", f"--config.file={am_conf}", f"--storage.path={am_dir / 'data'}",
         f"--web.listen-address=127.0.0.1:{cfg.alertmanager_port}",
         "--cluster.listen-address="],  # one instance: no gossip port
        env,
    )  # fmt: skip
    started.append(Started("alertmanager", alertmanager, f"{cfg.alertmanager_url}/-/ready", 30))
    return started


def targets_up(cfg: StackConfig) -> int:
    url = f"{cfg.prometheus_url}/api/v1/targets?state=active"
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            active = json.load(resp)["data"]["activeTargets"]
    except OSError:
        return -1
    return sum(1 for t in active if t["health"] == "up")


def down(cfg: StackConfig) -> None:
    state = State(cfg.state_file)
    procs.stop_all(state)
    if state.data.get("database"):
        try:
            services.drop_database(cfg.pg_admin_url, state.data["database"])
        except Exception as exc:  # keep cleaning the rest
            log.warning("could not drop %s: %s", state.data["database"], exc)
    if state.data.get("queue"):
        services.delete_queue(cfg.broker_url, state.data["queue"])
    if cfg.state_file.exists():
        cfg.state_file.unlink()


def _ports(cfg: StackConfig) -> dict[str, object]:
    return {
        "nginx": cfg.nginx_port,
        "ai_lb": cfg.ai_lb_port,
        "main": cfg.main_port,
        "workers": [cfg.worker_metrics_port(i) for i in range(cfg.workers)],
        "ai": [cfg.ai_port(i) for i in range(cfg.ai_servers)],
        "prometheus": cfg.prometheus_port,
        "alertmanager": cfg.alertmanager_port,
        "alert_receiver": cfg.alert_receiver_port,
        "node_exporter": cfg.node_exporter_port,
        "nginx_exporter": cfg.nginx_exporter_port,
    }


def describe(cfg: StackConfig) -> str:
    return (
        f"IGEMOJI stack up: {cfg.public_url}/  (Prometheus {cfg.prometheus_url}/,"
        f" Alertmanager {cfg.alertmanager_url}/)\n"
        f"alerts received: {cfg.alert_receiver_url}/notifications"
        " (unless ALERT_WEBHOOK_URL is set)\n"
        f"logs: {cfg.logs_dir}  stop: make stack-stop"
    )
