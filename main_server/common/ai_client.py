"""HTTP client for ai_server (/v1/compose, /v1/cutout). main_server never imports
the models; workers send bytes and get bytes back."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings
from django.utils.module_loading import import_string

from common import metrics
from common.emotions import EMOTIONS

logger = logging.getLogger(__name__)


class AiError(Exception):
    pass


class AiInputError(AiError):
    """ai_server answered 4xx: the input is bad, retrying will not help."""


class AiUnavailableError(AiError):
    """Connection error, timeout or 5xx: worth retrying later."""


class AiTemplateNotCachedError(AiUnavailableError):
    """ai_server does not hold the template key: send the pictures with it once.
    (Should the answer come back even with the pictures sent, it is retried later.)"""


TEMPLATE_NOT_CACHED = "template_not_cached"  # ai_server's error code for it


def template_key(pictures: Mapping[str, bytes]) -> str:
    """Content hash of a template's seven cut-outs, the key ai_server caches them by:
    sha256 over the files in EMOTIONS order, each prefixed by its emotion and length
    (ai_server.templates.template_key; a cross-service test checks both agree)."""
    digest = hashlib.sha256()
    for emotion in EMOTIONS:
        data = pictures[emotion]
        digest.update(f"{emotion}:{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


@dataclass(frozen=True)
class TemplatePictures:
    """A template as compose needs it: its key, and how to read the seven cut-outs
    (called only when ai_server lacks them)."""

    key: str
    load: Callable[[], dict[str, bytes]]


@dataclass
class ComposeResult:
    width: int
    height: int
    faces: list[dict[str, Any]]
    image: bytes
    image_format: str  # "jpeg" | "png"


@dataclass
class CutoutResult:
    image: bytes
    method: str  # "alpha" | "border" | "rembg"
    extra: dict[str, Any] = field(default_factory=dict)


def _error_code(response: requests.Response) -> str:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return ""


def _error_message(response: requests.Response) -> str:
    try:
        error = response.json()["error"]
        return str(error.get("message") or error.get("code"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return f"ai_server answered HTTP {response.status_code}"


class AiClient:
    def __init__(self, base_url: str | None = None, timeout: float | None = None) -> None:
        self.base_url = (base_url or settings.AI_SERVER_URL).rstrip("/")
        self.timeout = timeout or settings.AI_SERVER_TIMEOUT
        self.session = requests.Session()

    def _post(self, endpoint: str, *, files: list, data: dict | None = None) -> requests.Response:
        started = time.perf_counter()
        try:
            response = self.session.post(
                f"{self.base_url}/v1/{endpoint}", files=files, data=data or {}, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise AiUnavailableError(f"ai_server unreachable: {exc.__class__.__name__}") from exc
        finally:
            metrics.AI_CALL_SECONDS.labels(endpoint=endpoint).observe(time.perf_counter() - started)
        if response.status_code >= 500 or response.status_code == 429:
            raise AiUnavailableError(f"ai_server {endpoint}: {_error_message(response)}")
        if response.status_code == 409 and _error_code(response) == TEMPLATE_NOT_CACHED:
            raise AiTemplateNotCachedError(_error_message(response))
        if response.status_code >= 400:
            raise AiInputError(_error_message(response))
        return response

    def compose(
        self, *, image: bytes, template: TemplatePictures, overrides: dict[str, str] | None = None,
        boxes: list[list[int]] | None = None, landmarks: list[dict] | None = None,
    ) -> ComposeResult:
        """Compose by template key; when ai_server lacks the key, resend once with the
        pictures. `boxes` (and their `landmarks`): paste on these faces, detect nothing."""
        photo = [("image", ("photo", image, "application/octet-stream"))]
        data = {"template_key": template.key}
        if overrides:
            data["overrides"] = json.dumps(overrides)
        if boxes is not None:
            data.update(boxes=json.dumps(boxes), landmarks=json.dumps(landmarks or [{}] * len(boxes)))
        try:
            response = self._post("compose", files=photo, data=data)
        except AiTemplateNotCachedError:
            emojis = template.load()
            pictures = [(name, (f"{name}.png", emojis[name], "image/png")) for name in EMOTIONS]
            response = self._post("compose", files=photo + pictures, data=data)
        try:
            body = response.json()
            return ComposeResult(
                width=int(body["width"]),
                height=int(body["height"]),
                faces=list(body["faces"]),
                image=base64.b64decode(body["image"]["base64"]),
                image_format=str(body["image"].get("format", "jpeg")),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise AiUnavailableError(f"ai_server compose: unreadable answer ({exc})") from exc

    def cutout(self, *, image: bytes) -> CutoutResult:
        response = self._post("cutout", files=[("image", ("picture", image, "application/octet-stream"))])
        method = response.headers.get("X-Cutout-Method", "")
        return CutoutResult(image=response.content, method=method or "unknown")


_client: AiClient | None = None


def get_ai_client() -> AiClient:
    """One client (and connection pool) per process; the class is a setting so
    unit tests swap in common.tests.fake_ai.FakeAiClient."""
    global _client
    cls = import_string(settings.AI_CLIENT)
    if _client is None or type(_client) is not cls:
        _client = cls()
    return _client
