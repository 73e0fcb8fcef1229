"""FER2013 PublicTest faces through a running ``python -m ai_server`` with its defaults:
accuracy, fear recall and milliseconds per classify request (one face, HTTP included).

The protocol the service is judged by: each 48 px face upscaled to 144 px (bicubic),
sent as PNG to ``/v1/analyze`` with the whole picture as the face box. Needs the
FER2013 arrays (never in the repository), so it is not part of ``make bench``:

    .venv/bin/python -m ai_server --port 8011 &
    .venv/bin/python bench/expression_http.py --data fer2013_train_publictest.npz --url http://127.0.0.1:8011

Writes ``bench/results/expression_http.json``. Timing is reported, never asserted.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import requests
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ai_server.classifiers.base import EMOTIONS  # noqa: E402


def post(url: str, png: bytes, boxes: list) -> tuple[dict, float]:
    started = time.perf_counter()
    resp = requests.post(url + "/v1/analyze", files={"image": ("f.png", png, "image/png")},
                         data={"boxes": json.dumps(boxes)}, timeout=60)
    resp.raise_for_status()
    return resp.json(), time.perf_counter() - started


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=os.environ.get("FER2013") or None,
                   help="fer2013_train_publictest.npz (default: $FER2013)")
    p.add_argument("--url", default="http://127.0.0.1:8001")
    p.add_argument("--limit", type=int, default=0, help="a seeded random N faces only (0: all)")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "expression_http.json")
    a = p.parse_args()
    if a.data is None or not Path(a.data).is_file():
        print("skipped: no FER2013 arrays (--data or $FER2013); they are never in the repository")
        return
    try:
        health = requests.get(a.url + "/healthz", timeout=10).json()
    except requests.RequestException as exc:
        print(f"skipped: no ai_server at {a.url} ({exc}); start `python -m ai_server` first")
        return
    with np.load(a.data, allow_pickle=False) as z:
        x, y = z["x_val"], z["y_val"].astype(int)
    if a.limit:  # the split is ordered by class: sample across it
        pick = np.random.default_rng(0).permutation(len(y))[: a.limit]
        x, y = x[pick], y[pick]
    pred, times = [], []
    for face in x:
        buf = io.BytesIO()
        Image.fromarray(face).resize((144, 144), Image.Resampling.BICUBIC).convert("RGB").save(buf, "PNG")
        out, seconds = post(a.url, buf.getvalue(), [[0, 0, 144, 144]])
        pred.append(EMOTIONS.index(out["faces"][0]["emotion"]))
        times.append(seconds)
    pred = np.asarray(pred)
    fear = EMOTIONS.index("fear")
    report = {
        "benchmark": "FER2013 PublicTest through python -m ai_server (defaults), /v1/analyze with the box given",
        "faces": len(y),
        "emotion_models": health.get("emotion_models"),
        "calibrated": health.get("calibrated"),
        "accuracy": round(float((pred == y).mean()), 4),
        "fear_recall": round(float((pred[y == fear] == fear).mean()), 4),
        "ms_per_request_median": round(statistics.median(times) * 1000, 1),
        "ms_per_request_p95": round(float(np.percentile(times, 95)) * 1000, 1),
    }
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
