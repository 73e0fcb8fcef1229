"""The retry policy every task that calls ai_server shares: the AI server down or
answering 5xx → retry with exponential backoff; past TASK_RETRY_MAX → mark the
object failed with a reason (never left stuck)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings

from common import metrics
from common.ai_client import AiUnavailableError

logger = logging.getLogger(__name__)


def retry_delay(retries: int) -> int:
    return min(settings.TASK_RETRY_BASE_SECONDS * 2**retries, settings.TASK_RETRY_MAX_DELAY)


def run_with_ai_retry(
    task, *, name: str, object_id: object, run: Callable[[], None], mark_failed: Callable[[str], None]
) -> None:
    """Run `run()` inside the bound Celery `task`; `name` labels logs and metrics."""
    try:
        run()
    except AiUnavailableError as exc:
        retries = task.request.retries
        if retries >= settings.TASK_RETRY_MAX:
            mark_failed(f"The AI server is unavailable: {exc}")
            return
        metrics.TASK_RETRIES.labels(task=name).inc()
        logger.warning("%s_retry id=%s retries=%s error=%s", name, object_id, retries, exc)
        raise task.retry(exc=exc, countdown=retry_delay(retries)) from None
