from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from common.error_codes import code_for_status
from common.errors import error_body, is_api_path


class RequestSizeLimitMiddleware:
    """Refuse an oversized upload from its Content-Length, before Django spools it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return JsonResponse(
                error_body(
                    "request_too_large",
                    f"The request is larger than {settings.REQUEST_MAX_BYTES // (1024 * 1024)} MB.",
                ),
                status=413,
            )
        return self.get_response(request)


class ApiJsonErrorMiddleware:
    """Under /api every error is JSON in the one error shape, whoever produced it:
    Django's own 404/405/403 pages, a CSRF failure, or a view returning a bare
    HttpResponseNotAllowed. Answers that already are JSON are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not is_api_path(request.path):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        code = code_for_status(response.status_code)
        message = HTTPStatus(response.status_code).phrase + "." if response.status_code in _STATUSES else "Error."
        replacement = JsonResponse(error_body(code, message), status=response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        return replacement


_STATUSES = {s.value for s in HTTPStatus}
