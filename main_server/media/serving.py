"""One stored file as an HTTP answer: by nginx (X-Accel-Redirect) in deployment,
by a redirect to a presigned URL for S3, or streamed from disk under `make run`."""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect

from common.errors import ApplicationError


def file_response(*, name: str, cache_control: str) -> HttpResponse:
    if not default_storage.exists(name):
        raise ApplicationError("This file no longer exists.", code="not_found", status_code=404)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if settings.MEDIA_BACKEND == "s3":
        response = HttpResponseRedirect(default_storage.url(name))
    elif settings.MEDIA_X_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_X_ACCEL_PREFIX + quote(name)
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response
