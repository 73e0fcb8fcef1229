"""The rehearsal stack, used as a user and watched as an operator: jobs go
through nginx to workers and ai_servers, every Prometheus target is up, every
dashboard query returns data, and every metric a panel names is exported."""

from __future__ import annotations

import io
import logging
import os
import re
import signal
import time
from datetime import datetime

import pytest
import requests
from PIL import Image

from scripts.stack import procs, stack
from scripts.stack.client import ApiUser, astronaut_jpeg
from scripts.stack.config import StackConfig
from scripts.stack.promql import dashboard_queries, exported_names, is_exported, metric_names
from tests.deploy.conftest import REPO

DASHBOARD = REPO / "grafana" / "dashboards" / "igemoji.json"
NOTO = REPO / "assets" / "emoji" / "noto"
EMOTIONS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
JOBS = 3


def prom_query(cfg: StackConfig, expr: str) -> list[dict]:
    resp = requests.get(f"{cfg.prometheus_url}/api/v1/query", params={"query": expr}, timeout=10)
    body = resp.json()
    assert body["status"] == "success", f"{expr}: {body}"
    return body["data"]["result"]


def wait_for_values(cfg: StackConfig, expr: str, ok, seconds: float = 30) -> None:
    """Poll until ok(the query's values): what just happened shows at the next scrape."""
    deadline = time.monotonic() + seconds
    while not ok(values := [float(r["value"][1]) for r in prom_query(cfg, expr)]):
        assert time.monotonic() < deadline, f"{expr}: {values}"
        time.sleep(1)


@pytest.fixture(scope="module")
def user(stack_cfg) -> ApiUser:
    u = ApiUser(stack_cfg.public_url)
    u.register_and_login()
    return u


@pytest.fixture(scope="module")
def finished_jobs(user, stack_cfg) -> list[dict]:
    template_id = user.first_template_id()
    photo = astronaut_jpeg()
    # Two waves, more than a scrape apart: a labelled counter is born at its
    # first increment, so rate() sees a change only from the second wave on.
    first = user.wait(f"faces/tasks/{user.submit_job(template_id, photo)}", done=("done", "failed"))
    time.sleep(2 * _seconds(stack_cfg.scrape_interval) + 1)
    task_ids = [user.submit_job(template_id, photo) for _ in range(JOBS - 1)]
    return [first] + [user.wait(f"faces/tasks/{tid}", done=("done", "failed")) for tid in task_ids]


def _seconds(duration: str) -> float:
    units = {"ms": 0.001, "s": 1, "m": 60}
    for suffix in ("ms", "s", "m"):
        if duration.endswith(suffix):
            return float(duration[: -len(suffix)]) * units[suffix]
    return float(duration)


@pytest.fixture(scope="module")
def finished_template(user) -> dict:
    pictures = {e: (NOTO / f"{e}.png").read_bytes() for e in EMOTIONS}
    template_id = user.submit_template("stack check", pictures)
    return user.wait(f"emojis/{template_id}", done=("ready", "failed"))


def test_every_prometheus_target_is_up(stack_cfg):
    targets = requests.get(f"{stack_cfg.prometheus_url}/api/v1/targets", timeout=10).json()["data"][
        "activeTargets"
    ]
    jobs = {t["labels"]["job"] for t in targets}
    assert {"main", "worker", "ai", "prometheus", "alertmanager", "node", "nginx"} <= jobs
    assert len([t for t in targets if t["labels"]["job"] == "worker"]) == stack_cfg.workers
    assert len([t for t in targets if t["labels"]["job"] == "ai"]) == stack_cfg.ai_servers
    down = [
        (t["labels"]["job"], t["scrapeUrl"], t["lastError"]) for t in targets if t["health"] != "up"
    ]
    assert not down


def test_jobs_sent_through_nginx_finish_with_the_face_found(finished_jobs):
    for job in finished_jobs:
        assert job["status"] == "done", job
        faces = job["result"]["faces"]
        assert len(faces) == 1 and faces[0]["emotion"] in EMOTIONS


def test_the_result_image_is_served_through_nginx(finished_jobs, stack_cfg):
    result = finished_jobs[0]["result"]
    assert result["image_url"].startswith(stack_cfg.public_url)
    resp = requests.get(result["image_url"], timeout=30)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("image/")
    assert "X-Accel-Redirect" not in resp.headers
    assert len(resp.raw.headers.getlist("Cache-Control")) == 1
    assert Image.open(io.BytesIO(resp.content)).size == (result["width"], result["height"])


def test_a_template_uploaded_through_nginx_becomes_ready(finished_template):
    assert finished_template["status"] == "ready", finished_template
    assert all(img["cutout_url"] for img in finished_template["images"].values())


def test_every_ai_server_replica_answered(stack_cfg, finished_jobs):
    for i in range(stack_cfg.ai_servers):
        text = requests.get(f"http://127.0.0.1:{stack_cfg.ai_port(i)}/metrics", timeout=10).text
        answered = sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("ai_requests_total{")
        )
        assert answered > 0, f"ai_server {i + 1} got no request: the balancer does not spread"


