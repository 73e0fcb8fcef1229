"""prometheus/: promtool on the config and the rules, the rules' unit tests, and
the rules' conventions (for, severity, description, contract metric names)."""

from __future__ import annotations

import pytest
import yaml

from scripts.stack import render
from scripts.stack.promql import documented_names, family, metric_names
from tests.deploy.conftest import REPO, free_stack_config, require_tool, run_tool

ALERTS = REPO / "prometheus" / "alerts.yml"


def _rules() -> list[dict]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def test_promtool_accepts_the_compose_config():
    result = run_tool(
        [require_tool("promtool"), "check", "config", str(REPO / "prometheus" / "prometheus.yml")]
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_accepts_the_alert_rules():
    result = run_tool([require_tool("promtool"), "check", "rules", str(ALERTS)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_alert_rules_pass_their_unit_tests():
    result = run_tool(
        [require_tool("promtool"), "test", "rules", "alerts_test.yml"],
        cwd=REPO / "tests" / "deploy",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _compose_jobs() -> dict[str, dict]:
    config = yaml.safe_load((REPO / "prometheus" / "prometheus.yml").read_text())
    return {job["job_name"]: job for job in config["scrape_configs"]}


def test_promtool_accepts_the_rendered_rehearsal_config(tmp_path):
    cfg = free_stack_config(tmp_path)
    path = render.render_prometheus(cfg, tmp_path / "prometheus", rabbitmq="127.0.0.1:15692")
    result = run_tool([require_tool("promtool"), "check", "config", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr
    rendered = yaml.safe_load(path.read_text())
    jobs = {j["job_name"]: j for j in rendered["scrape_configs"]}
    assert set(jobs) == set(_compose_jobs())
    # The same path and parameters as compose: only the discovery differs.
    for key in ("metrics_path", "params"):
        assert jobs["rabbitmq_queues"][key] == _compose_jobs()["rabbitmq_queues"][key]
    targets = rendered["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"]
    assert targets == [f"127.0.0.1:{cfg.alertmanager_port}"]


def test_prometheus_sends_alerts_to_alertmanager():
    config = yaml.safe_load((REPO / "prometheus" / "prometheus.yml").read_text())
    targets = config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"]
    assert targets == ["alertmanager:9093"]
    assert {"alertmanager", "node", "nginx", "rabbitmq_queues"} <= set(_compose_jobs())


def test_the_rehearsal_caps_every_for_and_keeps_every_expression(tmp_path):
    cfg = free_stack_config(tmp_path)  # STACK_ALERT_FOR: 15s unless set
    cfg = type(cfg)(**{**cfg.__dict__, "alert_for": "15s"})
    path = render.render_rules(cfg, ALERTS, tmp_path)
    rendered = [r for g in yaml.safe_load(path.read_text())["groups"] for r in g["rules"]]
    assert [(r["alert"], r["expr"]) for r in rendered] == [
        (r["alert"], r["expr"]) for r in _rules()
    ]
    assert {r["for"] for r in rendered} == {"15s"}
    result = run_tool([require_tool("promtool"), "check", "rules", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_empty_stack_alert_for_keeps_the_repositorys_rules(tmp_path):
    cfg = free_stack_config(tmp_path)
    cfg = type(cfg)(**{**cfg.__dict__, "alert_for": ""})
    assert render.render_rules(cfg, ALERTS, tmp_path) == ALERTS


@pytest.mark.parametrize(
    "duration, seconds", [("15s", 15), ("2m", 120), ("1h30m", 5400), ("500ms", 0.5)]
)
def test_prometheus_durations_are_read(duration, seconds):
    assert render._seconds(duration) == seconds


def test_a_duration_without_a_unit_is_refused():
    with pytest.raises(ValueError):
        render._seconds("15")


def test_every_alert_has_for_severity_and_description():
    for rule in _rules():
        assert rule.get("for"), f"{rule['alert']} has no for:"
        assert rule["labels"]["severity"] in {"critical", "warning"}, rule["alert"]
        assert rule["annotations"].get("description"), rule["alert"]
        assert rule["annotations"].get("summary"), rule["alert"]


def test_the_alerts_the_issue_asks_for_exist():
    names = {rule["alert"] for rule in _rules()}
    assert {"TargetDown", "JobFailureRateHigh", "JobBacklogGrowing", "AILatencyHigh"} <= names
    assert {"JobsStuck", "HostDiskAlmostFull", "HostMemoryPressure"} <= names


def test_api_server_errors_are_counted_by_nginx():
    """nginx's own 503s (main down or slow) never reach Django's counters."""
    (rule,) = [r for r in _rules() if r["alert"] == "APIServerErrors"]
    assert metric_names(rule["expr"]) == {"nginx_http_responses_total"}
    assert 'route="api"' in rule["expr"]


def test_every_alert_has_a_runbook_line():
    runbook = (REPO / "docs" / "operating.md").read_text()
    for rule in _rules():
        assert f"| {rule['alert']} |" in runbook, rule["alert"]


def test_alerts_use_only_contract_metric_names():
    documented = documented_names(REPO / "docs" / "metrics.md") | {"up"}
    for rule in _rules():
        for name in metric_names(rule["expr"]):
            assert name in documented or family(name) in documented, f"{rule['alert']}: {name}"


def test_scaled_services_are_found_by_dns():
    config = yaml.safe_load((REPO / "prometheus" / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    for name, port in (("main", 8000), ("worker", 8002), ("ai", 8001)):
        sd = jobs[name]["dns_sd_configs"][0]
        assert sd["names"] == [name] and sd["port"] == port
    assert jobs["rabbitmq"]["static_configs"][0]["targets"] == ["rabbitmq:15692"]
