"""Reproduce the label-resolution study on the available data (thesis sections 3.4 and 4), fixing its known
evaluation errors. Runs the shipped ONNX files (models/<id>/<version>/model.onnx, and model.int8.onnx when
present) through the reference runner and writes reports/evaluation.{json,md} + PNG plots.

  cd training && /usr/bin/python3 -m ecgtriage.evaluate [--data ../../shared/data] [--models ../models]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

import numpy as np

from . import arrays
from .cohorts import build_cohorts
from .export import IDS
from .metrics import class_report, confusion_matrix, decide_tiers, multiclass_auc, multilabel_report, one_hot
from .onnx_runner import OnnxRunner, run_batches
from .plots import confusion_png, roc_png
from .preprocess import preprocess
from .report_md import FIXES, clean, write_markdown
from .train import DATA, REPO, probabilities


def score_records(runner: OnnxRunner, cohort, manifest: dict):
    """-> kept records, (n, C) record probabilities (mean over windows), labels, excluded {id: reason}."""
    keys = [c["key"] for c in manifest["classes"]]
    scheme = manifest["labelScheme"]
    x, y, owner, kept, excluded = arrays.build(cohort.records, manifest["input"]["preprocessing"], scheme, keys)
    logits = run_batches(runner, x)["logits"]
    t = manifest.get("temperature", 1.0)
    probs = arrays.per_record(probabilities(logits / t, scheme == "aha"), owner, len(kept))
    labels = np.stack([y[owner == i][0] for i in range(len(kept))])
    return kept, probs, labels, excluded


def tier_metrics(probs: np.ndarray, labels: np.ndarray, manifest: dict) -> dict:
    keys = [c["key"] for c in manifest["classes"]]
    cm = confusion_matrix(labels, probs.argmax(1), len(keys))
    thr = [0.0] + [manifest["thresholds"][k] for k in keys[1:]]
    cm_rule = confusion_matrix(labels, decide_tiers(probs, thr), len(keys))
    auc = multiclass_auc(one_hot(labels, len(keys)), probs)
    rep = class_report(cm)
    for c, p in enumerate(rep["perClass"]):
        p["auc"] = auc["perClass"][c]
    return {"top1": rep, "confusion": cm.tolist(), "auc": {"macro": auc["macro"], "micro": auc["micro"]},
            "decisionRule": {**{k: v for k, v in class_report(cm_rule).items() if k != "perClass"}, "confusion": cm_rule.tolist()}}


def code_metrics(probs: np.ndarray, labels: np.ndarray, manifest: dict) -> dict:
    keys = [c["key"] for c in manifest["classes"]]
    r = multilabel_report(labels, probs, np.array([manifest["thresholds"][k] for k in keys]))
    for k, p in zip(keys, r["perClass"]):
        p["code"] = k
    return r


def timing(runner: OnnxRunner, cohort, spec: dict, n: int = 20) -> dict:
    """Mean ms per ECG (preprocessing + forward, batch 1) over the first n records of a cohort."""
    recs = cohort.records[:n]
    sigs = [(r.signal(), r.fs, r.present) for r in recs]
    t0 = time.perf_counter()
    for s, fs, present in sigs:
        runner.run(preprocess(s, fs, spec, present).windows.astype(np.float32))
    return {"msPerEcg": 1000 * (time.perf_counter() - t0) / max(1, len(sigs)), "n": len(sigs),
            "engine": "Python reference runner (torch ops, 2 threads); the app's onnxruntime figures come from bench/"}


def summary(m: dict, multi: bool) -> dict:
    if multi:
        return {"subsetAccuracy": m["subsetAccuracy"], "hammingAccuracy": m["hammingAccuracy"], "weightedF1": m["weighted"]["f1"],
                "macroF1": m["macro"]["f1"], "microF1": m["micro"]["f1"], "microAUC": m["auc"]["micro"], "n": m["total"]}
    return {"accuracy": m["top1"]["accuracy"], "weightedF1": m["top1"]["weighted"]["f1"], "macroF1": m["top1"]["macro"]["f1"],
            "microAUC": m["auc"]["micro"], "macroAUC": m["auc"]["macro"], "decisionRuleAccuracy": m["decisionRule"]["accuracy"],
            "n": m["top1"]["total"]}


def evaluate_model(model_id: str, models: Path, data: Path, out: Path, version: str = "1.0.0") -> tuple[dict, dict]:
    folder = models / model_id / version
    manifest = json.loads((folder / "manifest.json").read_text())
    multi = manifest["labelScheme"] == "aha"
    keys = [c["key"] for c in manifest["classes"]]
    names = [c["name"] if not multi else c["key"] for c in manifest["classes"]]
    cohorts, seen = build_cohorts(data, manifest["input"]["preprocessing"]["targetRateHz"], manifest)
    variants = {"fp32": folder / manifest["file"]}
    if (folder / "model.int8.onnx").is_file():
        variants["int8"] = folder / "model.int8.onnx"
    res: dict = {"version": manifest["version"], "sha256": manifest["sha256"], "classes": keys, "cohorts": {}, "int8": {},
                 "training": {"records": {k: len(v) for k, v in manifest["training"]["records"].items()},
                              "excludedRecords": manifest["training"].get("excludedRecords", {}),
                              "excludedClasses": manifest["training"].get("excludedClasses", []),
                              "bestEpoch": manifest["training"].get("bestEpoch"), "labelMappingVersion": manifest["labelMappingVersion"]}}
    preds: dict = {}
    for variant, path in variants.items():
        runner = OnnxRunner(path)
        for cohort in cohorts:
            kept, probs, labels, excluded = score_records(runner, cohort, manifest)
            m = code_metrics(probs, labels, manifest) if multi else tier_metrics(probs, labels, manifest)
            if variant == "fp32":
                res["cohorts"][cohort.name] = {"description": cohort.description, "sources": cohort.sources,
                                               "summary": summary(m, multi), "metrics": m,
                                               "excluded": {"count": len(excluded), "records": excluded}}
                preds[cohort.name] = [{"recordId": r.id, "label": (labels[i].astype(int).tolist() if multi else keys[int(labels[i])]),
                                       "aha": r.aha, "probs": [round(float(p), 6) for p in probs[i]]} for i, r in enumerate(kept)]
                stem = f"{model_id}-{cohort.name}"
                roc_png(labels.astype(int) if multi else one_hot(labels, len(keys)), probs, names, f"{model_id}: {cohort.name}", out / f"{stem}-roc.png")
                if not multi:
                    confusion_png(np.array(m["confusion"]), names, f"{model_id}: {cohort.name} (top-1)", out / f"{stem}-confusion.png")
                if cohort.name == "internal":
                    res["timing"] = timing(runner, cohort, manifest["input"]["preprocessing"])
            else:
                base = res["cohorts"][cohort.name]["summary"]
                s = summary(m, multi)
                top = np.array([p["probs"] for p in preds[cohort.name]])
                agree = float(np.mean(top.argmax(1) == probs.argmax(1))) if not multi else float(np.mean((top >= 0.5) == (probs >= 0.5)))
                res["int8"][cohort.name] = {"summary": s, "delta": {k: s[k] - base[k] for k in s if k != "n"}, "agreementWithFp32": agree}
    res["seenTrainingCodes"] = sorted(seen, key=int)
    return res, preds


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=str(DATA))
    p.add_argument("--models", default=str(REPO / "models"))
    p.add_argument("--out", default=str(REPO / "reports"))
    p.add_argument("--ids", nargs="*", default=list(IDS.values()))
    a = p.parse_args(argv)
    out = Path(a.out)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    import torch

    torch.set_num_threads(2)
    report = {"generatedAt": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
              "command": "cd training && /usr/bin/python3 -m ecgtriage.evaluate", "fixes": FIXES, "models": {}, "predictions": {}}
    for model_id in a.ids:
        res, preds = evaluate_model(model_id, Path(a.models), Path(a.data), out / "figures")
        report["models"][model_id] = res
        report["predictions"][model_id] = preds
        print(f"[evaluate] {model_id}: " + json.dumps({c: v["summary"] for c, v in res["cohorts"].items()}), flush=True)
    report = clean(report)
    (out / "evaluation.json").write_text(json.dumps(report, indent=1, allow_nan=False) + "\n")
    write_markdown(report, out / "evaluation.md")
    print(f"[evaluate] wrote {out / 'evaluation.json'} and {out / 'evaluation.md'}")


if __name__ == "__main__":
    main()
