"""A minimal ONNX interpreter over torch ops, for the operators our exported graphs use (fp32 and QDQ int8).

Python onnxruntime is not available here, so evaluation and quantisation calibration run the shipped .onnx
files through this: what is evaluated is the exact file the app loads (BN folded, QDQ nodes and all). The
Node-side parity test checks the same files in onnxruntime against PyTorch.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

_QTYPES = {onnx.TensorProto.UINT8: (0, 255), onnx.TensorProto.INT8: (-128, 127), onnx.TensorProto.INT32: (-2**31, 2**31 - 1)}


class OnnxRunError(RuntimeError):
    pass


def _attrs(node: onnx.NodeProto) -> dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _bshape(scale: torch.Tensor, x: torch.Tensor, axis: int) -> torch.Tensor:
    """Per-axis (C,) quantisation parameters broadcast against x along `axis`."""
    if scale.dim() == 0:
        return scale
    shape = [1] * x.dim()
    shape[axis] = -1
    return scale.reshape(shape)


class OnnxRunner:
    def __init__(self, path: str | Path):
        self.model = onnx.load(str(path))
        g = self.model.graph
        self.inits = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in g.initializer}
        self.qtype = {i.name: i.data_type for i in g.initializer}
        for n in g.node:  # output element type of QuantizeLinear = its zero point's type
            if n.op_type == "QuantizeLinear" and len(n.input) > 2:
                self.qtype[n.output[0]] = self.qtype.get(n.input[2], onnx.TensorProto.UINT8)
        self.outputs = [o.name for o in g.output]

    def run(self, x: np.ndarray, keep: set[str] | None = None) -> dict[str, np.ndarray]:
        """(B, 12, W) float32 -> {output name: array}, plus any intermediate tensor named in `keep`."""
        g = self.model.graph
        env: dict[str, torch.Tensor] = dict(self.inits)
        env[g.input[0].name] = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
        with torch.no_grad():
            for node in g.node:
                ins = [env[i] if i else None for i in node.input]
                env[node.output[0]] = self._op(node, ins)
        want = set(self.outputs) | (keep or set())
        return {k: env[k].numpy() for k in want}

    def _op(self, node: onnx.NodeProto, ins: list) -> torch.Tensor:
        op, a = node.op_type, _attrs(node)
        if op == "Conv":
            pads = a.get("pads", [0, 0])
            if pads[0] != pads[1]:
                raise OnnxRunError(f"{node.name}: asymmetric pads {pads}")
            return F.conv1d(ins[0], ins[1], ins[2] if len(ins) > 2 else None, stride=a.get("strides", [1])[0],
                            padding=pads[0], dilation=a.get("dilations", [1])[0], groups=a.get("group", 1))
        if op == "Relu":
            return torch.relu(ins[0])
        if op == "Sigmoid":
            return torch.sigmoid(ins[0])
        if op == "MaxPool":
            pads = a.get("pads", [0, 0])
            return F.max_pool1d(ins[0], a["kernel_shape"][0], a.get("strides", [1])[0], pads[0], ceil_mode=bool(a.get("ceil_mode", 0)))
        if op == "ReduceMean":
            return ins[0].mean(dim=tuple(a["axes"]), keepdim=bool(a.get("keepdims", 1)))
        if op == "Gemm":
            x, w = ins[0], ins[1]
            x = x.t() if a.get("transA", 0) else x
            w = w.t() if a.get("transB", 0) else w
            y = a.get("alpha", 1.0) * (x @ w)
            return y + a.get("beta", 1.0) * ins[2] if len(ins) > 2 and ins[2] is not None else y
        if op == "Constant":
            return torch.from_numpy(numpy_helper.to_array(a["value"]).copy())
        if op == "Unsqueeze":
            axes = a["axes"] if "axes" in a else [int(v) for v in ins[1].tolist()]
            y = ins[0]
            for ax in sorted(int(v) % (y.dim() + len(axes)) for v in axes):
                y = y.unsqueeze(ax)
            return y
        if op == "Mul":
            return ins[0] * ins[1]
        if op == "Add":
            return ins[0] + ins[1]
        if op == "QuantizeLinear":
            axis = a.get("axis", 1)
            lo, hi = _QTYPES[self.qtype.get(node.output[0], onnx.TensorProto.UINT8)]
            s = _bshape(ins[1].float(), ins[0], axis)
            zp = _bshape(ins[2].double(), ins[0], axis) if len(ins) > 2 else 0.0
            return torch.clamp(torch.round(ins[0].double() / s) + zp, lo, hi)  # round half to even, as ONNX
        if op == "DequantizeLinear":
            axis = a.get("axis", 1)
            s = _bshape(ins[1].double(), ins[0], axis)
            zp = _bshape(ins[2].double(), ins[0], axis) if len(ins) > 2 else 0.0
            return ((ins[0].double() - zp) * s).float()
        raise OnnxRunError(f"operator {op} ({node.name}) is not supported by this runner")


def run_batches(runner: OnnxRunner, x: np.ndarray, batch: int = 64) -> dict[str, np.ndarray]:
    """(M, 12, W) -> outputs concatenated over batches."""
    parts = [runner.run(x[i : i + batch]) for i in range(0, len(x), batch)]
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]} if parts else {}
