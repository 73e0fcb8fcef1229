"""Helpers for `make run` and the cross-process tests: health waits over HTTP,
free ports, `LocalService` (run_local on free ports), and `ProcessGroup` — the
tests' own children, each in its own process group, started and stopped but
never restarted (a test that kills one wants it to stay dead). Supervision
with restarts is scripts/supervisor.py."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger("igemoji.procs")

REPO = Path(__file__).resolve().parent.parent
PYTHON = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else "python3"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (local URLs)
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class Child:
    name: str
    popen: subprocess.Popen
    log_path: Path | None = None

    def alive(self) -> bool:
        return self.popen.poll() is None


@dataclass
class ProcessGroup:
    """Starts children (never restarts them); stop() sends SIGTERM to each
    child's process group, then SIGKILL to whatever is left after a grace period."""

    log_dir: Path | None = None
    children: list[Child] = field(default_factory=list)

    def start(self, name: str, argv: Sequence[str], *, cwd: Path, env: dict[str, str]) -> Child:
        log_path = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log_path = self.log_dir / f"{name}.log"
            out = open(log_path, "ab")  # noqa: SIM115 (kept open for the child's lifetime)
        else:
            out = None
        popen = subprocess.Popen(
            list(argv), cwd=str(cwd), env=env, stdout=out, stderr=subprocess.STDOUT if out else None,
            start_new_session=True,
        )
        child = Child(name=name, popen=popen, log_path=log_path)
        self.children.append(child)
        logger.info("started %s pid=%s", name, popen.pid)
        return child

    def dead(self) -> list[Child]:
        return [c for c in self.children if not c.alive()]

    def wait_http(self, url: str, *, timeout: float, child: Child | None = None) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if http_ok(url):
                return
            dead = self.dead()
            if dead:
                raise RuntimeError(f"{dead[0].name} exited with {dead[0].popen.returncode} while waiting for {url}")
            time.sleep(0.5)
        raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")

    def stop(self, grace: float = 15.0) -> None:
        for child in reversed(self.children):
            if child.alive():
                _signal_group(child.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for child in reversed(self.children):
            remaining = max(0.1, deadline - time.monotonic())
            try:
                child.popen.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop in time, killing it", child.name)
            _signal_group(child.popen.pid, signal.SIGKILL)  # leftovers in its group
            try:
                child.popen.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


class LocalService:
    """`python -m scripts.run_local` on free ports with its own DATA_DIR: what
    `make run` starts, for the e2e tests and bench/e2e.py."""

    def __init__(self, data_dir: Path, *, extra_env: dict[str, str] | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.ports = {"PORT": free_port(), "AI_PORT": free_port(), "WORKER_METRICS_PORT": free_port()}
        self.url = f"http://127.0.0.1:{self.ports['PORT']}"
        self.ai_url = f"http://127.0.0.1:{self.ports['AI_PORT']}"
        self.worker_metrics = f"http://127.0.0.1:{self.ports['WORKER_METRICS_PORT']}/metrics"
        self.log_path = self.data_dir / "run_local.log"
        self.extra_env = extra_env or {}
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 300) -> LocalService:
        env = {**os.environ, **{k: str(v) for k, v in self.ports.items()}, "DATA_DIR": str(self.data_dir)}
        for inherited in ("DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL", "DATABASE_URL", "CACHE_URL", "AI_SERVER_URL"):
            env.pop(inherited, None)
        env.update(self.extra_env)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [PYTHON, "-m", "scripts.run_local"], cwd=REPO, env=env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while b"IGEMOJI is running" not in self.log_path.read_bytes():
            if self.proc.poll() is not None:
                raise RuntimeError(f"run_local exited {self.proc.returncode}:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"run_local not ready in {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(1)
        return self

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # run_local stops its children
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                _signal_group(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        return self.proc.returncode
