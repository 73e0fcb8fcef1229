"""Pixels of an uploaded picture, faithfully, in a mode every browser and
ai_server read as they are: L, LA, RGB or RGBA, 8 bits, sRGB.

- 16-bit grey (I;16*) is scaled from its full range, and 32-bit grey (I, F)
  from the range its values use: converting such a picture straight to RGB
  clips it (a 16-bit portrait came out nearly white).
- Palette pictures keep their transparency; CMYK and YCbCr become RGB.
- An embedded ICC profile is applied (the pixels converted to sRGB) and then
  dropped with every other piece of metadata, so a wide-gamut or CMYK picture
  looks the same without its profile.
"""

from __future__ import annotations

import io
import logging

import numpy as np
from PIL import Image, ImageCms

logger = logging.getLogger(__name__)

_SIXTEEN_BIT = ("I;16", "I;16L", "I;16B", "I;16N")
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _grey_to_8bit(image: Image.Image) -> Image.Image:
    values = np.asarray(image).astype(np.float64)
    if image.mode in _SIXTEEN_BIT:
        top = 65535.0
    else:
        # 32-bit ints or floats: their own range decides, whatever it is.
        low = min(float(values.min(initial=0.0)), 0.0)
        values = values - low
        top = float(values.max(initial=0.0))
        if image.mode == "F" and top <= 1.0:
            top = 1.0  # a float picture in [0, 1]
        elif top <= 255.0:
            top = 255.0  # an 8-bit picture stored wide: keep its levels
        elif top <= 65535.0 and low == 0.0:
            top = 65535.0  # 16-bit data in a 32-bit container
    scaled = np.rint(values * (255.0 / top)) if top > 0 else values
    return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8), mode="L")


def _to_plain_mode(image: Image.Image) -> Image.Image:
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA"):
        return image
    if mode in _SIXTEEN_BIT or mode in ("I", "F"):
        return _grey_to_8bit(image)
    if mode == "1":
        return image.convert("L")
    if mode in ("P", "PA"):
        return image.convert("RGBA" if image.has_transparency_data else "RGB")
    if mode == "La":
        return image.convert("LA")
    if mode in ("RGBa", "RGBX"):
        return image.convert("RGBA" if mode == "RGBa" else "RGB")
    if "A" in mode:
        return image.convert("RGBA")
    return image.convert("RGB")  # CMYK, YCbCr, LAB, HSV


def _apply_icc(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert to sRGB through the embedded profile; on a broken or mismatched
    profile keep the pixels as they are (better than refusing the picture)."""
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(
            image, source, _SRGB, renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode=out_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError) as exc:
        logger.info("icc_profile_ignored mode=%s reason=%s", image.mode, exc)
        return image
    if image.mode == "L":
        converted = converted.convert("L")  # grey stays grey: R = G = B after the transform
    return converted


def plain_pixels(image: Image.Image) -> Image.Image:
    """A loaded, upright picture → a new L/LA/RGB/RGBA sRGB image that carries
    nothing but its pixels (no info, no EXIF, no profile, no comment)."""
    image = _apply_icc(image, image.info.get("icc_profile"))
    image = _to_plain_mode(image)
    return Image.frombytes(image.mode, image.size, image.tobytes())
