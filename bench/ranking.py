"""Ranking query time with 1 k vs 100 k finished jobs (target: ≤ 2×).

Two shapes of table, each with 1 k and 100 k jobs:
- "growing": the table grows with history (older jobs) while the last 7 days
  hold the same 1 k done jobs — what a service sees over time;
- "all_in_window": every job finished within the window (worst case).
Runs on SQLite, and on PostgreSQL too when 127.0.0.1:5432 answers (a throwaway
database). Writes bench/results/ranking.json. Never asserts on time.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
WINDOW_JOBS = 1000
SIZES = (1_000, 100_000)
REPEATS = 50

CHILD = r"""
import json, random, statistics, sys, time
from datetime import timedelta
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
call_command("migrate", "--noinput", verbosity=0)
from accounts.models import User
from emojis.models import EmojiTemplate
from faces.models import Job
from faces.selectors import ranking_top

total, shape, window_jobs, repeats = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
random.seed(7)
owner = User.objects.create_user(email="bench@example.org", password=None, alias="bench")
templates = [EmojiTemplate.objects.create(owner=owner, name=f"t{i}", status="ready") for i in range(50)]
now = timezone.now()
in_window = total if shape == "all_in_window" else min(window_jobs, total)
batch = []
for i in range(total):
    if i < in_window:
        finished = now - timedelta(days=random.uniform(0, 6.9))
    else:
        finished = now - timedelta(days=random.uniform(7.1, 720))
    batch.append(Job(owner=owner, template=random.choice(templates), status="done",
                     finished_at=finished, input_image="bench/x.jpg"))
    if len(batch) == 10000:
        Job.objects.bulk_create(batch); batch = []
Job.objects.bulk_create(batch)
if connection.vendor == "postgresql":
    connection.ensure_connection()
    connection.connection.autocommit = True  # VACUUM cannot run in a transaction
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE faces_job")  # what autovacuum keeps up in production
else:
    with connection.cursor() as c:
        c.execute("ANALYZE")
from faces.selectors import ranking_queryset
ranking_top()  # warm caches

def timed(fn):
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000, min(samples) * 1000

agg, agg_min = timed(lambda: list(ranking_queryset()))
full, full_min = timed(ranking_top)
plan = ranking_queryset().explain(**({"analyze": True} if connection.vendor == "postgresql" else {}))
execution = None
for line in plan.splitlines():
    if line.startswith("Execution Time:"):
        execution = float(line.split()[2])
print(json.dumps({"median_ms": agg, "min_ms": agg_min, "ranking_top_median_ms": full,
                  "ranking_top_min_ms": full_min, "pg_execution_ms": execution,
                  "jobs_in_window": in_window, "plan": plan}))
"""


def _run(database_url: str, data_dir: str, total: int, shape: str) -> dict:
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "config.django.base", "DATABASE_URL": database_url,
        "DATA_DIR": data_dir, "CACHE_URL": "locmem://", "LOG_LEVEL": "WARNING",
    }
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(total), shape, str(WINDOW_JOBS), str(REPEATS)],
        cwd=REPO / "main_server", env=env, check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _pg_admin():
    try:
        import psycopg

        return psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True, connect_timeout=3)
    except Exception:  # noqa: BLE001 (no PostgreSQL here: SQLite only)
        return None


def main() -> int:
    results: dict = {"window_jobs": WINDOW_JOBS, "repeats": REPEATS, "backends": {}}
    admin = _pg_admin()
    backends = ["sqlite"] + (["postgresql"] if admin else [])
    only = os.environ.get("BENCH_BACKENDS")  # e.g. "postgresql" while iterating
    backends = [b for b in backends if not only or b in only.split(",")]
    for backend in backends:
        per_shape = {}
        for shape in ("growing", "all_in_window"):
            timings = {}
            for total in SIZES:
                with tempfile.TemporaryDirectory() as tmp:
                    if backend == "sqlite":
                        url = f"sqlite:///{tmp}/bench.sqlite3"
                        timings[total] = _run(url, tmp, total, shape)
                    else:
                        name = f"igemoji_bench_{uuid.uuid4().hex[:8]}"
                        admin.execute(f'CREATE DATABASE "{name}"')
                        try:
                            timings[total] = _run(f"postgresql://postgres@127.0.0.1:5432/{name}", tmp, total, shape)
                        finally:
                            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                t = timings[total]
                print(f"{backend:10s} {shape:14s} {total:>7d} jobs: aggregate min {t['min_ms']:.2f} ms "
                      f"median {t['median_ms']:.2f} ms, with previews {t['ranking_top_median_ms']:.2f} ms, "
                      f"pg execution {t['pg_execution_ms']} ms", flush=True)
            small, big = timings[SIZES[0]], timings[SIZES[1]]
            per_shape[shape] = {
                "timings": {str(k): v for k, v in timings.items()},
                # min of the repeats: the machine is shared, the minimum is the
                # query's own cost with the least interference.
                "ratio_100k_vs_1k": round(big["min_ms"] / small["min_ms"], 3),
                "ratio_100k_vs_1k_median": round(big["median_ms"] / small["median_ms"], 3),
                "target_ratio_max": 2.0 if shape == "growing" else None,
            }
        results["backends"][backend] = per_shape
    results["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ranking.json").write_text(json.dumps(results, indent=2))
    for backend, shapes in results["backends"].items():
        for shape, r in shapes.items():
            print(f"{backend} {shape}: 100k/1k = {r['ratio_100k_vs_1k']}")
    return 0


if __name__ == "__main__":
    random.seed(1)
    sys.exit(main())
