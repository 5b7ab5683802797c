"""Records -> model arrays: preprocessed windows and targets for one label scheme."""
from __future__ import annotations

from collections import Counter

import numpy as np

from . import labels as L
from .data import DataError, Record
from .preprocess import PreprocessError, preprocess


def classes_for(scheme: str, train: list[Record], min_positives: int) -> tuple[list[dict], list[dict]]:
    """Output classes [{key, name}] of a scheme and (aha only) the catalog codes left out for too few positives."""
    if scheme in ("tier3", "tier4"):
        return [{"key": t["key"], "name": t["name"]} for t in L.tiers_of(scheme)], []
    counts = Counter(c for r in train for c in r.aha)
    keep, excluded = [], []
    for code in L.TRAINING_CODES:  # catalog order = the 44 SPH primary codes
        name = L.code_info(code)["name"]
        (keep if counts[code] >= min_positives else excluded).append(
            {"key": code, "name": name} if counts[code] >= min_positives else {"key": code, "name": name, "trainPositives": counts[code]})
    return keep, excluded


def target_of(rec: Record, scheme: str, keys: list[str]) -> np.ndarray | int | None:
    """Tier index (single-label) or (C,) multi-hot (aha); None when the record cannot be labelled."""
    if scheme == "aha":
        if not rec.aha:
            return None
        return np.array([1.0 if k in rec.aha else 0.0 for k in keys], dtype=np.float32)
    t = rec.tier(scheme)
    return None if t == L.UNMAPPED else keys.index(t)


def build(records: list[Record], spec: dict, scheme: str, keys: list[str], *, all_windows: bool = True):
    """-> X (M, 12, W) float32 windows, y (M,) int or (M, C) float32, owner (M,) record index into `kept`,
    kept records, excluded {id: reason}. A record that cannot be labelled or read is excluded, never half-used."""
    xs, ys, owner, kept, excluded = [], [], [], [], {}
    for rec in records:
        y = target_of(rec, scheme, keys)
        if y is None:
            excluded[rec.id] = "no mapped label (codes: " + ",".join(rec.aha + rec.unmapped) + ")"
            continue
        try:
            p = preprocess(rec.signal(), rec.fs, spec, rec.present, place=rec.path or rec.id)
        except (DataError, PreprocessError) as e:
            excluded[rec.id] = str(e)
            continue
        w = p.windows if all_windows else p.windows[:1]
        xs.append(w.astype(np.float32))
        ys.extend([y] * len(w))
        owner.extend([len(kept)] * len(w))
        kept.append(rec)
    if not xs:
        raise DataError("records", f"no usable record for scheme {scheme} ({len(excluded)} excluded)")
    y_arr = np.stack(ys).astype(np.float32) if scheme == "aha" else np.asarray(ys, dtype=np.int64)
    return np.concatenate(xs), y_arr, np.asarray(owner), kept, excluded


def per_record(probs: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """(M, C) window probabilities -> (n, C) record probabilities (mean over each record's windows)."""
    out = np.zeros((n, probs.shape[1]))
    np.add.at(out, owner, probs)
    return out / np.bincount(owner, minlength=n)[:, None]