def test_metrics_are_not_public(stack_cfg):
    assert requests.get(f"{stack_cfg.public_url}/metrics", timeout=10).status_code == 404


def test_the_spa_is_served_with_history_fallback(stack_cfg):
    if not (stack_cfg.spa_dir / "index.html").exists():
        pytest.skip("frontend/dist is not built (make install builds it)")
    resp = requests.get(f"{stack_cfg.public_url}/mypage", timeout=10)
    assert (
        resp.status_code == 200
        and "<div" in resp.text
        and resp.headers["Cache-Control"] == "no-cache"
    )


def _has_a_number(result: list[dict]) -> bool:
    # histogram_quantile over a window with no new observations gives NaN: no data to a user.
    return any(sample["value"][1] not in ("NaN", "+Inf", "-Inf") for sample in result)


def test_every_dashboard_query_returns_data(stack_cfg, finished_jobs, finished_template):
    """Each panel's expr through Prometheus' HTTP API, as Grafana would send it."""
    pending = dict.fromkeys(expr for _, expr in dashboard_queries(DASHBOARD))
    titles = {expr: title for title, expr in dashboard_queries(DASHBOARD)}
    # rate() and increase() need two scrapes after the jobs: wait a few intervals.
    deadline = time.monotonic() + 90
    while pending and time.monotonic() < deadline:
        for expr in list(pending):
            if _has_a_number(prom_query(stack_cfg, expr)):
                del pending[expr]
        if pending:
            time.sleep(2)
    assert not pending, [f"{titles[e]}: {e}" for e in pending]


def test_every_dashboard_metric_is_exported_by_a_process(
    stack_cfg, finished_jobs, finished_template
):
    urls = [f"http://127.0.0.1:{stack_cfg.main_port}/metrics"]
    urls += [
        f"http://127.0.0.1:{stack_cfg.worker_metrics_port(i)}/metrics"
        for i in range(stack_cfg.workers)
    ]
    urls += [
        f"http://127.0.0.1:{stack_cfg.ai_port(i)}/metrics" for i in range(stack_cfg.ai_servers)
    ]
    # The exporters (node, nginx, RabbitMQ's per-queue endpoint) as Prometheus scrapes them.
    targets = requests.get(f"{stack_cfg.prometheus_url}/api/v1/targets", timeout=10).json()
    urls += [
        t["scrapeUrl"]
        for t in targets["data"]["activeTargets"]
        if t["labels"]["job"] in ("node", "nginx", "rabbitmq", "rabbitmq_queues")
    ]
    exported: set[str] = set()
    for url in urls:
        resp = requests.get(url, timeout=10)
        assert resp.status_code == 200, url
        exported |= exported_names(resp.text)
    for title, expr in dashboard_queries(DASHBOARD):
        for name in metric_names(expr):
            assert is_exported(name, exported), f"{title}: {name} is exported by no process"


def test_alert_rules_are_loaded_and_evaluate(stack_cfg):
    groups = requests.get(f"{stack_cfg.prometheus_url}/api/v1/rules", timeout=10).json()["data"][
        "groups"
    ]
    rules = [rule for group in groups for rule in group["rules"]]
    assert len(rules) >= 10
    broken = [(r["name"], r.get("lastError")) for r in rules if r["health"] == "err"]
    assert not broken
    firing = [
        r["name"]
        for r in rules
        if r.get("state") == "firing" and r["labels"].get("severity") == "critical"
    ]
    assert not firing, f"critical alerts firing on a healthy stack: {firing}"


def test_the_api_docs_load_through_nginx(stack_cfg):
    page = requests.get(f"{stack_cfg.public_url}/api/docs/", timeout=10)
    assert page.status_code == 200 and "swagger" in page.text.lower()
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    assert scripts
    for src in scripts:
        resp = requests.get(f"{stack_cfg.public_url}{src}", timeout=10)
        assert resp.status_code == 200 and "javascript" in resp.headers["Content-Type"], src


def test_prometheus_sends_to_an_active_alertmanager(stack_cfg):
    data = requests.get(f"{stack_cfg.prometheus_url}/api/v1/alertmanagers", timeout=10).json()
    active = [am["url"] for am in data["data"]["activeAlertmanagers"]]
    assert active == [f"{stack_cfg.alertmanager_url}/api/v2/alerts"]


def test_the_jobs_stuck_rule_is_loaded_and_evaluates(stack_cfg, finished_jobs):
    groups = requests.get(f"{stack_cfg.prometheus_url}/api/v1/rules", timeout=10).json()
    rules = {r["name"]: r for g in groups["data"]["groups"] for r in g["rules"]}
    assert rules["JobsStuck"]["health"] == "ok" and rules["JobsStuck"]["state"] == "inactive"
    # No job waits once they are done: the gauge says 0, not "no data". The last scrape
    # may predate the jobs finishing: wait for the next ones (scrape interval 5 s).
    wait_for_values(stack_cfg, "igemoji_oldest_unfinished_job_age_seconds", lambda v: v == [0.0])


