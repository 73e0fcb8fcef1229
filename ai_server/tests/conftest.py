"""Shared fixtures: real models loaded once per test session (they take seconds)."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402

from ai_server.tests import photos  # noqa: E402


@pytest.fixture(scope="session")
def tiny_cutout_model(tmp_path_factory):
    return photos.tiny_u2net_onnx(tmp_path_factory.mktemp("models") / "u2netp.onnx")


@pytest.fixture(scope="session")
def app(tiny_cutout_model):
    from ai_server import create_app

    # FER only: the `human` classifier has its own tests (test_human*, test_ensemble).
    return create_app({"EMOTION_MODELS": "fer", "CUTOUT_MODEL_PATH": str(tiny_cutout_model)})


@pytest.fixture(scope="session")
def mtcnn_app(app, tiny_cutout_model):
    from ai_server import create_app

    return create_app({"EMOTION_MODELS": "fer", "CUTOUT_MODEL_PATH": str(tiny_cutout_model), "DETECTOR": "mtcnn"})


@pytest.fixture(scope="session", params=["centerface", "mtcnn"])
def any_detector_app(request, app):
    """The app with each detector in turn (CenterFace is the default)."""
    return app if request.param == "centerface" else request.getfixturevalue("mtcnn_app")


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def app_without_cutout_model(app, tmp_path_factory):
    from ai_server import create_app

    missing = tmp_path_factory.mktemp("empty") / "u2netp.onnx"
    return create_app({"EMOTION_MODELS": "fer", "CUTOUT_MODEL_PATH": str(missing)})


@pytest.fixture(scope="session")
def models(app):
    return app.extensions["ai_models"]
