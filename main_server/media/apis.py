"""Serves a signed media URL: by nginx (X-Accel-Redirect) in deployment, by a
redirect to a presigned URL for S3, or streamed from disk under `make run`."""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from common.errors import ApplicationError
from common.schema import error_response, errors
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
        if not default_storage.exists(name):
            raise ApplicationError("This file no longer exists.", code="not_found", status_code=404)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        cache = f"private, max-age={min(settings.MEDIA_URL_MAX_AGE, 3600)}"
        if settings.MEDIA_BACKEND == "s3":
            response = HttpResponseRedirect(default_storage.url(name))
        elif settings.MEDIA_X_ACCEL_REDIRECT:
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = settings.MEDIA_X_ACCEL_PREFIX + quote(name)
        else:
            response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
        response["Cache-Control"] = cache
        response["X-Content-Type-Options"] = "nosniff"
        return response
