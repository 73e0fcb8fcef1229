"""The one process supervisor of `make run` (in-process, scripts/run_local.py)
and `make stack` (`python -m scripts.supervisor --spec FILE`, detached).

Each child runs in its own session (so a whole tree — gunicorn and its
workers, a Celery worker and its threads — is signalled at once). A child that
exits is started again after a backoff: 1 s, doubled after each quick exit
(one within QUICK_EXIT seconds of its start) up to 30 s, back to 1 s after a
run that lasted. Three quick exits in a row is a crash loop: logged and written
to the status file, which main_server's /api/v1/health reports; the child is
still restarted (never given up on) and one dead child never stops the others.

The status file (JSON, replaced atomically) lists every child's state, pid,
restarts and last exit; `SUPERVISOR_STATUS_FILE` tells the children where it is.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

logger = logging.getLogger("igemoji.supervisor")

BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
QUICK_EXIT = 30.0  # seconds: an exit sooner than this after the start counts towards a crash loop
CRASH_LOOP = 3  # quick exits in a row
STATUS_EVERY = 5.0  # seconds between status rewrites when nothing changes


@dataclass
class Program:
    name: str
    argv: list[str]
    cwd: str
    env: dict[str, str] = field(default_factory=dict)
    log_path: str | None = None  # None: the child writes to our stdout/stderr


@dataclass
class _Child:
    program: Program
    popen: subprocess.Popen | None = None
    started_at: float = 0.0  # monotonic
    start_ticks: int | None = None  # /proc start time: tells a reused pid from ours
    restarts: int = 0
    quick_exits: int = 0
    last_exit: int | None = None
    next_start: float = 0.0  # monotonic; when a dead child is started again
    state: str = "starting"


class Supervisor:
    def __init__(
        self,
        programs: Sequence[Program],
        *,
        status_path: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.children = {p.name: _Child(p) for p in programs}
        self.status_path = status_path
        self.clock = clock
        self._status_written = 0.0

    # ------------------------------------------------------------ running
    def start(self) -> None:
        for child in self.children.values():
            self._spawn(child)
        self._write_status()

    def poll(self) -> None:
        """Reap children that exited, restart those whose backoff is over."""
        changed = False
        now = self.clock()
        for child in self.children.values():
            if child.popen is not None and child.popen.poll() is not None:
                self._on_exit(child, now)
                changed = True
            if child.popen is None and now >= child.next_start:
                child.restarts += 1
                self._spawn(child)
                changed = True
            elif (
                child.popen is not None
                and child.state in ("starting", "crash_loop")
                and now - child.started_at >= QUICK_EXIT
            ):
                if child.state == "crash_loop":
                    logger.info("%s has been up %.0f s: no longer crash-looping", child.program.name, QUICK_EXIT)
                child.state = "running"
                child.quick_exits = 0
                changed = True
        if changed or now - self._status_written >= STATUS_EVERY:
            self._write_status()

    def run(self, should_stop: Callable[[], bool], interval: float = 0.5) -> None:
        while not should_stop():
            self.poll()
            time.sleep(interval)

    def stop(self, grace: float = 15.0) -> None:
        live = [c for c in self.children.values() if c.popen is not None and c.popen.poll() is None]
        for child in reversed(live):
            _signal_group(child.popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for child in reversed(live):
            try:
                child.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop in %.0f s: SIGKILL", child.program.name, grace)
        for child in self.children.values():
            if child.popen is not None:
                _signal_group(child.popen.pid, signal.SIGKILL)  # leftovers of its group
                try:
                    child.popen.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
                _wait_group_gone(child.popen.pid, timeout=5)
            child.state = "stopped"
        self._write_status()

    # ------------------------------------------------------------ state
    def status(self) -> dict:
        return {
            "supervisor_pid": os.getpid(),
            "updated_at": time.time(),
            "programs": {
                name: {
                    "state": c.state,
                    "pid": c.popen.pid if c.popen is not None and c.popen.poll() is None else None,
                    "start_ticks": c.start_ticks,
                    "restarts": c.restarts,
                    "last_exit": c.last_exit,
                }
                for name, c in self.children.items()
            },
        }

    def crash_looping(self) -> list[str]:
        return [name for name, c in self.children.items() if c.state == "crash_loop"]

    def _spawn(self, child: _Child) -> None:
        p = child.program
        env = dict(p.env)
        if self.status_path is not None:
            env["SUPERVISOR_STATUS_FILE"] = str(self.status_path)
        out = None
        if p.log_path:
            Path(p.log_path).parent.mkdir(parents=True, exist_ok=True)
            out = open(p.log_path, "ab")  # noqa: SIM115 (the child keeps it; closed below)
        try:
            child.popen = subprocess.Popen(
                p.argv, cwd=p.cwd, env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT if out else None, start_new_session=True,
            )  # fmt: skip
        except OSError as exc:  # a missing binary: counts as an exit, retried
            logger.error("%s could not start: %s", p.name, exc)
            child.popen = None
            child.last_exit = None
            self._schedule_restart(child, self.clock(), quick=True)
            return
        finally:
            if out is not None:
                out.close()
        child.started_at = self.clock()
        child.start_ticks = start_ticks(child.popen.pid)
        if child.state != "crash_loop":
            child.state = "starting"
        logger.info("started %s pid=%s%s", p.name, child.popen.pid, f" (restart {child.restarts})" if child.restarts else "")

    def _on_exit(self, child: _Child, now: float) -> None:
        code = child.popen.returncode
        _signal_group(child.popen.pid, signal.SIGKILL)  # what it left behind in its group
        child.popen = None
        child.last_exit = code
        self._schedule_restart(child, now, quick=now - child.started_at < QUICK_EXIT)

    def _schedule_restart(self, child: _Child, now: float, *, quick: bool) -> None:
        child.quick_exits = child.quick_exits + 1 if quick else 0
        delay = min(BACKOFF_FIRST * 2 ** max(child.quick_exits - 1, 0), BACKOFF_MAX)
        child.next_start = now + delay
        name = child.program.name
        if child.quick_exits >= CRASH_LOOP:
            if child.state != "crash_loop":
                logger.error("%s is crash-looping: %s quick exits in a row (last exit %s)", name,
                             child.quick_exits, child.last_exit)  # fmt: skip
            child.state = "crash_loop"
        else:
            child.state = "backoff"
        logger.warning("%s exited with %s: restarting in %.0f s", name, child.last_exit, delay)

    def _write_status(self) -> None:
        self._status_written = self.clock()
        if self.status_path is None:
            return
        tmp = self.status_path.with_name(self.status_path.name + ".tmp")
        try:
            self.status_path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(self.status(), indent=1))
            os.replace(tmp, self.status_path)
        except OSError as exc:
            logger.warning("could not write %s: %s", self.status_path, exc)


def start_ticks(pid: int) -> int | None:
    """Start time of a process in clock ticks since boot (/proc/PID/stat field 22)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[19])


def _wait_group_gone(pgid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.05)


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


# ---------------------------------------------------------------- CLI (make stack)
def write_spec(path: Path, programs: Sequence[Program]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(p) for p in programs], indent=1))


def read_spec(path: Path) -> list[Program]:
    return [Program(**item) for item in json.loads(path.read_text())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.supervisor")
    parser.add_argument("--spec", type=Path, required=True, help="JSON list of programs (write_spec)")
    parser.add_argument("--status", type=Path, required=True, help="where to keep the status JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    stopping: dict[str, int | None] = {"signal": None}

    def on_signal(signum, _frame):
        stopping["signal"] = signum

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    supervisor = Supervisor(read_spec(args.spec), status_path=args.status)
    supervisor.start()
    try:
        supervisor.run(lambda: stopping["signal"] is not None)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        supervisor.stop()
        logger.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
