"""Face detectors behind one small interface (``base.FaceDetector``), chosen by
``AI_DETECTOR``. Each module is imported only when its detector is built: MTCNN
pulls in TensorFlow, CenterFace only onnxruntime."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ai_server.detectors.base import (
    LANDMARKS,
    DetectorModelMissing,
    DetectorSettings,
    FaceDetector,
    RawFace,
)


def _centerface(config: Mapping[str, Any]) -> FaceDetector:
    from ai_server.detectors.centerface import CenterFace

    return CenterFace.from_models_dir(config["MODELS_DIR"])


def _mtcnn(config: Mapping[str, Any]) -> FaceDetector:
    from ai_server.detectors.mtcnn import MtcnnDetector

    return MtcnnDetector(scale_factor=float(config.get("DETECT_SCALE_FACTOR") or MtcnnDetector.scale_factor))


# name -> builder(config). The default is the one that measured best (docs/ai_server.md).
REGISTRY = {"centerface": _centerface, "mtcnn": _mtcnn}
DEFAULT_DETECTOR = "centerface"


def default_settings(name: str) -> DetectorSettings:
    """A detector's measured defaults, without building it (no model import)."""
    if name == "centerface":
        from ai_server.detectors.centerface import CenterFace as cls
    else:
        from ai_server.detectors.mtcnn import MtcnnDetector as cls
    return cls.defaults


__all__ = [
    "LANDMARKS", "DEFAULT_DETECTOR", "REGISTRY", "DetectorModelMissing", "DetectorSettings", "FaceDetector",
    "RawFace", "default_settings",
]
