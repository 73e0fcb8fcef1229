"""Parse and validate the multipart fields of the API (everything but pixels)."""

from __future__ import annotations

import json
from typing import Any

from flask import Request

from ai_server.classifiers.base import EMOTIONS
from ai_server.errors import bad_request


def file_bytes(request: Request, field: str) -> bytes:
    storage = request.files.get(field)
    if storage is None:
        raise bad_request("missing_field", f"The multipart field '{field}' (a file) is required.")
    return storage.read()


def _json_field(request: Request, field: str, code: str) -> Any:
    raw = request.form.get(field)
    if raw is None and field in request.files:
        raw = request.files[field].read().decode("utf-8", "replace")
    if raw is None or not raw.strip():
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise bad_request(code, f"'{field}' is not valid JSON ({exc.msg}).") from exc


def parse_boxes(request: Request, width: int, height: int) -> list[tuple[int, int, int, int]] | None:
    """Optional ``boxes``: JSON list of [x, y, w, h]; each must overlap the image."""
    value = _json_field(request, "boxes", "bad_boxes")
    if value is None:
        return None
    if not isinstance(value, list):
        raise bad_request("bad_boxes", "'boxes' must be a JSON list of [x, y, w, h].")
    boxes = []
    for i, box in enumerate(value):
        ok = (
            isinstance(box, list)
            and len(box) == 4
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in box)
        )
        if not ok:
            raise bad_request("bad_boxes", f"boxes[{i}] must be [x, y, w, h] numbers, got {json.dumps(box)[:80]}.")
        x, y, w, h = (round(float(v)) for v in box)
        if w < 1 or h < 1:
            raise bad_request("bad_boxes", f"boxes[{i}] must have a positive width and height.")
        if x >= width or y >= height or x + w <= 0 or y + h <= 0:
            raise bad_request("bad_boxes", f"boxes[{i}] lies outside the {width}×{height} image.")
        boxes.append((x, y, w, h))
    return boxes


def parse_overrides(request: Request) -> dict[int, str]:
    """Optional ``overrides``: JSON object {face_index: emotion}."""
    value = _json_field(request, "overrides", "bad_overrides")
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad_request("bad_overrides", "'overrides' must be a JSON object {face_index: emotion}.")
    out = {}
    for key, emotion in value.items():
        try:
            index = int(key)
        except (TypeError, ValueError):
            raise bad_request("bad_overrides", f"overrides key {key!r} is not a face index.") from None
        if index < 0:
            raise bad_request("bad_overrides", f"overrides key {key!r} is not a face index.")
        if emotion not in EMOTIONS:
            raise bad_request("bad_overrides", f"overrides[{key}] must be one of {', '.join(EMOTIONS)}.")
        out[index] = emotion
    return out


LANDMARK_NAMES = ("left_eye", "right_eye", "nose", "mouth_left", "mouth_right")


def parse_landmarks(request: Request, count: int) -> list[dict[str, tuple[float, float]]]:
    """Optional ``landmarks`` beside ``boxes``: a JSON list with one object per box,
    {name: [x, y]} (names from LANDMARK_NAMES, any of them, or {}), so given faces
    keep the head roll detection found. Without it every given face is upright."""
    value = _json_field(request, "landmarks", "bad_landmarks")
    if value is None:
        return [{} for _ in range(count)]
    if not isinstance(value, list) or len(value) != count:
        raise bad_request("bad_landmarks", f"'landmarks' must be a JSON list with one object per box ({count}).")
    out = []
    for i, points in enumerate(value):
        if not isinstance(points, dict):
            raise bad_request("bad_landmarks", f"landmarks[{i}] must be an object {{name: [x, y]}}.")
        face = {}
        for name, point in points.items():
            ok = (
                name in LANDMARK_NAMES
                and isinstance(point, list)
                and len(point) == 2
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in point)
            )
            if not ok:
                raise bad_request(
                    "bad_landmarks", f"landmarks[{i}].{str(name)[:20]} must be one of {', '.join(LANDMARK_NAMES)} "
                    "with an [x, y] point."
                )
            face[name] = (float(point[0]), float(point[1]))
        out.append(face)
    return out
