"""FER2013 arrays and the augmentation applied to each training batch."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

CLASSES = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")


def load(path: Path) -> dict[str, np.ndarray]:
    """The README's arrays: x_train/y_train (Training), x_val/y_val (PublicTest, no disgust)."""
    with np.load(path, allow_pickle=False) as z:
        classes = tuple(str(c) for c in z["classes"])
        if classes != CLASSES:
            raise ValueError(f"unexpected class order {classes}")
        return {k: z[k] for k in ("x_train", "y_train", "x_val", "y_val")}


def augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """x: (N, 1, 48, 48) float 0..255 -> an augmented copy.

    Random flip, rotation +-12 deg, scale 0.88..1.12, shift +-10 %, brightness and
    contrast jitter, and one erased patch in half the faces: what a face found by
    a detector in a real photo varies by.
    """
    n = x.shape[0]
    r = lambda *s: torch.rand(*s, generator=gen)  # noqa: E731
    angle = (r(n) * 2 - 1) * math.radians(12)
    scale = 1 + (r(n) * 2 - 1) * 0.12
    flip = torch.where(r(n) < 0.5, -1.0, 1.0)
    tx, ty = (r(n) * 2 - 1) * 0.2, (r(n) * 2 - 1) * 0.2  # grid units: 2 = whole image
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack(
        [torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1
    )
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    out = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    mean = out.mean(dim=(1, 2, 3), keepdim=True)
    contrast = 1 + (r(n, 1, 1, 1) * 2 - 1) * 0.3
    bright = (r(n, 1, 1, 1) * 2 - 1) * 25
    out = ((out - mean) * contrast + mean + bright).clamp(0, 255)
    # random erasing: one rectangle of 4-20 % of the face, filled with noise
    erase = r(n) < 0.5
    for i in torch.nonzero(erase).flatten().tolist():
        area = 48 * 48 * (0.04 + 0.16 * r(1).item())
        aspect = math.exp((r(1).item() * 2 - 1) * math.log(3))
        h = min(47, max(4, int(round(math.sqrt(area * aspect)))))
        w = min(47, max(4, int(round(math.sqrt(area / aspect)))))
        y0 = int(r(1).item() * (48 - h))
        x0 = int(r(1).item() * (48 - w))
        out[i, :, y0 : y0 + h, x0 : x0 + w] = r(1, h, w) * 255
    return out


def batches(n: int, size: int, gen: torch.Generator):
    order = torch.randperm(n, generator=gen)
    for i in range(0, n - size + 1, size):  # drop the last partial batch (BatchNorm)
        yield order[i : i + size]
