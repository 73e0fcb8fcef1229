"""MTCNN (the ``mtcnn`` package, made safe and compiled by ``ai_server.mtcnn_safe``)
behind the detector interface."""

from __future__ import annotations

import threading

import numpy as np

from ai_server.detectors.base import LANDMARKS, DetectorSettings, RawFace


class MtcnnDetector:
    name = "mtcnn"
    # The seed's settings, kept: see the measurements in docs/ai_server.md.
    defaults = DetectorSettings(min_confidence=0.9, max_side=1024, min_face_size=20)
    scale_factor = 0.709  # MTCNN's pyramid step

    def __init__(self, mtcnn=None, *, scale_factor: float = scale_factor) -> None:
        self.scale_factor = scale_factor
        if mtcnn is None:
            from ai_server.mtcnn_safe import build_mtcnn

            mtcnn = build_mtcnn()
        self._mtcnn = mtcnn
        self._lock = threading.Lock()  # its Keras stages are not documented as thread-safe
        # One tiny call builds the graphs now, not during the first request.
        self.detect(np.zeros((48, 48, 3), dtype=np.uint8), min_face_size=20, min_confidence=0.9)

    def detect(self, rgb: np.ndarray, *, min_face_size: int, min_confidence: float) -> list[RawFace]:
        if min(rgb.shape[:2]) < 12:  # below PNet's 12 px window nothing can be found
            return []
        with self._lock:
            raw = self._mtcnn.detect_faces(rgb, min_face_size=int(min_face_size), scale_factor=self.scale_factor)
        faces = []
        for r in raw:
            keypoints = r.get("keypoints") or {}
            faces.append(
                RawFace(
                    box=tuple(float(v) for v in r["box"]),
                    confidence=float(r["confidence"]),
                    landmarks={n: (float(keypoints[n][0]), float(keypoints[n][1])) for n in LANDMARKS if n in keypoints},
                )
            )
        return faces
