"""Settings of the AI server: defaults here, overridden by ``AI_*`` environment variables.

Every variable is documented in docs/ai_server.md. Flask's ``from_prefixed_env("AI")``
parses values as JSON where it can, so ``AI_DETECT_MAX_SIDE=960`` arrives as an int.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


def defaults() -> dict[str, Any]:
    """Defaults that make a laptop run work; read at call time so tests can set env first."""
    models_dir = os.environ.get("MODELS_DIR") or str(REPO_ROOT / "models")
    return {
        "MODELS_DIR": models_dir,
        # u2netp (4.5 MB) or isnet-general-use (170 MB); both Apache-2.0.
        "CUTOUT_MODEL": "u2netp",
        "CUTOUT_MODEL_PATH": "",  # empty: <MODELS_DIR>/<CUTOUT_MODEL>.onnx
        "EMOTION_MODELS": "fer,human,vgg48",
        "FLIP_AVERAGE": True,
        # Score each face at several shifted crops per classifier (their test_time_views)
        # and average: measured better on FER2013 PublicTest (docs/expression-models.md).
        "TEST_TIME_CROPS": True,
        # on | off: per-emotion weights measured on PublicTest for the chosen ensemble
        # (classifiers.CALIBRATION); an ensemble without measured weights is left as is.
        "EMOTION_CALIBRATION": "on",
        # Threads one classify call may use in each onnxruntime classifier (human, vgg48).
        # 2: a lone request's faces are scored on both cores of a small machine (about half
        # the latency); concurrent requests share them (threads wait, they do not spin).
        "CLASSIFIER_THREADS": 2,
        # centerface | mtcnn (ai_server/detectors); the default measured best on annotated group photos.
        "DETECTOR": "centerface",
        # The three below default (None) to the chosen detector's measured settings
        # (DetectorSettings in its module; the measurements are in docs/ai_server.md).
        # Detection runs on a copy whose long side is at most this many pixels.
        "DETECT_MAX_SIDE": None,
        # Smallest face looked for, in pixels of that bounded copy.
        "MIN_FACE_SIZE": None,
        # Faces less confident than this are dropped.
        "MIN_CONFIDENCE": None,
        "DETECT_SCALE_FACTOR": 0.709,  # MTCNN's pyramid step
        # Decoded, ready-to-paste template pictures kept per worker process, by template key.
        "TEMPLATE_CACHE_MB": 128,
        # Picture limits: the same as main_server's UPLOAD_MAX_* (main stores
        # nothing ai_server would refuse); /healthz reports them and a test checks
        # the two services agree.
        "MAX_PIXELS": 40_000_000,
        "MAX_IMAGE_BYTES": 15 * 1024 * 1024,  # each picture of a request
        "MAX_FRAMES": 1000,  # animations: the first frame is used
        "EMOJI_MAX_PIXELS": 16_000_000,  # each of the seven emoji pictures of /v1/compose
        # Whole request; 0 = derived: a photo and seven emoji pictures at MAX_IMAGE_BYTES.
        "MAX_CONTENT_LENGTH": 0,
        "MAX_FACES": 64,
        # Emoji side relative to the face box (the visible part covers the box plus a margin).
        "EMOJI_SCALE": 1.25,
        "JPEG_QUALITY": 95,  # re-encoding drift away from faces stays ~1 level
        # Load models when the app is created (each gunicorn worker, after fork);
        # tests turn it off to build apps without models.
        "EAGER_LOAD": True,
    }


def load_config(app, test_config: dict[str, Any] | None) -> None:
    app.config.update(defaults())
    app.config.from_prefixed_env("AI")
    if test_config:
        app.config.update(test_config)
    for key in ("MAX_PIXELS", "MAX_IMAGE_BYTES", "MAX_FRAMES", "EMOJI_MAX_PIXELS"):
        app.config[key] = int(app.config[key])
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_CONTENT_LENGTH"]) or request_limit(app.config)


def request_limit(config: dict[str, Any]) -> int:
    """The biggest request main_server can send: /v1/compose's photo and seven
    emoji pictures, plus room for the multipart framing and fields."""
    return 8 * int(config["MAX_IMAGE_BYTES"]) + 1024 * 1024


def picture_limits(config: dict[str, Any]) -> dict[str, int]:
    """The limits as /healthz reports them."""
    return {
        "max_image_bytes": int(config["MAX_IMAGE_BYTES"]),
        "max_pixels": int(config["MAX_PIXELS"]),
        "max_frames": int(config["MAX_FRAMES"]),
        "emoji_max_pixels": int(config["EMOJI_MAX_PIXELS"]),
        "max_content_length": int(config["MAX_CONTENT_LENGTH"]),
    }


def cutout_model_path(config: dict[str, Any]) -> Path:
    explicit = str(config.get("CUTOUT_MODEL_PATH") or "")
    if explicit:
        return Path(explicit)
    return Path(config["MODELS_DIR"]) / f"{config['CUTOUT_MODEL']}.onnx"


def emotion_model_names(config: dict[str, Any]) -> list[str]:
    raw = config["EMOTION_MODELS"]
    names = raw if isinstance(raw, list) else str(raw).split(",")
    return [n.strip() for n in names if n.strip()]


def detector_name(config: dict[str, Any]) -> str:
    from ai_server.detectors import REGISTRY

    name = str(config.get("DETECTOR") or "").strip().lower()
    if name not in REGISTRY:
        raise ValueError(f"AI_DETECTOR={name!r}: choose from {sorted(REGISTRY)}")
    return name


def detector_settings(config: dict[str, Any]):
    """The chosen detector's DetectorSettings, with any AI_* value that is set overriding it."""
    from dataclasses import replace

    from ai_server.detectors import default_settings

    settings = default_settings(detector_name(config))
    overrides = {
        field: cast(config[key])
        for key, field, cast in (
            ("MIN_CONFIDENCE", "min_confidence", float),
            ("DETECT_MAX_SIDE", "max_side", int),
            ("MIN_FACE_SIZE", "min_face_size", int),
        )
        if config.get(key) not in (None, "")
    }
    return replace(settings, **overrides)
