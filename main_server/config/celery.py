"""The Celery app: `celery -A config worker`. Settings come from Django (CELERY_*)."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.django.base")

app = Celery("igemoji")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _start_worker_metrics(**_kwargs) -> None:
    # Workers run with --pool=threads, so one process holds every metric and a
    # single HTTP server on WORKER_METRICS_PORT exports them all.
    from django.conf import settings

    from common.metrics import start_worker_metrics_server

    if settings.WORKER_METRICS_PORT:
        start_worker_metrics_server(settings.WORKER_METRICS_PORT)
