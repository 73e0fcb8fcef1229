"""The faces app's metrics (names: docs/metrics.md).

Worker side: jobs finished, their latency and faces by emotion, in the
worker's registry. Web side: job rows by status, the backlog and the age of the
oldest job not done yet, read from the database at scrape time, so every
gunicorn worker gives the same answer. Registered by FacesConfig.ready()."""

from __future__ import annotations

import logging

from django.utils import timezone
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

from common.emotions import EMOTIONS
from common.metrics import TASK_RETRIES, WORKER_REGISTRY, register_web_collector

logger = logging.getLogger(__name__)

JOBS_FINISHED = Counter(
    "igemoji_jobs_finished", "Jobs finished by this worker", ["status"], registry=WORKER_REGISTRY
)
JOB_LATENCY = Histogram(
    "igemoji_job_latency_seconds",
    "Job latency from enqueue (job created) to done",
    buckets=(0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60, 120, 300, 600),
    registry=WORKER_REGISTRY,
)
JOB_FACES = Counter(
    "igemoji_job_faces", "Faces in finished jobs", ["emotion"], registry=WORKER_REGISTRY
)

# Labelled series exist at 0 from the start: rate() then counts the first
# event, and the failure-rate alert has a `failed` series to divide.
for _status in ("done", "failed"):
    JOBS_FINISHED.labels(status=_status)
for _emotion in EMOTIONS:
    JOB_FACES.labels(emotion=_emotion)
TASK_RETRIES.labels(task="job_process")


OLDEST_UNFINISHED = "igemoji_oldest_unfinished_job_age_seconds"


class JobsCollector:
    """igemoji_jobs{status}, igemoji_jobs_backlog and how long the oldest job not
    done yet (pending or running) has waited since its upload — 0 when none
    waits, so the series always exists (the JobsStuck alert)."""

    def describe(self):
        # Registering must not query the database (it runs at start-up).
        return []

    def collect(self):
        from faces.selectors import job_counts_by_status, job_oldest_unfinished_created_at

        try:
            jobs = job_counts_by_status()
            oldest = job_oldest_unfinished_created_at()
        except Exception:  # a scrape must not fail because the DB blinked
            logger.warning("metrics: database unavailable", exc_info=True)
            return
        gauge = GaugeMetricFamily("igemoji_jobs", "Job rows by status", labels=["status"])
        for status, count in jobs.items():
            gauge.add_metric([status], count)
        yield gauge
        yield GaugeMetricFamily(
            "igemoji_jobs_backlog",
            "Jobs pending or running",
            value=jobs.get("pending", 0) + jobs.get("running", 0),
        )
        age = 0.0 if oldest is None else (timezone.now() - oldest).total_seconds()
        yield GaugeMetricFamily(
            OLDEST_UNFINISHED,
            "Seconds since the upload of the oldest job not done yet (pending or running); 0 when none",
            value=max(age, 0.0),
        )


def register() -> None:
    register_web_collector(JobsCollector())
