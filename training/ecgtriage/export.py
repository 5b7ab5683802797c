"""Export a trained model to ONNX (opset 17) with its manifest (src/shared/manifest.ts, field for field).

Layout: models/<id>/<version>/{model.onnx, manifest.json}. Input 'ecg' (batch, 12, W); outputs 'logits'
(batch, C), 'features' (batch, 512, T'), 'embedding' (batch, 512). The head's Gemm keeps the Linear layer's
initializer names (head.weight (C, 512), head.bias (C,)); they are looked up in the exported graph, not assumed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import onnx
import torch
from torch import nn

from . import labels as L
from .model import STAGE_CHANNELS, count_params, feature_length
from .preprocess import LEADS

IDS = {"tier3": "triage-tier3", "tier4": "triage-tier4", "aha": "aha-codes"}
THRESHOLD_RULE_TIERS = ("most severe tier: largest threshold on P(tier >= it) with validation sensitivity >= 0.9; other "
                        "non-normal tiers k: Youden's J on validation for (tier >= k) vs P(tier >= k); clipped to [0.1, 0.9]")
RETRAIN = "cd training && /usr/bin/python3 -m ecgtriage.train_all --ptbxl <PTB-XL root> [--sph <SPH root>]"


class ExportError(RuntimeError):
    pass


def export_onnx(model: nn.Module, window: int, path: Path) -> None:
    model = model.cpu().eval()
    dummy = torch.zeros(1, 12, window)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        model, dummy, str(path), opset_version=17, input_names=["ecg"],
        output_names=["logits", "features", "embedding"], do_constant_folding=True,
        dynamic_axes={"ecg": {0: "batch"}, "logits": {0: "batch"}, "features": {0: "batch"}, "embedding": {0: "batch"}},
    )


def head_initializers(path: Path, n_classes: int) -> dict:
    """Finds the Gemm producing 'logits' and the names of its weight/bias initializers (checked by shape)."""
    g = onnx.load(str(path)).graph
    inits = {i.name: list(i.dims) for i in g.initializer}
    for node in g.node:
        if "logits" in node.output:
            if node.op_type != "Gemm" or len(node.input) < 3:
                raise ExportError(f"{path}: 'logits' comes from {node.op_type}, expected Gemm(embedding, W, b)")
            w, b = node.input[1], node.input[2]
            trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
            if inits.get(w) != [n_classes, STAGE_CHANNELS[-1]] or trans_b != 1 or inits.get(b) != [n_classes]:
                raise ExportError(f"{path}: head Gemm {w} {inits.get(w)} transB={trans_b}, {b} {inits.get(b)} unexpected")
            return {"weightInitializer": w, "biasInitializer": b, "inFeatures": STAGE_CHANNELS[-1]}
    raise ExportError(f"{path}: no node produces 'logits'")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_for(res, head: dict, onnx_sha: str, file: str = "model.onnx") -> dict:
    cfg, spec = res.cfg, res.spec
    w = spec["windowSamples"]
    c = len(res.classes)
    datasets = [f"PTB-XL v1.0.1 ({'shared subset ecg_id 1-500' if '../shared' in cfg.ptbxl or 'shared/data' in cfg.ptbxl else cfg.ptbxl}, "
                f"{'records500' if cfg.rate >= 500 else 'records100'}, strat_fold 1-8 train / 9 validation / 10 test)"]
    if cfg.sph:
        datasets.append(f"SPH ({cfg.sph}, 80/10/10 split grouped by patient)")
    command = f"cd training && /usr/bin/python3 -m ecgtriage.train --scheme {cfg.scheme} --rate {cfg.rate} --kernel {cfg.kernel} --epochs {cfg.epochs} --export"
    return {
        "schemaVersion": 1,
        "id": IDS[cfg.scheme],
        "version": cfg.version,
        "parentVersion": None,
        "createdAt": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "role": "codes" if cfg.scheme == "aha" else "tier",
        "task": "multi-label" if cfg.scheme == "aha" else "single-label",
        "labelScheme": cfg.scheme,
        "labelMappingVersion": L.LABEL_MAPPING_VERSION,
        "classes": res.classes,
        "architecture": {"name": "ResNet1D-SE", "kernelSize": cfg.kernel, "params": count_params(res.model),
                         "stem": {"kernel": 15, "stride": 2, "channels": 64, "maxPool": [3, 2]},
                         "stageChannels": list(STAGE_CHANNELS), "blocksPerStage": 2, "seReduction": 16, "dropout": 0.5},
        "input": {"name": "ecg", "shape": ["batch", 12, w], "leadOrder": list(LEADS), "units": "mV", "preprocessing": spec},
        "outputs": {"logits": {"name": "logits", "shape": ["batch", c]},
                    "features": {"name": "features", "shape": ["batch", STAGE_CHANNELS[-1], feature_length(w)]},
                    "embedding": {"name": "embedding", "shape": ["batch", STAGE_CHANNELS[-1]]}},
        "head": head,
        "thresholds": res.thresholds,
        "training": {
            "datasets": datasets,
            "records": {"train": res.splits["train"], "validation": res.splits["validation"], "test": res.splits["test"]},
            "notes": (f"Demonstration model trained on {sum(len(v) for v in res.splits.values())} PTB-XL records (shared 500-record "
                      f"subset), NOT for clinical use; retrain on full SPH/PTB-XL with: {RETRAIN}"),
            "command": command,
            "config": {k: v for k, v in vars(cfg).items() if k not in ("ptbxl", "sph", "out", "models_dir")},
            "excludedRecords": res.excluded_records,
            "excludedClasses": res.excluded_classes,
            "thresholdRule": ("per code: F1-maximising threshold on validation (0.05 grid), 0.5 without validation positives"
                              if cfg.scheme == "aha" else
                              THRESHOLD_RULE_TIERS),
            "bestEpoch": res.best_epoch,
            "seconds": round(res.seconds, 1),
            "history": res.history,
        },
        "metrics": res.metrics,
        "intendedUse": ("Research and software demonstration of severity triage / AHA code suggestion from a 12-lead resting ECG. "
                        "Trained on a few hundred records; outputs must be reviewed by a clinician. NOT a medical device, NOT for clinical use."),
        "file": file,
        "sha256": onnx_sha,
    }


def export(res, models_dir: str | None = None) -> Path:
    """Writes models/<id>/<version>/{model.onnx, manifest.json}; returns the folder."""
    cfg = res.cfg
    out = Path(models_dir or cfg.models_dir) / IDS[cfg.scheme] / cfg.version
    onnx_path = out / "model.onnx"
    export_onnx(res.model, res.spec["windowSamples"], onnx_path)
    onnx.checker.check_model(str(onnx_path))
    head = head_initializers(onnx_path, len(res.classes))
    manifest = manifest_for(res, head, sha256(onnx_path))
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return out
