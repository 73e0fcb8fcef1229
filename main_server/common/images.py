"""Uploaded pictures: checked by content (not by name or declared type), capped
in bytes and pixels, and re-encoded with the EXIF orientation applied and every
other metadata (GPS, camera) removed."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from common.errors import ApplicationError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP"}

# How a JPEG upload is stored. Without chroma subsampling (4:4:4) the stored copy moves
# face detection confidences by < 0.01 (4:2:0 at the same quality: up to 0.04), so the
# faces found in the upload are found in the stored photo (docs/ai_server.md, "No face
# lost between upload and job"). Other formats are stored as PNG, losslessly.
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


def _read(upload: UploadedFile | None, field: str) -> bytes:
    if upload is None:
        raise _invalid(field, "This file is required.", code="validation_error")
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        raise _invalid(
            field,
            f"The file is larger than {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
            code="file_too_large",
            status=413,
        )
    upload.seek(0)
    data = upload.read()
    if not data:
        raise _invalid(field, "The file is empty.")
    return data


def clean_upload(upload: UploadedFile | None, *, field: str) -> CleanImage:
    """Validate one uploaded picture and return it re-encoded without metadata."""
    data = _read(upload, field)
    max_pixels = settings.UPLOAD_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            if fmt not in ALLOWED_FORMATS:
                raise _invalid(field, f"{fmt} pictures are not supported (use JPEG, PNG, WEBP, GIF or BMP).")
            if probe.width * probe.height > max_pixels:
                raise _invalid(
                    field,
                    f"The picture has {probe.width}x{probe.height} pixels; the limit is {max_pixels:,}.",
                    code="image_too_large",
                    status=413,
                )
            probe.verify()  # structure check; the object is unusable afterwards
            image = Image.open(io.BytesIO(data))
            image.load()  # a truncated file fails here
    except ApplicationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _invalid(field, "The file is not a picture Pillow can read.") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise _invalid(field, f"The picture is damaged ({exc}).") from None
    return _reencode(image, fmt)


def _reencode(image: Image.Image, fmt: str) -> CleanImage:
    # Orientation first, so the stored pixels look the way the camera meant.
    image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", **STORED_JPEG_OPTIONS)
        ext = "jpg"
    else:
        # PNG keeps transparency (templates need it); GIF keeps its first frame.
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            has_alpha = image.mode in ("P", "PA") and "transparency" in image.info or "A" in image.mode
            image = image.convert("RGBA" if has_alpha else "RGB")
        image.save(out, format="PNG", optimize=False)
        ext = "png"
    return CleanImage(content=out.getvalue(), extension=ext, width=image.width, height=image.height)
