"""Serves the built SPA (frontend/dist) at / with history fallback: any path
that is not a file in dist gets index.html. Hashed assets/* are cached for a
year; index.html never, so a new build shows up at once."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>IGEMOJI</title></head>
<body><h1>IGEMOJI</h1><p>The web app is not built yet: run <code>make install</code>
(it builds <code>frontend/dist</code>). The API is at <a href="/api/docs/">/api/docs/</a>.</p></body></html>"""


def spa_view(request: HttpRequest, path: str = "") -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        raise Http404
    dist = Path(settings.FRONTEND_DIST).resolve()
    index = dist / "index.html"
    if not index.is_file():
        return HttpResponse(NOT_BUILT, content_type="text/html; charset=utf-8")
    candidate = (dist / path).resolve() if path else index
    if candidate.is_file() and candidate.is_relative_to(dist):
        target = candidate
    elif path.startswith("assets/"):
        # A missing script or picture must not come back as index.html.
        raise Http404
    else:
        target = index
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    response = FileResponse(target.open("rb"), content_type=content_type)
    if target != index and target.relative_to(dist).parts[0] == "assets":
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response


def static_view(request: HttpRequest, path: str) -> HttpResponse:
    """Static files of installed apps (Swagger UI from drf-spectacular-sidecar),
    found through the staticfiles finders, so no collectstatic step is needed
    and DEBUG can stay off."""
    from django.contrib.staticfiles import finders
    from django.core.exceptions import SuspiciousFileOperation

    try:
        found = finders.find(path)
    except SuspiciousFileOperation:
        found = None
    if not found or not Path(found).is_file():
        raise Http404
    content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
    response = FileResponse(open(found, "rb"), content_type=content_type)  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=86400"
    return response
