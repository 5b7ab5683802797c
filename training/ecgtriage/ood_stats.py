"""(Re)compute a shipped model's out-of-distribution statistics from its ONNX file and write them into its
manifest as metrics.embeddingStats (see train.embedding_stats and src/main/inference/ood.ts). Used for models
exported before the statistics existed; the ONNX file (and so the manifest's sha256) is unchanged.

  cd training && /usr/bin/python3 -m ecgtriage.ood_stats [ids...]
"""
from __future__ import annotations

import json
import sys

import numpy as np

from . import arrays
from .data import load_ptbxl
from .export import IDS
from .onnx_runner import OnnxRunner, run_batches
from .train import DATA, REPO


def stats_for(model_id: str, version: str = "1.0.0") -> dict:
    folder = REPO / "models" / model_id / version
    manifest = json.loads((folder / "manifest.json").read_text())
    spec = manifest["input"]["preprocessing"]
    train = set(manifest["training"]["records"]["train"])
    recs = [r for r in load_ptbxl(DATA / "ptbxl", spec["targetRateHz"]) if r.id in train]
    keys = [c["key"] for c in manifest["classes"]]
    x = arrays.build(recs, spec, manifest["labelScheme"], keys)[0]
    e = run_batches(OnnxRunner(folder / manifest["file"]), x)["embedding"].astype(np.float64)  # (M, 512)
    mu, var = e.mean(0), np.maximum(e.var(0), 1e-8)
    d = np.sqrt((((e - mu) ** 2) / var).mean(1))
    r = lambda v: [float(f"{a:.6g}") for a in v]  # noqa: E731
    stats = {"mean": r(mu), "var": r(var), "threshold": float(f"{np.percentile(d, 99):.6g}"), "n": int(len(e))}
    manifest["metrics"]["embeddingStats"] = stats
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return stats


def main(argv: list[str] | None = None) -> None:
    import torch

    torch.set_num_threads(2)
    for model_id in (argv if argv is not None else sys.argv[1:]) or list(IDS.values()):
        s = stats_for(model_id)
        print(f"[ood_stats] {model_id}: n {s['n']}, threshold {s['threshold']}")


if __name__ == "__main__":
    main()
