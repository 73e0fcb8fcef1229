"""Signed, expiring media URLs. A URL carries the storage name inside a token
signed with SECRET_KEY and a timestamp; nobody can guess or alter one."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

from common.errors import ApplicationError

_SALT = "igemoji.media"


def media_token(*, name: str) -> str:
    # Timestamps are rounded down to a bucket so the same picture keeps the
    # same URL for a while and browsers can cache it.
    bucket = max(60, settings.MEDIA_URL_MAX_AGE // 10)
    now = int(time.time()) // bucket * bucket
    signer = signing.TimestampSigner(salt=_SALT)
    signer.timestamp = lambda: signing.b62_encode(now)  # type: ignore[method-assign]
    return signer.sign_object({"n": name}, compress=True)


def media_url(*, request: HttpRequest | None, name: str | None) -> str | None:
    if not name:
        return None
    path = reverse("media-serve", kwargs={"token": media_token(name=name)})
    return request.build_absolute_uri(path) if request is not None else path


def media_name_from_token(*, token: str) -> str:
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        payload = signer.unsign_object(token, max_age=settings.MEDIA_URL_MAX_AGE)
    except signing.SignatureExpired:
        raise ApplicationError(
            "This media link has expired; reload the page for a new one.",
            code="media_link_expired",
            status_code=403,
        ) from None
    except (signing.BadSignature, ValueError):
        raise ApplicationError(
            "This media link is not valid.", code="media_link_invalid", status_code=403
        ) from None
    name = payload.get("n") if isinstance(payload, dict) else None
    if not isinstance(name, str) or not name or name.startswith("/") or ".." in name.split("/"):
        raise ApplicationError("This media link is not valid.", code="media_link_invalid", status_code=403)
    return name
