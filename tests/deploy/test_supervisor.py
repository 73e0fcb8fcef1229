"""scripts/supervisor.py with real child processes: a child that dies is
restarted with backoff, a crash loop is reported (and the child still
restarted), stopping ends whole process trees."""

from __future__ import annotations

import json
import os
import signal
import sys
import time

from scripts.stack import procs
from scripts.supervisor import QUICK_EXIT, Program, Supervisor, read_spec, write_spec

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]
CRASHER = [sys.executable, "-c", "import sys; sys.exit(3)"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _program(tmp_path, name, argv):
    return Program(name, argv, cwd=str(tmp_path), env=dict(os.environ), log_path=str(tmp_path / f"{name}.log"))


def _wait_exit(supervisor: Supervisor, name: str, timeout: float = 10) -> None:
    popen = supervisor.children[name].popen
    assert popen is not None
    popen.wait(timeout=timeout)


def test_a_killed_child_is_restarted_and_the_others_keep_running(tmp_path):
    clock = Clock()
    status = tmp_path / "status.json"
    supervisor = Supervisor([_program(tmp_path, "a", SLEEPER), _program(tmp_path, "b", SLEEPER)],
                            status_path=status, clock=clock)  # fmt: skip
    supervisor.start()
    try:
        first, other = supervisor.children["a"].popen.pid, supervisor.children["b"].popen.pid
        clock.now += QUICK_EXIT + 1  # both ran for a while
        supervisor.poll()
        os.killpg(first, signal.SIGKILL)
        _wait_exit(supervisor, "a")
        supervisor.poll()
        report = json.loads(status.read_text())["programs"]
        assert report["a"]["state"] == "backoff" and report["a"]["last_exit"] == -signal.SIGKILL
        clock.now += 0.5
        supervisor.poll()
        assert supervisor.children["a"].popen is None  # still waiting out its 1 s backoff
        clock.now += 0.6
        supervisor.poll()
        report = json.loads(status.read_text())["programs"]
        assert report["a"]["pid"] not in (None, first) and report["a"]["restarts"] == 1
        assert report["b"]["pid"] == other and report["b"]["restarts"] == 0
    finally:
        supervisor.stop(grace=5)


def test_quick_exits_back_off_and_become_a_reported_crash_loop(tmp_path):
    clock = Clock()
    supervisor = Supervisor([_program(tmp_path, "bad", CRASHER)], status_path=tmp_path / "s.json", clock=clock)
    supervisor.start()
    delays = []
    try:
        for _ in range(4):
            _wait_exit(supervisor, "bad")
            supervisor.poll()
            child = supervisor.children["bad"]
            delays.append(child.next_start - clock.now)
            clock.now = child.next_start
            supervisor.poll()  # started again
        assert delays == [1, 2, 4, 8]
        assert supervisor.crash_looping() == ["bad"]
        report = json.loads((tmp_path / "s.json").read_text())["programs"]["bad"]
        assert report["state"] == "crash_loop" and report["restarts"] == 4 and report["last_exit"] == 3
    finally:
        supervisor.stop(grace=5)


def test_a_child_that_stays_up_ends_its_crash_loop(tmp_path):
    clock = Clock()
    flag = tmp_path / "healthy"
    # Exits at once until the flag file exists, then stays up.
    argv = [sys.executable, "-c", f"import os, sys, time; os.path.exists({str(flag)!r}) or sys.exit(1); time.sleep(60)"]
    supervisor = Supervisor([_program(tmp_path, "flaky", argv)], clock=clock)
    supervisor.start()
    try:
        for _ in range(3):
            _wait_exit(supervisor, "flaky")
            supervisor.poll()
            clock.now = supervisor.children["flaky"].next_start
            if _ == 2:
                flag.write_text("")
            supervisor.poll()
        assert supervisor.crash_looping() == ["flaky"]
        clock.now += QUICK_EXIT + 1
        supervisor.poll()
        assert supervisor.crash_looping() == [] and supervisor.children["flaky"].state == "running"
    finally:
        supervisor.stop(grace=5)


def test_stop_ends_every_process_of_each_child_tree(tmp_path):
    supervisor = Supervisor([_program(tmp_path, "tree", ["sh", "-c", "sleep 60 & sleep 60"])])
    supervisor.start()
    leader = supervisor.children["tree"].popen.pid
    time.sleep(0.3)
    assert procs.group_alive(leader)
    supervisor.stop(grace=5)
    assert not procs.group_alive(leader)


def test_the_command_line_supervisor_stops_its_children_on_sigterm(tmp_path):
    spec, status = tmp_path / "programs.json", tmp_path / "status.json"
    write_spec(spec, [_program(tmp_path, "sleeper", SLEEPER)])
    assert [p.name for p in read_spec(spec)] == ["sleeper"]
    import subprocess

    from tests.deploy.conftest import REPO

    supervisor = subprocess.Popen(
        [sys.executable, "-m", "scripts.supervisor", "--spec", str(spec), "--status", str(status)],
        cwd=REPO, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while not (status.exists() and json.loads(status.read_text())["programs"]["sleeper"]["pid"]):
            assert time.monotonic() < deadline, "the supervisor did not start its child"
            time.sleep(0.2)
        child = json.loads(status.read_text())["programs"]["sleeper"]["pid"]
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=30) == 0
        assert not procs.group_alive(child)
    finally:
        if supervisor.poll() is None:
            os.killpg(supervisor.pid, signal.SIGKILL)
