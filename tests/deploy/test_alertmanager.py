"""alertmanager/: the config as render-config.sh fills it from .env (with Debian's
sh and awk, and with busybox as in the prom/alertmanager image), checked by amtool;
routes by severity; compose passes every variable the config uses."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from scripts.stack import render
from tests.deploy.conftest import REPO, free_stack_config, require_tool, run_tool

SRC = REPO / "alertmanager"
ALERTS = REPO / "prometheus" / "alerts.yml"
URL = 'https://hooks.example.com/T0/B0/x?token=a&b=$1\\2"q'


def _render(
    tmp_path: Path, env: dict[str, str], path: str = "/usr/bin:/bin"
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            "sh",
            str(SRC / "render-config.sh"),
            str(SRC / "alertmanager.yml"),
            str(tmp_path / "am.yml"),
        ],
        env={"PATH": path, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.fixture
def busybox_path(tmp_path) -> str:
    """A PATH where sh, awk, mv and rm are busybox's, as in the prom/alertmanager image."""
    busybox = require_tool("busybox")
    bin_dir = tmp_path / "busybox-bin"
    bin_dir.mkdir()
    for tool in ("sh", "awk", "mv", "rm"):
        (bin_dir / tool).symlink_to(busybox)
    return str(bin_dir)


@pytest.mark.parametrize("shell", ["debian", "busybox"])
def test_the_webhook_url_from_env_arrives_intact_and_amtool_accepts_it(tmp_path, shell, request):
    path = request.getfixturevalue("busybox_path") if shell == "busybox" else "/usr/bin:/bin"
    result = _render(tmp_path, {"ALERT_WEBHOOK_URL": URL}, path)
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load((tmp_path / "am.yml").read_text())
    urls = [w["url"] for r in config["receivers"] for w in r.get("webhook_configs", [])]
    assert urls and set(urls) == {URL}
    check = run_tool([require_tool("amtool"), "check-config", str(tmp_path / "am.yml")])
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_missing_webhook_url_stops_the_start_with_its_name(tmp_path):
    result = _render(tmp_path, {})
    assert result.returncode != 0
    assert "ALERT_WEBHOOK_URL" in result.stderr
    assert not (tmp_path / "am.yml").exists() and not (tmp_path / "am.yml.tmp").exists()


def test_commented_receivers_need_no_variables(tmp_path):
    result = _render(tmp_path, {"ALERT_WEBHOOK_URL": "http://127.0.0.1:9/x"})
    assert result.returncode == 0, result.stderr
    assert "ALERT_SLACK" not in result.stderr


def _severities() -> set[str]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return {rule["labels"]["severity"] for g in groups for rule in g["rules"]}


@pytest.mark.parametrize("severity", sorted(_severities()))
def test_each_severity_has_its_own_route_and_receiver(tmp_path, severity):
    assert _render(tmp_path, {"ALERT_WEBHOOK_URL": "http://127.0.0.1:9/x"}).returncode == 0
    result = run_tool(
        [require_tool("amtool"), "config", "routes", "test",
         f"--config.file={tmp_path / 'am.yml'}", f"severity={severity}", "alertname=Any"]
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split() == [severity]


def test_notifications_are_grouped_by_severity():
    config = yaml.safe_load((SRC / "alertmanager.yml").read_text())
    assert "severity" in config["route"]["group_by"]


def test_compose_passes_every_variable_the_config_uses(compose):
    used = set(re.findall(r"\$\{([A-Z0-9_]+)\}", (SRC / "alertmanager.yml").read_text()))
    assert "ALERT_WEBHOOK_URL" in used
    env = compose["services"]["alertmanager"]["environment"]
    assert used <= set(env), sorted(used - set(env))
    assert env["ALERT_WEBHOOK_URL"].startswith("${ALERT_WEBHOOK_URL:?")


def test_compose_renders_the_config_before_starting_alertmanager(compose):
    svc = compose["services"]["alertmanager"]
    command = " ".join(svc["command"])
    assert (
        "render-config.sh /etc/alertmanager/alertmanager.yml /alertmanager/alertmanager.yml"
        in command
    )
    assert "exec /bin/alertmanager --config.file=/alertmanager/alertmanager.yml" in command
    assert "./alertmanager:/etc/alertmanager:ro" in svc["volumes"]


def test_the_rehearsal_config_is_valid_with_short_waits(tmp_path):
    cfg = free_stack_config(tmp_path)
    path = render.render_alertmanager(cfg, tmp_path / "am", webhook_url="http://127.0.0.1:9/hook")
    check = run_tool([require_tool("amtool"), "check-config", str(path)])
    assert check.returncode == 0, check.stdout + check.stderr
    config = yaml.safe_load(path.read_text())
    for route in [config["route"], *config["route"]["routes"]]:
        assert route["group_wait"] == "1s"
    assert config["receivers"][0]["webhook_configs"][0]["url"] == "http://127.0.0.1:9/hook"
