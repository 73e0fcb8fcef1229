"""The default expression ensemble (FER + human + VGG48) on real pictures: each classifier
scored at its own box growth and test-time views, flip-averaged, the classifiers averaged,
then calibrated -- the average docs/expression-models.md documents."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
import skimage.data
from PIL import Image

from ai_server.classifiers import calibration_for, load_classifiers
from ai_server.classifiers.base import EMOTIONS, View
from ai_server.classifiers.human_install import default_models_dir, install_human_model
from ai_server.config import defaults, emotion_model_names
from ai_server.pipeline.classify import classify_faces, mirror_boxes

# MTCNN's box for the astronaut, a box with an odd width (crops that do not
# mirror pixel-exactly for FER, which squares the box) and a non-face region.
BOXES = [(182, 64, 83, 107), (170, 40, 111, 130), (300, 200, 151, 100)]


@pytest.fixture(scope="module")
def ensemble():
    install_human_model(default_models_dir())  # no-op when `make models` already ran
    return load_classifiers(emotion_model_names(defaults()))


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    return skimage.data.astronaut()


def _mirror(image: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(image[:, ::-1])


def test_default_ensemble_is_fer_human_and_vgg48(ensemble):
    assert [c.name for c in ensemble] == ["fer", "human", "vgg48"]
    assert calibration_for([c.name for c in ensemble]) is not None


def test_every_classifier_returns_valid_probabilities_for_a_batch(ensemble, astronaut):
    for classifier in ensemble:
        probs = classifier.predict(astronaut, BOXES)
        assert probs.shape == (len(BOXES), 7), classifier.name
        assert np.all(probs >= 0) and np.all(probs <= 1), classifier.name
        np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5, err_msg=classifier.name)


def _documented_average(ensemble, image, boxes, *, views: bool, calibration=None) -> np.ndarray:
    """Written out from the documentation, one face, view and classifier at a time."""
    mirrored = _mirror(image)
    width = image.shape[1]
    per_classifier = []
    for c in ensemble:
        rows = []
        for box in boxes:
            scored = []
            for view in (c.test_time_views if views else [View()]):
                b = view.apply(box, c.grow)
                m = (width - b[0] - b[2], b[1], b[2], b[3])
                scored.append((c.predict(image, [b])[0].astype(np.float64) + c.predict(mirrored, [m])[0]) / 2)
            rows.append(np.mean(scored, axis=0))
        per_classifier.append(np.asarray(rows))
    members = calibration.members if calibration else [1.0] * len(ensemble)
    avg = np.average(per_classifier, axis=0, weights=members)
    if calibration is not None:
        avg = avg * np.asarray(calibration.emotions)
    return avg / avg.sum(axis=1, keepdims=True), per_classifier


def test_ensemble_is_the_average_of_flip_averaged_classifiers(ensemble, astronaut):
    want, per_classifier = _documented_average(ensemble, astronaut, BOXES, views=False)
    got = classify_faces(ensemble, astronaut, BOXES)
    np.testing.assert_allclose(got, want, atol=1e-5)
    # and it is not simply one of its members
    for member in per_classifier:
        assert np.abs(got - member).max() > 1e-3


def test_with_test_time_crops_and_calibration_it_is_the_documented_average(ensemble, astronaut):
    calibration = calibration_for([c.name for c in ensemble])
    want, _ = _documented_average(ensemble, astronaut, BOXES, views=True, calibration=calibration)
    got = classify_faces(ensemble, astronaut, BOXES, test_time_crops=True, calibration=calibration)
    np.testing.assert_allclose(got, want, atol=1e-5)
    assert np.abs(got - classify_faces(ensemble, astronaut, BOXES)).max() > 1e-3


def test_flipped_face_gets_the_same_ensemble_scores(ensemble, astronaut):
    mirrored = _mirror(astronaut)
    got = classify_faces(ensemble, mirrored, mirror_boxes(BOXES, astronaut.shape[1]))
    np.testing.assert_allclose(got, classify_faces(ensemble, astronaut, BOXES), atol=1e-6)


def test_flip_averaging_changes_scores_where_a_face_is_not_symmetric(ensemble, astronaut):
    # Without it each classifier sees one orientation only, so the check above is not trivial.
    plain = classify_faces(ensemble, astronaut, BOXES, flip_average=False)
    flipped = classify_faces(ensemble, _mirror(astronaut), mirror_boxes(BOXES, astronaut.shape[1]),
                             flip_average=False)
    assert np.abs(plain - flipped).max() > 1e-4


def test_astronaut_portrait_is_happy_for_the_ensemble(ensemble, astronaut):
    for kwargs in ({}, {"test_time_crops": True,
                        "calibration": calibration_for([c.name for c in ensemble])}):
        probs = classify_faces(ensemble, astronaut, BOXES[:1], **kwargs)
        assert EMOTIONS[int(probs[0].argmax())] == "happy", kwargs


@pytest.fixture(scope="module")
def default_app(tiny_cutout_model, ensemble):
    from ai_server import create_app

    # Default emotion models: only the cut-out model is swapped for the tiny test one.
    return create_app({"CUTOUT_MODEL_PATH": str(tiny_cutout_model)})


def test_healthz_lists_the_classifiers_loaded_and_calibrated(default_app):
    health = default_app.test_client().get("/healthz").get_json()
    assert health["emotion_models"] == ["fer", "human", "vgg48"]
    assert all(c["loaded"] for c in health["classifiers"])
    assert health["calibrated"] is True


def test_analyze_scores_are_the_ensemble_scores(default_app, ensemble, astronaut):
    buf = io.BytesIO()
    Image.fromarray(astronaut).save(buf, format="PNG")
    response = default_app.test_client().post("/v1/analyze", data={
        "image": (io.BytesIO(buf.getvalue()), "astronaut.png"),
        "boxes": json.dumps([list(b) for b in BOXES]),
    })
    assert response.status_code == 200, response.get_json()
    faces = response.get_json()["faces"]
    # the defaults: test-time crops on, the ensemble's calibration applied
    want = classify_faces(ensemble, astronaut, BOXES, test_time_crops=True,
                          calibration=calibration_for([c.name for c in ensemble]))
    for face, row in zip(faces, want, strict=True):
        np.testing.assert_allclose([face["scores"][e] for e in EMOTIONS], row, atol=1e-4)
    assert faces[0]["emotion"] == "happy"


def test_an_ensemble_without_measured_weights_is_a_plain_average(app):
    # the shared test app runs FER alone: no calibration was measured for it
    assert calibration_for(["fer"]) is None
    assert app.test_client().get("/healthz").get_json()["calibrated"] is False
