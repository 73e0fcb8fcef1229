"""The one interface every expression classifier implements.

A classifier turns faces, given as boxes on one RGB image, into seven
probabilities in the fixed order of ``EMOTIONS``. Each classifier crops and
preprocesses the face its own way (FER pads the box, others may not), which is
why it receives the whole image and the boxes rather than ready-made crops.
The classify stage averages each classifier over its test-time views and their
mirror images, averages the classifiers, then applies the per-emotion calibration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

EMOTIONS: tuple[str, ...] = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")

Box = tuple[int, int, int, int]  # x, y, w, h in pixels of the image passed in


@runtime_checkable
class Classifier(Protocol):
    name: str
    # Optional class attributes, read with getattr by the classify stage:
    #   grow: float                       box padding this classifier was trained on (default 0)
    #   test_time_views: tuple[View, ...] crops averaged when test-time crops are on

    def predict(self, image: np.ndarray, boxes: list[Box]) -> np.ndarray:
        """image: HxWx3 uint8 RGB; boxes: faces on it.

        Returns float32 array (len(boxes), 7): probabilities in EMOTIONS order,
        each row summing to 1. Must be thread-safe (gunicorn threads share it)
        and must not construct a model (models are built once, in __init__).
        """
        ...


# ---------------------------------------------------------------- crops and test-time views
# Each classifier was trained on faces framed its own way; ``grow`` (a class attribute,
# default 0) widens (or, negative, narrows) the detected box on every side by that
# fraction of its size before the classifier crops it. Values are measured on
# FER2013 PublicTest (training/expression/evaluate.py, docs/expression-models.md).


@dataclass(frozen=True)
class View:
    """One test-time crop: the box shifted by (dx, dy) and grown by ``grow``, as
    fractions of its width and height."""

    dx: float = 0.0
    dy: float = 0.0
    grow: float = 0.0

    def apply(self, box: Box, grow: float = 0.0) -> Box:
        x, y, w, h = box
        return grow_box((round(x + self.dx * w), round(y + self.dy * h), w, h), grow + self.grow)


SINGLE: tuple[View, ...] = (View(),)
# 3x3 grid of shifts by 4 % of the box
GRID4: tuple[View, ...] = tuple(View(dx, dy) for dy in (-0.04, 0.0, 0.04) for dx in (-0.04, 0.0, 0.04))
# the box and four shifts by 8 %
AXIS8: tuple[View, ...] = (View(), View(-0.08, 0), View(0.08, 0), View(0, -0.08), View(0, 0.08))
GRID4_AXIS8: tuple[View, ...] = GRID4 + AXIS8[1:]
# three sizes: narrower, as given, wider
SIZES: tuple[View, ...] = (View(grow=-0.04), View(), View(grow=0.04))
VIEW_SETS: dict[str, tuple[View, ...]] = {
    "single": SINGLE, "grid4": GRID4, "axis8": AXIS8, "grid4+axis8": GRID4_AXIS8, "sizes": SIZES,
}


def grow_box(box: Box, grow: float) -> Box:
    """The box widened by ``grow`` x its size on every side (narrowed if negative)."""
    x, y, w, h = box
    gx, gy = round(w * grow), round(h * grow)
    return (x - gx, y - gy, max(1, w + 2 * gx), max(1, h + 2 * gy))


def crop_replicate(image: np.ndarray, box: Box) -> np.ndarray:
    """The pixels inside ``box``; parts outside the image repeat its edge pixels.

    A grown box may reach past the photo's edge (a face at the border, or FER2013's
    48 px crops, which are the whole face); repeating the edge keeps the face where
    the classifier expects it, and a mirrored image with a mirrored box still gives
    exactly the mirrored crop.
    """
    x, y, w, h = (int(v) for v in box)
    height, width = image.shape[:2]
    if w <= 0 or h <= 0 or x >= width or y >= height or x + w <= 0 or y + h <= 0:
        raise ValueError(f"face box {list(box)} is empty or outside the {width}x{height} image")
    ys = np.clip(np.arange(y, y + h), 0, height - 1)
    xs = np.clip(np.arange(x, x + w), 0, width - 1)
    if ys[0] == y and ys[-1] == y + h - 1 and xs[0] == x and xs[-1] == x + w - 1:
        return image[y : y + h, x : x + w]
    return image[ys[:, None], xs[None, :]]


# ITU-R 601 luma, the weights human (and MATLAB's rgb2gray) use.
LUMA = np.array([0.2989, 0.5870, 0.1140], dtype=np.float32)


def to_grey(rgb: np.ndarray) -> np.ndarray:
    """RGB pixels -> float32 grey levels (LUMA)."""
    return rgb.astype(np.float32) @ LUMA


def grey_crop(image: np.ndarray, box: Box) -> np.ndarray:
    """One face's grey crop (edges replicated past the image), as the grey nets see it."""
    return to_grey(crop_replicate(image, box))


def classifier_session(model: str | bytes, threads: int):
    """The onnxruntime session of a grey classifier (human, vgg48): ``threads`` is
    AI_CLASSIFIER_THREADS (default 2), the cores one call's batch (every view of every
    face) is split over; 1 leaves the other cores to other workers."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Idle pool threads sleep instead of spinning: several requests may share the cores.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])


def grey_region(image: np.ndarray, boxes: list[Box]) -> tuple[np.ndarray, list[Box]]:
    """The grey (float32) part of ``image`` that every box's inside falls in, and the boxes
    in its coordinates: converted once for all the crops of a call (each test-time view
    of each face) instead of once a crop. Cropping it with ``crop_replicate`` gives the
    same pixels as greying each crop of the image."""
    height, width = image.shape[:2]
    x0 = max(0, min(int(b[0]) for b in boxes))
    y0 = max(0, min(int(b[1]) for b in boxes))
    x1 = min(width, max(int(b[0]) + int(b[2]) for b in boxes))
    y1 = min(height, max(int(b[1]) + int(b[3]) for b in boxes))
    if x1 <= x0 or y1 <= y0:
        raise ValueError(f"face boxes {[list(b) for b in boxes]} are outside the {width}x{height} image")
    grey = to_grey(image[y0:y1, x0:x1])
    return grey, [(int(x) - x0, int(y) - y0, int(w), int(h)) for x, y, w, h in boxes]


def grey_batch(image: np.ndarray, boxes: list[Box], prepare: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Every box's grey crop, prepared for a net by ``prepare`` and stacked: the batch of
    one call of the grey onnxruntime classifiers (human, vgg48)."""
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"expected an HxWx3 RGB image, got shape {image.shape}")
    gray, boxes = grey_region(image, boxes)  # grey once for every crop of the call
    return np.stack([prepare(crop_replicate(gray, box)) for box in boxes])
