"""Milliseconds per face for each expression classifier and for the ensemble.

Runs the real models (``$MODELS_DIR``, put there by ``make models``) on the
astronaut portrait (skimage, public domain), one face per call and batches of 8;
the default ensemble with and without test-time crops, and through the service
(``/v1/analyze`` with the box given: decode, classify, JSON), and writes
``bench/results/classifiers.json``. Timing only: nothing is asserted.

    .venv/bin/python bench/classifiers.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import skimage.data  # noqa: E402

from ai_server.classifiers import REGISTRY, calibration_for  # noqa: E402
from ai_server.classifiers.human_install import default_models_dir, model_dir  # noqa: E402
from ai_server.config import defaults, emotion_model_names  # noqa: E402
from ai_server.pipeline.classify import classify_faces  # noqa: E402

FACE = (182, 64, 83, 107)  # MTCNN's box on the astronaut
BATCH = 8


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    for _ in range(3):  # warm-up: first calls allocate buffers / pick kernels
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000.0


def boxes_for(n: int) -> list[tuple[int, int, int, int]]:
    # Slightly shifted copies of the face, so a batch is not n identical crops.
    return [(FACE[0] + i, FACE[1] + (i % 3), FACE[2], FACE[3]) for i in range(n)]


def keras_comparison(image: np.ndarray, repeat: int) -> dict:
    """The same net rebuilt in Keras with the same weights: the alternative to ONNX we measured."""
    import keras
    from keras import layers

    from ai_server.classifiers.human import preprocess
    from ai_server.classifiers.human_convert import read_tfjs_weights

    folder = model_dir(default_models_dir())
    p = read_tfjs_weights(json.loads((folder / "emotion.json").read_text()), folder)
    pre = "StatefulPartitionedCall/model_1/"

    def conv(x, name, strides=1, padding="same", act=None, w=None, b=None):
        w = p[pre + name + "_weights"] if w is None else w
        b = p[pre + name + "_bn_offset"] if b is None else b
        layer = layers.Conv2D(w.shape[3], w.shape[:2], strides=strides, padding=padding, activation=act)
        y = layer(x)
        layer.set_weights([w, b])
        return y

    def depthwise(x, name):
        layer = layers.DepthwiseConv2D(3, padding="same", use_bias=False)
        y = layer(x)
        layer.set_weights([p[name]])
        return y

    inp = keras.Input((64, 64, 1))
    x = conv(inp, "conv2d_1/Conv2D", 2, "valid", "relu")
    x = conv(x, "conv2d_2/Conv2D", 1, "valid", "relu")
    for res, dw1, sep1, dw2, sep2, pre_relu in (
        ("conv2d_3", "unknown_9", "separable_conv2d_1", "unknown_15", "separable_conv2d_2", False),
        ("conv2d_4", "unknown_26", "separable_conv2d_3", "unknown_32", "separable_conv2d_4", True),
    ):
        shortcut = conv(x, f"{res}/Conv2D", 2)
        y = layers.ReLU()(x) if pre_relu else x
        y = conv(depthwise(y, dw1), f"{sep1}/separable_conv2d", 1, "valid", "relu")
        y = conv(depthwise(y, dw2), f"{sep2}/separable_conv2d", 1, "valid")
        x = layers.Add()([layers.MaxPooling2D(3, 2, padding="same")(y), shortcut])
    x = conv(x, "", w=p["unknown_43"], b=p["unknown_44"])
    model = keras.Model(inp, layers.Softmax()(layers.GlobalAveragePooling2D()(x)))
    batch = np.stack([preprocess(image, b) for b in boxes_for(BATCH)])
    onnx_out = REGISTRY["human"]()._session.run(None, {"input": batch})[0]
    return {
        "max_abs_diff_vs_onnx": float(np.abs(model(batch, training=False).numpy() - onnx_out).max()),
        "predict_ms_per_face_batch1": round(median_ms(lambda: model.predict(batch[:1], verbose=0), repeat), 3),
        "call_ms_per_face_batch1": round(median_ms(lambda: model(batch[:1], training=False), repeat), 3),
        f"call_ms_per_face_batch{BATCH}": round(
            median_ms(lambda: model(batch, training=False), repeat) / BATCH, 3),
    }


def analyze_ms(image: np.ndarray, repeat: int) -> dict:
    """/v1/analyze with one given box, the service's defaults, in-process (Flask's test
    client): decode, classify with every default, JSON -- what a classify request costs."""
    import io

    from PIL import Image

    from ai_server import create_app

    crop = image[:240, 120:330]  # a portrait-sized picture around the face
    buf = io.BytesIO()
    Image.fromarray(crop).save(buf, format="JPEG", quality=92)
    box = [FACE[0] - 120, FACE[1], FACE[2], FACE[3]]
    client = create_app({"CUTOUT_MODEL_PATH": "/nonexistent"}).test_client()

    def call() -> None:
        r = client.post("/v1/analyze", data={"image": (io.BytesIO(buf.getvalue()), "f.jpg"),
                                              "boxes": json.dumps([box])})
        assert r.status_code == 200, r.get_json()

    return {"picture": f"{crop.shape[1]}x{crop.shape[0]} JPEG", "ms_per_request": round(median_ms(call, repeat), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--no-keras", action="store_true", help="skip the Keras comparison")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "classifiers.json")
    args = parser.parse_args()

    image = skimage.data.astronaut()
    results: dict[str, dict] = {}
    loaded = []
    for name, build in REGISTRY.items():
        start = time.perf_counter()
        classifier = build()
        load_s = time.perf_counter() - start
        loaded.append(classifier)
        results[name] = {
            "load_seconds": round(load_s, 3),
            "ms_per_face_batch1": round(median_ms(lambda c=classifier: c.predict(image, boxes_for(1)), args.repeat), 3),
            f"ms_per_face_batch{BATCH}": round(
                median_ms(lambda c=classifier: c.predict(image, boxes_for(BATCH)), args.repeat) / BATCH, 3),
        }
    names = emotion_model_names(defaults())
    ensemble = [c for c in loaded if c.name in names]
    calibration = calibration_for(names)
    for key, kwargs in (
        ("ensemble_no_flip", {"flip_average": False}),
        ("ensemble_flip_averaged", {}),
        ("ensemble_default_test_time_crops_calibrated", {"test_time_crops": True, "calibration": calibration}),
    ):
        results[key] = {
            "classifiers": names,
            "ms_per_face_batch1": round(median_ms(
                lambda k=kwargs: classify_faces(ensemble, image, boxes_for(1), **k), args.repeat), 3),
            f"ms_per_face_batch{BATCH}": round(median_ms(
                lambda k=kwargs: classify_faces(ensemble, image, boxes_for(BATCH), **k),
                args.repeat) / BATCH, 3),
        }
    results["service_v1_analyze_one_face"] = analyze_ms(image, args.repeat)
    if not args.no_keras:
        results["human_as_keras_for_comparison"] = keras_comparison(image, args.repeat)
    onnx_path = model_dir(default_models_dir()) / "emotion.onnx"
    report = {
        "benchmark": "expression classifiers, ms per face (median)",
        "image": f"skimage.data.astronaut(), face box {list(FACE)}",
        "repeat": args.repeat,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "python": platform.python_version()},
        "human_onnx_bytes": onnx_path.stat().st_size if onnx_path.is_file() else None,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report["results"], indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
