"""One test per fault of `make stack` (real PostgreSQL, RabbitMQ, gunicorn,
Celery workers and beat under the supervisor, nginx, the real ai_server):
each injects the fault at an edge (tests/faults.py), then asserts the outcome
and that every job is done — or failed with a reason — within 60 s of the
fault's end, with no 5xx on the way. Measured times go to
$IGEMOJI_FAULT_REPORT (docs/reliability.md), never into an assert."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import threading
import time

import pytest
import requests
from PIL import Image

from scripts.procs import http_ok
from scripts.stack import render
from tests.deploy.conftest import free_stack_config, require_tool
from tests.e2e.helpers import Api, astronaut_jpeg
from tests.faults import TcpProxy, report, wait_for
from tests.integration import fault_stack
from tests.integration.conftest import AMQP, PG

BOUND = 60.0
JOB_TIMEOUT = 240.0  # how long a test waits at most; the bound itself is asserted separately


@pytest.fixture(scope="module")
def faulty(stack, tmp_path_factory):
    generator = fault_stack.start(pg_url=PG, amqp_url=AMQP, ai_port=stack["ai_port"],
                                  tmp=tmp_path_factory.mktemp("faults"))  # fmt: skip
    running = next(generator)
    try:
        yield running
    except BaseException:
        print(running.log_tails())  # noqa: T201 (the processes' own logs, on failure)
        raise
    finally:
        generator.close()


def _user(stack: fault_stack.FaultStack) -> Api:
    api = Api(stack.url)
    api.signup_and_login()
    return api


def _noto(api: Api) -> int:
    return next(t["id"] for t in api.get("/emojis/pages/1").json()["results"] if t["is_builtin"])


def _poison_photo() -> bytes:
    image = Image.open(io.BytesIO(astronaut_jpeg())).resize((fault_stack.POISON_WIDTH, fault_stack.POISON_WIDTH))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _finished_within(stack, api: Api, job_ids: list[str], since: float) -> tuple[dict, float]:
    """Wait for every job to finish; returns them and the seconds from `since` to the last."""
    finished = {job_id: api.wait_job(job_id, timeout=JOB_TIMEOUT) for job_id in job_ids}
    took = time.monotonic() - since
    stuck = {k: v["status"] for k, v in finished.items() if v["status"] not in ("done", "failed")}
    assert not stuck, f"still not finished after {JOB_TIMEOUT:.0f} s: {stuck}\n{stack.log_tails()}"
    return finished, took


def test_a_dead_worker_is_restarted(faulty):
    before = faulty.pid("worker2")
    os.killpg(before, signal.SIGKILL)
    killed_at = time.monotonic()
    wait_for("worker2 restarted", lambda: faulty.pid("worker2") not in (None, before), timeout=30)
    wait_for("worker2 serving again", lambda: http_ok(faulty.worker_metrics[1]), timeout=60)
    report("stack: worker killed (back up)", time.monotonic() - killed_at)
    assert faulty.supervisor.children["worker2"].restarts >= 1


def test_rabbitmq_queues_are_quorum_queues_with_a_dead_letter_queue(faulty):
    if not shutil.which("rabbitmqctl"):
        pytest.skip("rabbitmqctl is not installed here")
    listed = subprocess.run(["rabbitmqctl", "-q", "list_queues", "name", "type", "arguments"],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    if listed.returncode != 0:
        pytest.skip(f"rabbitmqctl cannot list queues here: {listed.stderr.strip()[:200]}")
    queue = faulty.env["CELERY_QUEUE"]
    rows = {line.split("\t")[0]: line for line in listed.stdout.splitlines()}
    assert "\tquorum\t" in rows[queue] and "x-delivery-limit" in rows[queue], rows[queue]
    assert f"{queue}.dead" in rows[queue]  # x-dead-letter-routing-key
    assert "\tquorum\t" in rows[f"{queue}.dead"]  # declared by the workers, consumed by none


def test_database_outage_with_jobs_in_flight(faulty):
    api = _user(faulty)
    template = _noto(api)
    faulty.edge.arm_hold()  # the first job waits in ai_server while the database goes away
    jobs = [api.create_job(template, astronaut_jpeg(0.5)).json()["task_id"] for _ in range(4)]
    assert faulty.edge.held.wait(60), "no job reached ai_server"
    outage = 20.0
    faulty.pg.stop()
    faulty.edge.release.set()
    ended = {}
    timer = threading.Timer(outage, lambda: (faulty.pg.start(), ended.setdefault("at", time.monotonic())))
    timer.start()
    statuses = []
    try:
        while "at" not in ended:  # a user polling through nginx meanwhile
            statuses.append(api.get(f"/faces/tasks/{jobs[0]}").status_code)
            statuses.append(requests.get(f"{faulty.url}/api/v1/emojis/pages/1", timeout=60).status_code)
    finally:
        timer.join()
    finished, took = _finished_within(faulty, api, jobs, ended["at"])
    report("stack: PostgreSQL refusing connections 20 s, jobs in flight", took)
    assert [j["status"] for j in finished.values()] == ["done"] * len(jobs), finished
    assert took < BOUND, f"last job finished {took:.0f} s after the database came back"
    assert statuses and all(code < 500 for code in statuses), statuses


def test_rabbitmq_down_while_users_submit(faulty):
    api = _user(faulty)
    template = _noto(api)
    faulty.amqp.stop()
    try:
        answers = [api.create_job(template, astronaut_jpeg(0.5)) for _ in range(4)]
        assert [a.status_code for a in answers] == [202] * 4, [a.text for a in answers]
        jobs = [a.json()["task_id"] for a in answers]
        assert {faulty.job(j)[0] for j in jobs} == {"pending"}
        time.sleep(10)  # the outage goes on a while
    finally:
        faulty.amqp.start()
    back = time.monotonic()
    finished, took = _finished_within(faulty, api, jobs, back)
    report("stack: RabbitMQ down while users submit", took)
    assert [j["status"] for j in finished.values()] == ["done"] * len(jobs), finished
    assert took < BOUND, f"last job finished {took:.0f} s after RabbitMQ came back"


def test_a_job_that_kills_its_worker_fails_after_its_attempts_and_the_queue_keeps_moving(faulty, settings_max_attempts):
    api = _user(faulty)
    template = _noto(api)
    poison = api.create_job(template, _poison_photo()).json()["task_id"]
    others = [api.create_job(template, astronaut_jpeg(0.5)).json()["task_id"] for _ in range(2)]
    body = api.wait_job(poison, timeout=6 * BOUND)
    assert body["status"] == "failed", (body, faulty.log_tails())
    kills = [at for _pid, at in faulty.edge.killed]
    took = time.monotonic() - kills[-1]
    report("stack: a job that kills its worker (failed after the last kill)", took)
    assert body["error"].startswith(f"Stopped after {settings_max_attempts} attempts"), body["error"]
    assert len(kills) == settings_max_attempts, f"{len(kills)} workers killed"  # never delivered again
    assert took < BOUND
    # Every other job ended too (one that shared a killed worker may have used its attempts)...
    finished, _ = _finished_within(faulty, api, others, time.monotonic())
    assert all(j["status"] == "done" or j["error"] for j in finished.values()), finished
    # ...and the queue keeps moving: new jobs are done, the killed workers are back.
    after = [api.create_job(template, astronaut_jpeg(0.5)).json()["task_id"] for _ in range(2)]
    finished, took = _finished_within(faulty, api, after, time.monotonic())
    assert [j["status"] for j in finished.values()] == ["done", "done"]
    assert sum(faulty.supervisor.children[f"worker{i + 1}"].restarts for i in range(2)) >= len(kills)


@pytest.fixture
def settings_max_attempts(faulty) -> int:
    return int(faulty.env.get("JOB_MAX_ATTEMPTS", "3"))


def test_uploads_refused_early_through_nginx_never_become_5xx(faulty):
    """One user far over the upload limit (429 before the body is read), uploads
    without a token (401) and too big for the API (413), interleaved with a
    well-behaved user, all on keep-alive connections through nginx."""
    flooder, other, anonymous = _user(faulty), _user(faulty), Api(faulty.url)
    template = _noto(flooder)
    photo = astronaut_jpeg()  # > 64 KiB: more than gunicorn itself would drain
    too_big = b"\xff" * (fault_stack.REQUEST_MAX_BYTES + 1024)
    statuses: dict[str, list[int]] = {"flooder": [], "other": [], "anonymous": [], "too_big": []}
    accepted = []
    for i in range(30):
        answer = flooder.create_job(template, photo)
        statuses["flooder"].append(answer.status_code)
        if answer.status_code == 202:
            accepted.append((flooder, answer.json()["task_id"]))
        statuses["anonymous"].append(anonymous.create_job(template, photo).status_code)
        if i % 3 == 0:
            statuses["too_big"].append(other.create_job(template, too_big).status_code)
        if i % 10 == 0:
            answer = other.create_job(template, astronaut_jpeg(0.5))
            statuses["other"].append(answer.status_code)
            if answer.status_code == 202:
                accepted.append((other, answer.json()["task_id"]))
        statuses["other"].append(other.get("/emojis/pages/1").status_code)
    last = time.monotonic()
    assert all(code < 500 for codes in statuses.values() for code in codes), statuses
    assert 429 in statuses["flooder"] and set(statuses["flooder"]) <= {202, 429}
    assert set(statuses["anonymous"]) == {401} and set(statuses["too_big"]) == {413}
    assert set(statuses["other"]) <= {200, 202}
    for api, job_id in accepted:
        assert api.wait_job(job_id, timeout=JOB_TIMEOUT)["status"] == "done"
    took = time.monotonic() - last
    report("stack: one user over the upload limit (accepted jobs done after the flood)", took)
    assert took < BOUND


def test_ai_servers_back_after_an_outage_answer_at_once(stack, tmp_path):
    """nginx's ai load balancer in front of two replicas (proxies to the real
    ai_server): both go away, both come back — the very first calls after
    that must go through, not get "no live upstreams"."""
    replicas = [TcpProxy(stack["ai_port"]), TcpProxy(stack["ai_port"])]
    cfg = free_stack_config(tmp_path)
    (tmp_path / "spa").mkdir()
    conf = render.render_nginx(
        cfg, tmp_path / "nginx", main_addr=f"127.0.0.1:{cfg.main_port}",
        ai_addrs=[f"127.0.0.1:{r.port}" for r in replicas], grafana_addr=f"127.0.0.1:{cfg.grafana_port}",
        spa_root=tmp_path / "spa", media_root=tmp_path / "media",
    )  # fmt: skip
    nginx = subprocess.Popen([require_tool("nginx"), "-p", f"{conf.parent}/", "-c", str(conf), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    lb = f"http://127.0.0.1:{cfg.ai_lb_port}/healthz"
    try:
        wait_for("nginx up", lambda: http_ok(lb), timeout=30, every=0.1)
        for replica in replicas:
            replica.stop()
        down = [requests.get(lb, timeout=30).status_code for _ in range(4)]
        assert all(code >= 500 for code in down), down  # the outage is real
        for replica in replicas:
            replica.start()
        back = time.monotonic()
        after = [requests.get(lb, timeout=30).status_code for _ in range(10)]
        report("stack: ai_servers back after an outage (first answer)", time.monotonic() - back)
        assert after == [200] * 10, after
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        for replica in replicas:
            replica.stop()
