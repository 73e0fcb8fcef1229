"""best.pt -> vgg48.onnx (float16 weights, float32 input/output) + manifest.json.

The manifest holds the file's sha256, the training record, and reference faces
with the probabilities PyTorch gives them, so the service's tests can check the
ONNX file against the trained model without PyTorch (within 1e-3).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import helper, numpy_helper

from training.expression.net import Vgg48, parameter_count

TOLERANCE = 1e-3


class _WithSoftmax(torch.nn.Module):
    def __init__(self, net: torch.nn.Module):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.softmax(self.net(x), dim=1)


def _float16_weights(model: onnx.ModelProto) -> onnx.ModelProto:
    """Store every float32 initializer as float16 behind a Cast back to float32:
    half the file, and onnxruntime folds the casts once when the session is built."""
    graph = model.graph
    casts, keep = [], []
    for init in graph.initializer:
        if init.data_type != onnx.TensorProto.FLOAT:
            keep.append(init)
            continue
        half = numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name + "_fp16")
        keep.append(half)
        casts.append(helper.make_node("Cast", [half.name], [init.name], to=onnx.TensorProto.FLOAT))
    del graph.initializer[:]
    graph.initializer.extend(keep)
    nodes = list(graph.node)
    del graph.node[:]
    graph.node.extend(casts + nodes)
    onnx.checker.check_model(model)
    return model


def reference_faces() -> np.ndarray:
    """A few 48x48 grey faces from an open-licence picture (skimage's astronaut, public
    domain, NASA): the face and shifted/flipped copies. Never FER2013 images."""
    from PIL import Image

    path = os.environ.get("ASTRONAUT_PNG")
    if not path:
        import skimage.data

        rgb = skimage.data.astronaut()
    else:
        rgb = np.asarray(Image.open(path).convert("RGB"))
    grey = np.asarray(Image.fromarray(rgb).convert("L"), dtype=np.float32)
    faces = []
    for x, y, s in ((172, 60, 104), (166, 52, 116), (180, 70, 92)):
        crop = Image.fromarray(grey[y : y + s, x : x + s]).resize((48, 48), Image.Resampling.BOX)
        faces.append(np.asarray(crop, dtype=np.float32))
    faces.append(faces[0][:, ::-1])
    return np.round(np.stack(faces)[:, None]).astype(np.float32)


def export(checkpoint: Path, out: Path, which: str = "model", data: Path | None = None) -> Path:
    """which: "model" (best.pt holds the EMA weights there; last.pt the live ones) or "ema"
    (last.pt's EMA). With ``data`` the PublicTest accuracy is measured again for the manifest."""
    ck = torch.load(checkpoint, weights_only=False)
    net = Vgg48()
    net.load_state_dict(ck[which])
    net.eval()
    if data is not None:
        from training.expression import data as fer_data
        from training.expression.train import evaluate

        arrays = fer_data.load(data)
        ck["val"] = evaluate(net, arrays["x_val"], arrays["y_val"].astype(np.int64))
    model = _WithSoftmax(net).eval()
    buf = io.BytesIO()
    torch.onnx.export(
        model, (torch.zeros(1, 1, 48, 48),), buf, input_names=["faces"], output_names=["probs"],
        dynamic_axes={"faces": {0: "n"}, "probs": {0: "n"}}, opset_version=17, dynamo=False,
    )
    onnx_model = _float16_weights(onnx.load_from_string(buf.getvalue()))
    data = onnx_model.SerializeToString()

    faces = reference_faces()
    with torch.no_grad():
        want = model(torch.from_numpy(faces)).numpy()
    got = ort.InferenceSession(data, providers=["CPUExecutionProvider"]).run(None, {"faces": faces})[0]
    diff = float(np.abs(got - want).max())
    if diff > TOLERANCE:
        raise SystemExit(f"ONNX and PyTorch differ by {diff:.2e} > {TOLERANCE}")

    out.mkdir(parents=True, exist_ok=True)
    (out / "vgg48.onnx").write_bytes(data)
    manifest = {
        "model": "VGG48",
        "onnx_sha256": hashlib.sha256(data).hexdigest(),
        "parameters": parameter_count(net),
        "input": "faces: (N, 1, 48, 48) float32 grey levels 0..255",
        "output": "probs: (N, 7) float32, classes angry disgust fear happy sad surprise neutral",
        "trained": {"config": ck["config"], "epoch": ck["epoch"], "checkpoint": f"{checkpoint.name}:{which}",
                    "publictest_accuracy_flip": round(ck["val"]["acc"], 4),
                    "publictest_per_class": {k: round(v, 4) for k, v in ck["val"]["per_class"].items()}},
        "reference": {"tolerance": TOLERANCE, "onnx_vs_torch_max_diff": diff,
                      "faces": faces[:, 0].astype(int).tolist(), "probs": want.round(6).tolist()},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {out / 'vgg48.onnx'} ({len(data) / 1e6:.1f} MB), ONNX vs torch max diff {diff:.1e}")
    return out / "vgg48.onnx"
