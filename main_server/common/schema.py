"""How the OpenAPI schema is generated from the views (drf-spectacular).

The schema is the contract: docs/openapi.yaml is generated from it, the SPA's
types from that file, and schemathesis checks the running API against it.

- Component names come from the nested serializer's qualified name
  (`JobCreateApi.OutputSerializer` → `JobCreateOutput`), so every view may call
  its serializers InputSerializer/OutputSerializer; shapes several views share
  name themselves with `@extend_schema_serializer(component_name=...)`.
- Every operation lists the error statuses it can answer, each with the one
  error object. The ones that follow from how the view is configured are added
  here (400 for any input, 401 when it reads tokens, 404 for path parameters,
  413/415 for a body, 429 with Retry-After for a throttle); the ones that follow
  from its domain (403, 409, a 404 for "page past the end") the view declares
  with `errors(...)`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from rest_framework import serializers

from common.images import ALLOWED_FORMATS


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Stable snake_case code for programs (each response lists the codes it uses; "
        "new codes may be added)."
    )
    message = serializers.CharField(help_text="A sentence for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="On validation errors: the messages for each field named in the request.",
    )


@extend_schema_serializer(component_name="ErrorResponse")
class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    error = ErrorDetailSerializer()


def error_response(*codes: str, when: str = "") -> OpenApiResponse:
    listed = ", ".join(f"`{code}`" for code in codes)
    return OpenApiResponse(ErrorSerializer, description=f"{when} Codes: {listed}.".strip())


def errors(**by_status: OpenApiResponse) -> dict[int, OpenApiResponse]:
    """`errors(e403=error_response(...))` → {403: ...}, to merge into `responses`."""
    return {int(key.removeprefix("e")): value for key, value in by_status.items()}


# ---------------------------------------------------------------- pictures
# The limits are the settings the upload check (common/images.py) applies.
PICTURE_MEDIA_TYPES = tuple(f"image/{fmt.lower()}" for fmt in sorted(ALLOWED_FORMATS))
PICTURE_RULES = (
    f"A picture: {', '.join(sorted(ALLOWED_FORMATS))}, checked by its content (not its name or "
    f"declared type); at most {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MiB and "
    f"{settings.UPLOAD_MAX_PIXELS:,} pixels. Stored re-encoded, without metadata."
)
IMAGE_ENCODING = {"contentType": ", ".join(PICTURE_MEDIA_TYPES)}


def add_picture_media_types(result: dict, generator, request, public) -> dict:
    """Postprocessing hook: the picture formats as an enum component, so clients
    (the SPA's file pickers) take the list from the schema."""
    result.setdefault("components", {}).setdefault("schemas", {})["PictureMediaType"] = {
        "type": "string",
        "enum": list(PICTURE_MEDIA_TYPES),
        "description": "The media types of the pictures uploads accept (checked by content).",
    }
    return result


def upload_errors() -> dict[int, OpenApiResponse]:
    return {
        400: error_response(
            "validation_error", "invalid_image", "parse_error",
            when="A field is missing or invalid, or a file is not a readable picture (`fields` names it).",
        ),
        413: error_response(
            "file_too_large", "image_too_large", "request_too_large",
            when=f"A file is over {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MiB, a picture over "
            f"{settings.UPLOAD_MAX_PIXELS:,} pixels, or the request over "
            f"{settings.REQUEST_MAX_BYTES // (1024 * 1024)} MiB.",
        ),
    }


# ---------------------------------------------------------------- generic errors
_BODY_400 = error_response(
    "validation_error", "parse_error",
    when="The request is malformed or a field is missing or invalid (`fields` names it).",
)
_QUERY_400 = error_response(
    "validation_error", when="A query parameter is missing or invalid (`fields` names it)."
)
_401_TOKEN = error_response(
    "not_authenticated", "authentication_failed", "token_not_valid",
    when="No access token where one is needed, or a token that is not valid (a token that is "
    "sent is checked on every operation, public ones too).",
)
_404_PATH = error_response("not_found", when="Nothing at this path.")
_413 = error_response("request_too_large", when="The request body is over the size limit.")
_415 = error_response("unsupported_media_type", when="The body is not in the media type this operation reads.")
_429 = error_response("throttled", when="Too many requests; `Retry-After` says how many seconds to wait.")

RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "Seconds until the next request may succeed.",
    }
}


class IgemojiAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer, direction):
        qualname = type(serializer).__qualname__
        if "." in qualname and "<locals>" not in qualname:
            return "".join(
                part.removesuffix("Api").removesuffix("Serializer") for part in qualname.split(".")
            )
        return super().get_serializer_name(serializer, direction)

    def _get_response_bodies(self, direction="response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status, response in self._view_errors().items():
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(response, str(status), direction=direction)
        if "429" in responses:
            responses["429"].setdefault("headers", {}).update(RETRY_AFTER)
        return dict(sorted(responses.items()))

    def _view_errors(self) -> dict[int, OpenApiResponse]:
        """The error statuses that follow from how the view is set up."""
        out: dict[int, OpenApiResponse] = {}
        has_body = self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        if has_body:
            out[400] = _BODY_400
            out[413] = _413
            out[415] = _415
        elif has_query:
            out[400] = _QUERY_400
        if self.view.get_authenticators():
            out[401] = _401_TOKEN
        if "{" in self.path:
            out[404] = _404_PATH
        if self.view.get_throttles():
            out[429] = _429
        return out


class BodyOnDeleteAutoSchema(IgemojiAutoSchema):
    """For a DELETE that reads a body (deleting the account asks for the password):
    drf-spectacular documents bodies of POST, PUT and PATCH only, so the body and the
    errors that follow from having one are described as they would be for a POST."""

    def _as_post(self, method, *args):
        if self.method != "DELETE":
            return method(*args)
        self.method = "POST"
        try:
            return method(*args)
        finally:
            self.method = "DELETE"

    def _get_request_body(self, direction="request"):
        return self._as_post(super()._get_request_body, direction)

    def _view_errors(self):
        return self._as_post(super()._view_errors)
