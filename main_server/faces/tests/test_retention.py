"""Photos expire: DATA_RETENTION_DAYS after upload the photo and result are deleted."""

import os
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from common.tests.factories import JobFactory
from faces.models import Face, Job, ShareLink
from faces.services import jobs_expire
from faces.tasks import jobs_expire as jobs_expire_task
from faces.tests.helpers import run

pytestmark = pytest.mark.django_db


def _age(job, days: float) -> None:
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days))


def _files(job) -> list[str]:
    return [job.input_image.name, job.result_image.name]


def test_a_job_past_the_retention_period_loses_its_files_and_is_expired(auth_api, done_job, settings):
    settings.DATA_RETENTION_DAYS = 30
    files = _files(done_job)
    assert all(default_storage.exists(name) for name in files)
    auth_api.post(f"/api/v1/faces/tasks/{done_job.id}/share")
    _age(done_job, 30.1)
    assert jobs_expire() == {"expired": 1}
    done_job.refresh_from_db()
    assert done_job.status == "expired" and done_job.expired_at is not None
    assert not done_job.input_image and not done_job.result_image
    assert not any(default_storage.exists(name) for name in files)
    assert not Face.objects.filter(job=done_job).exists() and not ShareLink.objects.exists()


def test_younger_jobs_and_unfinished_ones_are_kept(done_job, user, template, settings):
    settings.DATA_RETENTION_DAYS = 30
    _age(done_job, 29.9)
    running = JobFactory(owner=user, template=template, status="running")
    _age(running, 400)  # the reconciler's business, not retention's
    assert jobs_expire() == {"expired": 0}
    done_job.refresh_from_db()
    assert done_job.status == "done" and all(default_storage.exists(n) for n in _files(done_job))


def test_failed_jobs_expire_too(user, template, fake_ai, settings):
    from common.ai_client import AiInputError

    fake_ai.fail_with = AiInputError("no")
    job = JobFactory(owner=user, template=template)
    run(job)
    assert job.status == "failed"
    photo = job.input_image.name
    assert default_storage.exists(photo)
    _age(job, 31)
    jobs_expire()
    job.refresh_from_db()
    assert job.status == "expired" and not default_storage.exists(photo)


def test_zero_days_keeps_everything(done_job, settings):
    settings.DATA_RETENTION_DAYS = 0
    _age(done_job, 10_000)
    assert jobs_expire() == {"expired": 0}
    done_job.refresh_from_db()
    assert done_job.status == "done"


def test_expiring_twice_changes_nothing_more(done_job, settings):
    _age(done_job, 31)
    jobs_expire_task.apply()
    first = Job.objects.values().get(pk=done_job.pk)
    assert jobs_expire() == {"expired": 0}
    assert Job.objects.values().get(pk=done_job.pk) == first


def test_many_jobs_expire_in_batches(user, template, settings):
    jobs = [JobFactory(owner=user, template=template, status="done") for _ in range(5)]
    for job in jobs:
        _age(job, 40)
    assert jobs_expire(batch_size=2) == {"expired": 5}
    assert set(Job.objects.values_list("status", flat=True)) == {"expired"}


def test_a_storage_failure_keeps_the_rows_to_expire_later(done_job, monkeypatch):
    _age(done_job, 31)

    def broken(name):
        raise OSError("disk gone")

    monkeypatch.setattr(default_storage, "delete", broken)
    with pytest.raises(OSError):
        jobs_expire()
    done_job.refresh_from_db()
    assert done_job.status == "done" and done_job.input_image  # nothing half-done in the database
    monkeypatch.undo()
    assert jobs_expire() == {"expired": 1}
    assert not any(default_storage.exists(n) for n in _files(done_job))


def test_my_page_says_a_result_expired(auth_api, done_job):
    _age(done_job, 31)
    jobs_expire()
    (item,) = auth_api.get("/api/v1/users/mypage/result").json()["results"]
    assert item["status"] == "expired" and item["result"] is None and item["input_url"] is None
    assert item["expired_at"] and item["template"]["name"] == done_job.template.name


def test_media_links_of_an_expired_result_are_404(auth_api, done_job):
    detail = auth_api.get(f"/api/v1/faces/tasks/{done_job.id}").json()
    _age(done_job, 31)
    jobs_expire()
    assert auth_api.get(detail["result"]["image_url"]).status_code == 404
    assert auth_api.get(detail["input_url"]).status_code == 404


def test_the_job_folder_goes_with_its_files(done_job):
    folder = os.path.dirname(default_storage.path(done_job.input_image.name))
    assert os.path.isdir(folder)
    _age(done_job, 31)
    jobs_expire()
    assert not os.path.exists(folder)
