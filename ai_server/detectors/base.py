"""What every face detector answers: boxes, five landmarks and a confidence.

A detector runs on the (already bounded) detection copy and returns every candidate
it has, in that copy's pixels; ``pipeline/detect.py`` applies the threshold and the
smallest-face rule, maps the faces back to the original frame and orders them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

# Eyes, nose and mouth corners; "left_eye" is the eye on the image's left.
LANDMARKS = ("left_eye", "right_eye", "nose", "mouth_left", "mouth_right")


class DetectorModelMissing(RuntimeError):
    """The detector's model file is not installed (``make models`` puts it in place)."""


@dataclass
class RawFace:
    box: tuple[float, float, float, float]  # x, y, w, h in the detection copy's pixels
    confidence: float
    landmarks: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class DetectorSettings:
    """Settings measured for one detector on the annotated photos (bench/detectors.py)."""

    min_confidence: float
    max_side: int  # long side of the detection copy, px
    min_face_size: int  # smallest face looked for, px on the detection copy
    # Faces on a shrunk copy scoring at least this (but under min_confidence) get a second
    # look on the full-size photo around them (pipeline/detect.py: recheck); None: never.
    recheck_from: float | None = None


class FaceDetector(Protocol):
    name: str
    defaults: DetectorSettings

    def detect(self, rgb: np.ndarray, *, min_face_size: int, min_confidence: float) -> list[RawFace]:
        """Faces in an HxWx3 uint8 RGB image, at least as confident as min_confidence
        (a detector may return less confident ones too: the caller filters again)."""
        ...
