"""scripts/stack's own pieces: process tracking and stopping, the port layout."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from scripts.stack import procs
from scripts.stack.config import StackConfig
from scripts.stack.procs import State


def test_stop_all_stops_every_process_of_each_group(tmp_path):
    state = State(tmp_path / "state.json")
    # A parent with a child of its own, like gunicorn and its workers.
    leader = procs.start(
        state,
        "tree",
        ["sh", "-c", "sleep 60 & sleep 60"],
        env=dict(os.environ),
        cwd=tmp_path,
        logs_dir=tmp_path,
    )
    assert procs.group_alive(leader.pid)
    procs.stop_all(State(tmp_path / "state.json"), timeout=10)
    assert not procs.group_alive(leader.pid)
    assert State(tmp_path / "state.json").data["procs"] == {}


def test_a_pid_reused_by_another_process_is_left_alone(tmp_path):
    other = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True
    )
    try:
        state = State(tmp_path / "state.json")
        state.add_proc("old", other.pid)
        state.data["starts"]["old"] -= 1  # recorded for an earlier process with that pid
        state.save()
        procs.stop_all(State(tmp_path / "state.json"), timeout=2)
        assert other.poll() is None, "an unrelated process was signalled"
    finally:
        os.killpg(other.pid, signal.SIGKILL)
        other.wait()


def test_the_port_layout_never_collides(tmp_path):
    cfg = StackConfig(**{**StackConfig.from_env().__dict__, "workers": 9, "ai_servers": 9})
    ports = [*cfg.all_ports(), cfg.grafana_port]
    assert len(ports) == len(set(ports))
    assert all(cfg.port_base <= p < cfg.port_base + 100 for p in ports)
