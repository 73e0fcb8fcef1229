"""One error shape for the whole API: {"error": {"code", "message", "fields"?}}."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.error_codes import code_for_status

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    """Raised by services and selectors; the handler maps it to an HTTP response."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "bad_request",
        status_code: int = 400,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status_code = status_code
        self.fields = fields


def error_body(code: str, message: str, fields: dict | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, (list, tuple)):
                out[key] = [str(v) for v in value]
            elif isinstance(value, dict):
                out[key] = [f"{k}: {v}" for k, v in value.items()]
            else:
                out[key] = [str(value)]
        return out
    if isinstance(detail, (list, tuple)):
        return {"non_field_errors": [str(v) for v in detail]}
    return {"non_field_errors": [str(detail)]}


# Most specific first: simplejwt's exceptions subclass DRF's.
_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "parse_error",
}


# simplejwt's reasons → our stable codes (common/error_codes.py).
_JWT_CODES = {
    "bad_authorization_header": "bad_authorization_header",
    "token_not_valid": "token_not_valid",
    "user_not_found": "token_not_valid",
    "user_inactive": "token_not_valid",
    "password_changed": "token_not_valid",
}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(
            error_body(exc.code, exc.message, exc.fields), status=exc.status_code
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        # Unexpected: log with the traceback, answer with the same JSON shape.
        logger.exception("unhandled error in %s", context.get("view").__class__.__name__)
        return Response(
            error_body("server_error", "Internal server error."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first_key = next(iter(fields))
        message = f"{first_key}: {fields[first_key][0]}" if first_key != "non_field_errors" else fields[first_key][0]
        response.data = error_body("validation_error", message, fields)
        return response

    detail = getattr(exc, "detail", "")
    code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), None)
    if code is None:
        code = code_for_status(response.status_code)
    if isinstance(exc, exceptions.AuthenticationFailed) and isinstance(detail, dict):
        # simplejwt puts {"detail", "code", "messages"} here.
        message = str(detail.get("detail", "Authentication failed."))
        code = _JWT_CODES.get(str(detail.get("code")), code)
    else:
        message = str(detail) if not isinstance(detail, (dict, list)) else "Request failed."
    response.data = error_body(code, message)
    return response


def _json_error(request: HttpRequest, status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code)


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def json_404(request: HttpRequest, exception: Exception | None = None):
    if is_api_path(request.path):
        return _json_error(request, 404, "not_found", "Not found.")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def json_500(request: HttpRequest):
    if is_api_path(request.path):
        return _json_error(request, 500, "server_error", "Internal server error.")
    from django.views.defaults import server_error

    return server_error(request)


def json_400(request: HttpRequest, exception: Exception | None = None):
    return _json_error(request, 400, "bad_request", "Bad request.")


def json_403(request: HttpRequest, exception: Exception | None = None):
    return _json_error(request, 403, "forbidden", "Forbidden.")


def csrf_failure(request: HttpRequest, reason: str = ""):
    """CSRF_FAILURE_VIEW: the API uses tokens, not cookies, so only a cookie-
    authenticated form post can get here; it gets the same JSON shape."""
    return _json_error(request, 403, "csrf_failed", "CSRF verification failed.")


# ---------------------------------------------------------------- typed errors
# Each raises one stable code with its status; the views' schemas list them.
class TaskNotDoneError(ApplicationError):
    def __init__(self, message: str = "The job is not done yet.") -> None:
        super().__init__(message, code="task_not_done", status_code=409)


class TaskExpiredError(ApplicationError):
    def __init__(self, message: str = "This photo and its result were deleted after the retention period.") -> None:
        super().__init__(message, code="task_expired", status_code=409)


class InvalidOverridesError(ApplicationError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="invalid_overrides", status_code=400, fields={"overrides": [message]})


class ShareNotFoundError(ApplicationError):
    def __init__(self) -> None:
        super().__init__("This link does not exist or is no longer shared.", code="share_not_found", status_code=404)


class WrongPasswordError(ApplicationError):
    def __init__(self) -> None:
        super().__init__(
            "The password is wrong; nothing was deleted.", code="wrong_password", status_code=400,
            fields={"password": ["The password is wrong."]},
        )
