"""Talking to the broker without ever blocking a user or losing a job.

`publish` makes one attempt and never raises: a job whose wake-up call did not
reach the broker stays in the outbox (dispatched_at NULL) and the reconciler
sends it later. After a failure the process stops trying for a few seconds, so
while the broker is down a request does not wait on a connect per upload.
"""

from __future__ import annotations

import logging
import threading
import time

from celery import current_app
from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_down_until = 0.0


def publish(task_name: str, *args: object) -> bool:
    """Send `task_name(*args)` once; True if the broker took it."""
    global _down_until
    with _lock:
        if time.monotonic() < _down_until:
            return False
    try:
        current_app.send_task(task_name, args=list(args), retry=False)
    except Exception as exc:  # noqa: BLE001 (any failure: the outbox keeps the row)
        with _lock:
            _down_until = time.monotonic() + settings.BROKER_PUBLISH_BACKOFF_SECONDS
        logger.warning("broker_publish_failed task=%s args=%s error=%r", task_name, args, exc)
        return False
    return True


def reset_backoff() -> None:
    global _down_until
    with _lock:
        _down_until = 0.0


def queue_is_empty(queue: str | None = None) -> bool | None:
    """Whether the job queue holds no message ready for a worker; None when
    the broker cannot tell (down). Works on RabbitMQ and kombu's filesystem
    transport alike (a passive declare reports the ready count)."""
    name = queue or settings.CELERY_TASK_DEFAULT_QUEUE
    try:
        with current_app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
            declared = conn.default_channel.queue_declare(queue=name, passive=True)
    except Exception as exc:  # noqa: BLE001 (not declared yet, or the broker is down)
        logger.info("broker_queue_unknown queue=%s error=%r", name, exc)
        return None
    return declared.message_count == 0
