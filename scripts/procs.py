"""Child processes for `make run` and the cross-process tests: each child in its
own process group (so a Ctrl-C reaches us, and we stop whole trees), health
waits over HTTP, free ports."""

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
    """Starts children; stop() sends SIGTERM to each child's process group,
    then SIGKILL to whatever is left after a grace period."""

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
