"""Metric names are the contract in docs/metrics.md.

Worker metrics live in their own registry, exported by the worker on
WORKER_METRICS_PORT; the web process exports django-prometheus plus gauges
counted from the database at scrape time (so every gunicorn worker agrees)."""

from __future__ import annotations

import logging
import threading

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.process_collector import ProcessCollector

logger = logging.getLogger(__name__)

WORKER_REGISTRY = CollectorRegistry(auto_describe=True)

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
TASK_RETRIES = Counter(
    "igemoji_task_retries", "Task retries (AI server down / 5xx)", ["task"], registry=WORKER_REGISTRY
)
AI_CALL_SECONDS = Histogram(
    "igemoji_ai_call_seconds",
    "Worker to ai_server call latency",
    ["endpoint"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120),
    registry=WORKER_REGISTRY,
)

def _init_worker_series() -> None:
    """Labelled series exist at 0 from the start: rate() then counts the first
    event, and the failure-rate alert has a `failed` series to divide."""
    from common.ai_client import EMOTIONS

    for status in ("done", "failed"):
        JOBS_FINISHED.labels(status=status)
    for task in ("job_process", "template_process"):
        TASK_RETRIES.labels(task=task)
    for emotion in EMOTIONS:
        JOB_FACES.labels(emotion=emotion)


_server_lock = threading.Lock()
_server_started = False


def start_worker_metrics_server(port: int) -> None:
    global _server_started
    with _server_lock:
        if _server_started:
            return
        ProcessCollector(registry=WORKER_REGISTRY)
        _init_worker_series()
        start_http_server(port, registry=WORKER_REGISTRY)
        _server_started = True
        logger.info("worker metrics on port %s", port)


class DatabaseCollector:
    """igemoji_jobs{status}, igemoji_jobs_backlog, igemoji_templates{status}."""

    def describe(self):
        # Registering must not query the database (it runs at import time).
        return []

    def collect(self):
        from emojis.selectors import template_counts_by_status
        from faces.selectors import job_counts_by_status

        try:
            jobs = job_counts_by_status()
            templates = template_counts_by_status()
        except Exception:  # a scrape must not fail because the DB blinked
            logger.warning("metrics: database unavailable", exc_info=True)
            return
        g = GaugeMetricFamily("igemoji_jobs", "Job rows by status", labels=["status"])
        for status, count in jobs.items():
            g.add_metric([status], count)
        yield g
        yield GaugeMetricFamily(
            "igemoji_jobs_backlog",
            "Jobs pending or running",
            value=jobs.get("pending", 0) + jobs.get("running", 0),
        )
        t = GaugeMetricFamily("igemoji_templates", "Active templates by status", labels=["status"])
        for status, count in templates.items():
            t.add_metric([status], count)
        yield t


_collector_registered = False


def register_db_collector() -> None:
    global _collector_registered
    if not _collector_registered:
        REGISTRY.register(DatabaseCollector())
        _collector_registered = True
