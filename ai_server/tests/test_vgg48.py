"""VGG48, the expression classifier trained in this repository, as the service runs it."""

from __future__ import annotations

import shutil

import numpy as np
import onnx
import pytest
import skimage.data

from ai_server.classifiers import REGISTRY
from ai_server.classifiers.base import EMOTIONS, Classifier
from ai_server.classifiers.vgg48 import (
    MODEL_FILE,
    WEIGHTS_DIR,
    ModelFileError,
    Vgg48Classifier,
    manifest,
    preprocess,
)

FACE = (182, 64, 83, 107)  # the astronaut's face as the detector boxes it


@pytest.fixture(scope="module")
def vgg48() -> Vgg48Classifier:
    return Vgg48Classifier()


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    return skimage.data.astronaut()


def test_registry_builds_it_and_it_is_a_classifier():
    clf = REGISTRY["vgg48"](None)
    assert isinstance(clf, Classifier) and clf.name == "vgg48"


def test_returns_valid_probabilities_for_a_batch(vgg48, astronaut):
    boxes = [FACE, (300, 200, 151, 100), (-10, 480, 60, 60)]  # face, not a face, over the edge
    probs = vgg48.predict(astronaut, boxes)
    assert probs.shape == (3, 7) and probs.dtype == np.float32
    assert np.all(probs >= 0) and np.all(probs <= 1)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert vgg48.predict(astronaut, []).shape == (0, 7)


def test_onnx_agrees_with_the_trained_pytorch_model(vgg48):
    # The export recorded PyTorch's probabilities for a few faces cut from the
    # astronaut (public domain); the committed float16 file must give the same.
    ref = manifest()["reference"]
    faces = np.asarray(ref["faces"], np.float32)[:, None]
    assert len(faces) >= 3
    np.testing.assert_allclose(vgg48.predict_faces(faces), ref["probs"], atol=1e-3)


def test_weights_are_float16_and_a_few_megabytes():
    model = onnx.load(str(WEIGHTS_DIR / MODEL_FILE))
    big = [i for i in model.graph.initializer if int(np.prod(i.dims)) > 1000]
    assert big and all(i.data_type == onnx.TensorProto.FLOAT16 for i in big)
    assert (WEIGHTS_DIR / MODEL_FILE).stat().st_size < 5_000_000


def test_a_changed_file_is_refused(tmp_path):
    copy = tmp_path / "vgg48"
    shutil.copytree(WEIGHTS_DIR, copy)
    data = bytearray((copy / MODEL_FILE).read_bytes())
    data[-100] ^= 0xFF
    (copy / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="sha256"):
        Vgg48Classifier(copy)
    (copy / MODEL_FILE).unlink()
    with pytest.raises(ModelFileError, match="missing"):
        Vgg48Classifier(copy)


def test_input_is_grey_48px_levels_and_mirrors_exactly(astronaut):
    x, y, w, h = FACE
    crop = preprocess(astronaut, FACE)
    assert crop.shape == (1, 48, 48) and crop.dtype == np.float32
    assert 0 <= crop.min() and crop.max() <= 255 and crop.std() > 10
    flipped = np.ascontiguousarray(astronaut[:, ::-1])
    mirrored = preprocess(flipped, (astronaut.shape[1] - x - w, y, w, h))
    np.testing.assert_allclose(mirrored, crop[:, :, ::-1], atol=1e-3)


def test_trained_to_a_useful_accuracy_on_publictest():
    trained = manifest()["trained"]
    assert trained["publictest_accuracy_flip"] >= 0.60
    assert trained["config"]["seed"] == 20261130


def test_astronaut_portrait_is_happy(vgg48, astronaut):
    probs = vgg48.predict(astronaut, [FACE])
    assert EMOTIONS[int(probs[0].argmax())] == "happy"
