"""An annotated set of group photos, composed at run time from open-licence portraits
that ship with scikit-image (nothing binary is committed; see LICENSES.md):

- ``skimage.data.astronaut()``: Eileen Collins, NASA portrait (public domain), frontal;
- ``skimage.data.camera()``: "cameraman", by Lav Varshney (CC0), a three-quarter profile;
- backgrounds: ``brick``, ``grass``, ``gravel``, ``coffee``, ``rocket`` (CC0 / public domain);
- no-face photos for false faces: ``coffee``, ``chelsea`` (a cat's face), ``rocket``,
  ``coins`` (CC0 / public domain).

No open-licence group photo could be had offline, so each group photo is composed:
head-and-shoulders cut-outs (soft elliptical mask) of the two portraits, scaled to
face heights seen in real group photos, turned (roll), mirrored, relit (gamma, colour
cast), blurred or noised, placed in rows on a background. The annotation of each face
is the hand-checked face box of its source portrait, carried through the same
transform (centre moved with the head, size scaled; roll does not enlarge it, as a
detector's upright box would not be). Every photo is deterministic (seeded).

``group_set()`` → list of ``AnnotatedPhoto``; ``match()`` counts found and false faces
at IoU ≥ 0.4 (the threshold the project's acceptance check uses).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import cv2
import numpy as np
import skimage.data
from PIL import Image

IOU_MATCH = 0.4
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Portrait:
    name: str
    crop: tuple[int, int, int, int]  # x0, y0, x1, y1: head and shoulders in the source
    face: Box  # x, y, w, h: the face box in the source, checked by eye (brows/forehead to chin)
    licence: str


PORTRAITS = (
    Portrait("astronaut", (110, 0, 345, 260), (182, 64, 83, 107), "public domain (NASA)"),
    Portrait("cameraman", (150, 55, 320, 255), (200, 117, 58, 83), "CC0 (Lav Varshney)"),
)


def _source(name: str) -> np.ndarray:
    if name == "cameraman":
        return np.dstack([skimage.data.camera()] * 3)
    if name == "coins":
        return np.dstack([skimage.data.coins()] * 3)
    return getattr(skimage.data, name)()


@dataclass
class AnnotatedPhoto:
    name: str
    rgb: np.ndarray
    faces: list[Box] = field(default_factory=list)

    def jpeg(self, quality: int = 92) -> bytes:
        """As a camera would store it (4:2:0, quality 92)."""
        buf = io.BytesIO()
        Image.fromarray(self.rgb).save(buf, format="JPEG", quality=quality)
        return buf.getvalue()


def _background(kind: str, width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    src = _source(kind)
    if src.ndim == 2:
        src = np.dstack([src] * 3)
    src = src[:, :, :3]
    if kind in ("brick", "grass", "gravel"):  # textures: tile them at their own scale
        reps = (height // src.shape[0] + 1, width // src.shape[1] + 1, 1)
        out = np.tile(src, reps)[:height, :width]
    else:
        out = cv2.resize(src, (width, height), interpolation=cv2.INTER_CUBIC)
    tint = rng.uniform(0.8, 1.1, size=3)
    return np.clip(out.astype(np.float32) * tint, 0, 255).astype(np.uint8)


def _relit(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = rgb.astype(np.float32) / 255.0
    x = x ** rng.uniform(0.7, 1.4)  # gamma: dim or bright light
    x *= rng.uniform(0.85, 1.15, size=3)  # colour cast
    return np.clip(x * 255.0, 0, 255).astype(np.uint8)


def _head(portrait: Portrait, face_height: float, roll: float, mirror: bool, rng: np.random.Generator):
    """(RGBA head-and-shoulders patch, face centre in the patch, face (w, h))."""
    x0, y0, x1, y1 = portrait.crop
    patch = _relit(_source(portrait.name)[y0:y1, x0:x1], rng)
    fx, fy, fw, fh = portrait.face
    cx, cy = fx + fw / 2 - x0, fy + fh / 2 - y0
    if mirror:
        patch = np.ascontiguousarray(patch[:, ::-1])
        cx = patch.shape[1] - cx
    k = face_height / fh
    size = (max(2, round(patch.shape[1] * k)), max(2, round(patch.shape[0] * k)))
    patch = cv2.resize(patch, size, interpolation=cv2.INTER_AREA if k < 1 else cv2.INTER_CUBIC)
    cx, cy = cx * k, cy * k
    h, w = patch.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    cv2.ellipse(mask, (w // 2, h // 2), (int(w * 0.48), int(h * 0.49)), 0, 0, 360, 255, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), max(1.0, w * 0.03))
    rgba = np.dstack([patch, mask])
    # Turn about the face centre (positive roll = clockwise on screen).
    diag = int(np.ceil(np.hypot(w, h)))
    matrix = cv2.getRotationMatrix2D((cx, cy), -roll, 1.0)
    matrix[0, 2] += diag / 2 - cx
    matrix[1, 2] += diag / 2 - cy
    rgba = cv2.warpAffine(rgba, matrix, (diag, diag), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0, 0))
    blur = rng.choice([0.0, 0.0, 0.8, 1.5])
    if blur:
        rgba[:, :, :3] = cv2.GaussianBlur(rgba[:, :, :3], (0, 0), blur * max(1.0, face_height / 120))
    return rgba, (diag / 2, diag / 2), (fw * k, fh * k)


def _paste(canvas: np.ndarray, rgba: np.ndarray, x0: int, y0: int) -> None:
    H, W = canvas.shape[:2]
    h, w = rgba.shape[:2]
    bx0, by0, bx1, by1 = max(0, x0), max(0, y0), min(W, x0 + w), min(H, y0 + h)
    if bx0 >= bx1 or by0 >= by1:
        return
    part = rgba[by0 - y0 : by1 - y0, bx0 - x0 : bx1 - x0].astype(np.float32)
    alpha = part[:, :, 3:4] / 255.0
    roi = canvas[by0:by1, bx0:bx1].astype(np.float32)
    canvas[by0:by1, bx0:bx1] = np.clip(part[:, :, :3] * alpha + roi * (1 - alpha) + 0.5, 0, 255).astype(np.uint8)


# (name, width, height, background, rows of face heights in px of the full photo)
LAYOUTS = (
    ("team_row", 1600, 1067, "brick", [[150, 160, 145, 155, 150]]),
    ("two_rows", 2048, 1365, "grass", [[170, 180, 175, 165], [210, 220, 200, 215]]),
    ("small_crowd", 1920, 1080, "gravel", [[60, 64, 58, 62, 66, 60], [72, 70, 75, 68, 74]]),
    ("phone_12mp", 4000, 3000, "rocket", [[330, 350, 340], [420, 400, 410]]),
    ("couple", 1200, 800, "coffee", [[240, 230]]),
    ("family", 3000, 2000, "brick", [[260, 280, 250, 270], [330, 320, 340]]),
    ("far_away", 2560, 1440, "grass", [[48, 46, 50, 52, 47, 49, 51]]),
    ("selfie_group", 1024, 768, "gravel", [[200, 190, 210]]),
    ("mixed_sizes", 2400, 1600, "coffee", [[90, 260, 120, 180], [40, 300]]),
)
NO_FACE = ("coffee", "chelsea", "rocket", "coins")


def group_photo(name: str, width: int, height: int, background: str, rows: list[list[int]], seed: int) -> AnnotatedPhoto:
    rng = np.random.default_rng(seed)
    canvas = _background(background, width, height, rng)
    faces: list[Box] = []
    for r, row in enumerate(rows):
        y_centre = height * (0.35 + 0.4 * r / max(1, len(rows) - 1)) if len(rows) > 1 else height * 0.45
        for i, face_height in enumerate(row):
            x_centre = width * (i + 0.5) / len(row) + rng.uniform(-0.1, 0.1) * width / len(row)
            portrait = PORTRAITS[int(rng.integers(0, 4) == 0)]  # one face in four is the cameraman
            roll = float(rng.uniform(-20, 20))
            rgba, (pcx, pcy), (fw, fh) = _head(portrait, face_height, roll, bool(rng.integers(0, 2)), rng)
            cx, cy = x_centre, y_centre + rng.uniform(-0.05, 0.05) * height
            _paste(canvas, rgba, round(cx - pcx), round(cy - pcy))
            faces.append((round(cx - fw / 2), round(cy - fh / 2), round(fw), round(fh)))
    noise = rng.normal(0, rng.uniform(1.0, 4.0), canvas.shape)
    canvas = np.clip(canvas.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    return AnnotatedPhoto(name=name, rgb=canvas, faces=faces)


def group_set() -> list[AnnotatedPhoto]:
    """The 9 annotated group photos."""
    return [group_photo(n, w, h, bg, rows, seed) for seed, (n, w, h, bg, rows) in enumerate(LAYOUTS)]


def no_face_set() -> list[AnnotatedPhoto]:
    return [AnnotatedPhoto(name=n, rgb=_source(n)[:, :, :3].copy()) for n in NO_FACE]


def iou(a: Box | tuple[float, ...], b: Box | tuple[float, ...]) -> float:
    ax0, ay0, aw, ah = a
    bx0, by0, bw, bh = b
    iw = max(0.0, min(ax0 + aw, bx0 + bw) - max(ax0, bx0))
    ih = max(0.0, min(ay0 + ah, by0 + bh) - max(ay0, by0))
    inter = iw * ih
    union = aw * ah + bw * bh - inter
    return inter / union if union > 0 else 0.0


def match(truth: list[Box], found: list[Box]) -> tuple[int, int]:
    """(faces found, false faces): greedy one-to-one matching by IoU ≥ IOU_MATCH."""
    pairs = sorted(((iou(t, f), i, j) for i, t in enumerate(truth) for j, f in enumerate(found)), reverse=True)
    used_t, used_f = set(), set()
    for score, i, j in pairs:
        if score < IOU_MATCH:
            break
        if i not in used_t and j not in used_f:
            used_t.add(i)
            used_f.add(j)
    return len(used_t), len(found) - len(used_f)