def test_nginx_counts_the_api_requests_it_answered(stack_cfg, finished_jobs):
    # Every job was a 202 through nginx. The last jobs may have finished before the
    # next scrape of the exporter (every 5 s): CI once read 1 of 3 here. Wait for it.
    expr = 'sum(nginx_http_responses_total{route="api", status="202"})'
    wait_for_values(stack_cfg, expr, lambda v: v and v[0] >= JOBS)


def test_a_killed_worker_is_restarted_by_the_supervisor(stack_cfg, user):
    before = stack.program_pid(stack_cfg, "worker1")
    os.killpg(before, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while stack.program_pid(stack_cfg, "worker1") in (None, before):
        assert time.monotonic() < deadline, "make stack did not restart the killed worker"
        time.sleep(0.5)
    task_id = user.submit_job(user.first_template_id(), astronaut_jpeg())
    assert user.wait(f"faces/tasks/{task_id}", done=("done", "failed"))["status"] == "done"
    health = requests.get(f"{stack_cfg.public_url}/api/v1/health", timeout=30).json()
    assert health["processes"]["worker1"]["restarts"] >= 1


# Next to last: it takes one ai_server away (the supervisor brings it back).
def test_a_dead_ai_server_loses_no_job_shows_as_down_and_comes_back(stack_cfg, user):
    victim = stack_cfg.ai_servers  # the last replica
    pid = stack.program_pid(stack_cfg, f"ai{victim}")
    port = stack_cfg.ai_port(victim - 1)
    instance = f'up{{job="ai", instance="127.0.0.1:{port}"}}'

    # Hung first (SIGSTOP), so Prometheus sees it down: the supervisor restarts a dead
    # one in about a second, less than a scrape interval, and a scrape may miss that.
    os.killpg(pid, signal.SIGSTOP)
    try:
        wait_for_values(stack_cfg, instance, lambda v: v == [0.0], seconds=60)  # reported down
    finally:
        os.killpg(pid, signal.SIGKILL)  # then a crash, not a graceful stop

    # nginx sends the worker's request on to a live replica.
    for _ in range(2):
        task_id = user.submit_job(user.first_template_id(), astronaut_jpeg())
        assert user.wait(f"faces/tasks/{task_id}", done=("done", "failed"))["status"] == "done"

    wait_for_values(stack_cfg, instance, lambda v: v == [1.0], seconds=300)  # restarted, back up
    assert stack.program_pid(stack_cfg, f"ai{victim}") != pid


def _notifications(cfg: StackConfig) -> list[dict]:
    return requests.get(f"{cfg.alert_receiver_url}/notifications", timeout=10).json()


def _fired_since(cfg: StackConfig, alertname: str, since: float) -> dict | None:
    """The first notification received after `since` saying `alertname` fires, with
    an alert that started after `since` (not one left from the stack's start)."""
    for item in _notifications(cfg):
        payload = item["payload"]
        if item["received_at"] < since or payload.get("status") != "firing":
            continue
        for alert in payload["alerts"]:
            started = datetime.fromisoformat(alert["startsAt"].replace("Z", "+00:00"))
            if alert["labels"]["alertname"] == alertname and started.timestamp() >= since - 1:
                return payload
    return None


# Last: every ai_server stops answering, and someone is told.
def test_stopped_ai_servers_fire_an_alert_that_reaches_the_webhook_receiver(stack_cfg):
    """Prometheus → Alertmanager → the receiver the check runs, through the critical route.
    The ai_servers are frozen (SIGSTOP), not killed: hung and dead look the same to
    Prometheus, and a supervisor would not restart a frozen one behind our back."""
    groups = [
        pid
        for pid in (stack.program_pid(stack_cfg, f"ai{i + 1}") for i in range(stack_cfg.ai_servers))
        if pid is not None and procs.group_alive(pid)
    ]
    assert groups, "no ai_server left to stop"
    since = time.time()
    for pid in groups:
        os.killpg(pid, signal.SIGSTOP)
    try:
        deadline = time.monotonic() + 120
        while (payload := _fired_since(stack_cfg, "NoAIServerUp", since)) is None:
            assert time.monotonic() < deadline, (
                f"NoAIServerUp did not reach the receiver in 120 s: {_notifications(stack_cfg)}"
            )
            time.sleep(1)
        logging.getLogger("stack").info(
            "NoAIServerUp notified %.1f s after the ai_servers stopped", time.time() - since
        )
    finally:
        for pid in groups:
            os.killpg(pid, signal.SIGCONT)  # so `make stack-stop` can stop them
    assert payload["receiver"] == "critical"
    assert payload["groupLabels"] == {"alertname": "NoAIServerUp", "severity": "critical"}
    (alert,) = [a for a in payload["alerts"] if a["labels"]["alertname"] == "NoAIServerUp"]
    assert alert["status"] == "firing" and alert["labels"]["severity"] == "critical"
    assert alert["annotations"]["summary"] == "No ai_server replica answers"
