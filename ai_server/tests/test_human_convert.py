"""The converted ONNX model computes what the tfjs weights define.

The reference is an independent plain-numpy forward pass of the whole
mini-Xception, written from the architecture (oarriaga/face_classification,
folded batch-norm as human ships it) and reading ``emotion.bin`` with its own
few lines of code, so a topology or layout mistake in the converter shows up.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
import skimage.data

from ai_server.classifiers.human import preprocess
from ai_server.classifiers.human_convert import (
    INPUT_NAME,
    ConversionError,
    convert_tfjs_to_onnx,
    read_tfjs_weights,
)
from ai_server.classifiers.human_install import (
    MODEL_FILE,
    default_models_dir,
    install_human_model,
    model_dir,
)

ASTRONAUT_FACE = (182, 64, 83, 107)  # MTCNN's box on skimage.data.astronaut()
M = "StatefulPartitionedCall/model_1/"


@pytest.fixture(scope="module")
def installed() -> Path:
    install_human_model(default_models_dir())  # no-op when `make models` already ran
    return model_dir(default_models_dir())


@pytest.fixture(scope="module")
def tfjs_weights(installed: Path) -> dict[str, np.ndarray]:
    spec = json.loads((installed / "emotion.json").read_text())
    raw = (installed / "emotion.bin").read_bytes()
    out, offset = {}, 0
    for w in spec["weightsManifest"][0]["weights"]:
        dtype = np.dtype("<f4") if w["dtype"] == "float32" else np.dtype("<i4")
        n = int(np.prod(w["shape"]))
        out[w["name"]] = np.frombuffer(raw, dtype, n, offset).reshape(w["shape"]).astype(np.float64)
        offset += n * 4
    assert offset == len(raw)
    return out


# --- plain numpy NHWC ops, float64 ---------------------------------------------------------
def _pad_same(x: np.ndarray, k: int, s: int, value: float = 0.0) -> np.ndarray:
    pads = []
    for size in x.shape[1:3]:
        out = -(-size // s)
        total = max((out - 1) * s + k - size, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)), constant_values=value)


def _windows(x: np.ndarray, k: int, s: int) -> np.ndarray:
    """(N, Ho, Wo, C, k, k) views of the k x k windows, stride s."""
    win = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(1, 2))
    return win[:, ::s, ::s]


def conv(x, w, b=None, s=1, same=True):
    k = w.shape[0]
    x = _pad_same(x, k, s) if same else x
    y = np.einsum("nhwcij,ijco->nhwo", _windows(x, k, s), w)
    return y if b is None else y + b


def depthwise(x, w):
    y = np.einsum("nhwcij,ijc->nhwc", _windows(_pad_same(x, 3, 1), 3, 1), w[..., 0])
    return y


def max_pool(x):
    return _windows(_pad_same(x, 3, 2, -np.inf), 3, 2).max(axis=(4, 5))


def relu(x):
    return np.maximum(x, 0.0)


def numpy_forward(x: np.ndarray, p: dict[str, np.ndarray]) -> np.ndarray:
    def W(name):
        return p[M + name + "_weights"]

    def B(name):
        return p[M + name + "_bn_offset"]

    x = relu(conv(x, W("conv2d_1/Conv2D"), B("conv2d_1/Conv2D"), s=2, same=False))
    x = relu(conv(x, W("conv2d_2/Conv2D"), B("conv2d_2/Conv2D"), same=False))
    # two residual blocks: separable convs + max pool, shortcut 1x1 conv stride 2
    for res, dw1, sep1, dw2, sep2, pre_relu in (
        ("conv2d_3", "unknown_9", "separable_conv2d_1", "unknown_15", "separable_conv2d_2", False),
        ("conv2d_4", "unknown_26", "separable_conv2d_3", "unknown_32", "separable_conv2d_4", True),
    ):
        shortcut = conv(x, W(f"{res}/Conv2D"), B(f"{res}/Conv2D"), s=2)
        y = relu(x) if pre_relu else x
        y = relu(conv(depthwise(y, p[dw1]), W(f"{sep1}/separable_conv2d"),
                      B(f"{sep1}/separable_conv2d"), same=False))
        y = conv(depthwise(y, p[dw2]), W(f"{sep2}/separable_conv2d"),
                 B(f"{sep2}/separable_conv2d"), same=False)
        x = max_pool(y) + shortcut
    logits = conv(x, p["unknown_43"], p["unknown_44"]).mean(axis=(1, 2))
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _real_crops() -> np.ndarray:
    astro = skimage.data.astronaut()
    camera = np.repeat(skimage.data.camera()[..., None], 3, axis=2)
    boxes = [(astro, ASTRONAUT_FACE), (np.ascontiguousarray(astro[:, ::-1]), (247, 64, 83, 107)),
             (astro, (150, 30, 150, 170)), (camera, (220, 60, 120, 140)),
             (skimage.data.chelsea(), (100, 40, 200, 200))]
    return np.stack([preprocess(img, box) for img, box in boxes]).astype(np.float32)


def test_onnx_matches_numpy_forward_pass(installed, tfjs_weights):
    crops = _real_crops()
    session = ort.InferenceSession(str(installed / MODEL_FILE), providers=["CPUExecutionProvider"])
    got = session.run(None, {INPUT_NAME: crops})[0]
    want = numpy_forward(crops.astype(np.float64), tfjs_weights)
    assert got.shape == (len(crops), 7)
    np.testing.assert_allclose(got, want, atol=1e-4, rtol=0)
    # the crops are different faces/pictures: a constant output would be a defect too
    assert len({int(i) for i in want.argmax(axis=1)}) > 1 or np.ptp(want, axis=0).max() > 0.1


def test_weights_reader_reads_every_weight_in_manifest_order(installed, tfjs_weights):
    spec = json.loads((installed / "emotion.json").read_text())
    ours = read_tfjs_weights(spec, installed)
    assert ours.keys() == tfjs_weights.keys()
    for name, arr in ours.items():
        np.testing.assert_array_equal(arr, tfjs_weights[name])


def test_converter_refuses_an_op_it_does_not_know(installed, tmp_path):
    spec = json.loads((installed / "emotion.json").read_text())
    bad = copy.deepcopy(spec)
    next(n for n in bad["modelTopology"]["node"] if n["op"] == "MaxPool")["op"] = "AvgPool"
    (tmp_path / "emotion.json").write_text(json.dumps(bad))
    (tmp_path / "emotion.bin").write_bytes((installed / "emotion.bin").read_bytes())
    with pytest.raises(ConversionError, match="AvgPool"):
        convert_tfjs_to_onnx(tmp_path / "emotion.json")


def test_converter_refuses_a_truncated_weights_file(installed, tmp_path):
    (tmp_path / "emotion.json").write_text((installed / "emotion.json").read_text())
    (tmp_path / "emotion.bin").write_bytes((installed / "emotion.bin").read_bytes()[:-4])
    with pytest.raises(ConversionError, match="too short"):
        convert_tfjs_to_onnx(tmp_path / "emotion.json")
