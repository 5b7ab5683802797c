"""Measured trade-off for the default input rate and block kernel: short tier3 runs per (rate, kernel), their
validation weighted F1 / micro AUC, the ONNX file size and the CPU latency per ECG (torch, batch 1, 2 threads,
median of repeated runs after warm-up). Writes training/tradeoff.json and prints a Markdown table.

  cd training && /usr/bin/python3 -m ecgtriage.tradeoff --epochs 5 --configs 100:3 100:5 100:7 500:3
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import torch

from .export import export_onnx
from .model import ResNet1DSE, count_params
from .train import REPO, parse_args, train


def latency_ms(kernel: int, window: int, reps: int = 30) -> float:
    m = ResNet1DSE(3, kernel).eval()
    x = torch.randn(1, 12, window)
    with torch.no_grad():
        for _ in range(5):
            m(x)
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            m(x)
            times.append(1000 * (time.perf_counter() - t))
    return statistics.median(times)


def ort_latency_ms(kernel: int, window: int, reps: int = 50) -> dict:
    """onnxruntime-node latency (the app's engine) of an exported model of this shape; weights do not matter."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "m.onnx"
        export_onnx(ResNet1DSE(3, kernel).eval(), window, path)
        out = subprocess.run(["node", str(Path(__file__).with_name("ort_latency.mjs")), str(path), str(window), str(reps)],
                             capture_output=True, text=True, check=True, cwd=REPO)
        return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--configs", nargs="*", default=["100:3", "100:5", "100:7", "500:3"])
    p.add_argument("--out", default=str(REPO / "training" / "tradeoff.json"))
    p.add_argument("--latency-only", action="store_true", help="re-measure latency of the rows already in --out")
    a = p.parse_args(argv)
    torch.set_num_threads(2)
    rows = json.loads(Path(a.out).read_text()) if Path(a.out).is_file() else []
    if a.latency_only:
        for r in rows:
            w = 10 * r["rateHz"]
            r["ortMedianMs"] = round(ort_latency_ms(r["kernel"], w)["medianMs"], 1)
            r["torchMedianMs"] = round(latency_ms(r["kernel"], w), 1)
            r.pop("latencyMs", None)
            print(json.dumps(r), flush=True)
        Path(a.out).write_text(json.dumps(rows, indent=1) + "\n")
        a.configs = []
    for c in a.configs:
        rate, kernel = (int(v) for v in c.split(":"))
        cfg = parse_args(["--scheme", "tier3", "--rate", str(rate), "--kernel", str(kernel), "--epochs", str(a.epochs),
                          "--out", str(REPO / "training" / "runs" / "tradeoff")])
        res = train(cfg, log=lambda s: print(s, flush=True))
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "m.onnx"
            export_onnx(res.model, res.spec["windowSamples"], path)
            size = path.stat().st_size
        best = max(res.history, key=lambda h: h["valWeightedF1"])
        row = {"rateHz": rate, "kernel": kernel, "epochs": a.epochs, "params": count_params(res.model), "onnxMB": round(size / 2**20, 1),
               "valWeightedF1": round(best["valWeightedF1"], 3), "valMicroAUC": round(best["valMicroAUC"], 3),
               "ortMedianMs": round(ort_latency_ms(kernel, res.spec["windowSamples"])["medianMs"], 1),
               "torchMedianMs": round(latency_ms(kernel, res.spec["windowSamples"]), 1), "trainSeconds": round(res.seconds)}
        rows = [r for r in rows if (r["rateHz"], r["kernel"]) != (rate, kernel)] + [row]
        Path(a.out).write_text(json.dumps(rows, indent=1) + "\n")
        print(json.dumps(row), flush=True)
    print("| rate Hz | kernel | params | ONNX MB | val wF1 | val micro AUC | ORT ms/ECG | torch ms/ECG | train s |\n|---|---|---|---|---|---|---|---|---|")
    for r in sorted(rows, key=lambda r: (r["rateHz"], r["kernel"])):
        print(f"| {r['rateHz']} | {r['kernel']} | {r['params']} | {r['onnxMB']} | {r['valWeightedF1']} | {r['valMicroAUC']} | "
              f"{r.get('ortMedianMs')} | {r.get('torchMedianMs')} | {r['trainSeconds']} |")


if __name__ == "__main__":
    main()
