"""The one retry policy of every background task.

Transient: the database, the broker or ai_server unreachable (or ai_server
answering 5xx/429). These are retried inside the task with exponential
backoff — the task keeps its message and its lease, so nothing is published
with a countdown (kombu's filesystem transport would lose such a message with
its worker, and quorum queues have no per-message delay). Past TASK_RETRY_MAX
retries, or CELERY_TASK_SOFT_TIME_LIMIT seconds, the row is failed with a
reason a person can read.

Permanent: a bad picture, an ai_server 4xx, missing input files — the
services fail the row at once with the message. Anything else is a bug: the
row is failed ("internal error") rather than retried for ever.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from kombu.exceptions import OperationalError as BrokerError

from common import metrics
from common.ai_client import AiUnavailableError

logger = logging.getLogger(__name__)
T = TypeVar("T")
# Indirections the tests replace (never the time module itself: other threads use it).
_sleep = time.sleep
_clock = time.monotonic

TRANSIENT: tuple[type[BaseException], ...] = (
    AiUnavailableError,
    OperationalError,  # connection refused / lost, server shutting down
    InterfaceError,  # a connection that was closed under us
    BrokerError,
    ConnectionError,
    TimeoutError,
)


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT)


def backoff_delay(retries: int) -> float:
    """Seconds to wait before retry number `retries` (0-based): 2, 4, 8, … capped."""
    return float(min(settings.TASK_RETRY_BASE_SECONDS * 2**retries, settings.TASK_RETRY_MAX_DELAY))


def give_up_reason(exc: BaseException) -> str:
    if isinstance(exc, AiUnavailableError):
        return f"The AI server is unavailable: {exc}"
    if isinstance(exc, DatabaseError):
        return "The database was unavailable for too long."
    if is_transient(exc):
        return "The message broker was unavailable for too long."
    return f"Internal error ({exc.__class__.__name__}); the job was not retried."


def call_with_retries(
    fn: Callable[[], T], *, name: str, object_id: object, give_up: Callable[[str], object] | None
) -> T | None:
    """fn() until it returns; transient errors are retried with backoff. On a
    permanent error or too many retries, give_up(reason) is called (if given)
    and None returned. `name` labels logs and igemoji_task_retries_total."""
    retries = 0
    started = _clock()
    while True:
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 (classified just below)
            delay = backoff_delay(retries)
            # Bounded in count and in time (a call that times out each time is
            # slow to fail): a task never outlives CELERY_TASK_SOFT_TIME_LIMIT
            # by more than one call.
            in_time = _clock() - started + delay <= settings.CELERY_TASK_SOFT_TIME_LIMIT
            if is_transient(exc) and retries < settings.TASK_RETRY_MAX and in_time:
                retries += 1
                metrics.TASK_RETRIES.labels(task=name).inc()
                logger.warning(
                    "%s_retry id=%s retries=%s delay=%.0fs error=%r", name, object_id, retries, delay, exc
                )
                _forget_broken_connections()
                _sleep(delay)
                continue
            if is_transient(exc):
                logger.error("%s_gave_up id=%s retries=%s error=%r", name, object_id, retries, exc)
            else:
                logger.exception("%s_error id=%s", name, object_id)
            if give_up is not None:
                _give_up(give_up, give_up_reason(exc), name=name, object_id=object_id)
            return None


def _give_up(give_up: Callable[[str], object], reason: str, *, name: str, object_id: object) -> None:
    try:
        _forget_broken_connections()
        give_up(reason)
    except Exception:  # noqa: BLE001 (the database may still be down)
        # Not recorded: the row keeps its lease, which runs out, and the
        # reconciler hands it out again once the database answers.
        logger.exception("%s_give_up_failed id=%s", name, object_id)


def _forget_broken_connections() -> None:
    try:
        close_old_connections()  # a connection that failed is closed, the next query reconnects
    except DatabaseError:
        pass
