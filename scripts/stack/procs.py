"""Start, track and stop the rehearsal's processes.

Each process gets its own session (process group), its log file under
<state>/logs, and its pid in <state>/state.json, so `make stack-stop` — or the
check's cleanup after a failure — stops exactly what was started, children
(gunicorn workers, Celery threads, nginx workers) included.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from scripts.procs import http_ok  # noqa: F401 (re-exported for stack.py)

log = logging.getLogger("stack")


class State:
    """What is running: {"procs": {name: pid}, "database": ..., "queue": ...}."""

    def __init__(self, path: Path):
        self.path = path
        self.data: dict = json.loads(path.read_text()) if path.exists() else {"procs": {}}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.data, indent=2))

    def add_proc(self, name: str, pid: int) -> None:
        self.data.setdefault("procs", {})[name] = pid
        self.data.setdefault("starts", {})[name] = _start_time(pid)
        self.save()

    def owned_procs(self) -> dict[str, int]:
        """The recorded groups that are still ours: a pid whose leader now has another
        start time was reused by the system for someone else's process."""
        owned = {}
        starts = self.data.get("starts", {})
        for name, pid in self.data.get("procs", {}).items():
            now = _start_time(pid)
            if now is not None and starts.get(name) is not None and now != starts[name]:
                log.warning("%s pid=%s now belongs to another process: left alone", name, pid)
                continue
            owned[name] = pid
        return owned


def _start_time(pid: int) -> int | None:
    """Start time of a process in clock ticks since boot (/proc/PID/stat field 22)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[19])


def start(
    state: State,
    name: str,
    argv: list[str],
    *,
    env: dict[str, str],
    cwd: Path,
    logs_dir: Path,
) -> subprocess.Popen:
    logs_dir.mkdir(parents=True, exist_ok=True)
    log_path = logs_dir / f"{name}.log"
    with open(log_path, "ab") as out:
        proc = subprocess.Popen(
            argv,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    state.add_proc(name, proc.pid)
    log.info("started %s pid=%s log=%s", name, proc.pid, log_path)
    return proc


def run(argv: list[str], *, env: dict[str, str], cwd: Path, logs_dir: Path, name: str) -> None:
    """A one-off step (migrate …): its output goes to its log; fail loudly with the tail."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    log_path = logs_dir / f"{name}.log"
    with open(log_path, "ab") as out:
        code = subprocess.call(
            argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
        )
    if code != 0:
        raise RuntimeError(f"{name} failed ({code}):\n{tail(log_path)}")
    log.info("%s ok", name)


def stop_all(state: State, *, timeout: float = 20.0) -> None:
    """SIGTERM every process group started, then SIGKILL what is left after timeout."""
    procs = state.owned_procs()
    # Reverse start order: nginx and prometheus first, the ai_servers last.
    for name, pid in reversed(list(procs.items())):
        _signal_group(pid, signal.SIGTERM)
        log.info("stopping %s pid=%s", name, pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(group_alive(pid) for pid in procs.values()):
        time.sleep(0.2)
    for name, pid in procs.items():
        if group_alive(pid):
            log.warning("%s pid=%s did not stop in %ss: SIGKILL", name, pid, timeout)
            _signal_group(pid, signal.SIGKILL)
    state.data["procs"] = {}
    state.data["starts"] = {}
    state.save()


def kill_group(pid: int) -> None:
    _signal_group(pid, signal.SIGKILL)


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)  # start_new_session made pid the group id
    except ProcessLookupError:
        pass


def group_alive(pid: int) -> bool:
    # Our own children stay zombies (and "alive" to kill 0) until reaped.
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_until(
    what: str,
    check: Callable[[], bool],
    *,
    timeout: float,
    log_paths: list[Path] | None = None,
) -> None:
    """Poll check() until true (check() may raise to fail early)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            log.info("%s ready", what)
            return
        time.sleep(0.5)
    tails = "\n".join(tail(p) for p in log_paths or [])
    raise RuntimeError(f"{what}: not ready after {timeout:.0f}s\n{tails}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"({path} missing)"
    return f"--- {path} (last {lines} lines)\n" + "\n".join(text[-lines:])
