"""Recompute a shipped model's default thresholds from its validation records with the current rule
(train.choose_thresholds) and write them into the manifest. The ONNX file (and the manifest's sha256) is
unchanged; used when the threshold rule changes after export.

  cd training && /usr/bin/python3 -m ecgtriage.thresholds [ids...]
"""
from __future__ import annotations

import json
import sys

from . import arrays
from .data import load_ptbxl
from .export import IDS, THRESHOLD_RULE_TIERS
from .onnx_runner import OnnxRunner, run_batches
from .train import DATA, REPO, choose_thresholds, probabilities


def refresh(model_id: str, version: str = "1.0.0") -> dict[str, float]:
    folder = REPO / "models" / model_id / version
    manifest = json.loads((folder / "manifest.json").read_text())
    spec, scheme = manifest["input"]["preprocessing"], manifest["labelScheme"]
    keys = [c["key"] for c in manifest["classes"]]
    val = set(manifest["training"]["records"]["validation"])
    recs = [r for r in load_ptbxl(DATA / "ptbxl", spec["targetRateHz"]) if r.id in val]
    x, y, owner, kept, _ex = arrays.build(recs, spec, scheme, keys, all_windows=False)
    probs = arrays.per_record(probabilities(run_batches(OnnxRunner(folder / manifest["file"]), x)["logits"], scheme == "aha"), owner, len(kept))
    manifest["thresholds"] = choose_thresholds(scheme, keys, probs, y)
    if scheme != "aha":
        manifest["training"]["thresholdRule"] = THRESHOLD_RULE_TIERS
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest["thresholds"]


def main(argv: list[str] | None = None) -> None:
    import torch

    torch.set_num_threads(2)
    for model_id in (argv if argv is not None else sys.argv[1:]) or ["triage-tier3", "triage-tier4"]:
        print(f"[thresholds] {model_id}: {refresh(model_id)}")


if __name__ == "__main__":
    main()
