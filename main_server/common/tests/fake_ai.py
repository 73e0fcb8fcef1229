"""A fake ai_server client for fast unit tests (the integration and e2e tests
use the real ai_server). Behaviour is set per test through class attributes."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from common.ai_client import (
    EMOTIONS,
    AiClient,
    AiInputError,
    AiUnavailableError,
    ComposeResult,
    CutoutResult,
    TemplatePictures,
)


def fake_face(box=(10, 10, 20, 20), emotion: str = "happy") -> dict[str, Any]:
    scores = {name: 0.0 for name in EMOTIONS}
    scores[emotion] = 1.0
    return {"box": list(box), "emotion": emotion, "scores": scores, "confidence": 0.99, "landmarks": {}}


class FakeAiClient(AiClient):
    faces: list[dict[str, Any]] = [fake_face()]
    fail_with: Exception | None = None  # e.g. AiUnavailableError("down")
    calls: list[str] = []
    compose_requests: list[dict[str, Any]] = []
    template_keys: list[str] = []
    cached_keys: set[str] = set()  # like ai_server's cache: pictures are loaded once per key

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # no HTTP session
        self.base_url = "fake://"

    @classmethod
    def reset(cls) -> None:
        cls.faces = [fake_face()]
        cls.fail_with = None
        cls.calls = []
        cls.compose_requests = []
        cls.template_keys = []
        cls.cached_keys = set()

    def compose(
        self, *, image: bytes, template: TemplatePictures, overrides=None, boxes=None, landmarks=None
    ) -> ComposeResult:
        """Like ai_server: with `boxes` nothing is detected (the faces are those
        boxes, classified as `faces` says), and overrides mark their faces."""
        self.calls.append("compose")
        self.template_keys.append(template.key)
        self.compose_requests.append({"overrides": overrides, "boxes": boxes, "landmarks": landmarks})
        if self.fail_with:
            raise self.fail_with
        if template.key not in self.cached_keys:
            if set(template.load()) != set(EMOTIONS):
                raise AiInputError("seven emoji pictures are required")
            self.cached_keys.add(template.key)
        picture = Image.open(io.BytesIO(image))
        out = io.BytesIO()
        picture.convert("RGB").save(out, format="JPEG")
        faces = [dict(f) for f in self.faces]
        if boxes is not None:
            faces = [
                {**faces[i % len(faces)], "box": list(box), "landmarks": (landmarks or [{}] * len(boxes))[i],
                 "confidence": None} for i, box in enumerate(boxes)
            ] if faces else []
        for index, emotion in (overrides or {}).items():
            if int(index) >= len(faces):
                raise AiInputError(f"overrides name face {index}, but the photo has {len(faces)} face(s).")
            faces[int(index)] = {**faces[int(index)], "emotion": emotion, "overridden": True}
        return ComposeResult(
            width=picture.width,
            height=picture.height,
            faces=faces,
            image=out.getvalue(),
            image_format="jpeg",
        )

    def cutout(self, *, image: bytes) -> CutoutResult:
        self.calls.append("cutout")
        if self.fail_with:
            raise self.fail_with
        picture = Image.open(io.BytesIO(image)).convert("RGBA")
        out = io.BytesIO()
        picture.save(out, format="PNG")
        return CutoutResult(image=out.getvalue(), method="border")


__all__ = ["FakeAiClient", "fake_face", "AiUnavailableError", "AiInputError"]
