"""The Celery app: `celery -A config worker`. Settings come from Django (CELERY_*)."""

import logging
import os

from celery import Celery
from celery.signals import worker_init, worker_ready
from celery.worker.consumer import Consumer as _Consumer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.base")

logger = logging.getLogger(__name__)

app = Celery("igemoji")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class Consumer(_Consumer):
    """Celery's consumer without native delayed delivery: with quorum queues it
    would declare 28 broker-wide exchanges and queues for countdown messages,
    and no task here is ever published with a countdown."""

    class Blueprint(_Consumer.Blueprint):
        default_steps = [s for s in _Consumer.Blueprint.default_steps if not s.endswith(":DelayedDelivery")]


@worker_init.connect
def _start_worker_metrics(**_kwargs) -> None:
    # Workers run with --pool=threads, so one process holds every metric and a
    # single HTTP server on WORKER_METRICS_PORT exports them all.
    from django.conf import settings

    from common.metrics import start_worker_metrics_server

    if settings.WORKER_METRICS_PORT:
        start_worker_metrics_server(settings.WORKER_METRICS_PORT)


@worker_ready.connect
def _declare_dead_letter_queue(sender=None, **_kwargs) -> None:
    """The queues name DEAD_LETTER_QUEUE as where RabbitMQ parks a message past
    its delivery limit; no worker consumes it, so a worker declares it here."""
    from django.conf import settings
    from kombu import Queue

    if settings.DEAD_LETTER_QUEUE_ARGUMENTS is None:
        return
    queue = Queue(settings.DEAD_LETTER_QUEUE, queue_arguments=settings.DEAD_LETTER_QUEUE_ARGUMENTS)
    try:
        with app.connection_for_write() as conn:
            queue(conn.default_channel).declare()
    except Exception:  # noqa: BLE001 (the next worker start declares it)
        logger.exception("dead_letter_queue_declare_failed queue=%s", settings.DEAD_LETTER_QUEUE)
