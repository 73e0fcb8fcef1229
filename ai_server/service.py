"""The pipeline end to end on decoded images: shared by the HTTP API and the CLI."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import numpy as np

from ai_server import metrics
from ai_server.models import Models
from ai_server.pipeline.classify import classify_faces, scores_json
from ai_server.pipeline.compose import compose, placement_for_face
from ai_server.pipeline.decode import DecodedImage, decode_image, detection_copy
from ai_server.pipeline.detect import (
    Face,
    candidates,
    detect_faces,
    in_order,
    map_back,
    recheck,
    roll_degrees,
)
from ai_server.pipeline.exceptions import BadOverrides

# Full-size decodes run here while the request thread detects on a small copy.
_DECODE_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ai-decode")


class StageTimer:
    """Times pipeline stages into ai_stage_seconds and keeps them for the request log."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - start
            metrics.STAGE_SECONDS.labels(stage=name).observe(seconds)
            self.ms[name] = round(self.ms.get(name, 0.0) + seconds * 1000.0, 2)


def decode_and_detect(
    models: Models, config: Mapping[str, Any], data: bytes, timer: StageTimer
) -> tuple[DecodedImage, list[Face] | None]:
    """Decode the photo and, for a JPEG larger than the detection copy, detect its faces
    on a copy decoded small (draft mode) while the full-size decode runs in another
    thread: a 12 MP photo then costs little more than its decode. Returns (image, faces),
    faces None when detection is still to be done on the decoded image."""
    settings = models.detector_settings
    max_pixels = int(config["MAX_PIXELS"])

    def full_decode() -> DecodedImage:
        with timer.stage("decode"):
            return decode_image(data, max_pixels=max_pixels, keep_alpha=True,
                                max_bytes=int(config["MAX_IMAGE_BYTES"]), max_frames=int(config["MAX_FRAMES"]))

    pending = _DECODE_POOL.submit(full_decode)
    ready = sure = doubtful = None
    try:
        with timer.stage("detect"):
            ready = detection_copy(data, max_side=settings.max_side, max_pixels=max_pixels)
            if ready is not None:
                sure, doubtful = candidates(models.detector, ready[0], min_face_size=settings.min_face_size,
                                            min_confidence=settings.min_confidence,
                                            recheck_from=settings.recheck_from)
    finally:
        image = pending.result()  # decode errors (4xx) surface here
    if ready is None or ready[2] != (image.width, image.height):
        return image, None  # not a big JPEG (or an odd one): detect on the decoded image
    _, scale, size = ready
    with timer.stage("detect"):  # second looks need the full-size photo: after the decode
        faces = map_back(sure, scale, *size)
        if doubtful:
            faces += recheck(models.detector, image.rgb, doubtful, scale, min_face_size=settings.min_face_size,
                             min_confidence=settings.min_confidence)
        faces = in_order(faces, int(config["MAX_FACES"]))
    return image, faces


def find_faces(
    models: Models,
    config: Mapping[str, Any],
    rgb: np.ndarray,
    boxes: list | None,
    timer: StageTimer,
    *,
    detected: list[Face] | None = None,
    landmarks: list[dict] | None = None,
) -> tuple[list[Face], list[dict[str, Any]]]:
    """Detect (unless boxes are given, with their landmarks if known, or faces were
    already detected) and classify → (faces, faces JSON)."""
    if detected is not None:
        faces = detected
    elif boxes is None:
        with timer.stage("detect"):
            settings = models.detector_settings
            faces = detect_faces(
                models.detector,
                rgb,
                max_side=settings.max_side,
                min_face_size=settings.min_face_size,
                min_confidence=settings.min_confidence,
                max_faces=int(config["MAX_FACES"]),
                recheck_from=settings.recheck_from,
            )
    else:
        points = landmarks if landmarks is not None else [{}] * len(boxes)
        faces = [Face(box=b, landmarks=lm, confidence=1.0) for b, lm in zip(boxes, points, strict=True)]
    with timer.stage("classify"):
        probs = classify_faces(
            models.classifiers,
            rgb,
            [f.box for f in faces],
            flip_average=bool(config["FLIP_AVERAGE"]),
            test_time_crops=bool(config["TEST_TIME_CROPS"]),
            calibration=models.calibration,
        )
    out = []
    for face, scored in zip(faces, scores_json(probs), strict=True):
        item = face.to_json()
        if boxes is not None:
            item["confidence"] = None  # given, not detected
        item.update(scored)
        metrics.FACES.labels(emotion=scored["emotion"]).inc()
        out.append(item)
    return faces, out


def paste_emojis(
    base: np.ndarray,
    faces: list[Face],
    faces_json: list[dict[str, Any]],
    emojis: Mapping[str, np.ndarray],
    overrides: Mapping[int, str],
    *,
    scale: float,
    in_place: bool = False,
) -> np.ndarray:
    """Apply overrides to faces_json (in place) and paste each face's emoji (onto base
    itself when in_place: a 12 MP photo is not copied just to change its faces)."""
    bad = [i for i in overrides if i >= len(faces)]
    if bad:
        raise BadOverrides(f"overrides name face {bad[0]}, but the photo has {len(faces)} face(s).")
    items = []
    for i, (face, item) in enumerate(zip(faces, faces_json, strict=True)):
        if i in overrides:
            item["emotion"] = overrides[i]
            item["overridden"] = True
        items.append((emojis[item["emotion"]], placement_for_face(face.box, roll_degrees(face))))
    return compose(base, items, scale=scale, in_place=in_place)
