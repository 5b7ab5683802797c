"""Static QDQ int8 quantisation with the `onnx` package only (no onnxruntime in Python here).

For every Conv: its input activation and its output get QuantizeLinear -> DequantizeLinear (uint8, asymmetric,
min/max calibrated on training windows); its weight is stored as int8 per output channel (symmetric, axis 0)
behind a DequantizeLinear; its bias as int32 with scale = input scale * weight scale. The SE and head Gemms stay
float: they are tiny, and the head must keep float32 initializers named head.weight / head.bias so that local
fine-tuning and Grad-CAM read and rewrite them unchanged. onnxruntime fuses DQ -> Conv -> Q into int8 kernels.

  cd training && /usr/bin/python3 -m ecgtriage.quantize    # writes models/<id>/1.0.0/model.int8.onnx
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from . import arrays
from .data import load_ptbxl
from .export import IDS
from .onnx_runner import OnnxRunner
from .train import DATA, REPO

CALIBRATION_WINDOWS = 96


def act_params(lo: float, hi: float) -> tuple[float, int]:
    """uint8 asymmetric scale / zero point covering [min(lo, 0), max(hi, 0)]."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = (hi - lo) / 255.0 or 1.0
    return float(scale), int(np.clip(round(-lo / scale), 0, 255))


def quantize_model(model: onnx.ModelProto, ranges: dict[str, tuple[float, float]]) -> onnx.ModelProto:
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    convs = [n for n in g.node if n.op_type == "Conv"]
    acts = {t for n in convs for t in (n.input[0], n.output[0])}
    new_inits: list[onnx.TensorProto] = []
    qdq_after: dict[str, list[onnx.NodeProto]] = {}
    act_scale: dict[str, float] = {}
    for t in sorted(acts):
        s, zp = act_params(*ranges[t])
        act_scale[t] = s
        new_inits += [numpy_helper.from_array(np.array(s, dtype=np.float32), f"{t}_scale"),
                      numpy_helper.from_array(np.array(zp, dtype=np.uint8), f"{t}_zp")]
        qdq_after[t] = [helper.make_node("QuantizeLinear", [t, f"{t}_scale", f"{t}_zp"], [f"{t}_q"]),
                        helper.make_node("DequantizeLinear", [f"{t}_q", f"{t}_scale", f"{t}_zp"], [f"{t}_dq"])]
    drop: set[str] = set()
    for n in convs:
        w = numpy_helper.to_array(inits[n.input[1]]).astype(np.float64)  # (Cout, Cin, k)
        ws = np.abs(w).reshape(w.shape[0], -1).max(1) / 127.0
        ws[ws == 0] = 1.0
        wq = np.clip(np.round(w / ws[:, None, None]), -127, 127).astype(np.int8)
        base = n.input[1]
        new_inits += [numpy_helper.from_array(wq, f"{base}_q"), numpy_helper.from_array(ws.astype(np.float32), f"{base}_scale"),
                      numpy_helper.from_array(np.zeros(len(ws), np.int8), f"{base}_zp")]
        qdq_after.setdefault(n.input[0], [])  # (already there)
        deq = [helper.make_node("DequantizeLinear", [f"{base}_q", f"{base}_scale", f"{base}_zp"], [f"{base}_dq"], axis=0)]
        drop.add(base)
        inputs = [f"{n.input[0]}_dq", f"{base}_dq"]
        if len(n.input) > 2 and n.input[2]:
            b = numpy_helper.to_array(inits[n.input[2]]).astype(np.float64)
            bs = (act_scale[n.input[0]] * ws.astype(np.float32).astype(np.float64))
            bq = np.round(b / bs).astype(np.int32)
            bb = n.input[2]
            new_inits += [numpy_helper.from_array(bq, f"{bb}_q"), numpy_helper.from_array(bs.astype(np.float32), f"{bb}_scale"),
                          numpy_helper.from_array(np.zeros(len(bs), np.int32), f"{bb}_zp")]
            deq.append(helper.make_node("DequantizeLinear", [f"{bb}_q", f"{bb}_scale", f"{bb}_zp"], [f"{bb}_dq"], axis=0))
            drop.add(bb)
            inputs.append(f"{bb}_dq")
        n.ClearField("input")
        n.input.extend(inputs)
        qdq_after.setdefault(f"__before__{n.output[0]}", []).extend(deq)
    # rewire every other consumer of a quantised activation to its dequantised copy (the tensor *is* int8 now)
    for n in g.node:
        if n.op_type == "Conv":
            continue
        for i, name in enumerate(n.input):
            if name in acts:
                n.input[i] = f"{name}_dq"
    nodes: list[onnx.NodeProto] = []
    nodes += qdq_after.get(g.input[0].name, [])
    for n in g.node:
        if n.op_type == "Conv":
            nodes += qdq_after.get(f"__before__{n.output[0]}", [])
        nodes.append(n)
        for out in n.output:
            if out != g.input[0].name:
                nodes += qdq_after.get(out, [])
    g.ClearField("node")
    g.node.extend(nodes)
    keep = [i for i in g.initializer if i.name not in drop]
    g.ClearField("initializer")
    g.initializer.extend(keep + new_inits)
    return model


