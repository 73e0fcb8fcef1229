"""Box growth per classifier, test-time views and calibration in the classify stage,
with stand-in classifiers that record the boxes they are given."""

from __future__ import annotations

import numpy as np
import pytest

from ai_server.classifiers import Calibration
from ai_server.classifiers.base import GRID4, SIZES, View, crop_replicate, grow_box
from ai_server.pipeline.classify import classify_faces

IMG = np.zeros((200, 300, 3), np.uint8)
BOX = (100, 50, 50, 80)


class Recorder:
    """Scores 'happy' for the face as given and 'sad' for every other crop."""

    def __init__(self, grow: float = 0.0, views: tuple[View, ...] = (View(),)) -> None:
        self.name, self.grow, self.test_time_views = "rec", grow, views
        self.calls: list[list] = []

    def predict(self, image, boxes):
        self.calls.append(list(boxes))
        out = np.zeros((len(boxes), 7), np.float32)
        for i, b in enumerate(boxes):
            out[i, 3 if b in (BOX, (300 - 100 - 50, 50, 50, 80)) else 4] = 1.0
        return out


def test_grow_box_widens_and_narrows_every_side():
    assert grow_box((100, 50, 50, 80), 0.1) == (95, 42, 60, 96)
    assert grow_box((100, 50, 50, 80), -0.1) == (105, 58, 40, 64)
    assert grow_box((100, 50, 50, 80), 0.0) == (100, 50, 50, 80)


def test_view_shifts_by_a_fraction_of_the_box_then_grows():
    assert View(0.1, -0.1).apply(BOX) == (105, 42, 50, 80)
    assert View(grow=0.1).apply(BOX, grow=-0.1) == BOX
    assert View(0.04, 0.0).apply(BOX, grow=0.1) == (97, 42, 60, 96)


def test_crop_replicate_repeats_the_edge_outside_the_image():
    img = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)
    crop = crop_replicate(img, (-2, -1, 4, 3))
    assert crop.shape == (3, 4, 3)
    np.testing.assert_array_equal(crop[0, 0], img[0, 0])  # outside: the corner pixel
    np.testing.assert_array_equal(crop[2, 3], img[1, 1])  # inside: itself
    np.testing.assert_array_equal(crop_replicate(img, (1, 1, 2, 2)), img[1:3, 1:3])  # inside: a view
    with pytest.raises(ValueError, match="outside"):
        crop_replicate(img, (5, 0, 2, 2))


def test_crop_replicate_of_a_mirrored_image_is_the_mirrored_crop():
    img = np.random.default_rng(0).integers(0, 255, (20, 30, 3), dtype=np.uint8)
    box = (-4, 3, 12, 10)
    mirrored = crop_replicate(np.ascontiguousarray(img[:, ::-1]), (30 - box[0] - box[2], 3, 12, 10))
    np.testing.assert_array_equal(mirrored, crop_replicate(img, box)[:, ::-1])


def test_each_classifier_gets_the_box_grown_its_own_way():
    rec = Recorder(grow=0.1)
    classify_faces([rec], IMG, [BOX], flip_average=False)
    assert rec.calls == [[(95, 42, 60, 96)]]


def test_views_are_used_only_when_test_time_crops_are_on():
    rec = Recorder(views=GRID4)
    off = classify_faces([rec], IMG, [BOX], flip_average=False)
    assert len(rec.calls[-1]) == 1 and off[0].argmax() == 3
    on = classify_faces([rec], IMG, [BOX, (10, 10, 40, 40)], flip_average=False, test_time_crops=True)
    assert len(rec.calls[-1]) == 2 * len(GRID4)  # one call: every view of every face
    # the face: one view in nine is the box as given (happy), eight are shifted (sad)
    np.testing.assert_allclose(on[0, [3, 4]], [1 / 9, 8 / 9], atol=1e-6)
    assert on[1, 4] == pytest.approx(1.0)


def test_views_and_mirror_are_averaged_together():
    rec = Recorder(views=SIZES)
    probs = classify_faces([rec], IMG, [BOX], test_time_crops=True)
    assert len(rec.calls) == 2 and rec.calls[1][1] == (300 - 100 - 50, 50, 50, 80)
    np.testing.assert_allclose(probs[0, [3, 4]], [1 / 3, 2 / 3], atol=1e-6)


def test_calibration_weights_the_average_then_renormalises():
    rec = Recorder(views=SIZES)
    probs = classify_faces([rec], IMG, [BOX], test_time_crops=True,
                           calibration=Calibration((1.0,), (1, 1, 1, 4, 1, 1, 1)))
    # happy 1/3 x 4 against sad 2/3: happy wins, rows still sum to one
    np.testing.assert_allclose(probs[0, [3, 4]], [4 / 6, 2 / 6], atol=1e-6)
    assert probs.sum() == pytest.approx(1.0)


def test_member_weights_weight_the_classifiers_average():
    happy, sad = Recorder(), Recorder(grow=0.1)  # the second never sees the box as given
    probs = classify_faces([happy, sad], IMG, [BOX], flip_average=False,
                           calibration=Calibration((3.0, 1.0), (1,) * 7))
    np.testing.assert_allclose(probs[0, [3, 4]], [0.75, 0.25], atol=1e-6)
    with pytest.raises(ValueError, match="calibration for 1 classifiers"):
        classify_faces([happy, sad], IMG, [BOX], calibration=Calibration((1.0,), (1,) * 7))
