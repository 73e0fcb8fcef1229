import pytest

from common.ai_client import AiInputError, AiUnavailableError
from common.testing import fake_face
from common.tests.factories import JobFactory
from faces.models import Face
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


def test_rerun_of_a_running_job_replaces_faces_not_duplicates(fake_ai):
    from faces.services import job_run

    job = JobFactory(status="running")
    job_run(job_id=job.id)
    assert Face.objects.filter(job=job).count() == 1


def test_ai_4xx_fails_job_with_its_message(fake_ai):
    fake_ai.fail_with = AiInputError("The picture is damaged.")
    job = JobFactory()
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "The picture is damaged."
    assert fake_ai.calls.count("compose") == 1  # no retry


def test_ai_down_retries_with_backoff_then_fails(fake_ai, settings, monkeypatch):
    settings.TASK_RETRY_MAX = 3
    delays = []
    from common import tasks as common_tasks

    real = common_tasks.retry_delay
    monkeypatch.setattr("common.tasks.retry_delay", lambda n: delays.append(real(n)) or 0)
    settings.TASK_RETRY_BASE_SECONDS = 2
    fake_ai.fail_with = AiUnavailableError("503")
    job = JobFactory()
    job_process_task.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert job.status == "failed" and "unavailable" in job.error
    assert fake_ai.calls.count("compose") == 4
    assert delays == [2, 4, 8]


def test_ai_recovers_during_retries(fake_ai, settings, monkeypatch):
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
