from __future__ import annotations

from celery import shared_task

from common.tasks import run_with_ai_retry
from faces import services


@shared_task(bind=True, name="faces.tasks.job_process", max_retries=None)
def job_process_task(self, job_id: str) -> None:
    run_with_ai_retry(
        self,
        name="job_process",
        object_id=job_id,
        run=lambda: services.job_run(job_id=job_id),
        mark_failed=lambda reason: services.job_mark_failed(job_id=job_id, reason=reason),
    )


@shared_task(name="faces.tasks.jobs_sweep")
def jobs_sweep() -> dict[str, int]:
    return services.jobs_sweep()


@shared_task(name="faces.tasks.jobs_expire")
def jobs_expire() -> dict[str, int]:
    """Photos past DATA_RETENTION_DAYS go (idempotent: expired rows are not picked again)."""
    return services.jobs_expire()
