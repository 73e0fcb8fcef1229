"""Cut-outs: own alpha kept, plain backgrounds flood-filled, rembg's real session code
run with a tiny generated U²-Net-shaped ONNX model, 503 when the model is missing."""

from __future__ import annotations

import numpy as np
import pytest

from ai_server.pipeline.cutout import cutout, has_real_transparency
from ai_server.pipeline.exceptions import ModelUnavailable


def _no_session():
    raise AssertionError("rembg must not be needed for this picture")


def test_real_transparency_is_kept_as_is():
    img = np.zeros((50, 50, 4), np.uint8)
    img[10:40, 10:40] = (255, 0, 0, 255)
    out, method = cutout(img, _no_session)
    assert method == "alpha" and np.array_equal(out, img)


def test_an_opaque_alpha_channel_is_not_real_transparency():
    img = np.full((50, 50, 4), 255, np.uint8)
    assert not has_real_transparency(img)


def test_plain_background_is_removed_by_flood_fill_from_the_border():
    img = np.full((60, 60, 3), 250, np.uint8)  # white background
    img[15:45, 15:45] = (200, 30, 30)  # red square
    img[25:35, 25:35] = 250  # white hole inside the subject: not connected to the border, kept
    out, method = cutout(img, _no_session)
    assert method == "border" and out.shape == (60, 60, 4)
    assert out[2, 2, 3] == 0 and out[30, 20, 3] == 255 and out[30, 30, 3] == 255
    assert np.array_equal(out[30, 20, :3], [200, 30, 30])


def test_busy_background_uses_rembg(models):
    rng = np.random.default_rng(1)
    img = rng.integers(0, 120, size=(80, 80, 3), dtype=np.uint8)  # dark noise
    img[20:60, 20:60] = 240  # a bright subject: the tiny model's "foreground"
    out, method = cutout(img, models.cutout_session)
    assert method == "rembg" and out.shape == (80, 80, 4)
    assert out[40, 40, 3] > 200 and out[5, 5, 3] < 128


def test_missing_model_is_model_unavailable(app_without_cutout_model):
    models = app_without_cutout_model.extensions["ai_models"]
    rng = np.random.default_rng(2)
    img = rng.integers(0, 256, size=(40, 40, 3), dtype=np.uint8)
    with pytest.raises(ModelUnavailable) as err:
        cutout(img, models.cutout_session)
    assert err.value.code == "cutout_model_unavailable"


def test_the_rembg_session_is_created_once(models):
    assert models.cutout_session() is models.cutout_session()
    assert type(models.cutout_session()).__name__ == "U2netCustomSession"
