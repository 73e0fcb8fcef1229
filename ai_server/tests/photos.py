"""Test photos, made on the fly from open-licence images that ship with scikit-image
(see LICENSES.md): nothing binary is committed for them.

- astronaut: Eileen Collins, NASA portrait (public domain).
- coffee: a cup of coffee, Rachel Michetti (CC0) — no face.
"""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import skimage.data
from PIL import Image

from ai_server.config import REPO_ROOT

NOTO_DIR = REPO_ROOT / "assets" / "emoji" / "noto"
EMOTIONS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
ASTRONAUT_FACE = (182, 64, 83, 107)  # MTCNN's box, checked by eye: forehead to chin


def astronaut() -> np.ndarray:
    return skimage.data.astronaut()


def coffee() -> np.ndarray:
    return skimage.data.coffee()


def encode(pixels: np.ndarray, fmt: str = "PNG", **save: object) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format=fmt, **save)
    return buf.getvalue()


def exif_rotated_jpeg() -> bytes:
    """The astronaut stored lying on its side with EXIF orientation 6 ("rotate 90° CW to view").

    The stored pixels are the upright picture turned 90° counter-clockwise; a viewer
    honouring the tag shows it upright again.
    """
    stored = np.ascontiguousarray(np.rot90(astronaut(), k=1))  # 90° CCW
    exif = Image.Exif()
    exif[0x0112] = 6
    return encode(stored, "JPEG", quality=95, exif=exif)


def group_photo() -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """Three copies of the astronaut's head at different sizes on a grey backdrop,
    with the boxes where each face is (scaled from ASTRONAUT_FACE)."""
    head = astronaut()[20:230, 130:320]  # head and shoulders
    canvas = np.full((420, 900, 3), 128, dtype=np.uint8)
    boxes = []
    for (x0, y0), scale in (((20, 60), 1.0), ((320, 120), 0.8), ((620, 20), 1.3)):
        h, w = round(head.shape[0] * scale), round(head.shape[1] * scale)
        canvas[y0 : y0 + h, x0 : x0 + w] = cv2.resize(head, (w, h), interpolation=cv2.INTER_AREA)
        fx, fy, fw, fh = ASTRONAUT_FACE
        boxes.append((x0 + round((fx - 130) * scale), y0 + round((fy - 20) * scale), round(fw * scale), round(fh * scale)))
    return canvas, boxes


def rolled_astronaut(degrees: float) -> np.ndarray:
    """The astronaut rotated clockwise on screen by `degrees` about the face centre."""
    img = astronaut()
    x, y, w, h = ASTRONAUT_FACE
    matrix = cv2.getRotationMatrix2D((x + w / 2, y + h / 2), -degrees, 1.0)
    return cv2.warpAffine(img, matrix, (img.shape[1], img.shape[0]), borderMode=cv2.BORDER_REFLECT)


def noto_template() -> dict[str, bytes]:
    return {e: (NOTO_DIR / f"{e}.png").read_bytes() for e in EMOTIONS}


def two_colour_emoji(width: int = 200, height: int = 200) -> np.ndarray:
    """Opaque RGBA: left half red, right half blue — shows which way it turned."""
    emoji = np.zeros((height, width, 4), dtype=np.uint8)
    emoji[:, : width // 2] = (255, 0, 0, 255)
    emoji[:, width // 2 :] = (0, 0, 255, 255)
    return emoji


def tiny_u2net_onnx(path: Path) -> Path:
    """A tiny ONNX model with U²-Net's interface (1×3×320×320 in, 1×1×320×320 first out),
    so the real rembg session code (u2net_custom) runs without the 4.5 MB file. Its mask
    is the brightness: bright pixels are foreground."""
    import onnx
    from onnx import TensorProto, helper

    weight = helper.make_tensor("w", TensorProto.FLOAT, [1, 3, 1, 1], [4.0, 4.0, 4.0])
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["input.1", "w"], ["conv"]),
            helper.make_node("Sigmoid", ["conv"], ["d0"]),
        ],
        "tiny_u2net",
        [helper.make_tensor_value_info("input.1", TensorProto.FLOAT, [1, 3, 320, 320])],
        [helper.make_tensor_value_info("d0", TensorProto.FLOAT, [1, 1, 320, 320])],
        [weight],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path
