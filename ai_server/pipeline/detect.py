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

__all__ = [
    "LANDMARKS", "Face", "bounded_copy", "bounded_size", "candidates", "detect_faces", "in_order", "map_back",
    "recheck", "roll_degrees",
]


@dataclass
class Face:
    box: tuple[int, int, int, int]  # x, y, w, h in original pixels
    landmarks: dict[str, tuple[float, float]] = field(default_factory=dict)
    confidence: float = 1.0

    def __post_init__(self) -> None:
        # Landmarks to 0.1 px, as they are reported: the roll pasted now is the roll a
        # re-render computes from the reported points, so both give the same picture.
        self.landmarks = {k: (round(float(x), 1), round(float(y), 1)) for k, (x, y) in self.landmarks.items()}

    def to_json(self) -> dict[str, Any]:
        return {
            "box": [int(v) for v in self.box],
            "landmarks": {k: [x, y] for k, (x, y) in self.landmarks.items()},
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


# A face the copy shows too small to be sure of gets a second look: the part of the
# full-size photo around it, at up to this face height (px), never upscaled.
RECHECK_FACE_PX = 80
RECHECK_MIN_ZOOM = 1.25  # less extra detail than this over the copy: no second look
RECHECK_MAX = 16  # second looks per photo, the most likely first


def candidates(
    detector: FaceDetector, small: np.ndarray, *, min_face_size: int, min_confidence: float,
    recheck_from: float | None,
) -> tuple[list[RawFace], list[RawFace]]:
    """Detections on the copy → (sure: ≥ min_confidence, doubtful: ≥ recheck_from but below)."""
    floor = min_confidence if recheck_from is None else min(recheck_from, min_confidence)
    raw = detector.detect(small, min_face_size=int(min_face_size), min_confidence=float(floor))
    sure = [r for r in raw if r.confidence >= min_confidence]
    doubtful = sorted((r for r in raw if floor <= r.confidence < min_confidence), key=lambda r: -r.confidence)
    return sure, doubtful[:RECHECK_MAX]


def recheck(
    detector: FaceDetector, rgb: np.ndarray, doubtful: list[RawFace], scale: float, *, min_face_size: int,
    min_confidence: float,
) -> list[Face]:
    """Second look at each doubtful face on the full-size photo around it: kept (with the
    box and landmarks of the closer look) only if the detector is sure of it there."""
    height, width = rgb.shape[:2]
    kept = []
    for doubt in doubtful:
        x, y, w, h = (v / scale for v in doubt.box)  # full-size pixels
        zoom = min(1.0, RECHECK_FACE_PX / max(h, 1.0))  # crop scale: the face at ≤ 80 px
        if zoom / scale < RECHECK_MIN_ZOOM:
            continue
        x0, y0 = max(0, int(x - w)), max(0, int(y - h))
        x1, y1 = min(width, int(x + 2 * w) + 1), min(height, int(y + 2 * h) + 1)
        crop = rgb[y0:y1, x0:x1]
        if zoom < 1.0:
            size = (max(1, round(crop.shape[1] * zoom)), max(1, round(crop.shape[0] * zoom)))
            crop = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)
        target = ((x - x0) * zoom, (y - y0) * zoom, w * zoom, h * zoom)
        looks = [r for r in detector.detect(np.ascontiguousarray(crop), min_face_size=min_face_size,
                                            min_confidence=min_confidence) if r.confidence >= min_confidence]
        best = max(looks, key=lambda r: _overlap(r.box, target), default=None)
        if best is None or _overlap(best.box, target) < 0.3:
            continue
        mapped = map_back([best], zoom, x1 - x0, y1 - y0)  # crop pixels → full-size, within the crop
        if not mapped:
            continue
        face = mapped[0]
        fx, fy, fw, fh = face.box
        face.box = (fx + x0, fy + y0, fw, fh)
        face.landmarks = {n: (px + x0, py + y0) for n, (px, py) in face.landmarks.items()}
        kept.append(face)
    return kept


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def in_order(faces: list[Face], max_faces: int) -> list[Face]:
    """The most confident max_faces, left to right: what override indices refer to."""
    faces = sorted(faces, key=lambda f: -f.confidence)[:max_faces]
    faces.sort(key=lambda f: (f.box[0], f.box[1]))
    return faces


def detect_faces(
    detector: FaceDetector,
    rgb: np.ndarray,
    *,
    max_side: int,
    min_face_size: int,
    min_confidence: float,
    max_faces: int,
    recheck_from: float | None = None,
) -> list[Face]:
    """Faces of the photo, left to right: detected on a bounded copy, faces it shows too
    small to be sure of (confidence ≥ recheck_from) looked at again on the photo itself."""
    small, scale = bounded_copy(rgb, max_side)
    sure, doubtful = candidates(detector, small, min_face_size=min_face_size, min_confidence=min_confidence,
                                recheck_from=recheck_from if scale < 1.0 else None)
    faces = map_back(sure, scale, rgb.shape[1], rgb.shape[0])
    if doubtful:
        faces += recheck(detector, rgb, doubtful, scale, min_face_size=min_face_size, min_confidence=min_confidence)
    return in_order(faces, max_faces)


def roll_degrees(face: Face) -> float:
    """Head roll from the eye line, in degrees; positive = the right eye (image right) is lower."""
    if "left_eye" not in face.landmarks or "right_eye" not in face.landmarks:
        return 0.0
    (lx, ly), (rx, ry) = face.landmarks["left_eye"], face.landmarks["right_eye"]
    if rx < lx:  # keep the angle within ±90° whatever the landmark naming
        (lx, ly), (rx, ry) = (rx, ry), (lx, ly)
    return float(np.degrees(np.arctan2(ry - ly, rx - lx)))
