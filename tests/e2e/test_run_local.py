"""`make run` supervision: if one child dies, every other child is stopped and
run_local exits non-zero (so nothing half-alive is left behind)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from scripts.procs import LocalService, http_ok


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(p) for p in (task / "children").read_text().split()]
    return out


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def test_a_dead_child_stops_everything(tmp_path):
    service = LocalService(tmp_path).start()
    try:
        worker = next(p for p in _children(service.proc.pid) if " celery " in _cmdline(p))
        os.killpg(worker, signal.SIGKILL)  # the worker runs in its own process group
        assert service.proc.wait(timeout=90) == 1
        assert not http_ok(f"{service.url}/api/v1/health", timeout=1)
        assert not http_ok(f"{service.ai_url}/healthz", timeout=1)
        assert "worker exited" in service.log_tail()
    finally:
        service.stop()
