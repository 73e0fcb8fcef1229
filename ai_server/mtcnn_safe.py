"""MTCNN, made safe and fast: a PNet stage that never builds a pyramid level below
PNet's 12 px window, and the three networks run as compiled graphs.

mtcnn 1.0.0 sizes its image pyramid without the min_face_size factor, so any
min_face_size above ~24 px (and some image sizes) ends in a level of a few pixels and
Keras raises "The convolution operation resulted in an empty output" instead of
answering. The stage below is mtcnn's own PNet stage with those levels dropped.

mtcnn calls its Keras networks eagerly, op by op; wrapped in one ``tf.function`` each
(with a shape-polymorphic signature, so every pyramid level and batch size reuses the
same trace) detection is about 3× faster with the same boxes (``make bench``).
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf
from mtcnn import MTCNN
from mtcnn.stages import StageONet, StagePNet, StageRNet
from mtcnn.utils.bboxes import (
    generate_bounding_box,
    resize_to_square,
    smart_nms_from_bboxes,
    upscale_bboxes,
)
from mtcnn.utils.images import apply_scales, build_scale_pyramid

PNET_WINDOW = 12


def pyramid(width: int, height: int, min_face_size: int, scale_factor: float) -> np.ndarray:
    scales = build_scale_pyramid(width, height, min_face_size=min_face_size, scale_factor=scale_factor)
    return scales[np.floor(min(width, height) * scales) >= PNET_WINDOW]


class SafePNet(StagePNet):
    def __call__(self, images_normalized, images_oshapes, min_face_size=20, min_size=12, scale_factor=0.709,
                 threshold_pnet=0.6, nms_pnet1=0.5, nms_pnet2=0.7, **kwargs):
        scales_groups = [pyramid(int(s[1]), int(s[0]), min_face_size, scale_factor) for s in images_oshapes]
        scales_result, scales_index = apply_scales(images_normalized, scales_groups)
        if len(scales_index) == 0:
            return np.empty((0, 6))
        batch_size = images_normalized.shape[0]
        pnet_result = [self._model(s) for s in scales_result]
        proposals = [generate_bounding_box(r[0], r[1], threshold_pnet) for r in pnet_result]
        upscaled = [upscale_bboxes(b, np.asarray([s] * batch_size)) for b, s in zip(proposals, scales_index, strict=True)]
        per_scale = [smart_nms_from_bboxes(b, threshold=nms_pnet1, method="union", initial_sort=False) for b in upscaled]
        bboxes = np.concatenate(per_scale, axis=0) if per_scale else np.empty((0, 6))
        bboxes = smart_nms_from_bboxes(bboxes, threshold=nms_pnet2, method="union", initial_sort=True)
        return resize_to_square(bboxes)


# Input of each network: PNet takes any image size, RNet and ONet fixed-size patches.
_SIGNATURES = {1: [None, None, None, 3], 2: [None, 24, 24, 3], 3: [None, 48, 48, 3]}


def _compile(stage) -> None:
    shape = _SIGNATURES[stage.id]
    graph = tf.function(stage._model.call, input_signature=[tf.TensorSpec(shape, tf.float32)])
    graph(tf.zeros([1] + [d or 12 for d in shape[1:]], tf.float32))  # trace now, not in a request
    stage._model = lambda x: graph(tf.cast(x, tf.float32))


def build_mtcnn(compiled: bool = True) -> MTCNN:
    detector = MTCNN(stages=[SafePNet, StageRNet, StageONet], device="CPU:0")
    if compiled:
        for stage in detector.stages:
            _compile(stage)
    return detector
