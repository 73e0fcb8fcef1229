"""`make stack` / `make stack-stop`: bring the rehearsal up and down.

Topology (the same as docker-compose.yml, as processes):
  nginx :base      → SPA, /api → gunicorn main :base+10, /protected-media (X-Accel)
  nginx :base+1    → ai_server :base+31, :base+32 … (least_conn upstream)
  celery worker ×N → RabbitMQ (own queue), metrics on :base+21, :base+22 …
  celery beat ×1   (the reconciler and the sweeps)
  prometheus :base+90 scraping main, workers, ai_servers, RabbitMQ, node, nginx
  alertmanager :base+91 → the webhook receiver :base+92 (or ALERT_WEBHOOK_URL)
  node exporter :base+93, nginx exporter :base+94 (access log over UDP :base+95,
  stub_status on nginx :base+3)

Every long-running process is a child of one supervisor (scripts/supervisor.py,
the same one `make run` uses), which restarts a process that dies, with
backoff; its status file is <state>/supervisor.json.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import urllib.request
from dataclasses import dataclass

from scripts.stack import procs, render, services
from scripts.stack.config import StackConfig
from scripts.stack.envs import ai_env, main_env
from scripts.stack.procs import State
from scripts.supervisor import Program, start_ticks, write_spec

log = logging.getLogger("stack")


@dataclass
class Started:
    """A supervised process and the URL that answers 200 once it is ready."""

    name: str
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
                lambda url=item.ready_url, name=item.name: _supervised_ok(cfg, name) and procs.http_ok(url),
                timeout=item.timeout,
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


def supervisor_status(cfg: StackConfig) -> dict:
    try:
        return json.loads(cfg.supervisor_status_file.read_text())
    except (OSError, ValueError):
        return {}


def program_pid(cfg: StackConfig, name: str) -> int | None:
    """The pid of a supervised process now (it changes when it is restarted)."""
    return supervisor_status(cfg).get("programs", {}).get(name, {}).get("pid")


def _supervised_ok(cfg: StackConfig, name: str) -> bool:
    """False while starting; raises if the process cannot start (crash loop) or
    the supervisor itself is gone."""
    pid = State(cfg.state_file).data.get("procs", {}).get("supervisor")
    if pid is None or not procs.group_alive(pid):
        raise RuntimeError(f"the supervisor exited:\n{procs.tail(cfg.logs_dir / 'supervisor.log')}")
    program = supervisor_status(cfg).get("programs", {}).get(name, {})
    if program.get("state") == "crash_loop":
        raise RuntimeError(f"{name} keeps exiting:\n{procs.tail(cfg.logs_dir / f'{name}.log')}")
    return program.get("pid") is not None


def _start_everything(cfg: StackConfig, state: State) -> list[Started]:
    py = str(cfg.venv_bin / "python")
    main_dir = str(cfg.repo / "main_server")

    db_name, db_url = services.create_database(cfg.pg_admin_url)
    queue = services.new_queue_name()
    state.data.update(database=db_name, queue=queue, ports=_ports(cfg))
    state.save()
    secret_key = secrets.token_urlsafe(50)
    db = {"database_url": db_url, "queue": queue, "secret_key": secret_key}
    env = main_env(cfg, service="main", **db)
    worker_env = main_env(cfg, service="worker", **db)

    # What compose's one-shot `migrate` service runs.
    for step in (["migrate", "--noinput"], ["createcachetable"], ["ensure_builtin_templates"]):
        procs.run(
            [py, "manage.py", *step], env=env, cwd=cfg.repo / "main_server", logs_dir=cfg.logs_dir, name=step[0]
        )

    nginx_conf = render.render_nginx_for_stack(cfg)
    prefix = f"{nginx_conf.parent}/"
    tool_env = dict(os.environ)
    procs.run(["nginx", "-t", "-p", prefix, "-c", str(nginx_conf)], env=tool_env, cwd=cfg.repo,
              logs_dir=cfg.logs_dir, name="nginx-test")  # fmt: skip
    rabbitmq = services.rabbitmq_metrics_target()
    prom_conf = render.render_prometheus(cfg, cfg.state_dir / "prometheus", rabbitmq=rabbitmq)
    procs.run(["promtool", "check", "config", str(prom_conf)], env=tool_env, cwd=cfg.repo,
              logs_dir=cfg.logs_dir, name="promtool-check")  # fmt: skip

    def program(name: str, argv: list[str], program_env: dict[str, str], cwd: str = main_dir) -> Program:
        return Program(name, argv, cwd=cwd, env=program_env, log_path=str(cfg.logs_dir / f"{name}.log"))

    # TensorFlow takes a while to load: the ai_servers are first in line and waited for last.
    bin_ = cfg.venv_bin
    programs = [
        program(f"ai{i + 1}", [py, "-m", "ai_server", "--host", "127.0.0.1", "--port", str(cfg.ai_port(i))],
                ai_env(cfg, i), cwd=str(cfg.repo))
        for i in range(cfg.ai_servers)
    ]  # fmt: skip
    # The same commands as docker-compose.yml's main, worker and beat.
    programs.append(program(
        "main",
        [str(bin_ / "gunicorn"), "config.wsgi:application", f"--bind=127.0.0.1:{cfg.main_port}",
         "--workers=1", "--worker-class=gthread", f"--threads={cfg.main_threads}",
         "--timeout=120", "--keep-alive=75", "--forwarded-allow-ips=127.0.0.1", "--access-logfile=-"],
        env,
    ))  # fmt: skip
    for i in range(cfg.workers):
        programs.append(program(
            f"worker{i + 1}",
            [str(bin_ / "celery"), "--app=config", "worker", "--pool=threads", "--concurrency=2",
             "--without-mingle", "--without-gossip", "--loglevel=INFO", f"--hostname=w{i + 1}-{queue}@%h"],
            {**worker_env, "WORKER_METRICS_PORT": str(cfg.worker_metrics_port(i))},
        ))  # fmt: skip
    programs.append(program(
        "beat",
        [str(bin_ / "celery"), "--app=config", "beat", "--loglevel=INFO",
         f"--schedule={cfg.state_dir / 'celerybeat-schedule'}"],
        env,
    ))  # fmt: skip
    monitoring, monitoring_started = _monitoring_programs(cfg, program, tool_env)
    programs += monitoring  # the nginx exporter before nginx: it counts nginx's first requests
    programs.append(program("nginx", ["nginx", "-p", prefix, "-c", str(nginx_conf), "-g", "daemon off;"], tool_env))
    programs.append(program(
        "prometheus",
        ["prometheus", f"--config.file={prom_conf}",
         f"--storage.tsdb.path={cfg.state_dir / 'prometheus' / 'data'}",
         f"--web.listen-address=127.0.0.1:{cfg.prometheus_port}", "--storage.tsdb.retention.time=1d"],
        tool_env,
    ))  # fmt: skip

    spec = cfg.state_dir / "programs.json"
    write_spec(spec, programs)
    procs.start(
        state, "supervisor",
        [py, "-m", "scripts.supervisor", "--spec", str(spec), "--status", str(cfg.supervisor_status_file)],
        env={**tool_env, "PYTHONUNBUFFERED": "1"}, cwd=cfg.repo, logs_dir=cfg.logs_dir,
    )  # fmt: skip
    # prometheus, alertmanager, main, node, nginx; rabbitmq and rabbitmq_queues.
    state.data["targets"] = 5 + cfg.workers + cfg.ai_servers + (2 if rabbitmq else 0)
    state.save()
    started = [Started("main", f"http://127.0.0.1:{cfg.main_port}/api/v1/health", 60)]
    started += [
        Started(f"worker{i + 1}", f"http://127.0.0.1:{cfg.worker_metrics_port(i)}/metrics", 60)
        for i in range(cfg.workers)
    ]
    started.append(Started("nginx", f"{cfg.public_url}/api/v1/health", 30))
    started.append(Started("prometheus", f"{cfg.prometheus_url}/-/ready", 60))
    started += monitoring_started
    started += [
        Started(f"ai{i + 1}", f"http://127.0.0.1:{cfg.ai_port(i)}/healthz", 300) for i in range(cfg.ai_servers)
    ]
    return started


def _monitoring_programs(cfg: StackConfig, program, env: dict[str, str]) -> tuple[list[Program], list[Started]]:
    """The nginx exporter, the node exporter, and Alertmanager notifying
    ALERT_WEBHOOK_URL or the stack's own receiver."""
    py = str(cfg.venv_bin / "python")
    repo = str(cfg.repo)
    programs = [
        program(
            "nginx-exporter",
            [py, "-m", "scripts.nginx_exporter", f"--listen=127.0.0.1:{cfg.nginx_exporter_port}",
             f"--syslog=127.0.0.1:{cfg.nginx_log_port}",
             f"--stub-status=http://127.0.0.1:{cfg.nginx_status_port}/stub_status"],
            env, cwd=repo,
        ),
        program(
            "node-exporter",
            ["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{cfg.node_exporter_port}"],
            env, cwd=repo,
        ),
    ]  # fmt: skip
    started = [
        Started("nginx-exporter", f"http://127.0.0.1:{cfg.nginx_exporter_port}/metrics", 30),
        Started("node-exporter", f"http://127.0.0.1:{cfg.node_exporter_port}/metrics", 30),
    ]
    webhook = cfg.alert_webhook_url
    if not webhook:
        programs.append(program(
            "alert-receiver", [py, "-m", "scripts.stack.alert_receiver", f"--port={cfg.alert_receiver_port}"],
            env, cwd=repo,
        ))  # fmt: skip
        started.append(Started("alert-receiver", f"{cfg.alert_receiver_url}/healthz", 30))
        webhook = f"{cfg.alert_receiver_url}/alertmanager"
    am_dir = cfg.state_dir / "alertmanager"
    am_conf = render.render_alertmanager(cfg, am_dir, webhook_url=webhook)
    procs.run(["amtool", "check-config", str(am_conf)], env=env, cwd=cfg.repo,
              logs_dir=cfg.logs_dir, name="amtool-check")  # fmt: skip
    programs.append(program(
        "alertmanager",
        ["prometheus-alertmanager", f"--config.file={am_conf}", f"--storage.path={am_dir / 'data'}",
         f"--web.listen-address=127.0.0.1:{cfg.alertmanager_port}",
         "--cluster.listen-address="],  # one instance: no gossip port
        env, cwd=repo,
    ))  # fmt: skip
    started.append(Started("alertmanager", f"{cfg.alertmanager_url}/-/ready", 30))
    return programs, started


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
    procs.stop_all(state)  # the supervisor stops its children before it exits
    _stop_orphans(cfg)
    if state.data.get("database"):
        try:
            services.drop_database(cfg.pg_admin_url, state.data["database"])
        except Exception as exc:  # keep cleaning the rest
            log.warning("could not drop %s: %s", state.data["database"], exc)
    if state.data.get("queue"):
        services.delete_queue(cfg.broker_url, state.data["queue"])
    if cfg.state_file.exists():
        cfg.state_file.unlink()


def _stop_orphans(cfg: StackConfig) -> None:
    """Children a supervisor that died (kill -9) could not stop: the ones its
    status file lists, if their pid still belongs to the process it started."""
    for name, program in supervisor_status(cfg).get("programs", {}).items():
        pid = program.get("pid")
        if pid and program.get("start_ticks") and start_ticks(pid) == program["start_ticks"]:
            log.warning("stopping %s pid=%s left behind by its supervisor", name, pid)
            procs.kill_group(pid)
    if cfg.supervisor_status_file.exists():
        cfg.supervisor_status_file.unlink()


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
