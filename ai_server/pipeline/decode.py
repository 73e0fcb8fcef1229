"""Decode uploads into arrays, safely: formats limited, EXIF orientation applied,
decompression bombs refused, any Pillow mode normalised to 8-bit RGB(A).

Outputs are rebuilt from pixels, so no metadata (EXIF, GPS, ICC) leaks into them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageOps, JpegImagePlugin, UnidentifiedImageError

from ai_server.pipeline.exceptions import ImageTooLarge, NotAnImage

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")


@dataclass
class DecodedImage:
    pixels: np.ndarray  # HxWx3 (RGB) or HxWx4 (RGBA) uint8, EXIF-rotated
    format: str  # source format as Pillow names it: JPEG, PNG, ...
    # For an upright JPEG: its quantisation tables and chroma subsampling. Re-encoding
    # with them keeps pixels away from the faces much closer to the input (and the file
    # the size it was) than any fixed quality.
    jpeg_options: dict[str, Any] = field(default_factory=dict)

    @property
    def rgb(self) -> np.ndarray:
        """RGB view for the models; transparent areas are composited on white."""
        if self.pixels.shape[2] == 3:
            return self.pixels
        alpha = self.pixels[:, :, 3:4].astype(np.float32) / 255.0
        rgb = self.pixels[:, :, :3].astype(np.float32) * alpha + 255.0 * (1.0 - alpha)
        return np.clip(rgb + 0.5, 0, 255).astype(np.uint8)

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


def _to_8bit(img: Image.Image) -> Image.Image:
    """Bring wide modes (I;16, I, F) to L without clipping, by their real range."""
    arr = np.asarray(img)
    if arr.dtype == np.uint8:
        return Image.fromarray(arr)
    arr = arr.astype(np.float64)
    if img.mode.startswith("I;16") or (img.mode == "I" and arr.max(initial=0) > 255):
        arr = arr / 257.0  # 16-bit range → 8-bit
    elif img.mode == "F" and arr.size and arr.max() <= 1.0:
        arr = arr * 255.0
    return Image.fromarray(np.clip(arr + 0.5, 0, 255).astype(np.uint8))


def normalise_mode(img: Image.Image, keep_alpha: bool = True) -> np.ndarray:
    """Any Pillow mode → HxWx3 or HxWx4 uint8."""
    if img.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        img = _to_8bit(img)
    has_alpha = keep_alpha and (img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or img.has_transparency_data)
    out = img.convert("RGBA" if has_alpha else "RGB")
    return np.asarray(out, dtype=np.uint8).copy()


def decode_image(
    data: bytes,
    *,
    max_pixels: int,
    keep_alpha: bool = True,
    max_bytes: int | None = None,
    max_frames: int | None = None,
) -> DecodedImage:
    """bytes → DecodedImage; NotAnImage (empty, not a picture, corrupt) or
    ImageTooLarge (too many pixels, bytes or frames)."""
    if not data:
        raise NotAnImage("The uploaded image is empty.", code="empty_image")
    if max_bytes is not None and len(data) > max_bytes:
        raise ImageTooLarge(f"The image has {len(data)} bytes; the limit is {max_bytes}.")
    try:
        img = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except UnidentifiedImageError as exc:
        raise NotAnImage(
            f"The upload is not an image in a supported format ({', '.join(ALLOWED_FORMATS)})."
        ) from exc
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(max_pixels) from exc
    width, height = img.size
    # Checked on the header, before any pixel is decoded: the bomb never inflates.
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels, width, height)
    if width == 0 or height == 0:
        raise NotAnImage("The image has no pixels.")
    fmt = img.format or "PNG"
    if max_frames is not None:
        try:
            frames = int(getattr(img, "n_frames", 1))
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise NotAnImage(f"The image could not be decoded ({exc}).", code="corrupt_image") from exc
        if frames > max_frames:
            raise ImageTooLarge(f"The image has {frames} frames; the limit is {max_frames}.")
    jpeg_options: dict[str, Any] = {}
    try:
        img.seek(0)  # first frame of animated GIF / WEBP
        img.load()
        if fmt == "JPEG" and img.getexif().get(0x0112, 1) == 1 and getattr(img, "quantization", None):
            sampling = JpegImagePlugin.get_sampling(img)
            jpeg_options = {"qtables": img.quantization, **({"subsampling": sampling} if sampling >= 0 else {})}
        img = ImageOps.exif_transpose(img)
        pixels = normalise_mode(img, keep_alpha=keep_alpha)
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(max_pixels) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise NotAnImage(f"The image could not be decoded ({exc}).", code="corrupt_image") from exc
    return DecodedImage(pixels=pixels, format=fmt, jpeg_options=jpeg_options)


def _too_many_pixels(max_pixels: int, width: int | None = None, height: int | None = None) -> ImageTooLarge:
    size = f" ({width}×{height})" if width else ""
    return ImageTooLarge(f"The image has too many pixels{size}; the limit is {max_pixels}.")


def encode_image(
    pixels: np.ndarray, source_format: str, *, jpeg_quality: int = 95, jpeg_options: dict[str, Any] | None = None
) -> tuple[bytes, str]:
    """JPEG out for JPEG in (with the source's tables when given), PNG otherwise;
    returns (bytes, 'jpeg'|'png')."""
    buf = io.BytesIO()
    img = Image.fromarray(pixels)
    if source_format == "JPEG" and pixels.shape[2] == 3:
        img.save(buf, format="JPEG", **(jpeg_options or {"quality": jpeg_quality}))
        return buf.getvalue(), "jpeg"
    img.save(buf, format="PNG")
    return buf.getvalue(), "png"


def detection_copy(data: bytes, *, max_side: int, max_pixels: int) -> tuple[np.ndarray, float, tuple[int, int]] | None:
    """A JPEG larger than max_side, decoded small for detection: libjpeg's DCT scaling
    (draft mode, 1/2–1/8) skips most of the full decode, then INTER_AREA brings it to
    the bounded size. Returns (RGB copy, copy/original scale, original (w, h) after EXIF
    rotation), or None when this shortcut does not apply (not a JPEG, small enough,
    too many pixels, unreadable): the full decode then decides, and reports errors."""
    from ai_server.pipeline.detect import bounded_size  # sizes must match bounded_copy's

    try:
        img = Image.open(io.BytesIO(data), formats=("JPEG",))
        width, height = img.size
        if width * height > max_pixels or max(width, height) <= max_side:
            return None
        if img.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # turned a quarter: sides swap
            width, height = height, width
        target = bounded_size(width, height, max_side)
        img.draft("RGB", (target[0], target[1]) if img.size == (width, height) else (target[1], target[0]))
        img = ImageOps.exif_transpose(img)
        small = np.asarray(img.convert("RGB"))
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        return None
    if small.shape[1] < target[0] or small.shape[0] < target[1]:
        return None
    copy = cv2.resize(small, target, interpolation=cv2.INTER_AREA) if small.shape[1::-1] != target else small
    return np.ascontiguousarray(copy), target[0] / width, (width, height)
