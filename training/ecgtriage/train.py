"""Train one ResNet1D-SE for one label scheme (thesis section 3.3) and optionally export it.

  /usr/bin/python3 -m ecgtriage.train --scheme tier3 --epochs 40 --export   (run from training/)

AdamW(wd 1e-5) + OneCycleLR(max_lr 1e-3); weighted cross-entropy (tiers) or BCEWithLogits with capped
pos_weight (aha); early stopping on validation weighted F1 (patience 10); AMP + CUDA when available.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np
import torch
from torch import nn

from . import arrays
from .data import Record, load_ptbxl, load_sph
from .metrics import (best_f1_threshold, class_report, confusion_matrix, cumulative, multiclass_auc, multilabel_report, one_hot,
                      sensitivity_threshold, youden_threshold)
from .model import ResNet1DSE, count_params
from .preprocess import default_spec

REPO = Path(__file__).resolve().parents[2]
DATA = (REPO / ".." / "shared" / "data").resolve()


@dataclass
class Config:
    scheme: str = "tier3"  # tier3 | tier4 | aha
    rate: int = 100
    kernel: int = 3
    epochs: int = 30
    patience: int = 10
    batch_size: int = 32
    max_lr: float = 1e-3
    weight_decay: float = 1e-5
    min_positives: int = 5  # aha: a catalog code needs this many train positives to become an output
    pos_weight_cap: float = 20.0
    augment: bool = True
    seed: int = 7
    threads: int = 2
    max_records: int = 0  # 0 = all
    window_seconds: float = 10.0
    ptbxl: str = str(DATA / "ptbxl")
    sph: str = ""  # full SPH root (metadata.csv + records/); empty = not used
    out: str = str(REPO / "training" / "runs")
    export: bool = False
    version: str = "1.0.0"
    models_dir: str = str(REPO / "models")


@dataclass
class TrainResult:
    cfg: Config
    spec: dict
    classes: list[dict]
    excluded_classes: list[dict]
    model: nn.Module
    thresholds: dict[str, float]
    splits: dict[str, list[str]]
    excluded_records: dict[str, str]
    history: list[dict] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    seconds: float = 0.0
    best_epoch: int = 0


def parse_args(argv: list[str] | None = None) -> Config:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for f in fields(Config):
        if f.type in ("bool", bool):
            p.add_argument(f"--{f.name.replace('_', '-')}", action=argparse.BooleanOptionalAction, default=f.default)
        else:
            kind = {"int": int, "float": float}.get(str(f.type), str)
            p.add_argument(f"--{f.name.replace('_', '-')}", type=kind, default=f.default)
    cfg = Config(**vars(p.parse_args(argv)))
    if cfg.scheme not in ("tier3", "tier4", "aha"):
        p.error(f"--scheme must be tier3, tier4 or aha, got {cfg.scheme}")
    return cfg


def seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def load_records(cfg: Config) -> list[Record]:
    recs = load_ptbxl(Path(cfg.ptbxl), 500 if cfg.rate >= 500 else 100, cfg.max_records or None)
    if cfg.sph:
        recs += load_sph(Path(cfg.sph), cfg.max_records or None)
    return recs


def predict(model: nn.Module, x: np.ndarray, device: str, batch: int = 64) -> np.ndarray:
    """(M, 12, W) -> (M, C) logits, eval mode, no grad."""
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            out.append(model(torch.from_numpy(x[i : i + batch]).to(device))[0].float().cpu().numpy())
    return np.concatenate(out) if out else np.zeros((0, 0))


def probabilities(logits: np.ndarray, multi: bool) -> np.ndarray:
    if multi:
        return 1.0 / (1.0 + np.exp(-logits))
    e = np.exp(logits - logits.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def score(probs: np.ndarray, y: np.ndarray, multi: bool, thresholds: np.ndarray | None = None) -> dict:
    """Summary metrics of record-level probabilities (argmax for tiers; thresholds (default 0.5) for aha)."""
    if multi:
        t = np.full(probs.shape[1], 0.5) if thresholds is None else thresholds
        r = multilabel_report(y, probs, t)
        return {"weightedF1": r["weighted"]["f1"], "macroF1": r["macro"]["f1"], "subsetAccuracy": r["subsetAccuracy"],
                "hammingAccuracy": r["hammingAccuracy"], "microAUC": r["auc"]["micro"], "n": r["total"]}
    rep = class_report(confusion_matrix(y, probs.argmax(1), probs.shape[1]))
    auc = multiclass_auc(one_hot(y, probs.shape[1]), probs)
    return {"accuracy": rep["accuracy"], "weightedF1": rep["weighted"]["f1"], "macroF1": rep["macro"]["f1"],
            "microAUC": auc["micro"], "n": rep["total"]}


def embedding_stats(model: nn.Module, x: np.ndarray, batch: int = 64) -> dict:
    """Training-window embeddings -> {mean (512), var (512), threshold}: the inference engine's out-of-distribution
    check (src/main/inference/ood.ts) uses the RMS z-score sqrt(mean_k (e_k - mu_k)^2 / var_k); the threshold is
    the 99th percentile of that score over the training windows."""
    model.eval()
    with torch.no_grad():
        e = np.concatenate([model(torch.from_numpy(x[i : i + batch]))[2].numpy() for i in range(0, len(x), batch)])
    mu, var = e.mean(0), np.maximum(e.var(0), 1e-8)
    d = np.sqrt((((e - mu) ** 2) / var).mean(1))
    r = lambda v: [float(f"{a:.6g}") for a in v]  # noqa: E731
    return {"mean": r(mu), "var": r(var), "threshold": float(f"{np.percentile(d, 99):.6g}"), "n": int(len(e))}


URGENT_MIN_SENSITIVITY = 0.9


def choose_thresholds(scheme: str, keys: list[str], probs: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Tier models: the most severe tier (urgent / critical) gets the largest threshold on P(tier >= it) that
    still flags >= 90 % of its validation cases (a triage tool must not miss urgent ECGs); the other non-normal
    tiers k get Youden's J for (tier >= k) vs P(tier >= k). All clipped to [0.1, 0.9] (a tiny validation set must
    not produce a degenerate operating point), 0.5 when undefined.
    aha: per code, the F1-maximising threshold on validation (0.05 grid), 0.5 when validation has no positive."""
    out: dict[str, float] = {}
    if scheme == "aha":
        for c, k in enumerate(keys):
            t = best_f1_threshold(y[:, c], probs[:, c])
            out[k] = 0.5 if t is None else t
        return out
    cum = cumulative(probs)
    last = len(keys) - 1
    for k in range(1, len(keys)):
        yk = (y >= k).astype(int)
        t = sensitivity_threshold(yk, cum[:, k], URGENT_MIN_SENSITIVITY) if k == last else youden_threshold(yk, cum[:, k])
        out[keys[k]] = 0.5 if t is None else float(np.clip(t, 0.1, 0.9))
    return out


