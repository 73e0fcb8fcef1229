"""The PublicTest selection code (numpy only: CI has no PyTorch and never retrains)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from ai_server.classifiers.base import EMOTIONS, VIEW_SETS
from training.expression.evaluate import ALL_VIEWS, FEAR, FEAR_TARGET, calibrate, score, view_set


def test_every_view_set_is_a_subset_of_the_cached_views():
    for views in VIEW_SETS.values():
        assert all(v in ALL_VIEWS for v in views)
    preds = np.zeros((2, len(ALL_VIEWS), 7), np.float32)
    preds[:, ALL_VIEWS.index(VIEW_SETS["single"][0]), 3] = 1.0
    np.testing.assert_allclose(view_set(preds, "single")[:, 3], 1.0)
    np.testing.assert_allclose(view_set(preds, "grid4")[:, 3], 1 / 9)


def test_calibration_lifts_an_under_called_class_to_the_target():
    # fear faces score fear a little below sad: plain argmax never says fear
    rng = np.random.default_rng(0)
    n = 600
    y = rng.choice([2, 3, 4, 6], size=n)
    probs = rng.uniform(0.0, 0.05, (n, 7))
    probs[np.arange(n), y] += 0.6
    fear = y == FEAR
    probs[fear, 4] = probs[fear, FEAR] + 0.05  # sad a little above fear
    probs /= probs.sum(1, keepdims=True)
    before = score(probs, y)
    assert before["fear"] == 0.0
    weights, after = calibrate(probs, y)
    assert after["fear"] >= FEAR_TARGET and after["acc"] > before["acc"]
    assert weights[EMOTIONS.index("neutral")] == 1.0 and len(weights) == 7


def test_the_cli_starts_without_pytorch():
    out = subprocess.run([sys.executable, "-m", "training.expression", "train", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "--epochs" in out and "--no-bf16" in out
