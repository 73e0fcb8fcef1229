"""The issue's outside check: `make run` with PORT, AI_PORT, WORKER_METRICS_PORT and
DATA_DIR set, one job run, then every metric name in every Grafana panel query is
exported by main's /metrics, the AI server's /metrics or the worker's port (except
the nginx, host and RabbitMQ panels: `make run` has no such exporters)."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
import requests

from scripts.procs import free_port, http_ok
from scripts.stack.client import ApiUser, astronaut_jpeg
from scripts.stack.promql import (
    dashboard_queries,
    exported_names,
    from_exporter,
    is_exported,
    metric_names,
)
from tests.deploy.conftest import REPO

DASHBOARD = REPO / "grafana" / "dashboards" / "igemoji.json"


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("make-run")
    ports = {"PORT": free_port(), "AI_PORT": free_port(), "WORKER_METRICS_PORT": free_port()}
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, "DATA_DIR": str(data_dir)}
    log = open(data_dir / "run_local.log", "wb")  # noqa: SIM115 (closed in finally)
    proc = subprocess.Popen(
        [str(REPO / ".venv/bin/python"), "-m", "scripts.run_local"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        urls = [
            f"http://127.0.0.1:{ports['PORT']}/api/v1/health",
            f"http://127.0.0.1:{ports['AI_PORT']}/healthz",
            f"http://127.0.0.1:{ports['WORKER_METRICS_PORT']}/metrics",
        ]
        deadline = time.monotonic() + 300
        while not all(http_ok(u) for u in urls):
            assert proc.poll() is None, (data_dir / "run_local.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "make run did not come up in 300 s"
            time.sleep(1)
        yield ports
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # run_local stops its children on SIGTERM
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def test_after_one_job_every_dashboard_metric_is_exported(make_run):
    user = ApiUser(f"http://127.0.0.1:{make_run['PORT']}")
    user.register_and_login()
    task_id = user.submit_job(user.first_template_id(), astronaut_jpeg())
    assert user.wait(f"faces/tasks/{task_id}", done=("done", "failed"))["status"] == "done"

    exported: set[str] = set()
    for port in make_run.values():
        resp = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
        assert resp.status_code == 200
        exported |= exported_names(resp.text)
    missing = [
        f"{title}: {name}"
        for title, expr in dashboard_queries(DASHBOARD)
        for name in metric_names(expr)
        # nginx, node and RabbitMQ panels need their exporters: make stack checks those.
        if not from_exporter(name) and not is_exported(name, exported)
    ]
    assert not missing
