import uuid
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from common.ai_client import AiInputError, AiUnavailableError
from common.tests.factories import JobFactory
from common.tests.fake_ai import fake_face
from faces.models import Face, Job
from faces.tasks import job_process_task

pytestmark = pytest.mark.django_db


def test_task_stores_result_and_faces(fake_ai):
    fake_ai.faces = [fake_face((1, 2, 3, 4), "sad"), fake_face((5, 6, 7, 8), "angry")]
    job = JobFactory()
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "done" and job.started_at and job.finished_at and job.result_image
    assert [(f.index, f.emotion, f.x, f.h) for f in job.faces.all()] == [(0, "sad", 1, 4), (1, "angry", 5, 8)]


def test_photo_without_faces_is_done_with_a_message(fake_ai):
    fake_ai.faces = []
    job = JobFactory()
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "done" and job.message == "No face found in this photo."


def test_redelivered_task_for_finished_job_does_nothing(fake_ai):
    job = JobFactory()
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    finished_at = job.finished_at
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert fake_ai.calls.count("compose") == 1
    assert job.finished_at == finished_at
    assert Face.objects.filter(job=job).count() == 1


def test_a_job_handed_out_again_replaces_its_faces_not_duplicates(fake_ai):
    job = JobFactory(status="running", attempts=1)  # its worker died before writing "done"
    Face.objects.create(job=job, index=0, x=0, y=0, w=1, h=1, emotion="sad", scores={})
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2
    assert [f.emotion for f in job.faces.all()] == ["happy"]


def test_ai_4xx_fails_job_with_its_message(fake_ai):
    fake_ai.fail_with = AiInputError("The picture is damaged.")
    job = JobFactory()
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "The picture is damaged."
    assert fake_ai.calls.count("compose") == 1  # no retry


@pytest.fixture
def sleeps(monkeypatch):
    waited: list[float] = []
    monkeypatch.setattr("common.retry._sleep", waited.append)
    return waited


def test_ai_down_retries_with_backoff_then_fails(fake_ai, settings, sleeps):
    settings.TASK_RETRY_MAX = 5
    settings.TASK_RETRY_BASE_SECONDS = 2
    settings.TASK_RETRY_MAX_DELAY = 15
    fake_ai.fail_with = AiUnavailableError("503")
    job = JobFactory()
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "failed" and job.error.startswith("The AI server is unavailable")
    assert fake_ai.calls.count("compose") == 6
    assert sleeps == [2, 4, 8, 15, 15]
    assert job.attempts == 1  # retries inside one start do not spend the attempt budget


def test_ai_recovers_during_retries(fake_ai, monkeypatch, sleeps):
    job = JobFactory()
    original = fake_ai.compose
    attempts = []

    def flaky(self, **kwargs):
        attempts.append(1)
        if len(attempts) < 3:
            raise AiUnavailableError("connection refused")
        return original(self, **kwargs)

    monkeypatch.setattr(fake_ai, "compose", flaky)
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "done" and len(attempts) == 3


def test_missing_input_file_fails_job():
    job = JobFactory()
    job.input_image.delete(save=False)
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "failed" and "missing" in job.error


def test_unknown_job_id_is_ignored():
    job_process_task.apply(args=["00000000-0000-0000-0000-000000000000"])


def test_database_error_while_finishing_is_retried(fake_ai, monkeypatch, sleeps):
    from faces import services

    real = services._finish
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("connection refused")
        return real(**kwargs)

    monkeypatch.setattr(services, "_finish", flaky)
    job = JobFactory()
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "done" and len(calls) == 2 and len(sleeps) == 1


def test_database_down_at_the_start_is_retried(fake_ai, monkeypatch, sleeps):
    from common import recovery

    real = recovery.claim
    calls = []

    def flaky(work, pk):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("the database system is starting up")
        return real(work, pk)

    monkeypatch.setattr(recovery, "claim", flaky)
    job = JobFactory()
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "done" and len(sleeps) == 2


def test_an_unexpected_error_fails_the_job_with_a_reason(fake_ai):
    fake_ai.fail_with = ZeroDivisionError("a bug")
    job = JobFactory()
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "failed" and job.error.startswith("Internal error (ZeroDivisionError)")
    assert fake_ai.calls.count("compose") == 1


def test_a_job_out_of_attempts_is_failed_not_run(fake_ai, settings):
    job = JobFactory(status="running", attempts=settings.JOB_MAX_ATTEMPTS)  # its last worker died too
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error.startswith(f"Stopped after {settings.JOB_MAX_ATTEMPTS} attempts")
    assert fake_ai.calls == []


def test_a_job_held_by_a_live_lease_is_left_to_its_holder(fake_ai):
    job = JobFactory(
        status="running", attempts=1, lease_token=uuid.uuid4(), lease_expires_at=timezone.now() + timedelta(seconds=30)
    )
    job_process_task.apply(args=[str(job.id)])  # a duplicate or redelivered wake-up call
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1 and fake_ai.calls == []


def test_a_worker_that_lost_its_lease_writes_nothing(fake_ai):
    from common import recovery
    from faces.services import job_run
    from faces.work import JOB_WORK

    job = JobFactory()
    stale = recovery.claim(JOB_WORK, job.id)
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    recovery.reconcile(JOB_WORK)  # hands it out again (the wake-up call goes nowhere here)
    current = recovery.claim(JOB_WORK, job.id)
    assert current and current != stale
    assert job_run(job_id=job.id, token=stale) is None
    job.refresh_from_db()
    assert job.status == "running" and job.lease_token == current and not job.result_image
    assert job_run(job_id=job.id, token=current).status == "done"


def test_the_lease_keeper_renews_only_leases_still_held():
    from common import recovery
    from common.leases import LeaseKeeper
    from faces.work import JOB_WORK

    mine, lost = JobFactory(), JobFactory()
    keeper = LeaseKeeper()
    tokens = {job.pk: recovery.claim(JOB_WORK, job.pk) for job in (mine, lost)}
    soon = timezone.now() + timedelta(seconds=1)
    Job.objects.update(lease_expires_at=soon)
    Job.objects.filter(pk=lost.pk).update(lease_token=uuid.uuid4())  # handed out to another worker
    with keeper.hold(Job, mine.pk, tokens[mine.pk]), keeper.hold(Job, lost.pk, tokens[lost.pk]):
        assert keeper.renew() == 1
    assert keeper.held() == {}
    mine.refresh_from_db()
    lost.refresh_from_db()
    assert mine.lease_expires_at > soon + timedelta(seconds=20) and lost.lease_expires_at == soon


def test_jobs_compose_by_the_content_key_and_read_the_cutouts_only_when_needed(fake_ai, monkeypatch):
    from common.ai_client import EMOTIONS, template_key
    from faces import services

    services._TEMPLATE_KEYS.clear()
    template = JobFactory().template
    images = {i.emotion: i for i in template.images.all()}
    cutouts = {e: images[e].cutout or images[e].original for e in EMOTIONS}
    stored = {e: services._read(cutouts[e]) for e in EMOTIONS}
    reads = []
    real_read = services._read
    monkeypatch.setattr(services, "_read", lambda f: (reads.append(f.name), real_read(f))[1])
    cutout_reads = []
    for _ in range(3):
        reads.clear()
        job_process_task.apply(args=[str(JobFactory(template=template).id)])
        cutout_reads.append(sum(name in {c.name for c in cutouts.values()} for name in reads))
    assert fake_ai.template_keys == [template_key(stored)] * 3
    # Job 1: hashed once, then sent once (the fake ai_server did not hold them); then never again.
    assert cutout_reads == [2 * len(EMOTIONS), 0, 0]
