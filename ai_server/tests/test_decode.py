"""Decoding: every Pillow mode, the allowed formats, EXIF orientation, and bad files."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from ai_server.pipeline.decode import decode_image, encode_image
from ai_server.pipeline.exceptions import ImageTooLarge, NotAnImage
from ai_server.tests import photos

BIG = 40_000_000


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


@pytest.mark.parametrize(("mode", "fmt"), [("1", "PNG"), ("L", "PNG"), ("P", "PNG"), ("RGB", "PNG"),
                                          ("I;16", "PNG"), ("CMYK", "JPEG"), ("L", "JPEG"), ("RGB", "BMP")])
def test_opaque_modes_decode_to_rgb(mode, fmt):
    buf = io.BytesIO()
    Image.new(mode, (7, 5)).save(buf, format=fmt)
    out = decode_image(buf.getvalue(), max_pixels=BIG).pixels
    assert out.shape == (5, 7, 3) and out.dtype == np.uint8


@pytest.mark.parametrize("mode", ["I", "F", "YCbCr", "LAB", "HSV"])
def test_modes_no_upload_format_stores_still_normalise(mode):
    from ai_server.pipeline.decode import normalise_mode

    out = normalise_mode(Image.new(mode, (7, 5)))
    assert out.shape == (5, 7, 3) and out.dtype == np.uint8


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_modes_with_alpha_keep_it(mode):
    img = Image.new("RGBA", (4, 4), (10, 20, 30, 0)).convert(mode)
    out = decode_image(_png(img), max_pixels=BIG)
    assert out.pixels.shape == (4, 4, 4)
    assert out.rgb.shape == (4, 4, 3)


def test_palette_with_transparency_keeps_it():
    img = Image.new("P", (4, 4), 0)
    img.putpalette([0, 0, 0, 255, 255, 255])
    img.info["transparency"] = 0
    assert decode_image(_png(img), max_pixels=BIG).pixels.shape == (4, 4, 4)


def test_sixteen_bit_grey_is_scaled_not_clipped():
    arr = np.full((3, 3), 32768, dtype=np.uint16)  # mid grey in 16 bits
    out = decode_image(_png(Image.fromarray(arr)), max_pixels=BIG).pixels
    assert 125 <= int(out[0, 0, 0]) <= 130


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF", "BMP"])
def test_every_allowed_format_decodes(fmt):
    data = photos.encode(photos.astronaut()[:64, :48], fmt)
    out = decode_image(data, max_pixels=BIG)
    assert out.format == fmt and (out.height, out.width) == (64, 48)


def test_exif_orientation_6_is_applied():
    out = decode_image(photos.exif_rotated_jpeg(), max_pixels=BIG)
    assert (out.height, out.width) == (512, 512)
    # Upright again: the top-left area matches the original's (flag), not a rotated corner.
    diff = np.abs(out.rgb[:100, :100].astype(int) - photos.astronaut()[:100, :100].astype(int)).mean()
    assert diff < 12


def test_exif_orientation_on_a_non_square_picture_swaps_width_and_height():
    stored = np.zeros((40, 100, 3), dtype=np.uint8)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = decode_image(photos.encode(stored, "JPEG", exif=exif), max_pixels=BIG)
    assert (out.width, out.height) == (40, 100)


def test_not_an_image_is_refused():
    with pytest.raises(NotAnImage) as err:
        decode_image(b"%PDF-1.4 hello", max_pixels=BIG)
    assert err.value.code == "not_an_image"


def test_tiff_is_not_an_accepted_format():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, format="TIFF")
    with pytest.raises(NotAnImage) as err:
        decode_image(buf.getvalue(), max_pixels=BIG)
    assert err.value.code == "not_an_image"


def test_truncated_image_is_refused():
    data = photos.encode(photos.astronaut(), "PNG")
    with pytest.raises(NotAnImage) as err:
        decode_image(data[: len(data) // 2], max_pixels=BIG)
    assert err.value.code == "corrupt_image"


def test_empty_upload_is_refused():
    with pytest.raises(NotAnImage) as err:
        decode_image(b"", max_pixels=BIG)
    assert err.value.code == "empty_image"


def _png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge size and whose data is a few bytes: a bomb."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = lambda kind, body: (  # noqa: E731
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    )
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_decompression_bomb_is_refused_before_decoding():
    with pytest.raises(ImageTooLarge) as err:
        decode_image(_png_header_claiming(50_000, 50_000), max_pixels=BIG)
    assert err.value.code == "image_too_large"


def test_pixel_cap_is_the_setting():
    data = photos.encode(np.zeros((100, 100, 3), dtype=np.uint8))
    assert decode_image(data, max_pixels=10_000).width == 100
    with pytest.raises(ImageTooLarge):
        decode_image(data, max_pixels=9_999)


def test_jpeg_in_gives_jpeg_out_and_png_otherwise():
    rgb = photos.astronaut()[:32, :32]
    assert encode_image(rgb, "JPEG")[1] == "jpeg"
    assert encode_image(rgb, "WEBP")[1] == "png"
    rgba = np.dstack([rgb, np.full((32, 32), 255, np.uint8)])
    data, fmt = encode_image(rgba, "PNG")
    assert fmt == "png" and Image.open(io.BytesIO(data)).mode == "RGBA"


def test_outputs_carry_no_metadata():
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    decoded = decode_image(photos.encode(photos.astronaut()[:40, :40], "JPEG", exif=exif), max_pixels=BIG)
    data, _ = encode_image(decoded.pixels, decoded.format)
    assert not Image.open(io.BytesIO(data)).getexif()


def test_jpeg_is_re_encoded_with_its_own_tables_so_untouched_pixels_barely_move():
    source = photos.encode(photos.astronaut(), "JPEG", quality=90)
    decoded = decode_image(source, max_pixels=BIG)
    assert decoded.jpeg_options["qtables"]
    data, fmt = encode_image(decoded.pixels, decoded.format, jpeg_options=decoded.jpeg_options)
    again = decode_image(data, max_pixels=BIG).pixels.astype(int)
    assert fmt == "jpeg" and np.abs(again - decoded.pixels.astype(int)).mean() < 0.5
    assert len(data) < 1.2 * len(source)


def test_an_exif_rotated_jpeg_falls_back_to_the_quality_setting():
    assert decode_image(photos.exif_rotated_jpeg(), max_pixels=BIG).jpeg_options == {}


def _gif(frames: int) -> bytes:
    images = [Image.new("RGB", (8, 8), (i % 2 * 255, i % 256, 0)) for i in range(frames)]
    buf = io.BytesIO()
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:], duration=10)
    return buf.getvalue()


def test_more_frames_than_the_limit_is_image_too_large():
    assert decode_image(_gif(5), max_pixels=BIG, max_frames=5).width == 8
    with pytest.raises(ImageTooLarge) as err:
        decode_image(_gif(6), max_pixels=BIG, max_frames=5)
    assert err.value.code == "image_too_large" and "6 frames" in err.value.message


def test_more_bytes_than_the_limit_is_image_too_large():
    data = photos.encode(np.zeros((32, 32, 3), dtype=np.uint8))
    assert decode_image(data, max_pixels=BIG, max_bytes=len(data)).width == 32
    with pytest.raises(ImageTooLarge):
        decode_image(data, max_pixels=BIG, max_bytes=len(data) - 1)


@pytest.mark.parametrize("side", [9_000, 20_000, 65_000])
def test_bombs_of_any_size_are_413(side):
    with pytest.raises(ImageTooLarge) as err:
        decode_image(_png_header_claiming(side, side), max_pixels=BIG)
    assert err.value.code == "image_too_large"
