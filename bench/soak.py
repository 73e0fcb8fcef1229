"""Soak under faults: writes bench/results/soak.json. Counts and timings only, no asserts.

Starts the native rehearsal (`make stack`: nginx, main, 2 supervised workers,
beat, 2 ai_servers, PostgreSQL, RabbitMQ), then for --minutes:
- --users users each submit a photo through nginx, poll it as the SPA does
  (every second) until it is done or failed, pause, and submit again;
- one more user uploads far over the per-user upload limit (429s);
- a Celery worker is killed with SIGKILL every --kill-every seconds (the
  supervisor restarts it; its jobs come back through their leases).
Then submissions stop and every accepted job gets --drain seconds to finish
(the queue the flooder filled drains first); what is left then is stuck.

Reported: submitted (202) = done + failed with a reason + stuck; HTTP answers
by status (5xx must be 0); upload→done latency p50/p95/max of the done jobs
(from each job's created_at and finished_at).

    STACK_PORT_BASE=19500 .venv/bin/python bench/soak.py [--users 4] [--minutes 5]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import random
import signal
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stack import stack  # noqa: E402
from scripts.stack.client import ApiUser, astronaut_jpeg  # noqa: E402
from scripts.stack.config import StackConfig  # noqa: E402

log = logging.getLogger("soak")


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)  # "POST 202", "GET 200", …
    errors: Counter = field(default_factory=Counter)  # transport errors (no HTTP answer)
    accepted: dict[str, tuple[ApiUser, float]] = field(default_factory=dict)  # task id → (user, submitted at)
    finished: dict[str, dict] = field(default_factory=dict)  # task id → last body
    done_seconds: list[float] = field(default_factory=list)

    def answer(self, method: str, response: requests.Response | None, exc: Exception | None = None) -> None:
        with self.lock:
            if response is not None:
                self.statuses[f"{method} {response.status_code}"] += 1
            else:
                self.errors[f"{method} {exc.__class__.__name__}"] += 1


def _submit(user: ApiUser, template_id: int, photo: bytes, tally: Tally) -> str | None:
    try:
        resp = user.session.post(
            f"{user.base}/faces/tasks/", data={"emoji_id": str(template_id)},
            files={"image": ("photo.jpg", photo, "image/jpeg")}, timeout=120,
        )  # fmt: skip
    except requests.RequestException as exc:
        tally.answer("POST", None, exc)
        return None
    tally.answer("POST", resp)
    if resp.status_code != 202:
        return None
    task_id = resp.json()["task_id"]
    with tally.lock:
        tally.accepted[task_id] = (user, time.monotonic())
    return task_id


def _poll(user: ApiUser, task_id: str, tally: Tally) -> dict | None:
    try:
        resp = user.session.get(f"{user.base}/faces/tasks/{task_id}", timeout=120)
    except requests.RequestException as exc:
        tally.answer("GET", None, exc)
        return None
    tally.answer("GET", resp)
    if resp.status_code != 200:
        return None
    body = resp.json()
    if body["status"] in ("done", "failed"):
        with tally.lock:
            if task_id not in tally.finished:
                tally.finished[task_id] = body
                if body["status"] == "done":
                    # The job's own timestamps: the flooder's jobs are only polled at the end.
                    created = datetime.fromisoformat(body["created_at"].replace("Z", "+00:00"))
                    finished = datetime.fromisoformat(body["finished_at"].replace("Z", "+00:00"))
                    tally.done_seconds.append((finished - created).total_seconds())
    return body


def _user_loop(user: ApiUser, template_id: int, photo: bytes, tally: Tally, until: float) -> None:
    while time.monotonic() < until:
        task_id = _submit(user, template_id, photo, tally)
        while task_id and time.monotonic() < until:
            body = _poll(user, task_id, tally)
            if body and body["status"] in ("done", "failed"):
                break
            time.sleep(1.0)
        time.sleep(random.uniform(0.5, 2.0))


def _flooder_loop(user: ApiUser, template_id: int, photo: bytes, tally: Tally, until: float) -> None:
    while time.monotonic() < until:
        _submit(user, template_id, photo, tally)
        time.sleep(0.25)


def _killer_loop(cfg: StackConfig, every: float, started: float, until: float, kills: list[dict]) -> None:
    turn = 0
    while True:
        time.sleep(every)
        if time.monotonic() >= until:
            return
        name = f"worker{turn % cfg.workers + 1}"
        turn += 1
        pid = stack.program_pid(cfg, name)
        if pid:
            os.killpg(pid, signal.SIGKILL)
            kills.append({"at_s": round(time.monotonic() - started, 1), "worker": name})
            log.warning("killed %s (pid %s)", name, pid)


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--kill-every", type=float, default=45.0)
    parser.add_argument("--drain", type=float, default=180.0, help="seconds for accepted jobs to finish at the end")
    parser.add_argument("--upload-limit", default="12/min", help="THROTTLE_UPLOADS of the stack (per user)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # main_server reads it from our environment (scripts/stack/envs.py passes it on): the
    # flooder's accepted uploads stay a load this 2-core machine can carry.
    os.environ["THROTTLE_UPLOADS"] = args.upload_limit
    cfg = StackConfig.from_env()
    stack.up(cfg)
    tally, kills = Tally(), []
    try:
        users = [ApiUser(cfg.public_url) for _ in range(args.users + 1)]
        for user in users:
            user.register_and_login()
        template_id = users[0].first_template_id()
        photo = astronaut_jpeg()
        started = time.monotonic()
        until = started + 60 * args.minutes
        threads = [
            threading.Thread(target=_user_loop, args=(u, template_id, photo, tally, until)) for u in users[:-1]
        ]
        threads.append(threading.Thread(target=_flooder_loop, args=(users[-1], template_id, photo, tally, until)))
        killer = threading.Thread(target=_killer_loop, args=(cfg, args.kill_every, started, until, kills), daemon=True)
        for thread in [*threads, killer]:
            thread.start()
        for thread in threads:
            thread.join()
        # Drain: every accepted job polled until it ends, for at most --drain seconds.
        drain_end = time.monotonic() + args.drain
        pending = [t for t in tally.accepted if t not in tally.finished]
        while pending and time.monotonic() < drain_end:
            for task_id in pending:
                _poll(tally.accepted[task_id][0], task_id, tally)
            pending = [t for t in tally.accepted if t not in tally.finished]
            time.sleep(1.0)
        health = requests.get(f"{cfg.public_url}/api/v1/health", timeout=60).json()
    finally:
        stack.down(cfg)
    finished = list(tally.finished.values())
    failed = [b for b in finished if b["status"] == "failed"]
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "setup": {
            "users": args.users, "minutes": args.minutes, "kill_every_s": args.kill_every,
            "drain_s": args.drain, "upload_limit": args.upload_limit, "workers": cfg.workers,
            "ai_servers": cfg.ai_servers,
            "photo": "astronaut 512x512 JPEG, 1 face", "flooder": "1 more user uploading every 0.25 s",
        },  # fmt: skip
        "submitted": len(tally.accepted),
        "done": sum(1 for b in finished if b["status"] == "done"),
        "failed_with_reason": sum(1 for b in failed if b.get("error")),
        "failed_without_reason": sum(1 for b in failed if not b.get("error")),
        "failure_reasons": dict(Counter(b["error"][:80] for b in failed)),
        "stuck": len(tally.accepted) - len(finished),
        "http_5xx": sum(n for k, n in tally.statuses.items() if k.split()[1].startswith("5")),
        "http_answers": dict(sorted(tally.statuses.items())),
        "transport_errors": dict(tally.errors),
        "latency_upload_to_done_s": {
            "p50": round(statistics.median(tally.done_seconds), 2) if tally.done_seconds else None,
            "p95": _percentile(tally.done_seconds, 0.95),
            "max": _percentile(tally.done_seconds, 1.0),
        },
        "workers_killed": kills,
        "health_at_end": health,
    }
    out = ROOT / "bench" / "results" / "soak.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))  # CLI output
    return 0


if __name__ == "__main__":
    sys.exit(main())
