"""AI pipeline benchmark: writes bench/results/ai_pipeline.json. Timing only, no asserts.

Measures, on the astronaut portrait (skimage, public domain) and photos made from it:
- per-stage ms (decode, detect, classify, compose+encode) at 0.3, 1 and 12 MP;
- detection ms and faces found: our settings (bounded copy, min face, scale factor)
  against MTCNN's defaults on the full image;
- classify faces/s; warm compose requests/s;
- seed-style cost (MTCNN and FER constructed for every photo) against warm, as a ratio;
- RSS of the process after 100 and after 1 000 compose requests.

    .venv/bin/python bench/ai_pipeline.py [--quick]
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from ai_server import create_app  # noqa: E402
from ai_server.metrics import rss_bytes  # noqa: E402
from ai_server.pipeline.decode import decode_image, encode_image  # noqa: E402
from ai_server.service import StageTimer, decode_and_detect, find_faces, paste_emojis  # noqa: E402
from ai_server.templates import template_key  # noqa: E402
from ai_server.tests import photos  # noqa: E402

SIZES_MP = (0.3, 1.0, 12.0)


def photo_at(megapixels: float) -> np.ndarray:
    """The astronaut at a camera's 4:3 shape (12 MP = 4000×3000, 1 MP = 1155×866)."""
    width = round((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = round(width * 3 / 4)
    return cv2.resize(photos.astronaut(), (width, height), interpolation=cv2.INTER_CUBIC)


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def stage_ms(app, emojis, rgb: np.ndarray, repeat: int) -> dict:
    config, models = app.config, app.extensions["ai_models"]
    data = photos.encode(rgb, "JPEG", quality=92)
    runs = []
    for _ in range(repeat):
        timer = StageTimer()
        t0 = time.perf_counter()
        # What /v1/compose does: full decode in a pool thread while detection runs on a
        # draft-decoded copy, classify, paste in place, encode with the source's tables.
        image, detected = decode_and_detect(models, config, data, timer)
        faces, faces_json = find_faces(models, config, image.rgb, None, timer, detected=detected)
        with timer.stage("compose"):
            out = paste_emojis(image.pixels, faces, faces_json, emojis, {}, scale=float(config["EMOJI_SCALE"]),
                               in_place=True)
            encode_image(out, image.format, jpeg_options=image.jpeg_options)
        runs.append({**timer.ms, "faces": len(faces), "wall": (time.perf_counter() - t0) * 1000})
    # The fastest run: on a shared machine it is the cost of the work itself. decode and
    # detect overlap (two threads), so the request costs its wall time, not their sum.
    fastest = min(runs, key=lambda r: r["wall"])
    result = {k: fastest[k] for k in ("decode", "detect", "classify", "compose")}
    result["total"] = round(fastest["wall"], 1)
    result["total_median"] = round(statistics.median(r["wall"] for r in runs), 1)
    result["faces"] = runs[-1]["faces"]
    result["pixels"] = int(rgb.shape[0] * rgb.shape[1])
    return result


def detection_comparison(app, images: dict[str, np.ndarray], full_defaults_on: set[str]) -> dict:
    from mtcnn import MTCNN

    from ai_server.pipeline.detect import detect_faces

    config, models = app.config, app.extensions["ai_models"]
    stock = MTCNN()
    stock.detect_faces(np.zeros((48, 48, 3), np.uint8))
    out = {}
    for name, rgb in images.items():
        t = time.perf_counter()
        settings = models.detector_settings
        ours = detect_faces(models.detector, rgb, max_side=settings.max_side, min_face_size=settings.min_face_size,
                            min_confidence=settings.min_confidence, max_faces=int(config["MAX_FACES"]),
                            recheck_from=settings.recheck_from)
        ours_ms = _ms(t)
        row = {"ours_ms": ours_ms, "ours_faces": [list(f.box) for f in ours]}
        if name in full_defaults_on:
            t = time.perf_counter()
            theirs = stock.detect_faces(rgb)
            row.update(defaults_full_image_ms=_ms(t), defaults_faces=[r["box"] for r in theirs])
        out[name] = row
    out["detector"] = models.detector_name
    out["settings"] = dict(vars(models.detector_settings))
    out["stock_mtcnn"] = {"max_side": None, "min_face_size": 20, "scale_factor": 0.709, "min_confidence": "MTCNN's 0.8 (no extra filter)"}
    return out


def classify_rate(app, repeat: int) -> dict:
    from ai_server.pipeline.classify import classify_faces

    models = app.extensions["ai_models"]
    rgb = photos.astronaut()
    boxes = [photos.ASTRONAUT_FACE] * 16
    classify_faces(models.classifiers, rgb, boxes)
    t = time.perf_counter()
    for _ in range(repeat):
        classify_faces(models.classifiers, rgb, boxes, flip_average=bool(app.config["FLIP_AVERAGE"]))
    seconds = time.perf_counter() - t
    return {"classifiers": models.emotion_names, "flip_average": bool(app.config["FLIP_AVERAGE"]),
            "faces_per_second": round(repeat * len(boxes) / seconds, 1)}


def compose_request(client, data: bytes, template: dict[str, bytes]):
    """As the worker does: by template key, the pictures only when the server asks for them."""
    key = template_key(template)
    resp = client.post("/v1/compose", data={"image": (io.BytesIO(data), "p.jpg"), "template_key": key})
    if resp.status_code == 409:
        fields = {"image": (io.BytesIO(data), "p.jpg"), "template_key": key,
                  **{e: (io.BytesIO(b), f"{e}.png") for e, b in template.items()}}
        resp = client.post("/v1/compose", data=fields)
    assert resp.status_code == 200, resp.get_data(as_text=True)  # a broken run must not report numbers


def warm_compose_rate(app, template, repeat: int) -> dict:
    client = app.test_client()
    data = photos.encode(photo_at(0.3), "JPEG")
    compose_request(client, data, template)
    t = time.perf_counter()
    for _ in range(repeat):
        compose_request(client, data, template)
    seconds = time.perf_counter() - t
    return {"photo_mp": 0.3, "requests": repeat, "per_second": round(repeat / seconds, 2),
            "ms_per_request": round(seconds / repeat * 1000, 1)}


def seed_style(app, repeat: int) -> dict:
    """The seed built MTCNN and FER for every photo; we build them once per process."""
    from fer.fer import FER
    from mtcnn import MTCNN

    rgb = photos.astronaut()
    models = app.extensions["ai_models"]
    config = app.config
    seed_times, warm_times = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        detector, fer = MTCNN(), FER()
        boxes = [r["box"] for r in detector.detect_faces(rgb)]
        fer.detect_emotions(np.ascontiguousarray(rgb[:, :, ::-1]), face_rectangles=boxes)
        seed_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        find_faces(models, config, rgb, None, StageTimer())
        warm_times.append(time.perf_counter() - t)
    seed, warm = statistics.median(seed_times), statistics.median(warm_times)
    return {"seed_ms": round(seed * 1000, 1), "warm_ms": round(warm * 1000, 1), "ratio": round(seed / warm, 2)}


def rss_growth(first: int, total: int) -> dict:
    """RSS of an ai_server app alone (a fresh process: this one also holds the bench's
    own MTCNN and FER copies) after `first` and `total` compose requests: 320×320
    photos, every 100th a 12 MP one, the template by key."""
    app = create_app()
    template = photos.noto_template()
    client = app.test_client()
    small = photos.encode(cv2.resize(photos.astronaut(), (320, 320), interpolation=cv2.INTER_AREA), "JPEG")
    big = photos.encode(photo_at(12.0), "JPEG", quality=92)
    marks = {"loaded": rss_bytes()}
    t = time.perf_counter()
    for i in range(1, total + 1):
        compose_request(client, big if i % 100 == 50 else small, template)
        if i in (first, total):
            marks[i] = rss_bytes()
    return {"requests_photo": "320x320 JPEG compose, every 100th 12 MP", "process": "ai_server app alone",
            "rss_mb_loaded": round(marks["loaded"] / 2**20, 1),
            f"rss_mb_after_{first}": round(marks[first] / 2**20, 1),
            f"rss_mb_after_{total}": round(marks[total] / 2**20, 1), "ratio": round(marks[total] / marks[first], 3),
            "seconds": round(time.perf_counter() - t, 1)}


def rss_in_fresh_process(first: int, total: int) -> dict:
    import subprocess

    done = subprocess.run([sys.executable, __file__, "--rss", str(first), str(total)], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (smoke run)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "ai_pipeline.json")
    parser.add_argument("--rss", nargs=2, type=int, metavar=("FIRST", "TOTAL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss:
        logging.disable(logging.INFO)  # the request log of 1 000 requests
        print(json.dumps(rss_growth(*args.rss)))  # read by rss_in_fresh_process
        return 0
    repeat = 2 if args.quick else 5
    t0 = time.perf_counter()
    app = create_app()
    load_seconds = dict(app.extensions["ai_models"].load_seconds)
    template = photos.noto_template()
    emojis = {e: decode_image(b, max_pixels=16_000_000).pixels for e, b in template.items()}
    result: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "emotion_models": app.extensions["ai_models"].emotion_names,
        "model_load_seconds": {k: round(v, 2) for k, v in load_seconds.items()},
    }
    images = {f"{mp}MP": photo_at(mp) for mp in SIZES_MP}
    result["stages_ms"] = {name: stage_ms(app, emojis, rgb, repeat) for name, rgb in images.items()}
    s = result["stages_ms"]
    result["ratio_12MP_over_1MP"] = round(s["12.0MP"]["total"] / s["1.0MP"]["total"], 2)
    # The same with a 1600 px detection copy (AI_DETECT_MAX_SIDE=1600): what a bigger copy would cost.
    app_1600 = create_app({"DETECT_MAX_SIDE": 1600})
    at_1600 = {name: stage_ms(app_1600, emojis, images[name], repeat) for name in ("1.0MP", "12.0MP")}
    result["stages_ms_detect_copy_1600"] = at_1600
    result["ratio_12MP_over_1MP_detect_copy_1600"] = round(at_1600["12.0MP"]["total"] / at_1600["1.0MP"]["total"], 2)
    group, _ = photos.group_photo()
    det_images = {**images, "group_3_faces": group, "no_face_coffee": photos.coffee(),
                  "rolled_25deg": photos.rolled_astronaut(25.0)}
    full = set(det_images) if not args.quick else {"0.3MP", "group_3_faces"}
    result["detection"] = detection_comparison(app, det_images, full)
    result["classify"] = classify_rate(app, 20 if args.quick else 100)
    result["warm_compose"] = warm_compose_rate(app, template, 5 if args.quick else 20)
    result["seed_vs_warm"] = seed_style(app, 2 if args.quick else 3)
    result["rss"] = rss_in_fresh_process(10 if args.quick else 100, 200 if args.quick else 1000)
    result["bench_seconds"] = round(time.perf_counter() - t0, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))  # CLI output
    return 0


if __name__ == "__main__":
    sys.exit(main())
