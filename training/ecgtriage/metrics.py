"""Metric functions (numpy), with the same conventions as src/shared/metrics (sklearn-compatible):
0/0 -> 0 (zero_division=0), AUC with ties by the trapezoid over distinct thresholds (= Mann-Whitney with
mid-ranks), NaN AUC when a class has no positives or no negatives, micro AUC over the flattened (N*C) problem.
"""
from __future__ import annotations

import numpy as np


def safe_div(a: float, b: float) -> float:
    return 0.0 if b == 0 else float(a) / float(b)


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """(N) true, (N) predicted class indices -> (C, C) counts; M[t, p] = cases of true t predicted p."""
    y_true, y_pred = np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"confusion_matrix: {y_true.shape} labels vs {y_pred.shape} predictions")
    if y_true.size and (min(y_true.min(), y_pred.min()) < 0 or max(y_true.max(), y_pred.max()) >= n_classes):
        raise ValueError(f"confusion_matrix: a label is outside [0, {n_classes})")
    m = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(m, (y_true, y_pred), 1)
    return m


def prf(tp: float, fp: float, fn: float) -> dict[str, float]:
    p, r = safe_div(tp, tp + fp), safe_div(tp, tp + fn)
    return {"precision": p, "recall": r, "f1": safe_div(2 * p * r, p + r)}


def class_report(cm: np.ndarray) -> dict:
    """(C, C) counts -> per-class precision/recall/F1/support, macro, support-weighted averages, accuracy."""
    per = []
    for c in range(cm.shape[0]):
        tp = cm[c, c]
        per.append({**prf(tp, cm[:, c].sum() - tp, cm[c, :].sum() - tp), "support": int(cm[c, :].sum())})
    sup = np.array([p["support"] for p in per], dtype=float)
    avg = lambda k, w: safe_div(sum(wi * p[k] for wi, p in zip(w, per)), float(np.sum(w)))  # noqa: E731
    ones = np.ones(len(per))
    return {
        "perClass": per,
        "macro": {k: avg(k, ones) for k in ("precision", "recall", "f1")},
        "weighted": {k: avg(k, sup) for k in ("precision", "recall", "f1")},
        "accuracy": safe_div(np.trace(cm), cm.sum()),
        "total": int(cm.sum()),
    }


