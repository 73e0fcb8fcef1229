"""`make stack` / `make stack-stop`: bring the rehearsal up and down.

Topology (the same as docker-compose.yml, as processes):
  nginx :base      → SPA, /api → gunicorn main :base+10, /protected-media (X-Accel)
  nginx :base+1    → ai_server :base+31, :base+32 … (least_conn upstream)
  celery worker ×N → RabbitMQ (own queue), metrics on :base+21, :base+22 …
  celery beat ×1   (the sweeps that fail stuck jobs)
  prometheus :base+90 scraping main, workers, ai_servers, RabbitMQ
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import sys
import urllib.request
from pathlib import Path

from scripts.stack import procs, render, services
from scripts.stack.compose_env import read_env_file, service_environment
from scripts.stack.config import StackConfig
from scripts.stack.procs import State

log = logging.getLogger("stack")


def _compose_env(cfg: StackConfig, service: str, **overrides: str) -> dict[str, str]:
    """The service's environment from docker-compose.yml (.env.example values), with
    the few settings that differ on one machine, on top of this process' own."""
    values = read_env_file(cfg.repo / ".env.example")
    values.update(SECRET_KEY=overrides.get("SECRET_KEY", "unused"), ALLOWED_HOSTS="127.0.0.1")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "AI_"))}
    env.pop("WORKER_METRICS_PORT", None)
    env.update(service_environment(cfg.repo / "docker-compose.yml", service, values))
    env.update(overrides, PYTHONUNBUFFERED="1")
    return env


def main_env(cfg: StackConfig, *, service: str, database_url: str, queue: str, secret_key: str) -> dict[str, str]:
    """main / worker / beat: compose's production settings, pointed at this machine."""
    return _compose_env(
        cfg, service,
        SECRET_KEY=secret_key,
        SECURE_SSL_REDIRECT="0",  # plain http on 127.0.0.1; compose sits behind TLS
        CSRF_TRUSTED_ORIGINS=cfg.public_url,
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=cfg.broker_url,
        CELERY_QUEUE=queue,
        DATA_DIR=str(cfg.data_dir),
        MEDIA_ROOT=str(cfg.media_root),
        AI_SERVER_URL=f"http://127.0.0.1:{cfg.ai_lb_port}",
        FRONTEND_DIST=str(cfg.spa_dir),
    )


def ai_env(cfg: StackConfig, index: int) -> dict[str, str]:
    return _compose_env(
        cfg, "ai",
        MODELS_DIR=str(cfg.models_dir),
        # One directory per replica: each gunicorn merges only its own workers.
        PROMETHEUS_MULTIPROC_DIR=str(cfg.state_dir / f"ai{index}-metrics"),
    )


def up(cfg: StackConfig) -> State:
    state = State(cfg.state_file)
    if state.data.get("procs"):
        raise RuntimeError(f"a stack is already running ({cfg.state_file}): `make stack-stop` first")
    services.ensure_tools()
    busy = [p for p in cfg.all_ports() if not procs.port_free(p)]
    if busy:
        raise RuntimeError(f"ports in use: {busy}; set STACK_PORT_BASE to another free block")
    if cfg.logs_dir.exists():
        shutil.rmtree(cfg.logs_dir)
    if cfg.data_dir.exists():
        shutil.rmtree(cfg.data_dir)
    cfg.media_root.mkdir(parents=True)

    try:
        _start_everything(cfg, state)
    except BaseException:
        log.error("stack failed to start: stopping what was started (logs: %s)", cfg.logs_dir)
        down(cfg)
        raise
    return state


