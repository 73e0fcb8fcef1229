"""prometheus/: promtool on the config and the rules, the rules' unit tests, and
the rules' conventions (for, severity, description, contract metric names)."""

from __future__ import annotations

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


def test_promtool_accepts_the_rendered_rehearsal_config(tmp_path):
    cfg = free_stack_config(tmp_path)
    path = render.render_prometheus(cfg, tmp_path / "prometheus", rabbitmq="127.0.0.1:15692")
    result = run_tool([require_tool("promtool"), "check", "config", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr
    jobs = {j["job_name"] for j in yaml.safe_load(path.read_text())["scrape_configs"]}
    assert jobs == {"prometheus", "main", "worker", "ai", "rabbitmq"}


def test_every_alert_has_for_severity_and_description():
    for rule in _rules():
        assert rule.get("for"), f"{rule['alert']} has no for:"
        assert rule["labels"]["severity"] in {"critical", "warning"}, rule["alert"]
        assert rule["annotations"].get("description"), rule["alert"]
        assert rule["annotations"].get("summary"), rule["alert"]


def test_the_alerts_the_issue_asks_for_exist():
    names = {rule["alert"] for rule in _rules()}
    assert {"TargetDown", "JobFailureRateHigh", "JobBacklogGrowing", "AILatencyHigh"} <= names


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
