"""Compose geometry on arrays: aspect, rotation direction, clipping, alpha, untouched pixels."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ai_server.pipeline.compose import (
    Placement,
    compose,
    placement_for_face,
    render_emoji,
    visible_crop,
)
from ai_server.pipeline.detect import Face, roll_degrees
from ai_server.tests.photos import two_colour_emoji


def _base(h: int = 300, w: int = 400) -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)


def _changed(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    return np.any(before != after, axis=2)


def _bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    return int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)


def _solid(w: int, h: int, colour=(0, 255, 0)) -> np.ndarray:
    return np.dstack([np.full((h, w, 3), colour, np.uint8), np.full((h, w), 255, np.uint8)])


def test_output_has_the_size_and_mode_of_the_input():
    base = _base()
    out = compose(base, [(_solid(10, 10), placement_for_face((100, 100, 50, 60), 0.0))])
    assert out.shape == base.shape and out.dtype == np.uint8


def test_visible_part_covers_the_face_box_with_margin():
    base = _base()
    box = (150, 100, 60, 80)
    out = compose(base, [(_solid(100, 100), placement_for_face(box, 0.0))], scale=1.25)
    x, y, w, h = _bbox(_changed(base, out))
    assert x <= 150 and y <= 100 and x + w >= 210 and y + h >= 180
    assert h == pytest.approx(80 * 1.25, abs=2)  # the limiting side gets exactly the margin


def test_emoji_keeps_its_aspect_ratio():
    base = _base()
    out = compose(base, [(_solid(200, 100), placement_for_face((150, 100, 60, 60), 0.0))])
    _, _, w, h = _bbox(_changed(base, out))
    assert w / h == pytest.approx(2.0, rel=0.03)


def test_transparent_margin_of_the_emoji_does_not_count():
    emoji = np.zeros((300, 300, 4), np.uint8)
    emoji[100:200, 100:200] = (255, 0, 0, 255)  # visible 100×100 in a 300×300 canvas
    assert visible_crop(emoji).shape[:2] == (100, 100)
    base = _base()
    out = compose(base, [(emoji, placement_for_face((150, 100, 80, 80), 0.0))], scale=1.0)
    _, _, w, h = _bbox(_changed(base, out))
    assert (w, h) == (80, 80)


def _half_centroids(out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    red = (out[:, :, 0] > 200) & (out[:, :, 2] < 60) & (out[:, :, 1] < 60)
    blue = (out[:, :, 2] > 200) & (out[:, :, 0] < 60) & (out[:, :, 1] < 60)
    return np.argwhere(red).mean(axis=0)[::-1], np.argwhere(blue).mean(axis=0)[::-1]  # (x, y)


@pytest.mark.parametrize("roll", [25.0, -25.0, 0.0])
def test_emoji_turns_with_the_head(roll):
    base = np.full((300, 300, 3), 128, np.uint8)
    out = compose(base, [(two_colour_emoji(), Placement((150, 150), (100, 100), roll))])
    red, blue = _half_centroids(out)
    angle = math.degrees(math.atan2(blue[1] - red[1], blue[0] - red[0]))
    assert angle == pytest.approx(roll, abs=2)


def test_roll_is_positive_when_the_right_eye_is_lower():
    face = Face(box=(0, 0, 10, 10), landmarks={"left_eye": (10.0, 10.0), "right_eye": (20.0, 20.0)})
    assert roll_degrees(face) == pytest.approx(45.0)
    assert roll_degrees(Face(box=(0, 0, 1, 1))) == 0.0


@pytest.mark.parametrize(
    "box",
    [(-30, 100, 80, 80), (350, 100, 80, 80), (150, -30, 80, 80), (150, 250, 80, 80),  # edges
     (-30, -30, 80, 80), (350, -30, 80, 80), (-30, 250, 80, 80), (350, 250, 80, 80)],  # corners
)
def test_faces_at_edges_and_corners_are_clipped(box):
    base = _base()
    out = compose(base, [(_solid(50, 50), placement_for_face(box, 15.0))])
    assert out.shape == base.shape
    changed = _changed(base, out)
    assert changed.any()
    # The changed area touches the image border on the sides the box crosses.
    x, y, w, h = _bbox(changed)
    if box[0] < 0:
        assert x == 0
    if box[0] + box[2] > base.shape[1]:
        assert x + w == base.shape[1]
    if box[1] < 0:
        assert y == 0
    if box[1] + box[3] > base.shape[0]:
        assert y + h == base.shape[0]


def test_emoji_entirely_outside_changes_nothing():
    base = _base()
    layer, _, _ = render_emoji(_solid(10, 10), Placement((0, 0), (10, 10)), 1.0)
    out = compose(base, [(_solid(10, 10), Placement((-500, -500), (10, 10)))])
    assert layer.shape[0] > 0 and np.array_equal(out, base)


def test_half_transparent_emoji_is_alpha_blended():
    base = np.full((100, 100, 3), 0, np.uint8)
    emoji = np.dstack([np.full((40, 40, 3), 200, np.uint8), np.full((40, 40), 128, np.uint8)])
    out = compose(base, [(emoji, Placement((50, 50), (40, 40)))], scale=1.0)
    assert 95 <= int(out[50, 50, 0]) <= 106  # 200 × 128/255 over black


def test_pixels_away_from_faces_are_identical():
    base = _base()
    out = compose(base, [(_solid(60, 60), placement_for_face((100, 100, 60, 60), 10.0))])
    changed = _changed(base, out)
    x, y, w, h = _bbox(changed)
    outside = np.ones(changed.shape, bool)
    outside[y : y + h, x : x + w] = False
    assert np.array_equal(base[outside], out[outside])
    assert x > 70 and x + w < 190  # and the changed area is only around the face


def test_rgba_base_stays_rgba_and_transparent_pixels_elsewhere_are_kept():
    base = np.zeros((100, 100, 4), np.uint8)
    out = compose(base, [(_solid(20, 20), Placement((50, 50), (20, 20)))], scale=1.0)
    assert out.shape == (100, 100, 4)
    assert out[50, 50, 3] == 255 and out[5, 5, 3] == 0
