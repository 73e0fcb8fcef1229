"""The scaled topology under load: writes bench/results/stack.json. Timing only, no asserts.

Starts the native rehearsal (`make stack`: 2 workers, 2 ai_servers behind nginx,
PostgreSQL, RabbitMQ), then sends jobs through nginx as users do and measures:
- start-up seconds (until every Prometheus target is up);
- job latency upload→done as a client sees it (polling every 0.1 s; p50/p95/max)
  and throughput, for bursts of 1, 4 and 8 jobs;
- how the AI requests were spread over the replicas;
- RSS of every process, from the processes' own metrics.
Stops everything it started, whatever happens.

    .venv/bin/python bench/stack.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stack import stack  # noqa: E402
from scripts.stack.client import ApiUser, astronaut_jpeg  # noqa: E402
from scripts.stack.config import StackConfig  # noqa: E402


def _job_seconds(user: ApiUser, template_id: int, photo: bytes) -> float:
    start = time.monotonic()
    task_id = user.submit_job(template_id, photo)
    job = user.wait(f"faces/tasks/{task_id}", done=("done", "failed"), poll=0.1)
    if job["status"] != "done":
        raise RuntimeError(f"job {task_id} failed: {job['error']}")
    return time.monotonic() - start


def _burst(user: ApiUser, template_id: int, photo: bytes, size: int) -> dict:
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=size) as pool:
        latencies = sorted(pool.map(lambda _: _job_seconds(user, template_id, photo), range(size)))
    wall = time.monotonic() - start
    return {
        "jobs": size,
        "latency_s": {
            "p50": round(statistics.median(latencies), 3),
            "p95": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 3),
            "max": round(latencies[-1], 3),
        },
        "wall_s": round(wall, 3),
        "jobs_per_minute": round(60 * size / wall, 1),
    }


def _scrape(url: str, prefix: str) -> dict[str, float]:
    out = {}
    for line in requests.get(url, timeout=10).text.splitlines():
        if line.startswith(prefix):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="bursts of 1 and 4 only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    cfg = StackConfig.from_env()
    start = time.monotonic()
    stack.up(cfg)
    try:
        startup = time.monotonic() - start
        user = ApiUser(cfg.public_url)
        user.register_and_login()
        template_id = user.first_template_id()
        photo = astronaut_jpeg()
        _job_seconds(user, template_id, photo)  # warm-up: first request per ai worker
        bursts = [
            _burst(user, template_id, photo, n) for n in ((1, 4) if args.quick else (1, 4, 8))
        ]
        spread = {}
        memory = {}
        for i in range(cfg.ai_servers):
            url = f"http://127.0.0.1:{cfg.ai_port(i)}/metrics"
            spread[f"ai{i + 1}"] = sum(_scrape(url, "ai_requests_total{").values())
            memory[f"ai{i + 1}"] = sum(_scrape(url, "ai_process_resident_memory_bytes").values())
        memory["main"] = _scrape(
            f"http://127.0.0.1:{cfg.main_port}/metrics", "process_resident_memory_bytes"
        )["process_resident_memory_bytes"]
        for i in range(cfg.workers):
            memory[f"worker{i + 1}"] = _scrape(
                f"http://127.0.0.1:{cfg.worker_metrics_port(i)}/metrics",
                "process_resident_memory_bytes",
            )["process_resident_memory_bytes"]
    finally:
        stack.down(cfg)
    result = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "topology": {
            "workers": cfg.workers,
            "ai_servers": cfg.ai_servers,
            "photo": "astronaut 512x512, 1 face",
        },
        "startup_s": round(startup, 1),
        "bursts": bursts,
        "ai_requests_by_replica": spread,
        "rss_mb": {k: round(v / 2**20, 1) for k, v in memory.items()},
    }
    out = ROOT / "bench" / "results" / "stack.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))  # CLI output
    return 0


if __name__ == "__main__":
    sys.exit(main())
