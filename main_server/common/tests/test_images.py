import io

import pytest
from PIL import Image

from common.errors import ApplicationError
from common.images import clean_upload
from common.tests.factories import picture_bytes, upload


def _exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "SecretCam"  # Make
    return exif


def test_jpeg_is_rotated_by_exif_then_stripped():
    raw = picture_bytes("JPEG", size=(80, 40), exif=_exif(6))  # 6 = rotate 90° to display
    clean = clean_upload(upload("p.jpg", raw), field="image")
    image = Image.open(io.BytesIO(clean.content))
    assert (image.width, image.height) == (40, 80) == (clean.width, clean.height)
    assert clean.extension == "jpg"
    assert not image.getexif()
    assert b"SecretCam" not in clean.content


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF", "BMP"])
def test_other_formats_become_png(fmt):
    clean = clean_upload(upload("p", picture_bytes(fmt)), field="image")
    assert clean.extension == "png"
    assert Image.open(io.BytesIO(clean.content)).format == "PNG"


def test_png_transparency_is_kept():
    clean = clean_upload(upload("p.png", picture_bytes("PNG", color=(0, 0, 0, 0))), field="x")
    assert Image.open(io.BytesIO(clean.content)).getpixel((0, 0))[3] == 0


def test_unsupported_format_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="TIFF")
    with pytest.raises(ApplicationError) as info:
        clean_upload(upload("p.tif", out.getvalue()), field="image")
    assert info.value.status_code == 400 and "TIFF" in info.value.message


def test_decompression_bomb_is_refused_before_decoding(settings):
    settings.UPLOAD_MAX_PIXELS = 10_000
    with pytest.raises(ApplicationError) as info:
        clean_upload(upload("p.png", picture_bytes(size=(200, 200))), field="image")
    assert info.value.status_code == 413


def test_missing_file_is_refused():
    with pytest.raises(ApplicationError) as info:
        clean_upload(None, field="image")
    assert info.value.fields == {"image": ["This file is required."]}


def test_a_jpeg_keeps_its_own_tables_and_sampling_when_stored():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, JpegImagePlugin

    from common.images import clean_upload

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 90)).save(buf, format="JPEG", quality=90)  # 4:2:0, as cameras do
    source = Image.open(io.BytesIO(buf.getvalue()))
    stored = Image.open(io.BytesIO(clean_upload(SimpleUploadedFile("p.jpg", buf.getvalue()), field="image").content))
    assert JpegImagePlugin.get_sampling(stored) == JpegImagePlugin.get_sampling(source)
    assert stored.quantization == source.quantization


def test_a_jpeg_whose_tables_cannot_be_reused_is_stored_without_chroma_subsampling():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, JpegImagePlugin

    from common.images import clean_upload

    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 90)).save(buf, format="JPEG", quality=90)
    # downscaled (a template picture): the source's tables no longer fit
    stored = clean_upload(SimpleUploadedFile("p.jpg", buf.getvalue()), field="image", max_side=320)
    assert JpegImagePlugin.get_sampling(Image.open(io.BytesIO(stored.content))) == 0  # 4:4:4