def roc_curve(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(N) {0,1}, (N) scores -> fpr, tpr, thresholds at each distinct score (descending), starting at (0, 0)."""
    y, s = np.asarray(y, dtype=float).ravel(), np.asarray(s, dtype=float).ravel()
    order = np.argsort(-s, kind="mergesort")
    y, s = y[order], s[order]
    last = np.r_[np.where(np.diff(s))[0], y.size - 1]  # index of the last case at each distinct score
    tps = np.cumsum(y)[last]
    fps = (last + 1) - tps
    p, n = y.sum(), y.size - y.sum()
    tpr = np.r_[0.0, tps / p] if p else np.full(last.size + 1, np.nan)
    fpr = np.r_[0.0, fps / n] if n else np.full(last.size + 1, np.nan)
    return fpr, tpr, np.r_[np.inf, s[last]]


def roc_auc(y: np.ndarray, s: np.ndarray) -> float:
    """ROC AUC; ties count one half (trapezoid). NaN when only one class is present."""
    y = np.asarray(y, dtype=float).ravel()
    if y.size == 0 or y.sum() == 0 or y.sum() == y.size:
        return float("nan")
    fpr, tpr, _ = roc_curve(y, s)
    return float(np.trapz(tpr, fpr))


def multiclass_auc(y_true: np.ndarray, scores: np.ndarray) -> dict:
    """(N, C) {0,1}, (N, C) scores -> one-vs-rest AUC per class, macro over defined classes, micro (flattened)."""
    per = [roc_auc(y_true[:, c], scores[:, c]) for c in range(y_true.shape[1])]
    defined = [v for v in per if not np.isnan(v)]
    return {"perClass": per, "macro": float(np.mean(defined)) if defined else float("nan"),
            "micro": roc_auc(y_true.ravel(), scores.ravel())}


def one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    out = np.zeros((len(labels), n_classes), dtype=np.int64)
    out[np.arange(len(labels)), np.asarray(labels, dtype=int)] = 1
    return out


def cumulative(probs: np.ndarray) -> np.ndarray:
    """(N, C) tier probabilities -> (N, C) P(tier >= k)."""
    return np.cumsum(probs[:, ::-1], axis=1)[:, ::-1]


def decide_tiers(probs: np.ndarray, thresholds: list[float]) -> np.ndarray:
    """(N, C) probs, (C) thresholds (index 0 unused) -> (N) tier: most severe k with P(tier >= k) >= t_k, else 0."""
    cum = cumulative(probs)
    out = np.zeros(len(probs), dtype=int)
    for k in range(1, probs.shape[1]):  # ascending, so the most severe reaching its threshold wins
        out[cum[:, k] >= thresholds[k]] = k
    return out


def youden_threshold(y: np.ndarray, s: np.ndarray) -> float | None:
    """Threshold maximising TPR - FPR (first maximum at the highest threshold); None when undefined."""
    y = np.asarray(y)
    if y.sum() == 0 or y.sum() == y.size:
        return None
    fpr, tpr, thr = roc_curve(y, s)
    i = int(np.argmax(tpr[1:] - fpr[1:])) + 1
    return float(thr[i])


def sensitivity_threshold(y: np.ndarray, s: np.ndarray, min_sensitivity: float) -> float | None:
    """Largest threshold whose sensitivity (s >= t among positives) reaches min_sensitivity; None without positives."""
    pos = np.sort(np.asarray(s, dtype=float)[np.asarray(y) == 1])[::-1]
    if pos.size == 0:
        return None
    return float(pos[int(np.ceil(min_sensitivity * pos.size)) - 1])


def multilabel_report(y: np.ndarray, scores: np.ndarray, thresholds: np.ndarray) -> dict:
    """(N, C) {0,1}, (N, C) scores, (C) thresholds -> per-class PRF + AUC, micro/macro/weighted, accuracies.

    subsetAccuracy: exact match of the whole label set (sklearn accuracy_score on indicator matrices);
    hammingAccuracy: fraction of (case, class) cells right; sampleJaccard: mean |Y & P| / |Y | P| per case.
    """
    pred = (scores >= thresholds[None, :]).astype(int)
    y = y.astype(int)
    tp, fp, fn = (pred & y).sum(0), (pred & (1 - y)).sum(0), ((1 - pred) & y).sum(0)
    auc = multiclass_auc(y, scores)
    per = [{**prf(tp[c], fp[c], fn[c]), "support": int(y[:, c].sum()), "auc": auc["perClass"][c]} for c in range(y.shape[1])]
    sup = y.sum(0).astype(float)
    union = (pred | y).sum(1)
    inter = (pred & y).sum(1)
    return {
        "perClass": per,
        "micro": prf(tp.sum(), fp.sum(), fn.sum()),
        "macro": {k: float(np.mean([p[k] for p in per])) for k in ("precision", "recall", "f1")},
        "weighted": {k: safe_div(sum(s * p[k] for s, p in zip(sup, per)), sup.sum()) for k in ("precision", "recall", "f1")},
        "subsetAccuracy": float(np.mean((pred == y).all(1))) if len(y) else 0.0,
        "hammingAccuracy": float(np.mean(pred == y)) if y.size else 0.0,
        "sampleJaccard": float(np.mean(np.where(union == 0, 1.0, inter / np.maximum(union, 1)))) if len(y) else 0.0,
        "auc": {"macro": auc["macro"], "micro": auc["micro"]},
        "total": int(len(y)),
    }


def best_f1_threshold(y: np.ndarray, s: np.ndarray, grid: np.ndarray | None = None) -> float | None:
    """Threshold on a grid maximising F1; among tied grid points the middle one (a plateau's centre is less
    fragile on a small validation set than its edge). None when y has no positives."""
    if np.sum(y) == 0:
        return None
    grid = np.round(np.arange(0.05, 0.951, 0.05), 2) if grid is None else grid
    f1s = [prf(*(lambda p: (np.sum(p & (y == 1)), np.sum(p & (y == 0)), np.sum(~p & (y == 1))))(s >= t))["f1"] for t in grid]
    best = np.flatnonzero(np.isclose(f1s, np.max(f1s)))
    return float(grid[best[len(best) // 2]])
