from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from common import metrics
from common.ai_client import AiUnavailableError
from emojis.tasks import retry_delay
from faces import services

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="faces.tasks.job_process", max_retries=None)
def job_process_task(self, job_id: str) -> None:
    try:
        services.job_run(job_id=job_id)
    except AiUnavailableError as exc:
        if self.request.retries >= settings.TASK_RETRY_MAX:
            services.job_mark_failed(job_id=job_id, reason=f"The AI server is unavailable: {exc}")
            return
        metrics.TASK_RETRIES.labels(task="job_process").inc()
        logger.warning("job_retry job_id=%s retries=%s error=%s", job_id, self.request.retries, exc)
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from None


@shared_task(name="faces.tasks.jobs_sweep")
def jobs_sweep() -> dict[str, int]:
    return services.jobs_sweep()
