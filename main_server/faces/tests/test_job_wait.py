"""GET /faces/tasks/{id}?wait=N: a long-poll that answers the moment the job is
finished. The worker finishing is injected where the view sleeps between reads."""

import time

import pytest
from django.utils import timezone

from common.tests.factories import JobFactory
from faces import selectors
from faces.models import Job

pytestmark = pytest.mark.django_db


def _finish_during_first_sleep(monkeypatch, job, status="done"):
    sleeps = []
    real_sleep = time.sleep

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 1:  # a worker writes the outcome while the request waits
            Job.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), error="boom")
        real_sleep(seconds)

    monkeypatch.setattr(selectors.time, "sleep", sleep)
    return sleeps


@pytest.mark.parametrize("status", ["done", "failed"])
def test_wait_answers_as_soon_as_the_job_is_finished(auth_api, user, monkeypatch, status):
    job = JobFactory(owner=user)
    sleeps = _finish_during_first_sleep(monkeypatch, job, status)
    started = time.monotonic()
    body = auth_api.get(f"/api/v1/faces/tasks/{job.id}?wait=10").json()
    assert body["status"] == status
    assert len(sleeps) == 1 and time.monotonic() - started < 2  # not the whole 10 s


def test_wait_gives_up_after_its_seconds_with_the_job_as_it_is(auth_api, user):
    job = JobFactory(owner=user)
    started = time.monotonic()
    body = auth_api.get(f"/api/v1/faces/tasks/{job.id}?wait=0.3").json()
    elapsed = time.monotonic() - started
    assert body["status"] == "pending" and 0.3 <= elapsed < 2


def test_a_finished_job_is_answered_without_waiting(auth_api, user, monkeypatch):
    job = JobFactory(owner=user, status="done", finished_at=timezone.now())
    monkeypatch.setattr(selectors.time, "sleep", lambda s: pytest.fail("slept"))
    assert auth_api.get(f"/api/v1/faces/tasks/{job.id}?wait=20").json()["status"] == "done"


@pytest.mark.parametrize("wait", ["abc", "-1", "21", "nan"])
def test_a_bad_wait_is_a_400(auth_api, user, wait):
    job = JobFactory(owner=user)
    response = auth_api.get(f"/api/v1/faces/tasks/{job.id}?wait={wait}")
    assert response.status_code == 400 and response.json()["error"]["code"] == "validation_error"


def test_waiting_on_someone_elses_job_is_404_at_once(other_api, user):
    job = JobFactory(owner=user)
    started = time.monotonic()
    assert other_api.get(f"/api/v1/faces/tasks/{job.id}?wait=5").status_code == 404
    assert time.monotonic() - started < 2


def test_the_schema_documents_the_wait_parameter(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    (operation,) = [op["get"] for path, op in schema["paths"].items() if path.rstrip("/").endswith("{task_id}") and "get" in op]
    assert any(p["name"] == "wait" and p["in"] == "query" for p in operation["parameters"])
