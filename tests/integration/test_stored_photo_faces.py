"""No face lost between upload and job: the photo main_server stores (its real upload
clean-up, in a main_server process) yields the same faces, with ai_server's default
detector, as the photo that was uploaded. Also: both services compute the same
template key for the same seven pictures (the key crosses HTTP).

Needs no PostgreSQL or RabbitMQ: main_server runs with its test settings."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from PIL import Image

from tests.e2e.helpers import EMOTIONS, NOTO, REPO, store_like_main_server


@pytest.fixture(scope="module")
def models():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from ai_server.config import defaults
    from ai_server.models import Models

    return Models({**defaults(), "EMOTION_MODELS": "fer"})


def _faces(models, data: bytes) -> list:
    from ai_server.pipeline.decode import decode_image
    from ai_server.pipeline.detect import detect_faces

    s = models.detector_settings
    rgb = decode_image(data, max_pixels=50_000_000).rgb
    return detect_faces(models.detector, rgb, max_side=s.max_side, min_face_size=s.min_face_size,
                        min_confidence=s.min_confidence, max_faces=64, recheck_from=s.recheck_from)


def _uploads() -> list[tuple[str, bytes]]:
    from ai_server.tests import group_photos, photos

    out = [(p.name, p.jpeg()) for p in group_photos.group_set()]
    rgb = group_photos.group_set()[1].rgb
    out.append(("png", photos.encode(rgb, "PNG")))
    out.append(("exif_rotated", photos.exif_rotated_jpeg()))
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=75)  # a heavily compressed upload
    out.append(("jpeg_q75", buf.getvalue()))
    return out


def test_the_stored_photo_yields_the_same_faces_as_the_upload(models):
    from ai_server.tests.group_photos import iou

    uploads = _uploads()
    stored = store_like_main_server([data for _, data in uploads])
    for (name, original), kept in zip(uploads, stored, strict=True):
        before, after = _faces(models, original), _faces(models, kept)
        assert len(before) == len(after), f"{name}: {len(before)} faces uploaded, {len(after)} stored"
        for face in before:
            overlap, twin = max(((iou(face.box, other.box), other) for other in after), key=lambda pair: pair[0])
            assert overlap >= 0.8, f"{name}: {face.box} moved"
            # A face is lost when storing pushes it under the threshold: the push must stay
            # far below the gap between the threshold and the weakest face (0.19 on the
            # annotated set, docs/ai_server.md); measured: ≤ 0.04 (a face given a second look).
            assert abs(twin.confidence - face.confidence) <= 0.05, f"{name}: {face.confidence} → {twin.confidence}"


def test_both_services_compute_the_same_template_key():
    from ai_server.templates import template_key

    pictures = {e: (NOTO / f"{e}.png").read_bytes() for e in EMOTIONS}
    code = ("import django; django.setup(); from common.ai_client import template_key, EMOTIONS; "
            f"print(template_key({{e: open(f'{NOTO}/{{e}}.png', 'rb').read() for e in EMOTIONS}}))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.django.test"}
    theirs = subprocess.run([sys.executable, "-c", code], cwd=REPO / "main_server", env=env, check=True,
                            capture_output=True, text=True).stdout.strip()
    assert theirs == template_key(pictures)
