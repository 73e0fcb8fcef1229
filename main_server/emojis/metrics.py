"""The emojis app's metrics (names: docs/metrics.md): active templates by
status, counted from the database at scrape time. Registered by
EmojisConfig.ready()."""

from __future__ import annotations

import logging

from prometheus_client.core import GaugeMetricFamily

from common.metrics import TASK_RETRIES, register_web_collector

logger = logging.getLogger(__name__)

TASK_RETRIES.labels(task="template_process")  # the series exists at 0 from the start


class TemplatesCollector:
    """igemoji_templates{status}."""

    def describe(self):
        return []

    def collect(self):
        from emojis.selectors import template_counts_by_status

        try:
            templates = template_counts_by_status()
        except Exception:  # a scrape must not fail because the DB blinked
            logger.warning("metrics: database unavailable", exc_info=True)
            return
        gauge = GaugeMetricFamily("igemoji_templates", "Active templates by status", labels=["status"])
        for status, count in templates.items():
            gauge.add_metric([status], count)
        yield gauge


def register() -> None:
    register_web_collector(TemplatesCollector())
