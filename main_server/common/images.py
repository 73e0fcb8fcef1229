"""Uploaded pictures: checked by content (not by name or declared type), held to
one set of limits (bytes, pixels, frames: the same ones ai_server enforces),
decoded faithfully (common/picture_pixels.py) and re-encoded from their pixels
alone, with the EXIF orientation applied. Nothing else survives: no EXIF (GPS,
camera), XMP, IPTC, JPEG comments, PNG text chunks or ICC profile (its colours
are converted to sRGB first)."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, JpegImagePlugin, UnidentifiedImageError

from common.errors import ApplicationError
from common.picture_pixels import plain_pixels

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")

# How a JPEG upload is stored when its own quantisation tables cannot be reused
# (downscaled, or converted from another mode): without chroma subsampling (4:4:4) the
# stored copy moves face detection confidences by < 0.01 (4:2:0 at the same quality: up
# to 0.04), so the faces found in the upload are found in the stored photo
# (docs/ai_server.md, "No face lost between upload and job"). With its own tables and
# sampling a re-encode changes almost nothing. Other formats are stored as PNG, losslessly.
STORED_JPEG_OPTIONS = {"quality": 95, "subsampling": 0}


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    extension: str  # "jpg" | "png"
    width: int
    height: int


def _invalid(field: str, message: str, *, code: str = "invalid_image", status: int = 400):
    return ApplicationError(
        f"{field}: {message}", code=code, status_code=status, fields={field: [message]}
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _read(upload: UploadedFile | None, field: str) -> bytes:
    if upload is None:
        raise _invalid(field, "This file is required.", code="validation_error")
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _invalid(field, f"The file is larger than {_megabytes(limit)}.", code="file_too_large", status=413)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _invalid(field, f"The file is larger than {_megabytes(limit)}.", code="file_too_large", status=413)
    if not data:
        raise _invalid(field, "The file is empty.")
    return data


def _too_large(field: str, message: str) -> ApplicationError:
    return _invalid(field, message, code="image_too_large", status=413)


def _open(data: bytes, field: str) -> Image.Image:
    """Header checks only: format, pixels, frames. Pillow's own bomb guard fires
    on huge headers before ours can; both are the same 413."""
    max_pixels = settings.UPLOAD_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large(field, f"The picture has far more than {max_pixels:,} pixels.") from None
    except UnidentifiedImageError:
        raise _invalid(field, "The file is not a picture Pillow can read.") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise _invalid(field, f"The picture is damaged ({exc}).") from None
    if image.format not in ALLOWED_FORMATS:
        raise _invalid(field, f"{image.format} pictures are not supported (use JPEG, PNG, WEBP, GIF or BMP).")
    if image.width * image.height > max_pixels:
        raise _too_large(
            field, f"The picture has {image.width}x{image.height} pixels; the limit is {max_pixels:,}."
        )
    if image.width == 0 or image.height == 0:
        raise _invalid(field, "The picture has no pixels.")
    try:
        frames = int(getattr(image, "n_frames", 1))
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _invalid(field, f"The picture is damaged ({exc}).") from None
    if frames > settings.UPLOAD_MAX_FRAMES:
        raise _too_large(field, f"The picture has {frames} frames; the limit is {settings.UPLOAD_MAX_FRAMES}.")
    return image


def clean_upload(upload: UploadedFile | None, *, field: str, max_side: int | None = None) -> CleanImage:
    """Validate one uploaded picture and return it re-encoded without metadata;
    `max_side` downscales it (template pictures never need more)."""
    data = _read(upload, field)
    image = _open(data, field)
    fmt = image.format
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.seek(0)  # the first frame of an animation
            image.load()  # a truncated file fails here
            jpeg_options = _jpeg_options(image) if fmt == "JPEG" else {}
            icc = image.info.get("icc_profile")
            upright = ImageOps.exif_transpose(image)
            upright.info["icc_profile"] = icc  # exif_transpose keeps it; be explicit
            pixels = plain_pixels(upright)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large(field, "The picture decodes to too many pixels.") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _invalid(field, f"The picture is damaged ({exc}).") from None
    if max_side and max(pixels.size) > max_side:
        pixels.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        jpeg_options = {}
    clean = _encode(pixels, fmt, jpeg_options)
    if len(clean.content) > settings.UPLOAD_MAX_BYTES:
        raise _invalid(
            field,
            f"The cleaned picture is larger than {_megabytes(settings.UPLOAD_MAX_BYTES)}.",
            code="file_too_large",
            status=413,
        )
    return clean


def _jpeg_options(image: Image.Image) -> dict[str, Any]:
    """The source's own quantisation tables and subsampling: re-encoding with
    them keeps the file about the size (and quality) it was uploaded at."""
    tables = getattr(image, "quantization", None)
    if not tables or image.mode not in ("RGB", "L"):
        return {}
    sampling = JpegImagePlugin.get_sampling(image)
    return {"qtables": tables, **({"subsampling": sampling} if sampling >= 0 else {})}


def _encode(image: Image.Image, fmt: str, jpeg_options: dict[str, Any]) -> CleanImage:
    out = io.BytesIO()
    if fmt == "JPEG" and image.mode in ("RGB", "L"):
        image.save(out, format="JPEG", **(jpeg_options or STORED_JPEG_OPTIONS))
        ext = "jpg"
    else:
        # PNG keeps transparency (templates need it) and loses nothing.
        image.save(out, format="PNG")
        ext = "png"
    return CleanImage(content=out.getvalue(), extension=ext, width=image.width, height=image.height)
