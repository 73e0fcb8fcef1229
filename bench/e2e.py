"""Jobs through the whole service vs the same photos straight to ai_server.

Starts `python -m scripts.run_local` (what `make run` runs: gunicorn, a Celery
worker on the filesystem broker, ai_server) on free ports with a temporary
DATA_DIR, then, in the same run and on the same ai_server:
- direct: N photos POSTed to /v1/compose with the Noto cut-outs, with as many
  client threads as the worker has (2);
- through the API: N jobs POSTed to /api/v1/faces/tasks/, polled until done.
ratio = direct wall time / API wall time (1.0 = no overhead; target ≥ 0.7).
Writes bench/results/e2e.json. Never asserts on time.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.procs import LocalService  # noqa: E402
from tests.e2e.helpers import EMOTIONS, NOTO, Api, astronaut_jpeg, group_jpeg  # noqa: E402

N = int(os.environ.get("BENCH_E2E_JOBS", "20"))
CONCURRENCY = 2  # = the worker's --concurrency under make run


def photos() -> list[bytes]:
    variants = [astronaut_jpeg(), astronaut_jpeg(1.5), group_jpeg(4), astronaut_jpeg(0.75)]
    return [variants[i % len(variants)] for i in range(N)]


def direct(ai_url: str, batch: list[bytes]) -> tuple[float, list[float]]:
    emojis = {e: (NOTO / f"{e}.png").read_bytes() for e in EMOTIONS}
    session = requests.Session()

    def one(photo: bytes) -> float:
        files = [("image", ("photo.jpg", photo, "image/jpeg"))]
        files += [(e, (f"{e}.png", emojis[e], "image/png")) for e in EMOTIONS]
        t0 = time.perf_counter()
        response = session.post(f"{ai_url}/v1/compose", files=files, timeout=120)
        response.raise_for_status()
        return time.perf_counter() - t0

    start = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        latencies = list(pool.map(one, batch))
    return time.perf_counter() - start, latencies


def through_api(api: Api, template_id: int, batch: list[bytes]) -> tuple[float, list[float], int]:
    """Wall time from the first upload to the last job's finished_at (the
    server's clock, same machine), so the bench's own polling granularity does
    not count. Polls like the SPA does (each pending job every 0.5 s), so the
    polling does not steal much CPU from the worker and ai_server."""
    start = time.time()
    task_ids = []
    for photo in batch:
        response = api.create_job(template_id, photo)
        response.raise_for_status()
        task_ids.append(response.json()["task_id"])
    finished: dict[str, dict] = {}
    while len(finished) < len(task_ids):
        time.sleep(0.5)
        for task_id in task_ids:
            if task_id not in finished:
                body = api.get(f"/faces/tasks/{task_id}").json()
                if body["status"] in ("done", "failed"):
                    finished[task_id] = body
    ends = [datetime.fromisoformat(b["finished_at"].replace("Z", "+00:00")).timestamp() for b in finished.values()]
    latencies = [
        datetime.fromisoformat(b["finished_at"].replace("Z", "+00:00")).timestamp()
        - datetime.fromisoformat(b["created_at"].replace("Z", "+00:00")).timestamp()
        for b in finished.values()
    ]
    failed = sum(b["status"] == "failed" for b in finished.values())
    return max(ends) - start, latencies, failed


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
        "target_ratio_min": 0.7,
        "direct_latency_median_s": round(statistics.median(direct_lat), 3),
        "api_latency_median_s": round(statistics.median(api_lat), 3),  # created_at → finished_at
        "failed_jobs": failed,
        "setup": "make run: SQLite, filesystem broker, 1 worker --pool threads -c 2, ai_server 1x2 threads",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    out = REPO / "bench" / "results" / "e2e.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
