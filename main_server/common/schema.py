"""OpenAPI component names from the nested serializer's qualified name
(JobCreateApi.InputSerializer → JobCreateInput), so every view may call its
serializers InputSerializer/OutputSerializer without name clashes."""

from drf_spectacular.openapi import AutoSchema


class IgemojiAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer, direction):
        qualname = type(serializer).__qualname__
        if "." in qualname:
            outer, inner = qualname.rsplit(".", 1)
            return outer.removesuffix("Api") + inner.removesuffix("Serializer")
        return super().get_serializer_name(serializer, direction)


# ---------------------------------------------------------------- error responses
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer  # noqa: E402
from rest_framework import serializers  # noqa: E402


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable snake_case code for programs.")
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
