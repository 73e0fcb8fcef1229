"""Convert the TensorFlow.js graph model of the `human` emotion net to ONNX.

`@vladmandic/human` ships its emotion model (oarriaga's mini-Xception, trained
on FER2013) as a tfjs *graph model*: ``emotion.json`` lists TensorFlow ops
(batch-norm already folded into ``_FusedConv2D``) and a weights manifest;
``emotion.bin`` holds the weights in manifest order, little-endian. We rebuild
the same graph op by op with the ``onnx`` package so onnxruntime can run it
(~1 ms a face; Keras would add ~30 ms of per-call overhead, see
docs/expression-models.md).

Only the ops this model uses are supported; anything else raises, so a new
package version cannot be converted silently wrong.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# Bump when the produced graph changes, so installed models are re-converted.
CONVERTER_VERSION = 1
OPSET = 17
# onnxruntime accepts IR 8 since 1.10; newer onnx would write a newer IR by default.
IR_VERSION = 8
INPUT_NAME = "input"  # NHWC float32, (N, 64, 64, 1), pixels in [-1, 1]
OUTPUT_NAME = "probabilities"  # (N, 7) softmax, FER2013 order

_DTYPES = {"float32": np.float32, "int32": np.int32}


class ConversionError(ValueError):
    """The tfjs model uses something this converter does not understand."""


@dataclass(frozen=True)
class TfjsGraph:
    nodes: list[dict]
    weights: dict[str, np.ndarray]
    input_name: str
    input_shape: tuple[int, ...]  # NHWC with -1 for the batch


def read_tfjs_weights(model_json: dict, weights_dir: Path) -> dict[str, np.ndarray]:
    """Weights of a tfjs model: each manifest group is its files concatenated."""
    weights: dict[str, np.ndarray] = {}
    for group in model_json["weightsManifest"]:
        blob = b"".join((weights_dir / p).read_bytes() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            if "quantization" in spec:
                raise ConversionError(f"quantized weight {spec['name']} is not supported")
            dtype = np.dtype(_DTYPES[spec["dtype"]]).newbyteorder("<")
            count = int(np.prod(spec["shape"], dtype=np.int64))
            size = count * dtype.itemsize
            if offset + size > len(blob):
                raise ConversionError(f"weights file too short at {spec['name']}")
            arr = np.frombuffer(blob, dtype=dtype, count=count, offset=offset)
            weights[spec["name"]] = arr.astype(dtype.newbyteorder("=")).reshape(spec["shape"])
            offset += size
        if offset != len(blob):
            raise ConversionError(f"{len(blob) - offset} unread bytes in {group['paths']}")
    return weights


def load_tfjs_graph(model_json_path: Path) -> TfjsGraph:
    model_json = json.loads(model_json_path.read_text())
    if model_json.get("format") != "graph-model":
        raise ConversionError(f"expected a tfjs graph-model, got {model_json.get('format')!r}")
    nodes = model_json["modelTopology"]["node"]
    placeholders = [n for n in nodes if n["op"] == "Placeholder"]
    if len(placeholders) != 1:
        raise ConversionError("expected exactly one input placeholder")
    dims = placeholders[0]["attr"]["shape"]["shape"]["dim"]
    shape = tuple(int(d["size"]) for d in dims)
    weights = read_tfjs_weights(model_json, model_json_path.parent)
    return TfjsGraph(nodes, weights, placeholders[0]["name"], shape)


def _attr_str(node: dict, key: str) -> str:
    return base64.b64decode(node["attr"][key]["s"]).decode()


def _attr_ints(node: dict, key: str) -> list[int]:
    return [int(i) for i in node["attr"][key]["list"]["i"]]


def _same_pads(size: int, kernel: int, stride: int) -> tuple[int, int, int]:
    """TensorFlow's SAME padding: extra pixel goes at the end (ONNX SAME_UPPER)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return out, total // 2, total - total // 2


def _spatial(node: dict, hw: tuple[int, int], kernel: tuple[int, int]) -> tuple[dict, tuple]:
    """ONNX strides/pads for a TF NHWC window op, and the output (H, W)."""
    if _attr_str(node, "data_format") != "NHWC":
        raise ConversionError(f"{node['name']}: only NHWC is supported")
    if "dilations" in node["attr"] and any(d != 1 for d in _attr_ints(node, "dilations")):
        raise ConversionError(f"{node['name']}: dilated ops are not supported")
    strides = _attr_ints(node, "strides")[1:3]
    padding = _attr_str(node, "padding")
    begins, ends, out = [], [], []
    for size, k, s in zip(hw, kernel, strides, strict=True):
        if padding == "SAME":
            o, b, e = _same_pads(size, k, s)
        elif padding == "VALID":
            o, b, e = (size - k) // s + 1, 0, 0
        else:
            raise ConversionError(f"{node['name']}: padding {padding} is not supported")
        begins.append(b)
        ends.append(e)
        out.append(o)
    return {"strides": strides, "pads": begins + ends}, tuple(out)


