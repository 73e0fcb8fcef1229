from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from common import metrics
from common.ai_client import AiUnavailableError
from emojis import services

logger = logging.getLogger(__name__)


def retry_delay(retries: int) -> int:
    return min(settings.TASK_RETRY_BASE_SECONDS * 2**retries, settings.TASK_RETRY_MAX_DELAY)


@shared_task(bind=True, name="emojis.tasks.template_process", max_retries=None)
def template_process_task(self, template_id: int) -> None:
    try:
        services.template_process(template_id=template_id)
    except AiUnavailableError as exc:
        if self.request.retries >= settings.TASK_RETRY_MAX:
            services.template_mark_failed(
                template_id=template_id, reason=f"The AI server is unavailable: {exc}"
            )
            return
        metrics.TASK_RETRIES.labels(task="template_process").inc()
        logger.warning("template_retry template_id=%s retries=%s error=%s", template_id, self.request.retries, exc)
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from None


@shared_task(name="emojis.tasks.templates_sweep")
def templates_sweep() -> dict[str, int]:
    return services.templates_sweep()
