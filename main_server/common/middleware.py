from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from common.errors import error_body


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
