"""Face jobs as recoverable work (common/recovery.py): pending → running →
done | failed, handed out by the database."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q

from common.recovery import Work
from faces import metrics
from faces.models import Job, JobStatus


def _on_start(job: Job, now: datetime) -> None:
    job.status = JobStatus.RUNNING


def _on_requeue(job: Job) -> None:
    job.status = JobStatus.PENDING


def _on_fail(job: Job, reason: str, now: datetime) -> None:
    job.status = JobStatus.FAILED
    job.error = reason
    job.finished_at = now
    transaction.on_commit(lambda: metrics.JOBS_FINISHED.labels(status="failed").inc())


JOB_WORK = Work(
    name="job",
    model=Job,
    task="faces.tasks.job_process",
    waiting=Q(status=JobStatus.PENDING),
    running=Q(status=JobStatus.RUNNING),
    on_start=_on_start,
    on_requeue=_on_requeue,
    on_fail=_on_fail,
)
