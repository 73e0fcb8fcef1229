"""Classify faces: each classifier averaged over its crops, the classifiers averaged,
then the per-emotion calibration applied.

For each classifier, every face box is first grown by the classifier's ``grow`` (the
framing it was trained on); with test-time crops on, it is scored at each of the
classifier's ``test_time_views`` (shifted or resized boxes), and with flip averaging
also on the mirrored image; those rows are averaged. The classifiers' rows are then
averaged (weighted by the calibration's member weights, if any), multiplied by its
per-emotion weights and renormalised.
Every choice is measured on FER2013 PublicTest: docs/expression-models.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ai_server.classifiers import Calibration
from ai_server.classifiers.base import EMOTIONS, SINGLE, Box, Classifier, View

# Above this size the classifiers get only the region around the faces: converting and
# mirroring a whole 12 MP photo costs more than classifying the faces on it.
CROP_ABOVE_PIXELS = 2_000_000


def crop_around(rgb: np.ndarray, boxes: Sequence[Box]) -> tuple[np.ndarray, list[Box]]:
    """The part of the image around all boxes, with a margin of one face size (more than
    any classifier pads), and the boxes in that crop's coordinates."""
    h, w = rgb.shape[:2]
    x0 = max(0, min(x - bw for x, _, bw, bh in boxes))
    y0 = max(0, min(y - max(bw, bh) for x, y, bw, bh in boxes))
    x1 = min(w, max(x + 2 * bw for x, _, bw, _ in boxes))
    y1 = min(h, max(y + bh + max(bw, bh) for _, y, bw, bh in boxes))
    if x1 <= x0 or y1 <= y0:
        return rgb, list(boxes)
    return rgb[y0:y1, x0:x1], [(x - x0, y - y0, bw, bh) for x, y, bw, bh in boxes]


def mirror_boxes(boxes: Sequence[Box], width: int) -> list[Box]:
    """Boxes on the horizontally flipped image: x' = W − x − w."""
    return [(width - x - w, y, w, h) for (x, y, w, h) in boxes]


def classifier_views(classifier: Classifier, test_time_crops: bool) -> tuple[View, ...]:
    return tuple(getattr(classifier, "test_time_views", SINGLE)) if test_time_crops else SINGLE


def classify_faces(
    classifiers: Sequence[Classifier],
    rgb: np.ndarray,
    boxes: Sequence[Box],
    *,
    flip_average: bool = True,
    test_time_crops: bool = False,
    calibration: Calibration | None = None,
) -> np.ndarray:
    """(N, 7) probabilities in EMOTIONS order, each row summing to 1."""
    boxes = [tuple(int(v) for v in b) for b in boxes]
    if not boxes:
        return np.zeros((0, len(EMOTIONS)), dtype=np.float32)
    if rgb.shape[0] * rgb.shape[1] > CROP_ABOVE_PIXELS:
        rgb, boxes = crop_around(rgb, boxes)
    flipped = np.ascontiguousarray(rgb[:, ::-1]) if flip_average else None
    n = len(boxes)
    total = np.zeros((n, len(EMOTIONS)), dtype=np.float64)
    members = calibration.members if calibration is not None else (1.0,) * len(classifiers)
    if len(members) != len(classifiers):
        raise ValueError(f"calibration for {len(members)} classifiers, {len(classifiers)} given")
    for classifier, member_weight in zip(classifiers, members, strict=True):
        grow = float(getattr(classifier, "grow", 0.0))
        views = classifier_views(classifier, test_time_crops)
        # one call a classifier (and one for the mirror): every view of every face
        batch = [view.apply(box, grow) for view in views for box in boxes]
        probs = np.asarray(classifier.predict(rgb, batch), dtype=np.float64)
        if flipped is not None:
            mirrored = mirror_boxes(batch, rgb.shape[1])
            probs = (probs + np.asarray(classifier.predict(flipped, mirrored), dtype=np.float64)) / 2.0
        total += member_weight * probs.reshape(len(views), n, len(EMOTIONS)).mean(axis=0)
    total /= max(1e-12, sum(members))
    if calibration is not None:
        total *= np.asarray(calibration.emotions, dtype=np.float64)[None, :]
    total /= total.sum(axis=1, keepdims=True).clip(min=1e-12)
    return total.astype(np.float32)


def scores_json(probs: np.ndarray) -> list[dict]:
    """Rows → [{emotion, scores: {angry..neutral}}]."""
    out = []
    for row in probs:
        scores = {name: round(float(p), 4) for name, p in zip(EMOTIONS, row, strict=True)}
        out.append({"emotion": EMOTIONS[int(np.argmax(row))], "scores": scores})
    return out
