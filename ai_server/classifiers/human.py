"""The second expression classifier: the emotion net of `@vladmandic/human` (MIT).

oarriaga's mini-Xception trained on FER2013, converted once to ONNX at install
time (``human_install``) and run with onnxruntime. Its input is what the net was
trained on: the face box as detected (no padding, as human crops it), grayscale,
64x64 with a bicubic resize, pixels scaled to [-1, 1]. Outputs are already in
``EMOTIONS`` order.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
from PIL import Image

from ai_server.classifiers.base import (
    EMOTIONS,
    GRID4,
    Box,
    View,
    classifier_session,
    grey_batch,
    grey_crop,
)
from ai_server.classifiers.human_convert import INPUT_NAME, OUTPUT_NAME
from ai_server.classifiers.human_install import (
    MODEL_FILE,
    default_models_dir,
    is_installed,
    model_dir,
)

log = logging.getLogger(__name__)

INPUT_SIZE = 64


class ModelNotInstalledError(RuntimeError):
    """The ONNX file is missing or does not match its manifest: run `make models`."""


def preprocess(image: np.ndarray, box: Box) -> np.ndarray:
    """(64, 64, 1) float32 in [-1, 1] for one face."""
    return preprocess_grey(grey_crop(image, box))


def preprocess_grey(gray: np.ndarray) -> np.ndarray:
    """The grey face crop (float32 levels) -> (64, 64, 1) float32 in [-1, 1]."""
    # Pillow's bicubic filter widens its support when shrinking (antialiasing);
    # photo faces are often 5-20x larger than the 48 px FER2013 crops the net saw,
    # and OpenCV's fixed 4x4 bicubic would alias there.
    small = Image.fromarray(gray, mode="F").resize((INPUT_SIZE, INPUT_SIZE), Image.Resampling.BICUBIC)
    pixels = np.clip(np.asarray(small, dtype=np.float32), 0.0, 255.0)
    return (pixels / 127.5 - 1.0)[:, :, None]


class HumanEmotionClassifier:
    """Implements ``base.Classifier``; one onnxruntime session, shared by threads."""

    name = "human"
    # Trained on whole 48 px FER2013 faces: the box as given measures best on PublicTest
    # (0.656; narrowed 4 %, grown 4 % / 8 %: less), and a 3x3 grid of 4 % shifts is the
    # cheapest view set within 0.002 of the best (0.671; with four 8 % shifts more, 0.673).
    # docs/expression-models.md.
    grow = 0.0
    test_time_views: tuple[View, ...] = GRID4

    def __init__(self, models_dir: Path | str | None = None, *, threads: int = 1) -> None:
        models_dir = Path(models_dir) if models_dir else default_models_dir()
        path = model_dir(models_dir) / MODEL_FILE
        if not is_installed(models_dir):
            raise ModelNotInstalledError(
                f"{path} is missing or does not match its manifest; run `make models` "
                "(or leave `human` out of AI_EMOTION_MODELS)")
        started = time.perf_counter()
        self._session = classifier_session(str(path), threads)
        self.model_path = path
        self.load_seconds = time.perf_counter() - started
        log.info("classifier_loaded name=%s path=%s seconds=%.3f", self.name, path, self.load_seconds)

    def predict(self, image: np.ndarray, boxes: list[Box]) -> np.ndarray:
        if not boxes:
            return np.zeros((0, len(EMOTIONS)), dtype=np.float32)
        batch = grey_batch(image, boxes, preprocess_grey)
        # InferenceSession.run is thread-safe; no lock needed.
        probs = self._session.run([OUTPUT_NAME], {INPUT_NAME: batch})[0]
        return probs.astype(np.float32, copy=False)
