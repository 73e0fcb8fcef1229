"""Read the Grafana dashboard's queries and the metric names they use.

Used by the checks: every panel expression must name only metrics that the
processes export (docs/metrics.md, and the live /metrics outputs), and must
return data on a running stack.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_KEYWORDS = {
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "and",
    "or",
    "unless",
    "offset",
    "inf",
    "nan",
}
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGE = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
# Numbers (3e9, 0.95, 0x1F) and durations after offset: their letters are no names.
_NUMBER = re.compile(r"(?<![A-Za-z0-9_:])(?:0x[0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)")
_OFFSET = re.compile(r"\boffset\s+-?[0-9a-z]+", re.I)
_IDENT = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
# Series a histogram / counter adds to the name it was declared with.
_SUFFIXES = ("_bucket", "_sum", "_count", "_total", "_created")


def metric_names(expr: str) -> set[str]:
    """Metric names in a PromQL expression (functions, keywords, labels dropped)."""
    text = _STRING.sub("", expr)
    text = _MATCHERS.sub(" ", text)
    text = _RANGE.sub(" ", text)
    text = _GROUPING.sub(" ", text)
    text = _OFFSET.sub(" ", text)
    text = _NUMBER.sub(" ", text)
    names = set()
    for match in _IDENT.finditer(text):
        word = match.group(0)
        rest = text[match.end() :].lstrip()
        if rest.startswith("("):  # a function call or aggregation
            continue
        if word.lower() in _KEYWORDS:
            continue
        names.add(word)
    return names


def family(name: str) -> str:
    """The family a series name belongs to: ai_stage_seconds_bucket → ai_stage_seconds."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def dashboard_panels(path: Path) -> list[dict]:
    """Every non-row panel (rows' nested panels included) of a dashboard JSON."""
    dash = json.loads(path.read_text())
    out = []
    for panel in dash["panels"]:
        if panel.get("type") == "row":
            out.extend(panel.get("panels", []))
        else:
            out.append(panel)
    return out


def dashboard_queries(path: Path) -> list[tuple[str, str]]:
    """(panel title, expr) for every query of every panel."""
    return [
        (panel["title"], target["expr"])
        for panel in dashboard_panels(path)
        for target in panel.get("targets", [])
    ]


# Metrics of the exporters beside the app (nginx, node, RabbitMQ): the compose
# deployment and `make stack` have them, `make run` does not.
EXPORTER_PREFIXES = ("nginx_", "node_", "rabbitmq_")


def from_exporter(name: str) -> bool:
    return name.startswith(EXPORTER_PREFIXES)


def exported_names(metrics_text: str) -> set[str]:
    """Sample names in a Prometheus text exposition (families and their series)."""
    names = set()
    for line in metrics_text.splitlines():
        if not line or line.startswith("#"):
            continue
        names.add(re.split(r"[{\s]", line, maxsplit=1)[0])
    return names


def is_exported(name: str, exported: set[str]) -> bool:
    return name in exported or any(family(e) == name for e in exported)


def documented_names(metrics_md: Path) -> set[str]:
    """Metric names in docs/metrics.md's tables (first column, in backticks)."""
    names = set()
    for line in metrics_md.read_text().splitlines():
        # node exporter names have capitals: node_memory_MemAvailable_bytes
        m = re.match(r"\|\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|", line)
        if m:
            names.add(m.group(1))
    return names