def train(cfg: Config, log=print) -> TrainResult:
    t0 = time.time()
    torch.set_num_threads(cfg.threads)
    seed_all(cfg.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    multi = cfg.scheme == "aha"
    spec = default_spec(cfg.rate, cfg.window_seconds)
    recs = load_records(cfg)
    by = {s: [r for r in recs if r.split == s] for s in ("train", "validation", "test")}
    classes, excluded_classes = arrays.classes_for(cfg.scheme, by["train"], cfg.min_positives)
    keys = [c["key"] for c in classes]
    data, excluded = {}, {}
    for s in by:
        x, y, owner, kept, ex = arrays.build(by[s], spec, cfg.scheme, keys, all_windows=(s == "train"))
        data[s] = (x, y, owner, kept)
        excluded.update(ex)
    xtr, ytr = data["train"][0], data["train"][1]
    log(f"[{cfg.scheme}] train {len(xtr)} windows, val {len(data['validation'][0])}, test {len(data['test'][0])}, "
        f"excluded {len(excluded)} records, {len(keys)} classes, device {device}")

    model = ResNet1DSE(len(keys), cfg.kernel).to(device)
    if multi:
        pos = ytr.sum(0)
        pw = np.clip((len(ytr) - pos) / np.maximum(pos, 1), 1.0, cfg.pos_weight_cap)
        loss_fn: nn.Module = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pw, dtype=torch.float32, device=device))
    else:
        counts = np.bincount(ytr, minlength=len(keys)).astype(float)
        w = len(ytr) / (len(keys) * np.maximum(counts, 1))  # inverse frequency ("balanced"), from train counts
        loss_fn = nn.CrossEntropyLoss(weight=torch.tensor(w, dtype=torch.float32, device=device))
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.max_lr, weight_decay=cfg.weight_decay)
    steps = max(1, (len(xtr) + cfg.batch_size - 1) // cfg.batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg.max_lr, total_steps=cfg.epochs * steps)
    scaler = torch.cuda.amp.GradScaler(enabled=device == "cuda")
    gen = np.random.default_rng(cfg.seed)
    xv, yv, ov, kv = data["validation"]
    best, best_state, best_epoch, history = -1.0, None, 0, []
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        order, total = gen.permutation(len(xtr)), 0.0
        for i in range(0, len(order), cfg.batch_size):
            idx = order[i : i + cfg.batch_size]
            if len(idx) < 2:
                continue  # BatchNorm needs more than one sample
            xb = xtr[idx]
            if cfg.augment:  # amplitude scaling and light noise (z-scored units); no time warping
                xb = xb * gen.uniform(0.8, 1.2, (len(idx), 12, 1)).astype(np.float32)
                xb = xb + gen.normal(0, 0.05, xb.shape).astype(np.float32)
            xb_t = torch.from_numpy(np.ascontiguousarray(xb)).to(device)
            yb = torch.from_numpy(ytr[idx]).to(device)
            with torch.autocast(device_type=device, enabled=device == "cuda"):
                loss = loss_fn(model(xb_t)[0].float(), yb)
            opt.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
            sched.step()
            total += float(loss) * len(idx)
        pv = arrays.per_record(probabilities(predict(model, xv, device), multi), ov, len(kv))
        m = score(pv, yv if multi else yv, multi)
        history.append({"epoch": epoch, "trainLoss": total / len(xtr), **{f"val{k[0].upper()}{k[1:]}": v for k, v in m.items() if k != "n"}})
        log(f"[{cfg.scheme}] epoch {epoch} loss {total / len(xtr):.4f} val wF1 {m['weightedF1']:.3f} microAUC {m['microAUC']:.3f}")
        if m["weightedF1"] > best:
            best, best_epoch = m["weightedF1"], epoch
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        elif epoch - best_epoch >= cfg.patience:
            log(f"[{cfg.scheme}] early stop at epoch {epoch} (best {best_epoch})")
            break
    assert best_state is not None
    model.load_state_dict(best_state)
    model = model.cpu().eval()
    pv = arrays.per_record(probabilities(predict(model, xv, "cpu"), multi), ov, len(kv))
    thresholds = choose_thresholds(cfg.scheme, keys, pv, yv)
    xt, yt, ot, kt = data["test"]
    pt = arrays.per_record(probabilities(predict(model, xt, "cpu"), multi), ot, len(kt))
    tvec = np.array([thresholds[k] for k in keys]) if multi else None
    metrics = {"validation": score(pv, yv, multi, tvec), "internalTest": score(pt, yt, multi, tvec),
               "bestEpoch": best_epoch, "epochsRun": len(history), "embeddingStats": embedding_stats(model, xtr)}
    splits = {s: [r.id for r in data[s][3]] for s in data}
    return TrainResult(cfg, spec, classes, excluded_classes, model, thresholds, splits, excluded, history, metrics,
                       time.time() - t0, best_epoch)


def main(argv: list[str] | None = None) -> TrainResult:
    cfg = parse_args(argv)
    res = train(cfg)
    run_dir = Path(cfg.out) / f"{cfg.scheme}-r{cfg.rate}-k{cfg.kernel}"
    run_dir.mkdir(parents=True, exist_ok=True)
    torch.save(res.model.state_dict(), run_dir / "model.pt")
    (run_dir / "result.json").write_text(json.dumps({"config": asdict(cfg), "metrics": res.metrics, "history": res.history,
                                                     "thresholds": res.thresholds, "seconds": res.seconds,
                                                     "params": count_params(res.model)}, indent=1))
    brief = {k: v for k, v in res.metrics.items() if k != "embeddingStats"}
    print(f"[{cfg.scheme}] done in {res.seconds:.0f} s: {json.dumps(brief)}", flush=True)
    if cfg.export:
        from .export import export

        folder = export(res)
        # ties this state dict to the exported file, so export_fixtures never pairs a model with a stale ONNX
        manifest = json.loads((folder / "manifest.json").read_text())
        (run_dir / "exported.json").write_text(json.dumps({"folder": str(folder), "sha256": manifest["sha256"]}))
        print(f"[{cfg.scheme}] exported {folder}", flush=True)
    return res


if __name__ == "__main__":
    main()
