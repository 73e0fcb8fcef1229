"""A template and a job end to end through PostgreSQL, RabbitMQ, a real Celery
worker and the real ai_server; the job survives an ai_server outage."""

from __future__ import annotations

import io
import time

import requests
from PIL import Image

from scripts.procs import PYTHON, REPO
from tests.e2e.helpers import Api, astronaut_jpeg


def test_template_and_job_end_to_end(stack):
    api = Api(stack["url"])
    api.signup_and_login()
    created = api.create_template("Integration Noto")
    assert created.status_code == 202, created.text
    template = api.wait_template(created.json()["id"])
    assert template["status"] == "ready", template
    assert {i["cutout_method"] for i in template["images"].values()} == {"alpha"}

    photo = astronaut_jpeg()
    job_created = api.create_job(template["id"], photo)
    assert job_created.status_code == 202, job_created.text
    job = api.wait_job(job_created.json()["task_id"])
    assert job["status"] == "done", job
    assert len(job["result"]["faces"]) >= 1
    picture = requests.get(job["result"]["image_url"], timeout=30)
    assert Image.open(io.BytesIO(picture.content)).size == (512, 512)

    ranking = api.get("/faces/ranking").json()
    assert 1 <= len(ranking) <= 3  # the EXPLAIN test may have seeded busier templates
    assert set(ranking[0]) == {"id", "name", "owner_alias", "preview_url", "count"}
    worker = requests.get(stack["worker_metrics"], timeout=10).text
    assert 'igemoji_jobs_finished_total{status="done"}' in worker
    assert 'igemoji_ai_call_seconds_count{endpoint="compose"}' in worker


def test_job_survives_an_ai_server_outage(stack):
    group, api = stack["group"], Api(stack["url"])
    api.signup_and_login()
    template_id = _builtin_noto_id(api)

    ai = stack["ai"]
    group.children.remove(ai)
    group_of_ai = type(group)(children=[ai])
    group_of_ai.stop()
    try:
        task_id = api.create_job(template_id, astronaut_jpeg(0.5)).json()["task_id"]
        time.sleep(2.5)  # the worker has tried and is waiting to retry
        assert api.get(f"/faces/tasks/{task_id}").json()["status"] in ("pending", "running")
    finally:
        restarted = group.start(
            "ai_server_2", [PYTHON, "-m", "ai_server", "--host", "127.0.0.1", "--port", str(stack["ai_port"])],
            cwd=REPO, env=stack["env"],
        )
        stack["ai"] = restarted
        group.wait_http(f"http://127.0.0.1:{stack['ai_port']}/healthz", timeout=240)
    job = api.wait_job(task_id, timeout=240)
    assert job["status"] == "done", job
    worker = requests.get(stack["worker_metrics"], timeout=10).text
    assert 'igemoji_task_retries_total{task="job_process"}' in worker


def _builtin_noto_id(api: Api) -> int:
    page = 1
    while True:
        body = api.get(f"/emojis/pages/{page}").json()
        for template in body["results"]:
            if template["is_builtin"] and template["name"] == "Noto":
                return template["id"]
        assert page < body["num_pages"], "the built-in Noto template is missing"
        page += 1
