"""Starts `python -m scripts.run_local` (the same thing `make run` runs) on free
ports with a temporary DATA_DIR, or uses IGEMOJI_E2E_URL if given."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from scripts.procs import PYTHON, REPO, free_port, http_ok


@pytest.fixture(scope="session")
def service(tmp_path_factory):
    if os.environ.get("IGEMOJI_E2E_URL"):
        yield {"url": os.environ["IGEMOJI_E2E_URL"].rstrip("/"), "worker_metrics": None, "log": None}
        return
    data_dir = tmp_path_factory.mktemp("data")
    ports = {"PORT": free_port(), "AI_PORT": free_port(), "WORKER_METRICS_PORT": free_port()}
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "DATA_DIR": str(data_dir)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("CELERY_BROKER_URL", None)
    env.pop("DATABASE_URL", None)
    log_path = Path(data_dir) / "run_local.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [PYTHON, "-m", "scripts.run_local"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{ports['PORT']}"
    try:
        deadline = time.monotonic() + 300
        while b"IGEMOJI is running" not in log_path.read_bytes():
            if proc.poll() is not None:
                pytest.fail(f"run_local exited {proc.returncode}:\n{log_path.read_text()[-4000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"run_local not ready in 300 s:\n{log_path.read_text()[-4000:]}")
            time.sleep(1)
        yield {
            "url": url,
            "worker_metrics": f"http://127.0.0.1:{ports['WORKER_METRICS_PORT']}/metrics",
            "log": log_path,
            "proc": proc,
            "data_dir": data_dir,
        }
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        # Every child must be gone with it.
        assert not http_ok(f"{url}/api/v1/health", timeout=1)
