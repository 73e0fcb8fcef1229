"""The reconciler and the backstop sweep on job rows (common/recovery.py);
the broker is replaced by a recorder of wake-up calls."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.tests.factories import JobFactory, picture_bytes, upload
from faces.models import Job
from faces.services import jobs_reconcile, jobs_sweep

pytestmark = pytest.mark.django_db


class Broker:
    def __init__(self) -> None:
        self.sent: list[str] = []
        self.up = True
        self.queue_empty: bool | None = True

    def publish(self, task_name, *args):
        if self.up:
            self.sent.append(args[0])
        return self.up


@pytest.fixture
def broker(monkeypatch):
    fake = Broker()
    monkeypatch.setattr("common.broker.publish", fake.publish)
    monkeypatch.setattr("common.broker.queue_is_empty", lambda: fake.queue_empty)
    return fake


def _set(job, **fields):
    Job.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()


def _ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def test_a_job_the_broker_never_got_is_sent_from_the_outbox(broker):
    job = JobFactory()
    _set(job, created_at=_ago(5))
    assert jobs_reconcile() == {"dispatched": 1}
    job.refresh_from_db()
    assert broker.sent == [str(job.id)] and job.dispatched_at is not None
    assert jobs_reconcile() == {}  # sent once


def test_a_brand_new_job_is_left_to_its_own_request(broker):
    JobFactory()  # created now: the request's on-commit send comes first
    assert jobs_reconcile() == {} and broker.sent == []


def test_the_outbox_waits_while_the_broker_is_down(broker):
    job = JobFactory()
    _set(job, created_at=_ago(5))
    broker.up = False
    assert jobs_reconcile() == {"unsent": 1}
    job.refresh_from_db()
    assert job.dispatched_at is None
    broker.up = True
    assert jobs_reconcile() == {"dispatched": 1}


def test_a_running_job_whose_lease_ran_out_is_handed_out_again(broker):
    job = JobFactory(status="running", attempts=1, lease_expires_at=_ago(1))
    assert jobs_reconcile() == {"requeued": 1}
    job.refresh_from_db()
    assert job.status == "pending" and job.lease_token is None and job.attempts == 1
    assert broker.sent == [str(job.id)] and job.dispatched_at is not None


def test_a_job_out_of_attempts_is_failed_with_a_reason(broker, settings):
    job = JobFactory(status="running", attempts=settings.JOB_MAX_ATTEMPTS, lease_expires_at=_ago(1))
    assert jobs_reconcile() == {"failed": 1}
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at
    assert job.error == (
        f"Stopped after {settings.JOB_MAX_ATTEMPTS} attempts: the worker stopped (crashed or timed out) during each one."
    )
    assert broker.sent == []


def test_a_live_lease_is_left_alone(broker):
    JobFactory(status="running", attempts=1, lease_expires_at=timezone.now() + timedelta(seconds=20))
    assert jobs_reconcile() == {} and broker.sent == []


def test_a_lost_wake_up_call_is_sent_again_when_the_queue_is_empty(broker, settings):
    job = JobFactory()
    _set(job, created_at=_ago(60), dispatched_at=_ago(settings.JOB_REDISPATCH_SECONDS + 1))
    broker.queue_empty = False  # messages still queued: the job is just waiting its turn
    assert jobs_reconcile() == {}
    broker.queue_empty = None  # the broker cannot tell
    assert jobs_reconcile() == {}
    broker.queue_empty = True
    assert jobs_reconcile() == {"redispatched": 1} and broker.sent == [str(job.id)]


def test_a_recent_wake_up_call_is_not_repeated(broker):
    job = JobFactory()
    _set(job, created_at=_ago(60), dispatched_at=_ago(1))
    assert jobs_reconcile() == {} and broker.sent == []


def test_the_sweep_takes_back_a_job_running_far_too_long_whatever_its_lease(broker, settings):
    job = JobFactory(
        status="running", attempts=1, started_at=_ago(settings.JOB_RUNNING_TIMEOUT + 1),
        lease_expires_at=timezone.now() + timedelta(seconds=20),
    )
    assert jobs_sweep() == {"requeued": 1}
    job.refresh_from_db()
    assert job.status == "pending" and broker.sent == [str(job.id)]


def test_the_sweep_resends_a_job_waiting_far_too_long_even_with_a_full_queue(broker, settings):
    broker.queue_empty = False
    job = JobFactory()
    _set(job, dispatched_at=_ago(settings.JOB_PENDING_TIMEOUT + 1))
    assert jobs_sweep() == {"redispatched": 1}
    assert jobs_sweep() == {}


def test_a_requeued_job_runs_to_done(monkeypatch, fake_ai):
    from faces.tasks import job_process_task

    monkeypatch.setattr("common.broker.publish", lambda name, job_id: job_process_task.apply(args=[job_id]) or True)
    job = JobFactory(status="running", attempts=1, lease_expires_at=_ago(1))
    jobs_reconcile()
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2 and job.lease_token is None


def test_broker_down_at_upload_still_accepts_the_job(auth_api, template, broker, django_capture_on_commit_callbacks):
    broker.up = False
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_api.post(
            "/api/v1/faces/tasks/",
            {"emoji_id": template.id, "image": upload("p.jpg", picture_bytes("JPEG"))},
            format="multipart",
        )
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["task_id"])
    assert job.status == "pending" and job.dispatched_at is None  # in the outbox
    broker.up = True
    _set(job, created_at=_ago(5))
    assert jobs_reconcile() == {"dispatched": 1}


def test_an_upload_with_the_broker_up_leaves_the_outbox_at_once(
    auth_api, template, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_api.post(
            "/api/v1/faces/tasks/",
            {"emoji_id": template.id, "image": upload("p.jpg", picture_bytes("JPEG"))},
            format="multipart",
        )
    job = Job.objects.get(pk=response.json()["task_id"])
    assert broker.sent == [str(job.id)] and job.dispatched_at is not None
