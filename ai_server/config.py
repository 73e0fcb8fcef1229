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
        "EMOTION_MODELS": "fer,human",
        "FLIP_AVERAGE": True,
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
        "MAX_PIXELS": 40_000_000,
        "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
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
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_CONTENT_LENGTH"])


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
