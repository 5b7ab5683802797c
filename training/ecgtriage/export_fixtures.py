"""Parity and Grad-CAM fixtures for the Node-side tests (tests/main/parity/onnx-parity.test.ts).

For each exported model and 2 real PTB-XL test records: the preprocessed input window (Python preprocessing),
the PyTorch logits, embedding, a features slice + per-channel sums, and Grad-CAM computed WITH AUTOGRAD
(hook on the last stage, backprop one class logit, weights = mean gradient over time, relu(sum_k w_k A_k)),
raw (T') and upsampled (linear, half-pixel, as F.interpolate align_corners=False) + max-normalised (W).

  cd training && /usr/bin/python3 -m ecgtriage.export_fixtures
writes tests/fixtures/parity/<id>.json and tests/fixtures/gradcam/<id>.json.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .data import load_ptbxl
from .export import IDS
from .model import ResNet1DSE
from .onnx_runner import OnnxRunner
from .preprocess import preprocess
from .train import DATA, REPO

RUNS = REPO / "training" / "runs"
RECORDS_PER_MODEL = 2
FEATURE_SLICE_CHANNELS = 8


def r7(a: np.ndarray) -> list[float]:
    return [float(f"{v:.7g}") for v in np.asarray(a, dtype=np.float64).ravel()]


def gradcam(model: torch.nn.Module, x: torch.Tensor, cls: int) -> tuple[np.ndarray, np.ndarray]:
    """(1, 12, W) input, class index -> raw CAM (T') and upsampled max-normalised CAM (W), by autograd."""
    store: dict[str, torch.Tensor] = {}

    def hook(_m, _i, out: torch.Tensor) -> None:
        out.retain_grad()
        store["A"] = out

    h = model.stages.register_forward_hook(hook)
    try:
        model.zero_grad()
        logits = model(x)[0]
        logits[0, cls].backward()
    finally:
        h.remove()
    a, g = store["A"], store["A"].grad  # (1, 512, T')
    assert g is not None
    weights = g.mean(dim=-1, keepdim=True)  # (1, 512, 1)
    raw = torch.relu((weights * a).sum(dim=1))  # (1, T')
    up = F.interpolate(raw[None], size=x.shape[-1], mode="linear", align_corners=False)[0, 0]  # (W,)
    m = up.max()
    norm = up / m if m > 0 else up
    return raw[0].detach().numpy(), norm.detach().numpy()


def pick_records(manifest: dict, recs) -> list:
    """A normal and the most severe available test record (tier models), or the two test records with most codes."""
    test = set(manifest["training"]["records"]["test"])
    cands = [r for r in recs if r.id in test]
    if manifest["role"] == "tier":
        scheme = manifest["labelScheme"]
        keys = [c["key"] for c in manifest["classes"]]
        normal = next(r for r in cands if r.tier(scheme) == "normal")
        worst = max(cands, key=lambda r: keys.index(r.tier(scheme)) if r.tier(scheme) in keys else -1)
        return [normal, worst]
    keys = {c["key"] for c in manifest["classes"]}
    return sorted(cands, key=lambda r: -len(keys & set(r.aha)))[:RECORDS_PER_MODEL]


def fixture_for(model_id: str, version: str = "1.0.0", runs: Path = RUNS) -> tuple[dict, dict]:
    folder = REPO / "models" / model_id / version
    manifest = json.loads((folder / "manifest.json").read_text())
    scheme = manifest["labelScheme"]
    spec = manifest["input"]["preprocessing"]
    run = runs / f"{scheme}-r{spec['targetRateHz']}-k{manifest['architecture']['kernelSize']}"
    model = ResNet1DSE(len(manifest["classes"]), manifest["architecture"]["kernelSize"])
    model.load_state_dict(torch.load(run / "model.pt"))
    model.eval()
    # the saved PyTorch weights must be the ones exported to model.onnx (checked numerically, not by file dates)
    probe = np.random.default_rng(0).normal(size=(2, 12, spec["windowSamples"])).astype(np.float32)
    with torch.no_grad():
        ref = model(torch.from_numpy(probe))[0].numpy()
    if not np.allclose(OnnxRunner(folder / manifest["file"]).run(probe)["logits"], ref, atol=1e-4, rtol=1e-4):
        raise SystemExit(f"{run}/model.pt is not the model exported to {folder}/{manifest['file']}; retrain with --export")
    recs = load_ptbxl(DATA / "ptbxl", spec["targetRateHz"])
    parity = {"modelId": model_id, "version": version, "onnxSha256": manifest["sha256"], "window": spec["windowSamples"],
              "classes": [c["key"] for c in manifest["classes"]], "featureSliceChannels": FEATURE_SLICE_CHANNELS, "records": []}
    cams = {"modelId": model_id, "version": version, "onnxSha256": manifest["sha256"],
            "parityFixture": f"tests/fixtures/parity/{model_id}.json", "records": []}
    for rec in pick_records(manifest, recs):
        win = preprocess(rec.signal(), rec.fs, spec, rec.present, rec.path).windows[0]  # (12, W)
        x_np = np.array(r7(win), dtype=np.float32).reshape(1, 12, -1)  # rounded as stored, so both sides see it
        x = torch.from_numpy(x_np)
        with torch.no_grad():
            logits, feats, emb = model(x)
        f = feats[0].numpy()  # (512, T')
        parity["records"].append({
            "recordId": rec.id, "source": str(Path(rec.path).relative_to(DATA.parent)), "aha": rec.aha,
            "input": r7(x_np), "logits": r7(logits[0].numpy()), "embedding": r7(emb[0].numpy()),
            "featureShape": list(f.shape), "featureSlice": r7(f[:FEATURE_SLICE_CHANNELS]), "featureChannelSums": r7(f.sum(1)),
        })
        order = np.argsort(-logits[0].numpy())
        chosen = [int(order[0]), int(order[1])] if manifest["role"] == "codes" else sorted({int(order[0]), len(order) - 1, 0})[:2]
        entry = {"recordId": rec.id, "classes": []}
        for c in chosen:
            raw, norm = gradcam(model, x.clone().requires_grad_(False), c)
            entry["classes"].append({"classIndex": c, "key": parity["classes"][c], "raw": r7(raw), "normalised": r7(norm)})
        cams["records"].append(entry)
    return parity, cams


def main(argv: list[str] | None = None) -> None:
    torch.set_num_threads(2)
    args = list(argv if argv is not None else sys.argv[1:])
    runs = RUNS
    if "--runs" in args:
        i = args.index("--runs")
        runs = Path(args[i + 1])
        del args[i : i + 2]
    for model_id in args or list(IDS.values()):
        parity, cams = fixture_for(model_id, runs=runs)
        for sub, doc in (("parity", parity), ("gradcam", cams)):
            out = REPO / "tests" / "fixtures" / sub / f"{model_id}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(doc) + "\n")
            print(f"wrote {out.relative_to(REPO)} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
