"""Shared helpers of the deployment checks (tests/deploy, tests/deploy/live)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # scripts.stack is imported from the repository root
    sys.path.insert(0, str(REPO))

from scripts.stack import procs, services  # noqa: E402
from scripts.stack.config import StackConfig  # noqa: E402


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def require_tool(name: str) -> str:
    """Path of nginx / prometheus / promtool, installing the Debian package if missing."""
    if shutil.which(name) is None:
        services.ensure_tools()
    path = shutil.which(name)
    assert path, f"{name} is not installed (apt-get install -y {services.TOOLS[name]})"
    return path


def run_tool(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, **kwargs)


def free_stack_config(tmp: Path) -> StackConfig:
    """A StackConfig whose every port is free: tests never take fixed ports."""
    base_cfg = StackConfig.from_env()
    for _ in range(50):
        base = random.randrange(20000, 60000, 100)
        cfg = StackConfig(**{**base_cfg.__dict__, "port_base": base, "state_dir": tmp})
        if all(procs.port_free(p) for p in [*cfg.all_ports(), cfg.grafana_port]):
            return cfg
    raise RuntimeError("no free block of ports found")


def env_example_names() -> set[str]:
    """Variables in .env.example, active (NAME=) or documented as a comment (# NAME=)."""
    names = set()
    for line in (REPO / ".env.example").read_text().splitlines():
        stripped = line.lstrip("# ").strip()
        head = stripped.split("=", 1)[0]
        if "=" in stripped and head.isupper() and head.replace("_", "").isalnum():
            names.add(head)
    return names


def require_services() -> bool:
    return os.environ.get("IGEMOJI_REQUIRE_SERVICES") == "1"
