"""The one interface every expression classifier implements.

A classifier turns faces, given as boxes on one RGB image, into seven
probabilities in the fixed order of ``EMOTIONS``. Each classifier crops and
preprocesses the face its own way (FER pads the box, others may not), which is
why it receives the whole image and the boxes rather than ready-made crops.
The classify stage flip-averages each classifier and averages the classifiers.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

EMOTIONS: tuple[str, ...] = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")

Box = tuple[int, int, int, int]  # x, y, w, h in pixels of the image passed in


@runtime_checkable
class Classifier(Protocol):
    name: str

    def predict(self, image: np.ndarray, boxes: list[Box]) -> np.ndarray:
        """image: HxWx3 uint8 RGB; boxes: faces on it.

        Returns float32 array (len(boxes), 7): probabilities in EMOTIONS order,
        each row summing to 1. Must be thread-safe (gunicorn threads share it)
        and must not construct a model (models are built once, in __init__).
        """
        ...
