"""Face detection with MTCNN on a bounded copy of the photo, mapped back to full size.

MTCNN's cost grows with the pixel count (its image pyramid starts at full size), so a
12 MP photo is shrunk to a long side of DETECT_MAX_SIDE first; boxes and landmarks are
scaled back to the original (EXIF-rotated) frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import cv2
import numpy as np

LANDMARKS = ("left_eye", "right_eye", "nose", "mouth_left", "mouth_right")


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


class Detector(Protocol):
    def detect_faces(self, image: np.ndarray, **kwargs: Any) -> list[dict[str, Any]]: ...


def bounded_copy(rgb: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """Shrink so the long side is at most max_side; returns (copy, scale = copy/original)."""
    h, w = rgb.shape[:2]
    long_side = max(h, w)
    if max_side <= 0 or long_side <= max_side:
        return rgb, 1.0
    scale = max_side / long_side
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    # INTER_AREA averages the source pixels: no aliasing, which MTCNN's PNet dislikes.
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA), scale


def map_back(raw: list[dict[str, Any]], scale: float, width: int, height: int) -> list[Face]:
    """MTCNN dicts on the scaled copy → Faces in original pixels, clipped to the image."""
    faces = []
    inv = 1.0 / scale
    for r in raw:
        x, y, w, h = (float(v) * inv for v in r["box"])
        x0, y0 = max(0, round(x)), max(0, round(y))
        x1, y1 = min(width, round(x + w)), min(height, round(y + h))
        if x1 - x0 < 2 or y1 - y0 < 2:
            continue
        keypoints = r.get("keypoints") or {}
        landmarks = {
            name: (float(keypoints[name][0]) * inv, float(keypoints[name][1]) * inv)
            for name in LANDMARKS
            if name in keypoints
        }
        faces.append(Face(box=(x0, y0, x1 - x0, y1 - y0), landmarks=landmarks, confidence=float(r["confidence"])))
    return faces


def detect_faces(
    detector: Detector,
    rgb: np.ndarray,
    *,
    max_side: int,
    min_face_size: int,
    scale_factor: float,
    min_confidence: float,
    max_faces: int,
) -> list[Face]:
    small, scale = bounded_copy(rgb, max_side)
    if min(small.shape[:2]) < 12:  # below PNet's 12 px window nothing can be found
        return []
    raw = detector.detect_faces(small, min_face_size=int(min_face_size), scale_factor=float(scale_factor))
    raw = [r for r in raw if float(r["confidence"]) >= min_confidence]
    faces = map_back(raw, scale, rgb.shape[1], rgb.shape[0])
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
