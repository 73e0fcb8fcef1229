"""Cut a template picture out of its background, the cheapest way that works:

1. ``alpha``  — the picture already has real transparency: keep it.
2. ``border`` — a plain, uniform background: flood-fill it away from the border.
3. ``rembg``  — anything else: rembg with the session created once per process.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from PIL import Image

from ai_server.pipeline.exceptions import ModelUnavailable

BORDER_TOLERANCE = 24.0  # RGB distance still counted as "the background colour"
BORDER_UNIFORM_SHARE = 0.9  # share of border pixels that must match for a plain background
TRANSPARENT_SHARE = 0.005  # share of pixels with alpha < 128 for transparency to be "real"


def has_real_transparency(pixels: np.ndarray) -> bool:
    if pixels.shape[2] != 4:
        return False
    return float(np.mean(pixels[:, :, 3] < 128)) >= TRANSPARENT_SHARE


def _border(rgb: np.ndarray) -> np.ndarray:
    return np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]]).astype(np.float32)


def plain_background_colour(rgb: np.ndarray) -> np.ndarray | None:
    """The background colour when the border is (almost) one colour, else None."""
    border = _border(rgb)
    colour = np.median(border, axis=0)
    share = float(np.mean(np.linalg.norm(border - colour, axis=1) <= BORDER_TOLERANCE))
    return colour if share >= BORDER_UNIFORM_SHARE else None


def flood_background(rgb: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """RGBA with alpha 0 on the background region connected to the border."""
    close = np.linalg.norm(rgb.astype(np.float32) - colour, axis=2) <= BORDER_TOLERANCE
    count, labels = cv2.connectedComponents(close.astype(np.uint8), connectivity=4)
    edge_labels = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    background = np.isin(labels, edge_labels[edge_labels > 0])
    alpha = np.where(background, 0, 255).astype(np.uint8)
    # A 3×3 blur softens the staircase edge; min() keeps the interior fully opaque.
    alpha = np.minimum(alpha, cv2.blur(alpha, (3, 3)))
    return np.dstack([rgb, alpha])


def rembg_cutout(rgb: np.ndarray, session: Any) -> np.ndarray:
    from rembg import remove  # imported here: rembg pulls in onnxruntime and more

    out = remove(Image.fromarray(rgb), session=session)
    return np.asarray(out.convert("RGBA"), dtype=np.uint8)


def cutout(pixels: np.ndarray, session_provider) -> tuple[np.ndarray, str]:
    """pixels HxWx3/4 uint8 → (RGBA uint8, method). session_provider() returns the rembg
    session, or None when the model file is missing (then ModelUnavailable: the caller retries later)."""
    if has_real_transparency(pixels):
        return pixels, "alpha"
    rgb = np.ascontiguousarray(pixels[:, :, :3])
    colour = plain_background_colour(rgb)
    if colour is not None:
        return flood_background(rgb, colour), "border"
    session = session_provider()
    if session is None:
        raise ModelUnavailable(
            "This picture needs background removal, but the cut-out model file is not installed "
            "on this server (run `make models`, see docs/ai_server.md).",
            code="cutout_model_unavailable",
        )
    return rembg_cutout(rgb, session), "rembg"
