"""`make run`: the whole service on one machine with embedded defaults.

Migrates SQLite, creates the cache table and the built-in template, then runs
gunicorn (main_server), a Celery worker with the reconciler and sweeps (beat
embedded; kombu's filesystem broker under $DATA_DIR) exporting metrics on
WORKER_METRICS_PORT, and the ai_server, under scripts/supervisor.py: a child
that dies is restarted with backoff, a crash loop is logged and shown by
/api/v1/health ($DATA_DIR/supervisor.json). Ctrl-C or SIGTERM stops every child.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from scripts.procs import PYTHON, REPO, http_ok
from scripts.supervisor import Program, Supervisor

logger = logging.getLogger("igemoji.run_local")
MAIN = REPO / "main_server"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    data_dir = Path(env.get("DATA_DIR") or REPO / "var").resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    env["DATA_DIR"] = str(data_dir)
    env.setdefault("PORT", "8000")
    env.setdefault("AI_PORT", "8001")
    env.setdefault("WORKER_METRICS_PORT", "8002")
    env.setdefault("HOST", "127.0.0.1")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.django.base")
    env.setdefault("CELERY_BROKER_URL", "filesystem://")
    env.setdefault("CACHE_URL", "db://")
    env.setdefault("AI_SERVER_URL", f"http://127.0.0.1:{env['AI_PORT']}")
    env.setdefault("MODELS_DIR", str(REPO / "models"))
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=MAIN, env=env, check=True)


def prepare(env: dict[str, str]) -> None:
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "createcachetable")
    _manage(env, "ensure_builtin_templates")


def programs(env: dict[str, str]) -> list[Program]:
    data_dir = Path(env["DATA_DIR"])
    return [
        # A metrics directory that outlives any one ai_server process: a restarted
        # one empties and reuses it (one it made itself would be left in /tmp).
        Program("ai_server", [PYTHON, "-m", "ai_server", "--host", "127.0.0.1", "--port", env["AI_PORT"]],
                cwd=str(REPO), env={**env, "PROMETHEUS_MULTIPROC_DIR": str(data_dir / "ai-metrics")}),
        Program(
            "main",
            [PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"{env['HOST']}:{env['PORT']}",
             "--workers", env.get("WEB_CONCURRENCY", "2"), "--threads", "4", "--timeout", "60",
             "--access-logfile", "-", "--forwarded-allow-ips", "127.0.0.1"],
            cwd=str(MAIN), env=env,
        ),
        # --pool=threads: one process, so one metrics server sees every task's metrics.
        Program(
            "worker",
            [PYTHON, "-m", "celery", "-A", "config", "worker", "--pool", "threads",
             "--concurrency", env.get("WORKER_CONCURRENCY", "2"), "-B",
             "--schedule", str(data_dir / "celerybeat-schedule"), "--loglevel", "INFO",
             "--hostname", f"local@%h-{env['PORT']}"],
            cwd=str(MAIN), env=env,
        ),
    ]  # fmt: skip


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    env = _env()
    stopping = {"signal": None}

    def on_signal(signum, _frame):
        stopping["signal"] = signum

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    supervisor = Supervisor(programs(env), status_path=Path(env["DATA_DIR"]) / "supervisor.json")
    code = 0
    try:
        prepare(env)
        supervisor.start()
        urls = {
            "main": f"http://127.0.0.1:{env['PORT']}/api/v1/health",
            "ai_server": f"http://127.0.0.1:{env['AI_PORT']}/healthz",
            "worker": f"http://127.0.0.1:{env['WORKER_METRICS_PORT']}/metrics",
        }
        pending = dict(urls)
        deadline = time.monotonic() + float(env.get("RUN_LOCAL_START_TIMEOUT", "300"))
        while pending and stopping["signal"] is None:
            supervisor.poll()
            pending = {k: u for k, u in pending.items() if not http_ok(u)}
            if supervisor.crash_looping():
                raise RuntimeError(f"{', '.join(supervisor.crash_looping())} keeps exiting during start-up")
            if time.monotonic() > deadline:
                raise TimeoutError(f"not healthy in time: {', '.join(pending)}")
            time.sleep(0.5)
        if stopping["signal"] is None:
            logger.info(
                "IGEMOJI is running: open http://%s:%s/ (API docs /api/docs/, data in %s). Ctrl-C stops it.",
                "127.0.0.1" if env["HOST"] in ("0.0.0.0", "::") else env["HOST"], env["PORT"], env["DATA_DIR"],
            )
        # From here on a child that dies is restarted; only a signal ends `make run`.
        supervisor.run(lambda: stopping["signal"] is not None)
    except (RuntimeError, TimeoutError, subprocess.CalledProcessError) as exc:
        logger.error("start-up failed: %s", exc)
        code = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        supervisor.stop()
        logger.info("stopped")
    return code


if __name__ == "__main__":
    sys.exit(main())
