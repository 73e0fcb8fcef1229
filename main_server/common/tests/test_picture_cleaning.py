"""What is stored of an upload: its pixels (faithfully, in sRGB, upright) and
nothing else; limits on bytes, pixels and frames, bombs of any size → 413."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from common.ai_client import EMOTIONS
from common.errors import ApplicationError
from common.images import clean_upload
from common.picture_pixels import plain_pixels
from common.testing_pictures import (
    METADATA_KINDS,
    gif_with_frames,
    grey_portrait_modes,
    jpeg_with_metadata,
    metadata_found,
    png_claiming,
    png_with_metadata,
)
from emojis.models import EmojiTemplate
from faces.models import Job

PNG_KINDS = ("png_text", "exif", "gps", "xmp", "icc")


def _upload(data: bytes, name: str = "p") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/octet-stream")


def _clean(data: bytes, **kw):
    return clean_upload(_upload(data), field="image", **kw)


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.float64)


# ---------------------------------------------------------------- metadata, per kind
@pytest.mark.parametrize("kind", [k for k in METADATA_KINDS if k != "png_text"])
def test_a_jpeg_keeps_no_metadata_of_each_kind(kind):
    raw = jpeg_with_metadata(kinds=(kind,))
    assert kind in metadata_found(raw)  # the fixture really carries it
    clean = _clean(raw)
    assert clean.extension == "jpg"
    assert metadata_found(clean.content) == set()


@pytest.mark.parametrize("kind", PNG_KINDS)
def test_a_png_keeps_no_metadata_of_each_kind(kind):
    raw = png_with_metadata(kinds=(kind,))
    assert kind in metadata_found(raw)
    clean = _clean(raw)
    assert clean.extension == "png"
    assert metadata_found(clean.content) == set()


def test_the_icc_profile_is_applied_then_dropped():
    """Red in a profile that means blue is stored as sRGB blue, without the profile."""
    red = Image.new("RGB", (16, 16), (255, 0, 0))
    for raw in (jpeg_with_metadata(kinds=("icc",), image=red), png_with_metadata(kinds=("icc",), image=red)):
        clean = _clean(raw)
        r, g, b = _pixels(clean.content)[8, 8]
        assert b > 200 and r < 60, (r, g, b)
        assert "icc" not in metadata_found(clean.content)


@pytest.mark.django_db
def test_stored_job_upload_and_template_originals_keep_no_metadata(auth_api, template):
    photo = jpeg_with_metadata()
    response = auth_api.post(
        "/api/v1/faces/tasks/", {"emoji_id": template.id, "image": _upload(photo, "p.jpg")}, format="multipart"
    )
    assert response.status_code == 202, response.content
    with Job.objects.get(pk=response.json()["task_id"]).input_image.open("rb") as fh:
        assert metadata_found(fh.read()) == set()

    pictures = {e: _upload(png_with_metadata() if i % 2 else jpeg_with_metadata(), e) for i, e in enumerate(EMOTIONS)}
    created = auth_api.post("/api/v1/emojis/", {"name": "Meta", **pictures}, format="multipart")
    assert created.status_code == 202, created.content
    for image in EmojiTemplate.objects.get(pk=created.json()["id"]).images.all():
        with image.original.open("rb") as fh:
            assert metadata_found(fh.read()) == set(), image.emotion


# ---------------------------------------------------------------- modes
@pytest.fixture(scope="module")
def portrait() -> np.ndarray:
    import skimage.data

    return skimage.data.astronaut()[:256, 64:320]


def test_16_bit_grey_is_scaled_not_clipped(portrait):
    raw = grey_portrait_modes(portrait)["I;16"]
    assert Image.open(io.BytesIO(raw)).mode == "I;16"
    expected = np.asarray(Image.fromarray(portrait).convert("L"), dtype=np.float64)
    stored = np.asarray(Image.open(io.BytesIO(_clean(raw).content)), dtype=np.float64)
    assert abs(stored.mean() - expected.mean()) < 1.0  # straight to RGB gave ~227 instead of ~100
    assert np.abs(stored - expected).max() <= 1


@pytest.mark.parametrize("mode", ["I", "F"])
def test_32_bit_grey_is_scaled_by_its_range(mode):
    ramp = np.linspace(0, 1, 256 * 16).reshape(16, 256)
    values = ramp * (65535 if mode == "I" else 1.0)
    image = Image.fromarray(values.astype(np.int32 if mode == "I" else np.float32), mode=mode)
    out = np.asarray(plain_pixels(image), dtype=np.float64)
    assert out.min() == 0 and out.max() == 255  # full range, nothing clipped to white
    assert abs(out.mean() - 127.5) < 1.0


def test_32_bit_grey_beyond_16_bits_uses_its_own_range():
    values = np.linspace(0, 1_000_000, 256).reshape(16, 16)
    out = np.asarray(plain_pixels(Image.fromarray(values.astype(np.int32), mode="I")))
    assert out.min() == 0 and out.max() == 255


def test_palette_cmyk_and_grey_alpha_keep_their_look(portrait):
    modes = grey_portrait_modes(portrait)
    reference = np.asarray(Image.fromarray(portrait), dtype=np.float64)
    palette = _pixels(_clean(modes["P"]).content)
    assert np.abs(palette - reference).mean() < 6
    cmyk = _clean(modes["CMYK"])
    assert Image.open(io.BytesIO(cmyk.content)).mode == "RGB"
    assert np.abs(_pixels(cmyk.content) - reference).mean() < 12
    la = Image.open(io.BytesIO(_clean(modes["LA"]).content))
    assert la.mode == "LA" and la.getpixel((0, 0))[1] == 0 and la.getpixel((20, 20))[1] == 255


def test_transparent_palette_pictures_keep_their_transparency():
    image = Image.new("P", (8, 8), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=1)
    stored = Image.open(io.BytesIO(_clean(out.getvalue()).content))
    assert stored.mode == "RGBA" and stored.getpixel((0, 0))[3] == 0


# ---------------------------------------------------------------- limits
@pytest.mark.parametrize(
    "width,height", [(8000, 6000), (10000, 10000), (20000, 20000), (65535, 65535)],
    ids=["48MP", "100MP-pillow-warning", "400MP-pillow-error", "4GP"],
)
def test_bombs_of_any_size_are_413_image_too_large(width, height):
    with pytest.raises(ApplicationError) as info:
        _clean(png_claiming(width, height))
    assert (info.value.status_code, info.value.code) == (413, "image_too_large")


def test_too_many_frames_is_413(settings):
    settings.UPLOAD_MAX_FRAMES = 10
    assert _clean(gif_with_frames(10)).extension == "png"  # the first frame
    with pytest.raises(ApplicationError) as info:
        _clean(gif_with_frames(11))
    assert (info.value.status_code, info.value.code) == (413, "image_too_large")


def test_a_picture_that_grows_past_the_byte_limit_when_cleaned_is_413(settings):
    noise = np.random.default_rng(1).integers(0, 255, (100, 100, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(noise).convert("P", palette=Image.Palette.ADAPTIVE).save(out, format="GIF")
    settings.UPLOAD_MAX_BYTES = len(out.getvalue()) + 10
    with pytest.raises(ApplicationError) as info:
        _clean(out.getvalue())  # palette GIF → RGB PNG: about 3× the bytes
    assert (info.value.status_code, info.value.code) == (413, "file_too_large")


def test_template_pictures_are_downscaled_to_the_template_side(settings):
    big = Image.new("RGBA", (4200, 2100), (10, 200, 10, 255))
    out = io.BytesIO()
    big.save(out, format="PNG")
    clean = _clean(out.getvalue(), max_side=settings.TEMPLATE_PICTURE_MAX_SIDE)
    assert (clean.width, clean.height) == (1024, 512)
    assert Image.open(io.BytesIO(clean.content)).size == (1024, 512)


@pytest.mark.django_db
def test_a_template_of_huge_pictures_is_stored_small_enough_for_ai_server(auth_api, settings):
    settings.TEMPLATE_PICTURE_MAX_SIDE = 64
    pictures = {}
    for emotion in EMOTIONS:
        out = io.BytesIO()
        Image.new("RGB", (300, 200), (200, 10, 10)).save(out, format="PNG")
        pictures[emotion] = _upload(out.getvalue(), emotion)
    created = auth_api.post("/api/v1/emojis/", {"name": "Big", **pictures}, format="multipart")
    assert created.status_code == 202
    for image in EmojiTemplate.objects.get(pk=created.json()["id"]).images.all():
        with image.original.open("rb") as fh:
            assert Image.open(fh).size == (64, 43)
