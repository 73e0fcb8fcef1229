"""Jobs through the whole service vs the same photos straight to ai_server.

Starts `python -m scripts.run_local` (what `make run` runs: gunicorn, a Celery
worker on the filesystem broker, ai_server) on free ports with a temporary
DATA_DIR, then, in the same run and on the same ai_server:

Throughput
- direct ("bare compose"): N photos POSTed to /v1/compose by template key (the
  pictures already cached, the cheapest call ai_server answers), with as many client
  threads as the worker has (2);
- through the API: N jobs POSTed to /api/v1/faces/tasks/; wall time from the first
  upload to the last job's finished_at (the server's clock).
  ratio = direct wall time / API wall time (1.0 = no overhead; target ≥ 0.9).

Latency (one job at a time, a small photo)
- bare compose: one /v1/compose call by key, as the worker makes it;
- submit → done as a client sees it: from sending the upload until a GET shows
  `done`, (a) long-polling with ?wait=20, (b) polling every 0.1 s;
  target: (a) ≤ bare compose + 0.3 s;
- where the time goes, per job, from the job row (SQLite under DATA_DIR): upload
  (the POST's round trip), queue (created → a worker started it: broker polling,
  prefetch), work (started → finished: read, compose, store), seen (finished →
  the client has it).

Writes bench/results/e2e.json. Never asserts on time.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.procs import LocalService  # noqa: E402
from tests.e2e.helpers import EMOTIONS, NOTO, Api, astronaut_jpeg, group_jpeg  # noqa: E402

N = int(os.environ.get("BENCH_E2E_JOBS", "20"))
LATENCY_JOBS = int(os.environ.get("BENCH_E2E_LATENCY_JOBS", "10"))
CONCURRENCY = 2  # = the worker's --concurrency under make run
PICTURES = {e: (NOTO / f"{e}.png").read_bytes() for e in EMOTIONS}


def _key() -> str:
    from ai_server.templates import template_key

    return template_key(PICTURES)


def photos() -> list[bytes]:
    variants = [astronaut_jpeg(), astronaut_jpeg(1.5), group_jpeg(4), astronaut_jpeg(0.75)]
    return [variants[i % len(variants)] for i in range(N)]


def compose_by_key(session: requests.Session, ai_url: str, photo: bytes) -> float:
    """One /v1/compose as the worker makes it; the pictures only if the server asks."""
    t0 = time.perf_counter()
    image = [("image", ("photo.jpg", photo, "image/jpeg"))]
    response = session.post(f"{ai_url}/v1/compose", files=image, data={"template_key": _key()}, timeout=120)
    if response.status_code == 409:
        pictures = [(e, (f"{e}.png", PICTURES[e], "image/png")) for e in EMOTIONS]
        response = session.post(f"{ai_url}/v1/compose", files=image + pictures, data={"template_key": _key()},
                                timeout=120)
    response.raise_for_status()
    return time.perf_counter() - t0


def direct(ai_url: str, batch: list[bytes]) -> tuple[float, list[float]]:
    session = requests.Session()
    start = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        latencies = list(pool.map(lambda p: compose_by_key(session, ai_url, p), batch))
    return time.perf_counter() - start, latencies


def _ts(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def through_api(api: Api, template_id: int, batch: list[bytes]) -> tuple[float, list[float], int]:
    """Wall time from the first upload to the last job's finished_at (the server's
    clock, same machine), so the bench's own polling does not count. Waits on each job
    with the long-poll, so polling steals no CPU from the worker and ai_server."""
    start = time.time()
    task_ids = []
    for photo in batch:
        response = api.create_job(template_id, photo)
        response.raise_for_status()
        task_ids.append(response.json()["task_id"])
    finished = {}
    for task_id in task_ids:
        while task_id not in finished:
            body = api.get(f"/faces/tasks/{task_id}?wait=20").json()
            if body["status"] in ("done", "failed"):
                finished[task_id] = body
    ends = [_ts(b["finished_at"]) for b in finished.values()]
    latencies = [_ts(b["finished_at"]) - _ts(b["created_at"]) for b in finished.values()]
    failed = sum(b["status"] == "failed" for b in finished.values())
    return max(ends) - start, latencies, failed


def _job_times(db: Path, task_id: str) -> tuple[float, float, float]:
    """(created, started, finished) of the job row, as epoch seconds."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        row = conn.execute("SELECT created_at, started_at, finished_at FROM faces_job WHERE id = ?",
                           (task_id.replace("-", ""),)).fetchone()
    # Django keeps aware datetimes in SQLite as UTC text without an offset.
    return tuple(datetime.fromisoformat(v).replace(tzinfo=UTC).timestamp() for v in row)