def _start_everything(cfg: StackConfig, state: State) -> None:
    py = str(cfg.venv_bin / "python")
    main_dir = cfg.repo / "main_server"
    logs = cfg.logs_dir

    db_name, db_url = services.create_database(cfg.pg_admin_url)
    queue = services.new_queue_name()
    state.data.update(database=db_name, queue=queue, ports=_ports(cfg))
    state.save()
    secret_key = secrets.token_urlsafe(50)
    env = main_env(cfg, service="main", database_url=db_url, queue=queue, secret_key=secret_key)
    worker_env = main_env(cfg, service="worker", database_url=db_url, queue=queue, secret_key=secret_key)

    # TensorFlow takes a while to load: start the ai_servers first, wait for them last.
    ai_procs = []
    for i in range(cfg.ai_servers):
        ai_procs.append(procs.start(
            state, f"ai{i + 1}", [py, "-m", "ai_server", "--host", "127.0.0.1", "--port", str(cfg.ai_port(i))],
            env=ai_env(cfg, i), cwd=cfg.repo, logs_dir=logs,
        ))

    manage = [py, "manage.py"]
    procs.run([*manage, "migrate", "--noinput"], env=env, cwd=main_dir, logs_dir=logs, name="migrate")
    procs.run([*manage, "createcachetable"], env=env, cwd=main_dir, logs_dir=logs, name="createcachetable")
    if (main_dir / "emojis" / "management" / "commands" / "ensure_builtin_templates.py").exists():
        procs.run([*manage, "ensure_builtin_templates"], env=env, cwd=main_dir, logs_dir=logs,
                  name="builtin-templates")

    main = procs.start(
        state, "main",
        [str(cfg.venv_bin / "gunicorn"), "config.wsgi:application",
         "--bind", f"127.0.0.1:{cfg.main_port}", "--workers", "1", "--worker-class", "gthread",
         "--threads", str(cfg.main_threads),
         "--access-logfile", "-", "--forwarded-allow-ips", "127.0.0.1", "--timeout", "120"],
        env=env, cwd=main_dir, logs_dir=logs,
    )
    workers = []
    for i in range(cfg.workers):
        workers.append(procs.start(
            state, f"worker{i + 1}",
            [str(cfg.venv_bin / "celery"), "-A", "config", "worker", "--pool=threads", "--concurrency=2",
             "--without-mingle", "--without-gossip", "--loglevel=INFO", "-n", f"w{i + 1}-{queue}@%h"],
            env={**worker_env, "WORKER_METRICS_PORT": str(cfg.worker_metrics_port(i))}, cwd=main_dir, logs_dir=logs,
        ))
    procs.start(
        state, "beat",
        [str(cfg.venv_bin / "celery"), "-A", "config", "beat", "--loglevel=INFO",
         "-s", str(cfg.state_dir / "celerybeat-schedule")],
        env=env, cwd=main_dir, logs_dir=logs,
    )

    nginx_conf = render.render_nginx_for_stack(cfg)
    nginx_prefix = f"{nginx_conf.parent}/"
    procs.run(["nginx", "-t", "-p", nginx_prefix, "-c", str(nginx_conf)], env=dict(os.environ),
              cwd=cfg.repo, logs_dir=logs, name="nginx-test")
    nginx = procs.start(state, "nginx", ["nginx", "-p", nginx_prefix, "-c", str(nginx_conf), "-g", "daemon off;"],
                        env=dict(os.environ), cwd=cfg.repo, logs_dir=logs)

    rabbitmq = services.rabbitmq_metrics_target()
    prom_conf = render.render_prometheus(cfg, cfg.state_dir / "prometheus", rabbitmq=rabbitmq)
    prometheus = procs.start(
        state, "prometheus",
        ["prometheus", f"--config.file={prom_conf}",
         f"--storage.tsdb.path={cfg.state_dir / 'prometheus' / 'data'}",
         f"--web.listen-address=127.0.0.1:{cfg.prometheus_port}", "--storage.tsdb.retention.time=1d"],
        env=dict(os.environ), cwd=cfg.repo, logs_dir=logs,
    )
    state.data["targets"] = 1 + 1 + cfg.workers + cfg.ai_servers + (1 if rabbitmq else 0)
    state.save()

    def lp(name: str) -> Path:
        return logs / f"{name}.log"

    procs.wait_until("main", lambda: procs.http_ok(f"http://127.0.0.1:{cfg.main_port}/api/v1/health"),
                     timeout=60, procs=[main], log_paths=[lp("main")])
    for i, proc in enumerate(workers):
        procs.wait_until(f"worker{i + 1}", lambda i=i: procs.http_ok(f"http://127.0.0.1:{cfg.worker_metrics_port(i)}/metrics"),
                         timeout=60, procs=[proc], log_paths=[lp(f"worker{i + 1}")])
    procs.wait_until("nginx", lambda: procs.http_ok(f"{cfg.public_url}/api/v1/health"),
                     timeout=30, procs=[nginx], log_paths=[lp("nginx")])
    procs.wait_until("prometheus", lambda: procs.http_ok(f"{cfg.prometheus_url}/-/ready"),
                     timeout=60, procs=[prometheus], log_paths=[lp("prometheus")])
    for i, proc in enumerate(ai_procs):
        procs.wait_until(f"ai{i + 1}", lambda i=i: procs.http_ok(f"http://127.0.0.1:{cfg.ai_port(i)}/healthz"),
                         timeout=300, procs=[proc], log_paths=[lp(f"ai{i + 1}")])
    procs.wait_until("every Prometheus target up", lambda: targets_up(cfg) == state.data["targets"],
                     timeout=60)


def targets_up(cfg: StackConfig) -> int:
    try:
        with urllib.request.urlopen(f"{cfg.prometheus_url}/api/v1/targets?state=active", timeout=5) as r:
            active = json.load(r)["data"]["activeTargets"]
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
    }


def describe(cfg: StackConfig) -> str:
    return (
        f"IGEMOJI stack up: {cfg.public_url}/  (Prometheus {cfg.prometheus_url}/)\n"
        f"logs: {cfg.logs_dir}  stop: make stack-stop"
    )


if __name__ == "__main__":  # pragma: no cover - use `python -m scripts.stack`
    sys.exit("use: python -m scripts.stack up|down|status")
