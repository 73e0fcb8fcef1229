"""Paste an emoji over each face: aspect kept, visible part covering the face box with a
margin, turned with the head's roll, clipped at the image edges, alpha-blended.

Only the pixels under an emoji's visible part change; everything else keeps its exact
value (so PNG outputs are byte-identical away from faces).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

ALPHA_VISIBLE = 16  # alpha above this counts as the emoji's visible part (ignores faint halos)


@dataclass
class Placement:
    center: tuple[float, float]  # where the emoji's visible centre goes, image pixels
    size: tuple[float, float]  # face box (w, h) the visible part must cover
    roll_degrees: float = 0.0  # positive: clockwise on screen (right eye lower)


def visible_crop(emoji_rgba: np.ndarray) -> np.ndarray:
    """Crop the emoji to the bounding box of its visible pixels."""
    alpha = emoji_rgba[:, :, 3]
    ys, xs = np.nonzero(alpha > ALPHA_VISIBLE)
    if len(xs) == 0:
        return emoji_rgba
    return emoji_rgba[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def as_rgba(emoji: np.ndarray) -> np.ndarray:
    if emoji.shape[2] == 4:
        return emoji
    return np.dstack([emoji, np.full(emoji.shape[:2], 255, dtype=np.uint8)])


def _premultiplied(rgba: np.ndarray) -> np.ndarray:
    out = rgba.astype(np.float32)
    out[:, :, :3] *= out[:, :, 3:4] / 255.0
    return out


def render_emoji(emoji_rgba: np.ndarray, placement: Placement, scale: float) -> tuple[np.ndarray, int, int]:
    """Scaled + rotated emoji as premultiplied float RGBA, with its top-left (x, y) in the image.

    The visible part is scaled (aspect kept) until it covers size × scale in both
    directions, then rotated about its centre by the roll.
    """
    emoji = visible_crop(as_rgba(emoji_rgba))
    eh, ew = emoji.shape[:2]
    k = max(placement.size[0] * scale / ew, placement.size[1] * scale / eh)
    tw, th = max(1, round(ew * k)), max(1, round(eh * k))
    # Resize first with INTER_AREA (clean downscaling), then rotate without scaling.
    interp = cv2.INTER_AREA if k < 1 else cv2.INTER_LINEAR
    sized = _premultiplied(cv2.resize(emoji, (tw, th), interpolation=interp))
    theta = math.radians(placement.roll_degrees)
    cos, sin = abs(math.cos(theta)), abs(math.sin(theta))
    bw, bh = math.ceil(tw * cos + th * sin) + 2, math.ceil(tw * sin + th * cos) + 2
    # y points down, so cv2's counter-clockwise angle is minus our clockwise roll.
    matrix = cv2.getRotationMatrix2D((tw / 2, th / 2), -placement.roll_degrees, 1.0)
    matrix[0, 2] += bw / 2 - tw / 2
    matrix[1, 2] += bh / 2 - th / 2
    rotated = cv2.warpAffine(
        sized, matrix, (bw, bh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0)
    )
    x0 = round(placement.center[0] - bw / 2)
    y0 = round(placement.center[1] - bh / 2)
    return rotated, x0, y0


def paste(base: np.ndarray, layer: np.ndarray, x0: int, y0: int) -> None:
    """Alpha-blend a premultiplied float RGBA layer onto base (uint8 RGB/RGBA) in place, clipped."""
    H, W = base.shape[:2]
    lh, lw = layer.shape[:2]
    bx0, by0, bx1, by1 = max(0, x0), max(0, y0), min(W, x0 + lw), min(H, y0 + lh)
    if bx0 >= bx1 or by0 >= by1:
        return
    part = layer[by0 - y0 : by1 - y0, bx0 - x0 : bx1 - x0]
    alpha = part[:, :, 3:4] / 255.0
    roi = base[by0:by1, bx0:bx1]
    mixed = roi.astype(np.float32)
    mixed[:, :, :3] = part[:, :, :3] + mixed[:, :, :3] * (1.0 - alpha)
    if base.shape[2] == 4:
        mixed[:, :, 3:4] = part[:, :, 3:4] + mixed[:, :, 3:4] * (1.0 - alpha)
    touched = part[:, :, 3] > 0  # write only where the emoji shows: the rest stays bit-exact
    roi[touched] = np.clip(mixed[touched] + 0.5, 0, 255).astype(np.uint8)


def compose(
    base: np.ndarray, items: list[tuple[np.ndarray, Placement]], *, scale: float = 1.25, in_place: bool = False
) -> np.ndarray:
    """base with each (emoji, placement) pasted (a copy, unless in_place); same size and mode.
    Only the pixels under each emoji are read and written."""
    out = base if in_place else base.copy()
    for emoji, placement in items:
        layer, x0, y0 = render_emoji(emoji, placement, scale)
        paste(out, layer, x0, y0)
    return out


def placement_for_face(box: tuple[int, int, int, int], roll: float) -> Placement:
    x, y, w, h = box
    return Placement(center=(x + w / 2, y + h / 2), size=(float(w), float(h)), roll_degrees=roll)
