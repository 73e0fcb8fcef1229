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
