"""grafana/: provisioning and the dashboard's panels and queries."""

from __future__ import annotations

import json

import pytest
import yaml

from scripts.stack.promql import (
    dashboard_panels,
    dashboard_queries,
    documented_names,
    exported_names,
    family,
    is_exported,
    metric_names,
)
from tests.deploy.conftest import REPO, require_tool, run_tool

DASHBOARD = REPO / "grafana" / "dashboards" / "igemoji.json"


def test_metric_names_skips_functions_labels_and_keywords():
    expr = 'histogram_quantile(0.95, sum by (le, view) (rate(django_x_bucket{job=~"main|worker"}[5m])))'
    assert metric_names(expr) == {"django_x_bucket"}


def test_metric_names_finds_both_sides_of_a_binary_expression():
    expr = (
        'sum(rate(a_total{status="failed"}[10m])) / sum(rate(b_total[10m])) > 0.2 and on() up == 0'
    )
    assert metric_names(expr) == {"a_total", "b_total", "up"}


def test_metric_names_ignores_strings_that_look_like_names():
    assert metric_names('count(x{view="not_a_metric"})') == {"x"}


def test_metric_names_ignores_numbers_and_offsets():
    assert metric_names("max(mem_bytes) > 3e9 and rate(c_total[5m] offset 1h) > 0x1F") == {
        "mem_bytes",
        "c_total",
    }


def test_exported_names_and_families():
    text = '# HELP h x\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\nc_total{a="b"} 2\n'
    exported = exported_names(text)
    assert exported == {"h_bucket", "h_count", "c_total"}
    assert is_exported("h_bucket", exported) and is_exported("h", exported)
    assert not is_exported("missing", exported)
    assert family("ai_stage_seconds_bucket") == "ai_stage_seconds"


def test_datasource_uid_matches_every_panel():
    provisioned = yaml.safe_load(
        (REPO / "grafana/provisioning/datasources/prometheus.yml").read_text()
    )
    ds = provisioned["datasources"][0]
    assert ds["url"] == "http://prometheus:9090"
    for panel in dashboard_panels(DASHBOARD):
        assert panel["datasource"]["uid"] == ds["uid"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == ds["uid"], panel["title"]


def test_dashboard_provider_reads_the_mounted_folder(compose):
    provider = yaml.safe_load((REPO / "grafana/provisioning/dashboards/igemoji.yml").read_text())
    path = provider["providers"][0]["options"]["path"]
    mounts = dict(v.split(":")[:2][::-1] for v in compose["services"]["grafana"]["volumes"])
    assert mounts[path] == "./grafana/dashboards"


def test_every_panel_has_a_query_and_a_unique_title():
    panels = dashboard_panels(DASHBOARD)
    titles = [p["title"] for p in panels]
    assert len(titles) == len(set(titles))
    for panel in panels:
        assert panel["targets"] and all(t["expr"].strip() for t in panel["targets"]), panel["title"]


def test_panels_do_not_overlap():
    cells = {}
    for panel in json.loads(DASHBOARD.read_text())["panels"]:
        g = panel["gridPos"]
        for x in range(g["x"], g["x"] + g["w"]):
            for y in range(g["y"], g["y"] + g["h"]):
                assert (x, y) not in cells, f"{panel['title']} overlaps {cells[(x, y)]}"
                cells[(x, y)] = panel["title"]


def test_every_query_names_only_contract_metrics():
    documented = documented_names(REPO / "docs" / "metrics.md")
    for title, expr in dashboard_queries(DASHBOARD):
        names = metric_names(expr)
        assert names, f"{title}: no metric in {expr}"
        for name in names:
            assert name in documented or family(name) in documented, f"{title}: {name}"


@pytest.mark.parametrize(
    "topic, family_name",
    [
        ("request rate by view", "django_http_requests_total_by_view_transport_method_total"),
        ("latency by view", "django_http_requests_latency_seconds_by_view_method"),
        ("jobs by status", "igemoji_jobs"),
        ("jobs finished", "igemoji_jobs_finished_total"),
        ("job latency", "igemoji_job_latency_seconds"),
        ("backlog", "igemoji_jobs_backlog"),
        ("faces by emotion", "igemoji_job_faces_total"),
        ("AI stage latency", "ai_stage_seconds"),
        ("model load time", "ai_model_load_seconds"),
        ("memory per process", "process_resident_memory_bytes"),
        ("memory per ai process", "ai_process_resident_memory_bytes"),
    ],
)
def test_the_dashboard_shows(topic, family_name):
    used = {family(n) for _, expr in dashboard_queries(DASHBOARD) for n in metric_names(expr)}
    used |= {n for _, expr in dashboard_queries(DASHBOARD) for n in metric_names(expr)}
    assert family_name in used or family(family_name) in used, topic


def test_job_latency_shows_p50_and_p95():
    exprs = [e for _, e in dashboard_queries(DASHBOARD) if "igemoji_job_latency_seconds" in e]
    assert any("0.5," in e for e in exprs) and any("0.95," in e for e in exprs)


def test_every_query_is_valid_promql(tmp_path):
    """promtool parses each expression as a recording rule."""
    rules = [
        {"record": f"dashboard:q{i}", "expr": expr}
        for i, (_, expr) in enumerate(dashboard_queries(DASHBOARD))
    ]
    path = tmp_path / "dashboard_rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = run_tool([require_tool("promtool"), "check", "rules", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr
