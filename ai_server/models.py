"""Loads the face detector, the expression classifiers and the rembg session once per process.

Each gunicorn worker builds its own set after the fork (TensorFlow initialised in the
master can hang forked workers, gunicorn #2478). Objects are reused by every request
and thread; those that are not thread-safe are wrapped with a lock.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from ai_server import metrics
from ai_server.classifiers import REGISTRY, Classifier, calibration_for
from ai_server.config import (
    cutout_model_path,
    detector_name,
    detector_settings,
    emotion_model_names,
)
from ai_server.detectors import REGISTRY as DETECTORS
from ai_server.detectors import FaceDetector

log = logging.getLogger("ai_server.models")

# rembg session class for each permissively licensed model we accept (never bria-rmbg:
# rembg 2.0.86's default is ~1 GB and CC BY-NC).
CUTOUT_SESSIONS = {"u2netp": "u2net_custom", "u2net": "u2net_custom", "isnet-general-use": "dis_custom"}


_SHARED: dict[tuple, tuple[Any, float]] = {}
_SHARED_LOCK = threading.RLock()


def _timed(name: str, build, key: tuple | None = None) -> tuple[Any, float]:
    """Build a model once per process (per key) and record its load time."""
    key = key or (name,)
    with _SHARED_LOCK:
        if key not in _SHARED:
            start = time.perf_counter()
            obj = build()
            seconds = time.perf_counter() - start
            metrics.MODEL_LOAD_SECONDS.labels(model=name).set(seconds)
            log.info("model loaded model=%s seconds=%.2f", name, seconds)
            _SHARED[key] = (obj, seconds)
        return _SHARED[key]


class Models:
    def __init__(self, config: dict[str, Any]) -> None:
        self.emotion_names = emotion_model_names(config)
        unknown = [n for n in self.emotion_names if n not in REGISTRY]
        if unknown or not self.emotion_names:
            raise ValueError(f"AI_EMOTION_MODELS: unknown {unknown or 'empty'}; choose from {sorted(REGISTRY)}")
        self.classifier_threads = max(1, int(config.get("CLASSIFIER_THREADS") or 1))
        calibration = str(config.get("EMOTION_CALIBRATION", "on")).strip().lower()
        if calibration not in ("on", "off"):
            raise ValueError(f"AI_EMOTION_CALIBRATION={calibration!r}: choose on or off")
        self.calibration = calibration_for(self.emotion_names) if calibration == "on" else None
        self.cutout_name = str(config["CUTOUT_MODEL"])
        if self.cutout_name not in CUTOUT_SESSIONS:
            raise ValueError(f"AI_CUTOUT_MODEL={self.cutout_name!r}: choose from {sorted(CUTOUT_SESSIONS)}")
        self.cutout_path: Path = cutout_model_path(config)
        self.models_dir = Path(config["MODELS_DIR"])
        self.detector_name = detector_name(config)
        self.detector_settings = detector_settings(config)
        self._detector_config = {k: config.get(k) for k in ("MODELS_DIR", "DETECT_SCALE_FACTOR")}
        self.load_seconds: dict[str, float] = {}
        self._lock = threading.RLock()
        self._detector: FaceDetector | None = None
        self._classifiers: list[Classifier] | None = None
        self._cutout_session: Any = None
        self._cutout_error: str | None = None

    @property
    def detector(self) -> FaceDetector:
        if self._detector is None:
            with self._lock:
                if self._detector is None:
                    name = self.detector_name
                    self._detector, self.load_seconds[name] = _timed(
                        name, lambda: DETECTORS[name](self._detector_config), key=(name, str(self.models_dir))
                    )
        return self._detector

    @property
    def classifiers(self) -> list[Classifier]:
        if self._classifiers is None:
            with self._lock:
                if self._classifiers is None:
                    loaded = []
                    for name in self.emotion_names:
                        clf, self.load_seconds[name] = _timed(
                            name, lambda n=name: REGISTRY[n](self.models_dir, self.classifier_threads),
                            key=(name, str(self.models_dir), self.classifier_threads))
                        loaded.append(clf)
                    self._classifiers = loaded
        return self._classifiers

    def cutout_session(self) -> Any:
        """The rembg session, or None when the model file is missing (checked again each
        call, so a file copied in later is picked up without a restart)."""
        if self._cutout_session is not None:
            return self._cutout_session
        with self._lock:
            if self._cutout_session is None:
                if not self.cutout_path.is_file():
                    self._cutout_error = f"model file missing: {self.cutout_path}"
                    return None
                try:
                    self._cutout_session, self.load_seconds["rembg"] = _timed(
                        "rembg", self._build_rembg, ("rembg", self.cutout_name, str(self.cutout_path))
                    )
                    self._cutout_error = None
                except Exception as exc:  # a corrupt file: report it, answer 503
                    log.exception("rembg session failed path=%s", self.cutout_path)
                    self._cutout_error = f"model file unusable: {exc}"
                    return None
        return self._cutout_session

    def _build_rembg(self) -> Any:
        from rembg import new_session

        # The *_custom sessions take a path and never download anything, but rembg 2.0.86
        # accepts only paths under its home (REMBG_HOME / U2NET_HOME, read at call time):
        # point both at the file's directory while the session is built, then restore.
        home = str(self.cutout_path.resolve().parent)
        saved = {k: os.environ.get(k) for k in ("REMBG_HOME", "U2NET_HOME")}
        os.environ.update({k: home for k in saved})
        try:
            return new_session(CUTOUT_SESSIONS[self.cutout_name], model_path=str(self.cutout_path.resolve()))
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    def load_all(self) -> None:
        _ = self.detector, self.classifiers
        self.cutout_session()

    def health(self) -> dict[str, Any]:
        session_ready = self._cutout_session is not None
        return {
            "detector": {
                "name": self.detector_name,
                "loaded": self._detector is not None,
                "settings": asdict(self.detector_settings),
            },
            "classifiers": [
                {"name": n, "loaded": self._classifiers is not None} for n in self.emotion_names
            ],
            "calibrated": self.calibration is not None,
            "cutout_model": {
                "name": self.cutout_name,
                "path": str(self.cutout_path),
                "available": session_ready or self.cutout_path.is_file(),
                "loaded": session_ready,
                "error": None if session_ready else (self._cutout_error or ("missing" if not self.cutout_path.is_file() else None)),
            },
            "load_seconds": {k: round(v, 3) for k, v in self.load_seconds.items()},
            "versions": versions(),
        }


def versions() -> dict[str, str]:
    out = {}
    for dist in ("mtcnn", "fer", "rembg", "tensorflow-cpu", "onnxruntime", "pillow", "opencv-python-headless", "flask"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out
