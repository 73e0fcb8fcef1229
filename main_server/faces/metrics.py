"""The faces app's own Prometheus collector (docs/metrics.md), registered by
FacesConfig.ready() in the web process's default registry.

igemoji_oldest_unfinished_job_age_seconds: how long the oldest job that is not
done yet (pending or running) has waited since its upload, read from the database
at scrape time. 0 when no job waits, so the series always exists (JobsStuck)."""

from __future__ import annotations

import logging
import threading

from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

OLDEST_UNFINISHED = "igemoji_oldest_unfinished_job_age_seconds"


class OldestUnfinishedJobCollector:
    def describe(self):
        # Registering must not query the database (it runs while apps load).
        return []

    def collect(self):
        from faces.selectors import job_oldest_unfinished_created_at

        try:
            created_at = job_oldest_unfinished_created_at()
        except Exception:  # a scrape must not fail because the DB blinked
            logger.warning("metrics: database unavailable", exc_info=True)
            return
        age = 0.0 if created_at is None else (timezone.now() - created_at).total_seconds()
        yield GaugeMetricFamily(
            OLDEST_UNFINISHED,
            "Seconds since the upload of the oldest job not done yet (pending or running); 0 when none",
            value=max(age, 0.0),
        )


_lock = threading.Lock()
_registered: set[int] = set()


def register_collectors(registry: CollectorRegistry = REGISTRY) -> None:
    """Idempotent: ready() may run more than once (tests, management commands)."""
    with _lock:
        if id(registry) in _registered:
            return
        registry.register(OldestUnfinishedJobCollector())
        _registered.add(id(registry))
