"""``python -m ai_server --host H --port P``: the production server (gunicorn, gthread).

The master never imports TensorFlow: the app (and its models) is created in each worker
after the fork (no preload_app). Knobs come from AI_WORKERS, AI_THREADS, AI_TIMEOUT,
AI_MAX_REQUESTS, AI_MAX_REQUESTS_JITTER (see docs/ai_server.md).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def _prepare_metrics_dir() -> str:
    """prometheus_client multiprocess mode needs an empty directory before workers start."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        os.makedirs(path, exist_ok=True)
        for name in os.listdir(path):  # stale samples of a previous run would be summed in
            if name.endswith(".db"):
                os.remove(os.path.join(path, name))
    else:
        path = tempfile.mkdtemp(prefix="ai_server_metrics_")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = path
    return path


def gunicorn_options(host: str, port: int) -> dict:
    threads = _env_int("AI_THREADS", 2)
    return {
        "bind": f"{host}:{port}",
        "workers": _env_int("AI_WORKERS", 1),
        "worker_class": "gthread",
        "threads": threads,
        # Above the slowest request (a 40 MP compose ~ a few s on a busy core) plus model load.
        "timeout": _env_int("AI_TIMEOUT", 120),
        "graceful_timeout": 30,
        "max_requests": _env_int("AI_MAX_REQUESTS", 1000),
        "max_requests_jitter": _env_int("AI_MAX_REQUESTS_JITTER", 100),
        "preload_app": False,  # TensorFlow must not be initialised before fork (gunicorn #2478)
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": os.environ.get("AI_LOG_LEVEL", "info"),
        "child_exit": _child_exit,
    }


def _child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ai_server", description="Run the IGEMOJI AI server.")
    parser.add_argument("--host", default=os.environ.get("AI_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=_env_int("AI_PORT", 8001))
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    owned_dir = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    metrics_dir = _prepare_metrics_dir()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    from gunicorn.app.base import BaseApplication

    class AiServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in gunicorn_options(args.host, args.port).items():
                self.cfg.set(key, value)

        def load(self):  # runs in each worker, after the fork
            from ai_server import create_app

            return create_app()

    master_pid = os.getpid()
    try:
        AiServer().run()
    finally:
        # Workers are forked inside run(): a worker that gunicorn recycles
        # (max_requests) leaves through this very `finally`. Only the master
        # may remove the directory its live workers still write to.
        if owned_dir and os.getpid() == master_pid:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
