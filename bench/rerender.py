"""Re-render (stored boxes, no detection) vs the first job on the same photo.

Starts `python -m scripts.run_local` (what `make run` runs) on free ports with a
temporary DATA_DIR; for each photo: a job (detect + classify + compose), then a
re-render of it with face 0 changed (the boxes and landmarks go to ai_server,
nothing is detected). Latency = the job's created_at → finished_at (server clock).
Writes bench/results/rerender.json. Never asserts on time.
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.procs import LocalService  # noqa: E402
from tests.e2e.helpers import EMOTIONS, Api, group_jpeg  # noqa: E402

ROUNDS = 3


def _scaled(photo: bytes, factor: float) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(photo))
    out = io.BytesIO()
    image.resize((int(image.width * factor), int(image.height * factor))).save(out, format="JPEG", quality=92)
    return out.getvalue()


def _seconds(job: dict) -> float:
    def parse(value: str) -> float:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()

    return parse(job["finished_at"]) - parse(job["created_at"])


def main() -> int:
    photos = {"group of 7, 1040x600": group_jpeg(7), "group of 7, 4160x2400 (10 MP)": _scaled(group_jpeg(7), 4.0)}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        service = LocalService(Path(tmp), extra_env={"THROTTLE_UPLOADS": "10000/min"}).start()
        try:
            api = Api(service.url)
            api.signup_and_login()
            template_id = next(t["id"] for t in api.get("/emojis/pages/1").json()["results"] if t["is_builtin"])
            api.wait_job(api.create_job(template_id, photos["group of 7, 1040x600"]).json()["task_id"])  # warm-up
            for name, photo in photos.items():
                firsts, rerenders, faces = [], [], 0
                for _ in range(ROUNDS):
                    job = api.wait_job(api.create_job(template_id, photo).json()["task_id"])
                    assert job["status"] == "done", job
                    faces = len(job["result"]["faces"])
                    other = next(e for e in EMOTIONS if e != job["result"]["faces"][0]["emotion"])
                    created = api.post(f"/faces/tasks/{job['task_id']}/rerender", json={"overrides": {"0": other}})
                    again = api.wait_job(created.json()["task_id"])
                    assert again["status"] == "done", again
                    firsts.append(_seconds(job))
                    rerenders.append(_seconds(again))
                rows.append({
                    "photo": name,
                    "faces": faces,
                    "job_median_s": round(statistics.median(firsts), 3),
                    "rerender_median_s": round(statistics.median(rerenders), 3),
                    "job_s": [round(s, 3) for s in firsts],
                    "rerender_s": [round(s, 3) for s in rerenders],
                })
        finally:
            service.stop()
    result = {
        "rounds": ROUNDS,
        "results": rows,
        "latency": "created_at -> finished_at of each job (upload, broker, worker, ai_server, storage)",
        "setup": "make run: SQLite, filesystem broker, 1 worker --pool threads -c 2, ai_server 1x2 threads",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    out = REPO / "bench" / "results" / "rerender.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
