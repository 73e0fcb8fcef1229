"""Faults on `make run` (scripts/run_local.py), as an operator would inject
them: the AI server recycling its gunicorn worker every few requests, the
Celery worker killed -9 in the middle of a job, a process that cannot start
again. The service stays up; every job ends done within 60 s of the fault."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import time

import pytest
import requests

from scripts.procs import LocalService, http_ok
from tests.e2e.helpers import Api, astronaut_jpeg
from tests.faults import AiEdge, report, wait_for

BOUND = 60.0  # seconds after a fault ends by which every job is done or failed
AI_MAX_REQUESTS = 8


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    service = LocalService(
        tmp_path_factory.mktemp("run-local-faults"),
        extra_env={"AI_MAX_REQUESTS": str(AI_MAX_REQUESTS), "AI_MAX_REQUESTS_JITTER": "0"},
    )
    # The worker reaches ai_server through a stand-in that can hold one call.
    edge = AiEdge(service.ports["AI_PORT"])
    service.extra_env["AI_SERVER_URL"] = edge.url
    try:
        service.start()
    except (RuntimeError, TimeoutError) as exc:
        edge.close()
        pytest.fail(str(exc))
    try:
        yield {"service": service, "edge": edge}
    finally:
        code = service.stop()
        edge.close()
        assert code == 0, service.log_tail()


@pytest.fixture(scope="module")
def user(local):
    api = Api(local["service"].url)
    api.signup_and_login()
    return api


def _status(service: LocalService) -> dict:
    return json.loads((service.data_dir / "supervisor.json").read_text())["programs"]


def _noto(api: Api) -> int:
    return next(t["id"] for t in api.get("/emojis/pages/1").json()["results"] if t["is_builtin"])


def _job_row(service: LocalService, job_id: str) -> tuple[str, int]:
    with sqlite3.connect(service.data_dir / "db.sqlite3", timeout=30) as db:
        return db.execute("SELECT status, attempts FROM faces_job WHERE id = ?", (job_id.replace("-", ""),)).fetchone()


def test_the_ai_server_recycling_its_worker_keeps_answering(local, user):
    """Every AI_MAX_REQUESTS requests gunicorn replaces ai_server's worker; the
    recycled worker must not take the master (or its metrics) down."""
    service = local["service"]
    template = _noto(user)
    photo = astronaut_jpeg(0.5)
    jobs = [user.create_job(template, photo).json()["task_id"] for _ in range(3 * AI_MAX_REQUESTS // 2)]
    finished = [user.wait_job(job_id, timeout=180) for job_id in jobs]
    assert [j["status"] for j in finished] == ["done"] * len(jobs), [j["error"] for j in finished]
    assert _status(service)["ai_server"]["restarts"] == 0  # the master never exited
    assert requests.get(f"{service.ai_url}/metrics", timeout=30).status_code == 200
    assert "Autorestarting worker" in service.log_tail(1_000_000), "no worker was recycled: the test tested nothing"


def test_a_worker_killed_mid_job_is_restarted_and_the_job_is_done_within_a_minute(local, user):
    service, edge = local["service"], local["edge"]
    edge.arm_hold()
    job_id = user.create_job(_noto(user), astronaut_jpeg(0.5)).json()["task_id"]
    assert edge.held.wait(60), "the worker never called ai_server"
    assert _job_row(service, job_id) == ("running", 1)

    worker = _status(service)["worker"]["pid"]
    os.killpg(worker, signal.SIGKILL)
    killed_at = time.monotonic()
    edge.release.set()

    job = user.wait_job(job_id, timeout=BOUND + 30)
    took = time.monotonic() - killed_at
    assert job["status"] == "done", job
    report("make run: worker killed -9 mid-job", took)
    assert took < BOUND, f"done {took:.0f} s after the kill"
    assert _job_row(service, job_id) == ("done", 2)
    assert service.proc.poll() is None, "make run exited"
    restarted = _status(service)["worker"]
    assert restarted["pid"] not in (None, worker) and restarted["restarts"] >= 1
    assert user.get("/health").json()["processes"]["worker"]["restarts"] >= 1


def test_a_crash_loop_is_reported_by_health_and_ends_with_its_cause(local):
    """ai_server killed while another program holds its port: every restart
    fails at once. make run keeps going, /api/v1/health says which process is
    crash-looping, and once the port is free again everything recovers."""
    service = local["service"]
    ai = _status(service)["ai_server"]["pid"]
    os.killpg(ai, signal.SIGKILL)
    squatter = socket.socket()
    squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    wait_for("the ai_server port freed", lambda: _try_bind(squatter, service.ports["AI_PORT"]), timeout=30, every=0.05)
    squatter.listen(1)
    try:
        health = wait_for(
            "health reporting the crash loop",
            lambda: (h := requests.get(f"{service.url}/api/v1/health", timeout=10).json())["status"] == "degraded" and h,
            timeout=120,
        )
        assert health["problems"] == ["ai_server is crash-looping"]
        assert health["processes"]["main"]["state"] in ("starting", "running")
        assert service.proc.poll() is None
    finally:
        squatter.close()
    wait_for("ai_server back", lambda: http_ok(f"{service.ai_url}/healthz"), timeout=240)
    wait_for(
        "health back to ok",
        lambda: requests.get(f"{service.url}/api/v1/health", timeout=10).json()["status"] == "ok",
        timeout=90,
    )


def _try_bind(sock: socket.socket, port: int) -> bool:
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        return False
    return True
