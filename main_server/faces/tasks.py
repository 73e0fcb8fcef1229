from __future__ import annotations

from celery import shared_task

from common.tasks import run_leased
from faces import services
from faces.work import JOB_WORK


@shared_task(name="faces.tasks.job_process")
def job_process_task(job_id: str) -> None:
    run_leased(JOB_WORK, job_id, task_name="job_process", run=lambda token: services.job_run(job_id=job_id, token=token))


@shared_task(name="faces.tasks.jobs_reconcile")
def jobs_reconcile() -> dict[str, int]:
    return services.jobs_reconcile()


@shared_task(name="faces.tasks.jobs_sweep")
def jobs_sweep() -> dict[str, int]:
    return services.jobs_sweep()


@shared_task(name="faces.tasks.jobs_expire")
def jobs_expire() -> dict[str, int]:
    """Photos past DATA_RETENTION_DAYS go (idempotent: expired rows are not picked again)."""
    return services.jobs_expire()
