"""The `make stack` topology for fault injection: main (gunicorn), two Celery
workers and beat, supervised by scripts/supervisor.py exactly as `make stack`
runs them, behind a real nginx — with every shared service reached through a
private proxy this test can stop: PostgreSQL and RabbitMQ (TcpProxy), the
ai_server (AiEdge). A database and queues of its own, dropped at the end."""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from scripts.procs import PYTHON, free_port, http_ok
from scripts.stack import render
from scripts.stack.services import delete_queue
from scripts.supervisor import Program, Supervisor
from tests.deploy.conftest import free_stack_config, require_tool
from tests.faults import AiEdge, TcpProxy, photo_width
from tests.integration.conftest import MAIN, migrate

POISON_WIDTH = 321  # a photo this wide makes the AI edge kill the worker that sent it
WORKERS = 2
THROTTLE_UPLOADS = "10/min"
REQUEST_MAX_BYTES = 2 * 1024 * 1024


@dataclass
class FaultStack:
    url: str  # main through nginx
    main_url: str  # gunicorn directly
    env: dict[str, str]
    dsn: str  # the database, directly (for assertions)
    pg: TcpProxy
    amqp: TcpProxy
    edge: AiEdge
    supervisor: Supervisor
    status_path: Path
    logs: Path
    worker_metrics: list[str] = field(default_factory=list)

    def pid(self, name: str) -> int | None:
        child = self.supervisor.children[name]
        return child.popen.pid if child.popen is not None and child.popen.poll() is None else None

    def job(self, job_id: str) -> tuple[str, int, str]:
        with psycopg.connect(self.dsn, connect_timeout=5) as conn:
            row = conn.execute("SELECT status, attempts, error FROM faces_job WHERE id = %s", (job_id,)).fetchone()
        assert row is not None, job_id
        return row

    def log_tails(self, chars: int = 3000) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-chars:]}" for path in sorted(self.logs.glob("*.log"))
        )


def start(*, pg_url: str, amqp_url: str, ai_port: int, tmp: Path):
    """Context generator: yields a running FaultStack, stops and removes it after."""
    admin = psycopg.connect(f"{pg_url}/postgres", autocommit=True, connect_timeout=3)
    db = f"igemoji_faults_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{db}"')
    queue = f"igemoji_faults_{uuid.uuid4().hex[:10]}"
    amqp_host = amqp_url.split("@", 1)[1].split("/", 1)[0]
    pg = TcpProxy(int(pg_url.rsplit(":", 1)[1]))
    amqp = TcpProxy(int(amqp_host.rsplit(":", 1)[1]))
    edge = AiEdge(ai_port, poisoned=lambda body: photo_width(body) == POISON_WIDTH)
    cfg = free_stack_config(tmp / "nginx-cfg")
    logs = tmp / "logs"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.django.base",
        "DATABASE_URL": f"{pg_url}/{db}",
        "CELERY_BROKER_URL": amqp_url,
        "CELERY_QUEUE": queue,
        "CACHE_URL": "db://",
        "DATA_DIR": str(tmp / "data"),
        "AI_SERVER_URL": edge.url,
        "THROTTLE_UPLOADS": THROTTLE_UPLOADS,
        "REQUEST_MAX_BYTES": str(REQUEST_MAX_BYTES),
        "BEHIND_PROXY": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("WORKER_METRICS_PORT", None)
    migrate(env)  # straight to PostgreSQL
    # From here on every process reaches PostgreSQL and RabbitMQ through the proxies.
    env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:{pg.port}/{db}"
    env["CELERY_BROKER_URL"] = amqp_url.replace(amqp_host, f"127.0.0.1:{amqp.port}")
    main_port = free_port()
    metrics_ports = [free_port() for _ in range(WORKERS)]
    programs = [
        Program("main", [PYTHON, "-m", "gunicorn", "config.wsgi", f"--bind=127.0.0.1:{main_port}", "--workers=1",
                         "--worker-class=gthread", "--threads=4", "--timeout=120", "--keep-alive=75",
                         "--forwarded-allow-ips=127.0.0.1", "--access-logfile=-"],
                cwd=str(MAIN), env=env, log_path=str(logs / "main.log")),
        Program("beat", [PYTHON, "-m", "celery", "--app=config", "beat", "--loglevel=INFO",
                         f"--schedule={tmp / 'celerybeat-schedule'}"],
                cwd=str(MAIN), env=env, log_path=str(logs / "beat.log")),
    ]  # fmt: skip
    for i, port in enumerate(metrics_ports):
        programs.append(Program(
            f"worker{i + 1}",
            [PYTHON, "-m", "celery", "--app=config", "worker", "--pool=threads", "--concurrency=2",
             "--without-mingle", "--without-gossip", "--loglevel=INFO", f"--hostname=w{i + 1}-{queue}@%h"],
            cwd=str(MAIN), env={**env, "WORKER_METRICS_PORT": str(port)}, log_path=str(logs / f"worker{i + 1}.log"),
        ))  # fmt: skip
    status_path = tmp / "supervisor.json"
    supervisor = Supervisor(programs, status_path=status_path)
    stop = threading.Event()
    watcher = threading.Thread(target=supervisor.run, args=(stop.is_set,), name="supervisor", daemon=True)
    nginx = None
    try:
        supervisor.start()
        watcher.start()
        (tmp / "spa").mkdir()
        (tmp / "spa" / "index.html").write_text("<!doctype html><title>IGEMOJI</title>")
        conf = render.render_nginx(
            cfg, tmp / "nginx", main_addr=f"127.0.0.1:{main_port}", ai_addrs=[f"127.0.0.1:{ai_port}"],
            grafana_addr=f"127.0.0.1:{cfg.grafana_port}", spa_root=tmp / "spa", media_root=tmp / "data" / "media",
        )  # fmt: skip
        nginx = subprocess.Popen(
            [require_tool("nginx"), "-p", f"{conf.parent}/", "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=open(logs / "nginx.log", "ab"),  # noqa: SIM115
        )  # fmt: skip
        stack = FaultStack(
            url=cfg.public_url, main_url=f"http://127.0.0.1:{main_port}", env=env, dsn=f"{pg_url}/{db}",
            pg=pg, amqp=amqp, edge=edge, supervisor=supervisor, status_path=status_path, logs=logs,
            worker_metrics=[f"http://127.0.0.1:{p}/metrics" for p in metrics_ports],
        )  # fmt: skip
        deadline = time.monotonic() + 180
        ready = [f"{stack.url}/api/v1/health", *stack.worker_metrics]
        while not all(http_ok(u) for u in ready):
            if time.monotonic() > deadline or supervisor.crash_looping():
                raise RuntimeError(f"the fault stack did not start:\n{stack.log_tails()}")
            time.sleep(0.5)
        yield stack
    finally:
        stop.set()
        if watcher.is_alive():
            watcher.join(timeout=10)
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
        supervisor.stop()
        edge.close()
        pg.stop()
        amqp.stop()
        delete_queue(amqp_url, queue)
        admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        admin.close()
