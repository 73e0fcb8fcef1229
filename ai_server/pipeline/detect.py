"""Face detection on a bounded copy of the photo, mapped back to full size.

A detector's cost grows with the pixel count, so a 12 MP photo is shrunk to a long
side of ``max_side`` first (or decoded that small straight away, see
``decode.detection_copy``); boxes and landmarks are scaled back to the original
(EXIF-rotated) frame. The detector itself is any ``ai_server.detectors.FaceDetector``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from ai_server.detectors.base import LANDMARKS, FaceDetector, RawFace

__all__ = ["LANDMARKS", "Face", "bounded_copy", "bounded_size", "detect_faces", "map_back", "roll_degrees"]


@dataclass
class Face:
    box: tuple[int, int, int, int]  # x, y, w, h in original pixels
    landmarks: dict[str, tuple[float, float]] = field(default_factory=dict)
    confidence: float = 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "box": [int(v) for v in self.box],
            "landmarks": {k: [round(float(x), 1), round(float(y), 1)] for k, (x, y) in self.landmarks.items()},
            "confidence": round(float(self.confidence), 4),
        }


def bounded_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """(w, h) of the detection copy: long side at most max_side, aspect kept."""
    long_side = max(width, height)
    if max_side <= 0 or long_side <= max_side:
        return width, height
    scale = max_side / long_side
    return max(1, round(width * scale)), max(1, round(height * scale))


def bounded_copy(rgb: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """Shrink so the long side is at most max_side; returns (copy, scale = copy/original)."""
    h, w = rgb.shape[:2]
    size = bounded_size(w, h, max_side)
    if size == (w, h):
        return rgb, 1.0
    # INTER_AREA averages the source pixels: no aliasing, which detectors dislike.
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA), size[0] / w


def map_back(raw: list[RawFace], scale: float, width: int, height: int) -> list[Face]:
    """Faces on the scaled copy → Faces in original pixels, clipped to the image."""
    faces = []
    inv = 1.0 / scale
    for r in raw:
        x, y, w, h = (float(v) * inv for v in r.box)
        x0, y0 = max(0, round(x)), max(0, round(y))
        x1, y1 = min(width, round(x + w)), min(height, round(y + h))
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        landmarks = {name: (px * inv, py * inv) for name, (px, py) in r.landmarks.items()}
        faces.append(Face(box=(x0, y0, x1 - x0, y1 - y0), landmarks=landmarks, confidence=r.confidence))
    return faces


def detect_faces(
    detector: FaceDetector,
    rgb: np.ndarray | None,
    *,
    max_side: int,
    min_face_size: int,
    min_confidence: float,
    max_faces: int,
    copy: tuple[np.ndarray, float] | None = None,
    full_size: tuple[int, int] | None = None,
) -> list[Face]:
    """Faces of the photo, left to right. ``copy`` = (detection copy, its scale) when the
    caller already has one (e.g. decoded small from the JPEG); then ``full_size`` (w, h)
    is the photo's size and ``rgb`` may be None."""
    if copy is None:
        copy = bounded_copy(rgb, max_side)
        full_size = (rgb.shape[1], rgb.shape[0])
    small, scale = copy
    raw = detector.detect(small, min_face_size=int(min_face_size), min_confidence=float(min_confidence))
    raw = [r for r in raw if r.confidence >= min_confidence]
    faces = map_back(raw, scale, *full_size)
    faces = sorted(faces, key=lambda f: -f.confidence)[:max_faces]
    faces.sort(key=lambda f: (f.box[0], f.box[1]))  # left to right: what override indices refer to
    return faces


def roll_degrees(face: Face) -> float:
    """Head roll from the eye line, in degrees; positive = the right eye (image right) is lower."""
    if "left_eye" not in face.landmarks or "right_eye" not in face.landmarks:
        return 0.0
    (lx, ly), (rx, ry) = face.landmarks["left_eye"], face.landmarks["right_eye"]
    if rx < lx:  # keep the angle within ±90° whatever the landmark naming
        (lx, ly), (rx, ry) = (rx, ry), (lx, ly)
    return float(np.degrees(np.arctan2(ry - ly, rx - lx)))
