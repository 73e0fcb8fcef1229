"""Serves a signed media URL (how: media/serving.py)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from media.serving import file_response
from media.signing import media_name_from_token


class MediaServeApi(APIView):
    # The signature is the authorisation: <img src> cannot send a Bearer token.
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses={(200, "image/*"): OpenApiTypes.BINARY})
    def get(self, request, token: str):
        name = media_name_from_token(token=token)
        return file_response(name=name, cache_control=f"private, max-age={min(settings.MEDIA_URL_MAX_AGE, 3600)}")
