"""One error shape for the whole AI server: ``{"error": {"code", "message"}}``.

4xx means the input is bad (the caller's job fails with the message); 5xx/503 means
try again later. The pipeline raises domain exceptions (pipeline/exceptions.py) and
knows nothing of HTTP: this module alone gives each a status. The HTTP layer's own
checks (api.py, inputs.py) raise ``ApiError``; Werkzeug's errors (413 from
MAX_CONTENT_LENGTH, 404, 405) become the same JSON.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from ai_server.pipeline.exceptions import BadInput, ImageTooLarge, ModelUnavailable, PipelineError

log = logging.getLogger("ai_server.errors")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def bad_request(code: str, message: str) -> ApiError:
    return ApiError(400, code, message)


def error_response(status: int, code: str, message: str):
    return jsonify({"error": {"code": code, "message": message}}), status


# Most specific first.
PIPELINE_STATUS: tuple[tuple[type[PipelineError], int], ...] = (
    (BadInput, 400),
    (ImageTooLarge, 413),
    (ModelUnavailable, 503),
)


def pipeline_status(err: PipelineError) -> int:
    return next((status for kind, status in PIPELINE_STATUS if isinstance(err, kind)), 500)


_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def register_error_handlers(app: Flask) -> None:

    @app.errorhandler(ApiError)
    def _api_error(err: ApiError):
        return error_response(err.status, err.code, err.message)

    @app.errorhandler(PipelineError)
    def _pipeline_error(err: PipelineError):
        status = pipeline_status(err)
        if status >= 500:
            log.warning("pipeline unavailable code=%s message=%s", err.code, err.message)
        return error_response(status, err.code, err.message)

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        status = err.code or 500
        code = _HTTP_CODES.get(status, "http_error")
        if status == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            message = f"Upload too large (limit {limit} bytes)."
        else:
            message = err.description or err.name
        return error_response(status, code, message)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal_error", "Internal error; try again later.")
