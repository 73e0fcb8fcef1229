from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest

from common.tests.factories import JobFactory
from faces.metrics import OLDEST_UNFINISHED, JobsCollector
from faces.models import Job

pytestmark = pytest.mark.django_db


def _age() -> float | None:
    registry = CollectorRegistry()
    registry.register(JobsCollector())
    return registry.get_sample_value(OLDEST_UNFINISHED)


def _uploaded_ago(job, seconds: float) -> None:
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=seconds))


def test_no_waiting_job_exports_zero():
    JobFactory(status="done")
    JobFactory(status="failed")
    assert _age() == 0.0


def test_age_is_that_of_the_oldest_pending_or_running_job():
    _uploaded_ago(JobFactory(status="pending"), 120)
    _uploaded_ago(JobFactory(status="running"), 900)
    _uploaded_ago(JobFactory(status="done"), 5000)  # finished jobs never count
    age = _age()
    assert 900 <= age < 960


def test_a_database_error_leaves_the_gauge_out_instead_of_failing_the_scrape(monkeypatch):
    def broken():
        raise DatabaseError("connection refused")

    monkeypatch.setattr("faces.selectors.job_oldest_unfinished_created_at", broken)
    registry = CollectorRegistry()
    registry.register(JobsCollector())
    assert OLDEST_UNFINISHED not in generate_latest(registry).decode()


@pytest.mark.django_db(transaction=True)
def test_the_web_process_exports_the_gauge_on_metrics(client):
    _uploaded_ago(JobFactory(status="pending"), 60)
    body = client.get("/metrics").content.decode()
    line = next(ln for ln in body.splitlines() if ln.startswith(OLDEST_UNFINISHED + " "))
    assert float(line.split()[1]) >= 60
