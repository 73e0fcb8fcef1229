"""Metric names are the contract in docs/metrics.md.

Only what more than one app shares lives here: the worker's registry (exported
by the worker on WORKER_METRICS_PORT), the AI call latency and the task retry
counter. Each app defines and registers its own metrics in its `metrics.py`
(faces/metrics.py, emojis/metrics.py): `common` never imports the apps."""

from __future__ import annotations

import logging
import threading

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

WORKER_REGISTRY = CollectorRegistry(auto_describe=True)

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

_server_lock = threading.Lock()
_server_started = False


def start_worker_metrics_server(port: int) -> None:
    global _server_started
    with _server_lock:
        if _server_started:
            return
        ProcessCollector(registry=WORKER_REGISTRY)
        start_http_server(port, registry=WORKER_REGISTRY)
        _server_started = True
        logger.info("worker metrics on port %s", port)


_registered: set[str] = set()
_registered_lock = threading.Lock()


def register_web_collector(collector: Collector) -> None:
    """Add an app's scrape-time collector to the web process's registry, once
    per class: an app's ready() may run more than once (tests, reloads)."""
    name = f"{type(collector).__module__}.{type(collector).__qualname__}"
    with _registered_lock:
        if name not in _registered:
            REGISTRY.register(collector)
            _registered.add(name)