def calibration(manifest: dict, n: int = CALIBRATION_WINDOWS) -> np.ndarray:
    spec = manifest["input"]["preprocessing"]
    recs = load_ptbxl(DATA / "ptbxl", spec["targetRateHz"])
    train = set(manifest["training"]["records"]["train"])
    chosen = [r for r in recs if r.id in train][:n]
    keys = [c["key"] for c in manifest["classes"]]
    return arrays.build(chosen, spec, manifest["labelScheme"], keys)[0][:n]


def quantize(model_id: str, version: str = "1.0.0") -> dict:
    folder = REPO / "models" / model_id / version
    manifest = json.loads((folder / "manifest.json").read_text())
    src = folder / manifest["file"]
    x = calibration(manifest)
    model = onnx.load(str(src))
    acts = sorted({t for nd in model.graph.node if nd.op_type == "Conv" for t in (nd.input[0], nd.output[0])})
    runner = OnnxRunner(src)
    ranges: dict[str, list[float]] = {}
    for i in range(0, len(x), 32):
        out = runner.run(x[i : i + 32], keep=set(acts))
        for t in acts:
            lo, hi = float(out[t].min()), float(out[t].max())
            ranges[t] = [min(ranges.get(t, [lo])[0], lo), max(ranges.get(t, [hi, hi])[1], hi)]
    q = quantize_model(model, {k: (v[0], v[1]) for k, v in ranges.items()})
    onnx.checker.check_model(q)
    dst = folder / "model.int8.onnx"
    onnx.save(q, str(dst))
    ref, got = runner.run(x[:16])["logits"], OnnxRunner(dst).run(x[:16])["logits"]
    info = {"file": dst.name, "sha256": hashlib.sha256(dst.read_bytes()).hexdigest(), "bytes": dst.stat().st_size,
            "method": "static QDQ: Conv weights int8 per channel (symmetric), activations uint8 min/max, bias int32; Gemms float",
            "calibrationWindows": int(len(x)), "maxAbsLogitChange": float(np.abs(ref - got).max()),
            "top1Agreement": float(np.mean(ref.argmax(1) == got.argmax(1)))}
    return info


def main(argv: list[str] | None = None) -> None:
    import torch

    torch.set_num_threads(2)
    for model_id in (argv if argv is not None else sys.argv[1:]) or list(IDS.values()):
        info = quantize(model_id)
        print(f"[quantize] {model_id}: {json.dumps(info)}", flush=True)
        (REPO / "models" / model_id / "1.0.0" / "int8.json").write_text(json.dumps(info, indent=1) + "\n")


if __name__ == "__main__":
    main()
