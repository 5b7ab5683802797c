"""Smoke: a tiny real training run (a few PTB-XL records, 1 epoch, 2 s windows) -> ONNX export -> checker ->
manifest fields as src/shared/manifest.ts requires."""
import hashlib
import json
import re

import numpy as np
import onnx
import pytest
import torch
from onnx import numpy_helper

from ecgtriage.export import export
from ecgtriage.train import parse_args, train

MANIFEST_KEYS = {"schemaVersion", "id", "version", "parentVersion", "createdAt", "role", "task", "labelScheme",
                 "labelMappingVersion", "classes", "architecture", "input", "outputs", "head", "thresholds",
                 "training", "metrics", "intendedUse", "file", "sha256"}


@pytest.fixture(scope="module", params=["tier4", "aha"])
def exported(request, tmp_path_factory, data_root):
    out = tmp_path_factory.mktemp(request.param)
    cfg = parse_args(["--scheme", request.param, "--epochs", "1", "--max-records", "40", "--window-seconds", "2",
                      "--min-positives", "2", "--ptbxl", str(data_root / "ptbxl"), "--out", str(out)])
    res = train(cfg, log=lambda *_: None)
    folder = export(res, str(out / "models"))
    return res, folder, json.loads((folder / "manifest.json").read_text())


def test_manifest_fields(exported):
    res, folder, m = exported
    assert set(m) == MANIFEST_KEYS
    assert m["schemaVersion"] == 1 and m["version"] == "1.0.0" and m["parentVersion"] is None
    assert m["id"] == {"tier4": "triage-tier4", "aha": "aha-codes"}[res.cfg.scheme]
    assert (m["role"], m["task"]) == (("tier", "single-label") if res.cfg.scheme == "tier4" else ("codes", "multi-label"))
    assert m["input"] == {"name": "ecg", "shape": ["batch", 12, 200], "units": "mV", "preprocessing": res.spec,
                          "leadOrder": ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]}
    assert m["outputs"]["features"]["shape"] == ["batch", 512, 7]
    assert m["sha256"] == hashlib.sha256((folder / m["file"]).read_bytes()).hexdigest()
    assert re.match(r"^\d{4}-\d\d-\d\dT", m["createdAt"])
    keys = [c["key"] for c in m["classes"]]
    if m["role"] == "tier":
        assert keys == ["normal", "minor", "major", "critical"]
        assert set(m["thresholds"]) == {"minor", "major", "critical"}
    else:
        assert set(m["thresholds"]) == set(keys) and all(k.isdigit() for k in keys)
        assert {c["key"] for c in m["training"]["excludedClasses"]}.isdisjoint(keys)
    assert all(0 <= t <= 1 for t in m["thresholds"].values())
    recs = m["training"]["records"]
    assert recs["train"] and recs["validation"] and not set(recs["train"]) & set(recs["test"])
    assert "NOT for clinical use" in m["training"]["notes"]
    stats = m["metrics"]["embeddingStats"]
    assert len(stats["mean"]) == len(stats["var"]) == 512 and stats["threshold"] > 0


def test_onnx_is_valid_and_head_initializers_hold_the_linear_layer(exported):
    res, folder, m = exported
    model = onnx.load(str(folder / "model.onnx"))
    onnx.checker.check_model(model)
    assert model.opset_import[0].version == 17
    assert [i.name for i in model.graph.input] == ["ecg"]
    assert [o.name for o in model.graph.output] == ["logits", "features", "embedding"]
    batch = model.graph.input[0].type.tensor_type.shape.dim[0]
    assert batch.dim_param == "batch"
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    w, b = inits[m["head"]["weightInitializer"]], inits[m["head"]["biasInitializer"]]
    np.testing.assert_array_equal(w, res.model.head.weight.detach().numpy())
    np.testing.assert_array_equal(b, res.model.head.bias.detach().numpy())
    assert m["head"]["inFeatures"] == 512


def test_training_history_and_split_integrity(exported):
    res, _folder, _m = exported
    assert len(res.history) == 1 and np.isfinite(res.history[0]["trainLoss"])
    with torch.no_grad():
        out = res.model(torch.zeros(2, 12, 200))
    assert out[0].shape == (2, len(res.classes))


def test_reference_runner_reproduces_pytorch_on_the_exported_file(exported):
    from ecgtriage.onnx_runner import OnnxRunner

    res, folder, m = exported
    x = np.random.default_rng(3).normal(size=(3, 12, 200)).astype(np.float32)
    out = OnnxRunner(folder / "model.onnx").run(x)
    with torch.no_grad():
        logits, feats, emb = res.model.eval()(torch.from_numpy(x))
    np.testing.assert_allclose(out["logits"], logits.numpy(), atol=1e-4, rtol=1e-4)
    np.testing.assert_allclose(out["features"], feats.numpy(), atol=1e-4, rtol=1e-4)
    np.testing.assert_allclose(out["embedding"], emb.numpy(), atol=1e-4, rtol=1e-4)


def test_int8_qdq_model_is_valid_close_and_keeps_a_float_head(exported):
    from ecgtriage.onnx_runner import OnnxRunner
    from ecgtriage.quantize import act_params, quantize_model

    assert act_params(-1.0, 3.0) == (4.0 / 255, 64)
    _res, folder, m = exported
    x = np.random.default_rng(4).normal(size=(8, 12, 200)).astype(np.float32)
    src = onnx.load(str(folder / "model.onnx"))
    acts = {t for n in src.graph.node if n.op_type == "Conv" for t in (n.input[0], n.output[0])}
    kept = OnnxRunner(folder / "model.onnx").run(x, keep=acts)
    q = quantize_model(src, {t: (float(kept[t].min()), float(kept[t].max())) for t in acts})
    onnx.checker.check_model(q)
    ops = {n.op_type for n in q.graph.node}
    assert {"QuantizeLinear", "DequantizeLinear"} <= ops
    inits = {i.name: i for i in q.graph.initializer}
    assert inits[m["head"]["weightInitializer"]].data_type == onnx.TensorProto.FLOAT
    assert any(i.data_type == onnx.TensorProto.INT8 for i in q.graph.initializer)
    path = folder / "model.int8.onnx"
    onnx.save(q, str(path))
    got = OnnxRunner(path).run(x)
    scale = np.abs(kept["logits"]).max()
    assert np.abs(got["logits"] - kept["logits"]).max() < 0.1 * scale + 0.05  # int8 error, not a different model
    assert np.abs(got["logits"] - kept["logits"]).max() > 0  # the quantisation really happened
    assert path.stat().st_size < 0.5 * (folder / "model.onnx").stat().st_size
