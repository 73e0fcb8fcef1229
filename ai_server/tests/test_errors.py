"""errors.py alone turns the pipeline's domain exceptions into statuses."""

from __future__ import annotations

import pytest
from flask import Flask

from ai_server.errors import register_error_handlers
from ai_server.pipeline.exceptions import (
    BadOverrides,
    ImageTooLarge,
    ModelUnavailable,
    NotAnImage,
    PipelineError,
)


@pytest.fixture
def raising_client():
    app = Flask(__name__)
    register_error_handlers(app)
    raised: dict[str, Exception] = {}

    @app.post("/raise")
    def _raise():
        raise raised["error"]

    def call(error: Exception):
        raised["error"] = error
        return app.test_client().post("/raise")

    return call


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (NotAnImage("not a picture"), 400, "not_an_image"),
        (NotAnImage("damaged", code="corrupt_image"), 400, "corrupt_image"),
        (BadOverrides("face 3 of 1"), 400, "bad_overrides"),
        (ImageTooLarge("too many pixels"), 413, "image_too_large"),
        (ModelUnavailable("no model", code="cutout_model_unavailable"), 503, "cutout_model_unavailable"),
        (PipelineError("something new"), 500, "pipeline_error"),
    ],
)
def test_each_pipeline_error_has_its_status_and_code(raising_client, error, status, code):
    response = raising_client(error)
    assert response.status_code == status
    assert response.get_json() == {"error": {"code": code, "message": error.message}}
