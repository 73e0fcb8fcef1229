"""Detection box mapping and classification averaging, on arrays with stand-in models."""

from __future__ import annotations

import numpy as np
import pytest

from ai_server.detectors.base import RawFace
from ai_server.pipeline.classify import classify_faces, mirror_boxes, scores_json
from ai_server.pipeline.detect import bounded_copy, detect_faces, map_back


def test_bounded_copy_limits_the_long_side():
    img = np.zeros((3000, 4000, 3), np.uint8)
    small, scale = bounded_copy(img, 1280)
    assert small.shape[:2] == (960, 1280) and scale == pytest.approx(0.32)


def test_small_pictures_are_not_upscaled():
    img = np.zeros((300, 400, 3), np.uint8)
    small, scale = bounded_copy(img, 1280)
    assert small is img and scale == 1.0


def test_boxes_and_landmarks_map_back_to_the_original_frame():
    raw = [RawFace(box=(100, 50, 40, 60), confidence=0.99, landmarks={"left_eye": (110, 70), "right_eye": (130, 70)})]
    (face,) = map_back(raw, 0.25, 4000, 3000)
    assert face.box == (400, 200, 160, 240)
    assert face.landmarks["left_eye"] == (440.0, 280.0)


def test_mapped_boxes_are_clipped_to_the_image():
    raw = [RawFace(box=(-5, -5, 30, 30), confidence=0.99)]
    (face,) = map_back(raw, 0.5, 40, 40)
    assert face.box == (0, 0, 40, 40)


class RecordingDetector:
    """Stand-in detector: answers one face in the middle of whatever it is shown."""

    def __init__(self) -> None:
        self.shapes: list[tuple[int, ...]] = []

    name = "recording"

    def detect(self, image, *, min_face_size, min_confidence):
        self.shapes.append(image.shape)
        h, w = image.shape[:2]
        return [
            RawFace(box=(w // 4, h // 4, w // 2, h // 2), confidence=0.99),
            RawFace(box=(0, 0, 5, 5), confidence=0.5),  # below min_confidence
        ]


def test_detection_runs_on_the_bounded_copy_and_answers_in_full_size():
    detector = RecordingDetector()
    img = np.zeros((2000, 4000, 3), np.uint8)
    faces = detect_faces(detector, img, max_side=1000, min_face_size=20, min_confidence=0.9, max_faces=10)
    assert detector.shapes == [(500, 1000, 3)]
    assert [f.box for f in faces] == [(1000, 500, 2000, 1000)]


class ZoomSensitiveDetector:
    """Stand-in: one face at a fixed place of the photo, whose confidence depends on how
    many pixels tall it is in the image it is shown (like a real detector's small faces)."""

    name = "zoom"

    def __init__(self, face_in_photo, photo_width, sure_from_px):
        self.face, self.photo_width, self.sure_from_px = face_in_photo, photo_width, sure_from_px
        self.shapes = []

    def detect(self, image, *, min_face_size, min_confidence):
        self.shapes.append(image.shape)
        x, y, w, h = self.face
        if image.shape[1] == 2 * image.shape[0]:  # the whole (2:1) photo, maybe shrunk
            k = image.shape[1] / self.photo_width
            x, y, w, h = x * k, y * k, w * k, h * k
        else:  # a crop around the face, at full size: the face sits one face size in
            x, y = w, h
        confidence = 0.9 if h >= self.sure_from_px else 0.3
        face = RawFace(box=(x, y, w, h), confidence=confidence, landmarks={"left_eye": (x + w / 3, y + h / 3)})
        return [face] if confidence >= min_confidence else []


def test_a_face_too_small_on_the_copy_to_be_sure_of_is_confirmed_on_the_photo():
    detector = ZoomSensitiveDetector((2000, 1000, 40, 40), 4000, sure_from_px=30)
    img = np.zeros((2000, 4000, 3), np.uint8)
    faces = detect_faces(detector, img, max_side=1000, min_face_size=5, min_confidence=0.5, max_faces=10,
                         recheck_from=0.2)
    assert [f.box for f in faces] == [(2000, 1000, 40, 40)]
    assert faces[0].confidence == 0.9 and faces[0].landmarks["left_eye"][0] == pytest.approx(2000 + 40 / 3, abs=0.05)  # to 0.1 px, as reported
    assert detector.shapes[0] == (500, 1000, 3) and detector.shapes[1][:2] == (121, 121)  # the face ± its size


def test_a_doubtful_face_the_closer_look_does_not_confirm_is_dropped():
    detector = ZoomSensitiveDetector((2000, 1000, 40, 40), 4000, sure_from_px=60)
    img = np.zeros((2000, 4000, 3), np.uint8)
    assert detect_faces(detector, img, max_side=1000, min_face_size=5, min_confidence=0.5, max_faces=10,
                        recheck_from=0.2) == []
    assert len(detector.shapes) == 2


def test_without_recheck_or_without_shrinking_there_is_no_second_look():
    img = np.zeros((2000, 4000, 3), np.uint8)
    detector = ZoomSensitiveDetector((2000, 1000, 40, 40), 4000, sure_from_px=30)
    assert detect_faces(detector, img, max_side=1000, min_face_size=5, min_confidence=0.5, max_faces=10) == []
    small = ZoomSensitiveDetector((200, 100, 20, 20), 400, sure_from_px=30)  # a 2:1 photo, not shrunk
    assert detect_faces(small, np.zeros((200, 400, 3), np.uint8), max_side=1000, min_face_size=5,
                        min_confidence=0.5, max_faces=10, recheck_from=0.2) == []
    assert len(detector.shapes) == len(small.shapes) == 1


class ConstantClassifier:
    def __init__(self, name: str, row: list[float], flipped_row: list[float] | None = None) -> None:
        self.name = name
        self.row, self.flipped_row = row, flipped_row or row
        self.calls: list[list] = []

    def predict(self, image, boxes):
        self.calls.append(list(boxes))
        row = self.flipped_row if len(self.calls) % 2 == 0 else self.row
        return np.tile(np.asarray(row, np.float32), (len(boxes), 1))


def test_mirror_boxes():
    assert mirror_boxes([(10, 5, 30, 40)], 100) == [(60, 5, 30, 40)]


def test_each_classifier_is_flip_averaged_then_classifiers_averaged():
    a = ConstantClassifier("a", [1, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0])
    b = ConstantClassifier("b", [0, 0, 0, 1, 0, 0, 0])
    img = np.zeros((50, 100, 3), np.uint8)
    probs = classify_faces([a, b], img, [(10, 5, 30, 40)])
    np.testing.assert_allclose(probs[0], [0.25, 0.25, 0, 0.5, 0, 0, 0], atol=1e-6)
    assert a.calls == [[(10, 5, 30, 40)], [(60, 5, 30, 40)]]


def test_flip_averaging_can_be_turned_off():
    a = ConstantClassifier("a", [1, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0])
    probs = classify_faces([a], np.zeros((50, 100, 3), np.uint8), [(10, 5, 30, 40)], flip_average=False)
    assert probs[0, 0] == pytest.approx(1.0) and len(a.calls) == 1


def test_no_boxes_gives_no_rows():
    assert classify_faces([], np.zeros((5, 5, 3), np.uint8), []).shape == (0, 7)


def test_scores_json_names_the_dominant_emotion():
    (item,) = scores_json(np.asarray([[0.1, 0, 0, 0.2, 0.6, 0.1, 0]], np.float32))
    assert item["emotion"] == "sad" and sum(item["scores"].values()) == pytest.approx(1.0, abs=1e-3)
