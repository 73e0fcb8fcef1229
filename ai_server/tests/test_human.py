"""The `human` classifier on real pictures (skimage's public-domain samples)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import skimage.data

from ai_server.classifiers.base import EMOTIONS, Classifier
from ai_server.classifiers.human import (
    HumanEmotionClassifier,
    ModelNotInstalledError,
    preprocess,
)
from ai_server.classifiers.human_install import default_models_dir, install_human_model


@pytest.fixture(scope="module")
def human() -> HumanEmotionClassifier:
    install_human_model(default_models_dir())  # no-op when `make models` already ran
    return HumanEmotionClassifier()


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    return skimage.data.astronaut()


@pytest.fixture(scope="module")
def astronaut_face(astronaut) -> tuple[int, int, int, int]:
    from mtcnn import MTCNN

    faces = MTCNN().detect_faces(astronaut)
    assert len(faces) == 1
    return tuple(int(v) for v in faces[0]["box"])


def test_implements_the_classifier_interface(human):
    assert isinstance(human, Classifier)
    assert human.name == "human"


def test_astronaut_portrait_is_happy(human, astronaut, astronaut_face):
    probs = human.predict(astronaut, [astronaut_face])
    assert EMOTIONS[int(probs[0].argmax())] == "happy"
    assert probs[0, EMOTIONS.index("happy")] > 0.9


def test_batch_gives_one_valid_probability_row_per_box(human, astronaut, astronaut_face):
    camera = np.repeat(skimage.data.camera()[..., None], 3, axis=2)
    boxes = [astronaut_face, (0, 0, 40, 60), (300, 200, 150, 100), (470, 480, 80, 80)]
    probs = human.predict(astronaut, boxes)
    assert probs.shape == (4, 7) and probs.dtype == np.float32
    assert np.all(probs >= 0) and np.all(probs <= 1)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    # a batch gives the same rows as faces scored one at a time
    for box, row in zip(boxes, probs, strict=True):
        np.testing.assert_allclose(human.predict(astronaut, [box])[0], row, atol=1e-6)
    assert human.predict(camera, [(220, 60, 120, 140)]).shape == (1, 7)


def test_no_boxes_gives_an_empty_result(human, astronaut):
    assert human.predict(astronaut, []).shape == (0, 7)


def test_box_outside_the_image_is_refused(human, astronaut):
    with pytest.raises(ValueError, match="outside"):
        human.predict(astronaut, [(600, 600, 50, 50)])


def test_box_crossing_the_edge_repeats_the_edge(astronaut):
    # A grown box may reach past the photo: the crop keeps the box's shape.
    crop = preprocess(astronaut, (-10, 500, 30, 40))
    assert crop.shape == (64, 64, 1) and crop.std() > 0


def test_crop_of_mirrored_image_is_the_mirrored_crop(astronaut, astronaut_face):
    x, y, w, h = astronaut_face
    flipped = np.ascontiguousarray(astronaut[:, ::-1])
    mirrored_box = (astronaut.shape[1] - x - w, y, w, h)
    np.testing.assert_allclose(
        preprocess(flipped, mirrored_box), preprocess(astronaut, astronaut_face)[:, ::-1], atol=1e-4)


def test_input_is_grey_64px_in_minus_one_to_one(astronaut, astronaut_face):
    crop = preprocess(astronaut, astronaut_face)
    assert crop.shape == (64, 64, 1) and crop.dtype == np.float32
    assert crop.min() >= -1.0 and crop.max() <= 1.0 and crop.std() > 0.1


def test_concurrent_calls_give_the_sequential_results(human, astronaut, astronaut_face):
    boxes = [[astronaut_face], [(100, 100, 120, 120)], [(300, 200, 150, 100)]] * 4
    want = [human.predict(astronaut, b) for b in boxes]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda b: human.predict(astronaut, b), boxes))
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)


def test_missing_model_says_how_to_install_it(tmp_path):
    with pytest.raises(ModelNotInstalledError, match="make models"):
        HumanEmotionClassifier(tmp_path)
