"""Serves a signed media URL (how: media/serving.py)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from common.schema import error_response, errors
from media.serving import file_response
from media.signing import media_name_from_token


class MediaServeApi(APIView):
    # The signature is the authorisation: <img src> cannot send a Bearer token.
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="mediaServe",
        summary="A picture, by the signed URL the API handed out",
        description="Clients use the URLs in API answers as they are (e.g. `<img src>`) and never "
        "build them; the signature is the authorisation and a URL expires.",
        responses={
            (200, "image/*"): OpenApiTypes.BINARY,
            302: OpenApiResponse(description="With S3 storage: to a presigned URL of the file."),
            **errors(
                e403=error_response("media_link_invalid", "media_link_expired", when="A tampered or expired URL."),
                e404=error_response("not_found", when="The file is gone."),
            ),
        },
    )
    def get(self, request, token: str):
        name = media_name_from_token(token=token)
        return file_response(name=name, cache_control=f"private, max-age={min(settings.MEDIA_URL_MAX_AGE, 3600)}")
