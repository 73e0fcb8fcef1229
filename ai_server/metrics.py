"""Prometheus metrics, exactly the ``ai_*`` names of docs/metrics.md.

Under gunicorn every worker writes its samples to PROMETHEUS_MULTIPROC_DIR (set by
``python -m ai_server`` before any worker starts) and /metrics merges them. Without
that variable (tests, the CLI) the normal in-process registry is used.
"""

from __future__ import annotations

import os
import resource

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import multiprocess as prom_multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

_STAGE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter("ai_requests", "Requests answered", ["endpoint", "status"])
STAGE_SECONDS = Histogram("ai_stage_seconds", "Per-stage latency", ["stage"], buckets=_STAGE_BUCKETS)
REQUEST_SECONDS = Histogram("ai_request_seconds", "Whole-request latency", ["endpoint"], buckets=_STAGE_BUCKETS)
FACES = Counter("ai_faces", "Faces classified, by dominant emotion", ["emotion"])
MODEL_LOAD_SECONDS = Gauge(
    "ai_model_load_seconds", "Time to load each model in a worker process", ["model"], multiprocess_mode="max"
)
# In multiprocess mode "liveall" adds the pid label itself (and drops dead workers);
# in a single process the label is set explicitly, so the series look the same.
RSS_BYTES = Gauge(
    "ai_process_resident_memory_bytes",
    "RSS of each worker process",
    [] if MULTIPROCESS else ["pid"],
    multiprocess_mode="liveall",
)

_PAGE_SIZE = resource.getpagesize()


def init_series(endpoints: tuple[str, ...]) -> None:
    """Create the labelled series at 0 when a worker starts, so rate() counts the
    first request and face (a series born at 1 hides its first event)."""
    from ai_server.classifiers.base import EMOTIONS

    for endpoint in endpoints:
        REQUESTS.labels(endpoint=endpoint, status="200")
    for emotion in EMOTIONS:
        FACES.labels(emotion=emotion)


def rss_bytes() -> int:
    """Current resident set size (not the peak that getrusage reports)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * _PAGE_SIZE
    except OSError:  # not Linux: fall back to the peak
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def update_memory() -> None:
    if MULTIPROCESS:
        RSS_BYTES.set(rss_bytes())
    else:
        RSS_BYTES.labels(pid=str(os.getpid())).set(rss_bytes())


def render() -> tuple[bytes, str]:
    update_memory()
    if MULTIPROCESS:
        registry = CollectorRegistry()
        prom_multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