class _Builder:
    """Walks the tfjs nodes in order, emitting ONNX nodes on NCHW tensors."""

    def __init__(self, graph: TfjsGraph) -> None:
        self.g = graph
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self.shapes: dict[str, tuple[int, ...]] = {}  # tensor -> (C, H, W) or (C,)
        self.output: str | None = None

    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def conv(self, node: dict, x: str, w_hwio: np.ndarray, group: int, bias: str | None,
             out: str) -> None:
        kh, kw = w_hwio.shape[:2]
        attrs, out_hw = _spatial(node, self.shapes[x][1:], (kh, kw))
        w_name = self.const(node["name"] + "/W", np.ascontiguousarray(w_hwio.transpose(3, 2, 0, 1)))
        inputs = [x, w_name] + ([bias] if bias else [])
        self.nodes.append(helper.make_node(
            "Conv", inputs, [out], kernel_shape=[kh, kw], group=group, **attrs))
        self.shapes[out] = (w_hwio.shape[3],) + out_hw

    def fused_conv2d(self, node: dict) -> None:
        x, w, b = node["input"][:3]
        ops = [base64.b64decode(s).decode() for s in node["attr"]["fused_ops"]["list"]["s"]]
        if ops not in (["BiasAdd"], ["BiasAdd", "Relu"]) or int(node["attr"]["num_args"]["i"]) != 1:
            raise ConversionError(f"{node['name']}: fused ops {ops} are not supported")
        bias = self.const(node["name"] + "/B", self.g.weights[b].astype(np.float32))
        out = node["name"]
        if ops[-1] == "Relu":
            self.conv(node, x, self.g.weights[w], 1, bias, out + ":conv")
            self.nodes.append(helper.make_node("Relu", [out + ":conv"], [out]))
            self.shapes[out] = self.shapes[out + ":conv"]
        else:
            self.conv(node, x, self.g.weights[w], 1, bias, out)

    def depthwise(self, node: dict) -> None:
        x, w = node["input"][:2]
        kernel = self.g.weights[w]  # (kh, kw, in, multiplier)
        kh, kw, cin, mult = kernel.shape
        # TF output channel c*mult+m == ONNX grouped conv with `cin` groups.
        hwio = kernel.reshape(kh, kw, 1, cin * mult)
        self.conv(node, x, hwio, cin, None, node["name"])

    def max_pool(self, node: dict) -> None:
        x = node["input"][0]
        ksize = _attr_ints(node, "ksize")[1:3]
        attrs, out_hw = _spatial(node, self.shapes[x][1:], tuple(ksize))
        # ONNX MaxPool ignores padded cells, like TF's SAME max pooling.
        self.nodes.append(helper.make_node("MaxPool", [x], [node["name"]], kernel_shape=ksize, **attrs))
        self.shapes[node["name"]] = (self.shapes[x][0],) + out_hw

    def mean(self, node: dict) -> None:
        x, axes = node["input"][:2]
        if sorted(self.g.weights[axes].tolist()) != [1, 2] or node["attr"]["keep_dims"]["b"]:
            raise ConversionError(f"{node['name']}: only a spatial mean without keep_dims")
        pooled = node["name"] + ":gap"
        self.nodes.append(helper.make_node("GlobalAveragePool", [x], [pooled]))
        self.nodes.append(helper.make_node("Flatten", [pooled], [node["name"]], axis=1))
        self.shapes[node["name"]] = (self.shapes[x][0],)

    def simple(self, node: dict, op: str, **attrs) -> None:
        self.nodes.append(helper.make_node(op, list(node["input"]), [node["name"]], **attrs))
        self.shapes[node["name"]] = self.shapes[node["input"][0]]

    def build(self) -> onnx.ModelProto:
        _, h, w, c = self.g.input_shape
        self.nodes.append(helper.make_node("Transpose", [INPUT_NAME], [self.g.input_name], perm=[0, 3, 1, 2]))
        self.shapes[self.g.input_name] = (c, h, w)
        for node in self.g.nodes:
            op = node["op"]
            if op in ("Const", "Placeholder"):
                continue
            handler = {
                "_FusedConv2D": self.fused_conv2d,
                "DepthwiseConv2dNative": self.depthwise,
                "MaxPool": self.max_pool,
                "Mean": self.mean,
                "AddV2": lambda n: self.simple(n, "Add"),
                "Relu": lambda n: self.simple(n, "Relu"),
                "Softmax": lambda n: self.simple(n, "Softmax", axis=-1),
                "Identity": lambda n: self.simple(n, "Identity"),
            }.get(op)
            if handler is None:
                raise ConversionError(f"{node['name']}: op {op} is not supported")
            handler(node)
            self.output = node["name"]
        assert self.output is not None
        n_out = self.shapes[self.output][0]
        self.nodes.append(helper.make_node("Identity", [self.output], [OUTPUT_NAME]))
        graph = helper.make_graph(
            self.nodes, "human_emotion",
            [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["batch", h, w, c])],
            [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["batch", n_out])],
            initializer=self.inits,
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="igemoji.human_convert",
                                  producer_version=str(CONVERTER_VERSION))
        model.ir_version = IR_VERSION
        onnx.checker.check_model(model, full_check=True)
        return model


def convert_tfjs_to_onnx(model_json_path: Path) -> onnx.ModelProto:
    """The ONNX equivalent of a tfjs graph model (NHWC input kept, as tfjs had it)."""
    return _Builder(load_tfjs_graph(model_json_path)).build()
