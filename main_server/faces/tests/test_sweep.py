from datetime import timedelta

import pytest
from django.utils import timezone

from common.tests.factories import JobFactory
from faces.models import Job
from faces.services import jobs_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued(monkeypatch):
    sent = []
    monkeypatch.setattr("faces.tasks.job_process_task.delay", lambda job_id: sent.append(job_id))
    return sent


def _age(job, **fields):
    Job.objects.filter(pk=job.pk).update(**fields)


def test_sweep_requeues_job_stuck_running(enqueued, settings):
    job = JobFactory(status="running", attempts=1)
    _age(job, started_at=timezone.now() - timedelta(seconds=settings.JOB_RUNNING_TIMEOUT + 5))
    assert jobs_sweep() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == "pending" and enqueued == [str(job.id)]
    assert jobs_sweep() == {"requeued": 0, "failed": 0}  # not requeued again at once


def test_sweep_requeues_lost_pending_job(enqueued, settings):
    job = JobFactory()
    _age(job, created_at=timezone.now() - timedelta(seconds=settings.JOB_PENDING_TIMEOUT + 5))
    assert jobs_sweep()["requeued"] == 1


def test_sweep_leaves_fresh_jobs_alone(enqueued):
    JobFactory()
    JobFactory(status="running", started_at=timezone.now())
    assert jobs_sweep() == {"requeued": 0, "failed": 0}


def test_sweep_fails_job_after_max_attempts(enqueued, settings):
    job = JobFactory(status="running", attempts=settings.JOB_MAX_ATTEMPTS)
    _age(job, started_at=timezone.now() - timedelta(seconds=settings.JOB_RUNNING_TIMEOUT + 5))
    assert jobs_sweep() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == "failed" and "Gave up" in job.error and enqueued == []


def test_sweep_requeued_job_runs_to_done(settings, monkeypatch):
    from faces.tasks import job_process_task

    monkeypatch.setattr("faces.tasks.job_process_task.delay", lambda job_id: job_process_task.apply(args=[job_id]))
    job = JobFactory(status="running", attempts=1)
    _age(job, started_at=timezone.now() - timedelta(seconds=settings.JOB_RUNNING_TIMEOUT + 5))
    jobs_sweep()
    job.refresh_from_db()
    assert job.status == "done"


def test_broker_down_at_enqueue_keeps_the_job_pending_for_the_sweep(auth_api, template, monkeypatch, settings):
    from common.tests.factories import picture_bytes, upload

    def broker_down(job_id):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr("faces.tasks.job_process_task.delay", broker_down)
    response = auth_api.post(
        "/api/v1/faces/tasks/", {"emoji_id": template.id, "image": upload("p.jpg", picture_bytes("JPEG"))},
        format="multipart",
    )
    # pytest-django runs on_commit callbacks only when captured; run them here.
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["task_id"])
    from faces.services import job_enqueue

    job_enqueue(job_id=job.id)  # logs, does not raise
    job.refresh_from_db()
    assert job.status == "pending"
