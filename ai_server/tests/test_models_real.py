"""The real models (each detector, FER) on small real photos."""

from __future__ import annotations

import numpy as np
import pytest

from ai_server.classifiers.base import EMOTIONS
from ai_server.classifiers.fer_model import FerClassifier, fer_crops
from ai_server.pipeline.decode import decode_image
from ai_server.pipeline.detect import roll_degrees
from ai_server.service import StageTimer, find_faces
from ai_server.tests import photos


def _find(models, app, rgb, boxes=None):
    return find_faces(models, app.config, rgb, boxes, StageTimer())


def _iou(a, b) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    return inter / (aw * ah + bw * bh - inter)


@pytest.fixture()
def dapp(any_detector_app):
    return any_detector_app


@pytest.fixture()
def dmodels(dapp):
    return dapp.extensions["ai_models"]


def test_the_astronauts_face_is_found_where_it_is(dmodels, dapp):
    faces, faces_json = _find(dmodels, dapp, photos.astronaut())
    assert len(faces) == 1
    assert _iou(faces[0].box, photos.ASTRONAUT_FACE) > 0.75
    marks = faces[0].landmarks
    assert set(marks) == {"left_eye", "right_eye", "nose", "mouth_left", "mouth_right"}
    lx, ly = marks["left_eye"]
    assert 195 < lx < 215 and 90 < ly < 110  # her right eye, image left
    rx, _ = marks["right_eye"]
    assert 235 < rx < 255 and marks["mouth_left"][0] < marks["mouth_right"][0]
    assert marks["left_eye"][1] < marks["nose"][1] < marks["mouth_left"][1]
    item = faces_json[0]
    threshold = dmodels.detector_settings.min_confidence
    assert item["emotion"] in EMOTIONS and item["confidence"] >= threshold + (1 - threshold) / 2
    assert sum(item["scores"].values()) == pytest.approx(1.0, abs=1e-3)


def test_the_smiling_astronaut_reads_as_happy(models, app):
    _, faces_json = _find(models, app, photos.astronaut())
    assert faces_json[0]["emotion"] == "happy"


def test_a_photo_without_a_face_has_zero_faces(dmodels, dapp):
    faces, _ = _find(dmodels, dapp, photos.coffee())
    assert faces == []


def test_exif_rotated_jpeg_gives_boxes_in_the_upright_frame(dmodels, dapp):
    image = decode_image(photos.exif_rotated_jpeg(), max_pixels=40_000_000)
    faces, _ = _find(dmodels, dapp, image.rgb)
    assert len(faces) == 1 and _iou(faces[0].box, photos.ASTRONAUT_FACE) > 0.7


def test_every_face_of_a_group_is_found(dmodels, dapp):
    group, expected = photos.group_photo()
    faces, _ = _find(dmodels, dapp, group)
    assert len(faces) == 3
    for want in expected:
        assert max(_iou(f.box, want) for f in faces) > 0.6, want


def test_a_large_photo_is_detected_on_the_bounded_copy_and_mapped_back(dmodels, dapp):
    import cv2

    big = cv2.resize(photos.astronaut(), (2048, 2048), interpolation=cv2.INTER_CUBIC)
    faces, _ = _find(dmodels, dapp, big)  # detection on a copy of at most 1600 px
    assert len(faces) == 1
    expected = tuple(v * 4 for v in photos.ASTRONAUT_FACE)
    assert _iou(faces[0].box, expected) > 0.7  # the expected box is MTCNN's (brows to chin)


def test_the_roll_of_a_tilted_head_is_measured(dmodels, dapp):
    faces, _ = _find(dmodels, dapp, photos.rolled_astronaut(25.0))
    assert len(faces) == 1
    # The astronaut's own head is tilted by ~3°; the eye line turns with the picture.
    assert roll_degrees(faces[0]) == pytest.approx(25.0 + 2.8, abs=6)


def test_given_boxes_skip_detection(models, app):
    faces, faces_json = _find(models, app, photos.coffee(), boxes=[(10, 10, 60, 60)])
    assert [f.box for f in faces] == [(10, 10, 60, 60)]
    assert faces_json[0]["confidence"] is None and faces_json[0]["emotion"] in EMOTIONS


def test_fer_scores_match_fer_own_pipeline(models):
    from fer.fer import FER

    img = photos.astronaut()
    boxes = [photos.ASTRONAUT_FACE, (0, 0, 60, 40)]
    theirs = FER().detect_emotions(np.ascontiguousarray(img[:, :, ::-1]), face_rectangles=boxes)
    ours = FerClassifier().predict(img, boxes)
    for row, their in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(row, [their["emotions"][e] for e in EMOTIONS], atol=0.011)  # FER rounds to 2 dp


def test_fer_returns_a_row_for_a_box_at_the_border():
    img = photos.astronaut()
    assert fer_crops(img, [(500, 500, 30, 30), (-20, -20, 25, 25)]).shape == (2, 64, 64)
    assert FerClassifier().predict(img, [(500, 500, 30, 30)]).shape == (1, 7)


def test_classifying_a_large_photo_on_the_crop_around_faces_changes_no_score(models):
    import cv2

    from ai_server.classifiers.base import View
    from ai_server.pipeline.classify import CROP_ABOVE_PIXELS, classify_faces, mirror_boxes

    big = cv2.resize(photos.astronaut(), (2048, 2048), interpolation=cv2.INTER_CUBIC)
    assert big.shape[0] * big.shape[1] > CROP_ABOVE_PIXELS
    boxes = [tuple(v * 4 for v in photos.ASTRONAUT_FACE)]
    (fer,) = models.classifiers
    mirrored = np.ascontiguousarray(big[:, ::-1])
    for views in (False, True):  # the crop keeps room for every test-time view
        crops = [v.apply(b, fer.grow) for v in (fer.test_time_views if views else [View()]) for b in boxes]
        want = ((fer.predict(big, crops) + fer.predict(mirrored, mirror_boxes(crops, 2048))) / 2).mean(axis=0)
        np.testing.assert_allclose(classify_faces([fer], big, boxes, test_time_crops=views)[0], want, atol=1e-5)


def test_compiled_mtcnn_finds_the_same_faces_as_the_eager_one(mtcnn_app):
    from ai_server.mtcnn_safe import build_mtcnn

    eager = build_mtcnn(compiled=False)
    compiled = mtcnn_app.extensions["ai_models"].detector._mtcnn
    group, _ = photos.group_photo()
    for rgb in (group, photos.astronaut(), photos.rolled_astronaut(25.0)):
        ours = compiled.detect_faces(rgb)
        theirs = eager.detect_faces(rgb)
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(a["box"], b["box"], atol=1)
            assert a["confidence"] == pytest.approx(b["confidence"], abs=1e-3)