def one_job(api: Api, template_id: int, photo: bytes, *, poll: float | None, db: Path) -> dict:
    """Submit one job and wait until a GET shows it done; poll=None uses the long-poll."""
    t_send = time.time()
    response = api.create_job(template_id, photo)
    t_uploaded = time.time()
    response.raise_for_status()
    task_id = response.json()["task_id"]
    while True:
        path = f"/faces/tasks/{task_id}" + ("?wait=20" if poll is None else "")
        body = api.get(path).json()
        if body["status"] in ("done", "failed"):
            break
        time.sleep(poll or 0)
    t_seen = time.time()
    created, started, finished = _job_times(db, task_id)
    return {
        "submit_to_seen": t_seen - t_send, "upload": t_uploaded - t_send, "queue": started - created,
        "work": finished - started, "seen": t_seen - finished, "status": body["status"],
    }


def latency(service: LocalService, api: Api, template_id: int) -> dict:
    photo = astronaut_jpeg()
    session = requests.Session()
    compose_by_key(session, service.ai_url, photo)  # warm: the template is cached
    bare = [compose_by_key(session, service.ai_url, photo) for _ in range(LATENCY_JOBS)]
    db = service.data_dir / "db.sqlite3"
    out = {"photo": "astronaut 512x512 JPEG", "jobs": LATENCY_JOBS,
           "bare_compose_median_s": round(statistics.median(bare), 3)}
    for label, poll in (("long_poll_wait", None), ("poll_every_0.1s", 0.1)):
        runs = [one_job(api, template_id, photo, poll=poll, db=db) for _ in range(LATENCY_JOBS)]
        out[label] = {k: round(statistics.median(r[k] for r in runs), 3)
                      for k in ("submit_to_seen", "upload", "queue", "work", "seen")}
        out[label]["failed"] = sum(r["status"] != "done" for r in runs)
        out[label]["over_bare_compose_s"] = round(out[label]["submit_to_seen"] - out["bare_compose_median_s"], 3)
    out["target_over_bare_compose_max_s"] = 0.3
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        service = LocalService(Path(tmp), extra_env={"THROTTLE_UPLOADS": "10000/min"}).start()
        try:
            api = Api(service.url)
            api.signup_and_login()
            gallery = api.get("/emojis/pages/1").json()["results"]
            template_id = next(t["id"] for t in gallery if t["is_builtin"])
            batch = photos()
            # Warm-up: first requests load lazily initialised parts on both paths.
            direct(service.ai_url, batch[:2])
            through_api(api, template_id, batch[:2])
            direct_s, direct_lat = direct(service.ai_url, batch)
            api_s, api_lat, failed = through_api(api, template_id, batch)
            timing = latency(service, api, template_id)
        finally:
            service.stop()
    result = {
        "jobs": N,
        "concurrency": CONCURRENCY,
        "direct_seconds": round(direct_s, 3),
        "api_seconds": round(api_s, 3),
        "direct_jobs_per_second": round(N / direct_s, 3),
        "api_jobs_per_second": round(N / api_s, 3),
        "ratio": round(direct_s / api_s, 3),
        "target_ratio_min": 0.9,
        "direct_latency_median_s": round(statistics.median(direct_lat), 3),
        "api_latency_median_s": round(statistics.median(api_lat), 3),  # created_at → finished_at
        "failed_jobs": failed,
        "latency_one_job_at_a_time": timing,
        "setup": "make run: SQLite, filesystem broker, 1 worker --pool threads -c 2, ai_server 1x2 threads",
        "load_average": os.getloadavg(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    out = REPO / "bench" / "results" / "e2e.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
