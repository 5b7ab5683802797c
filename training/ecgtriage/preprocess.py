"""Preprocessing, exactly as src/shared/preprocess-spec.ts describes it (the TypeScript twin is tested against
these same scipy calls, so every step here is one plain scipy/numpy call with no extra cleverness).

Order: resample -> band-pass -> notch -> per-lead z-score -> missing leads zero -> windows.
All arrays are float64 (12, N) in millivolts, lead order I, II, III, aVR, aVL, aVF, V1..V6.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import gcd
from typing import Any

import numpy as np
from scipy import signal

LEADS = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")


class PreprocessError(ValueError):
    """Input that cannot be preprocessed; the message names the record and the problem."""


def default_spec(target_rate_hz: int = 100, seconds: float = 10.0, max_windows: int = 6) -> dict[str, Any]:
    """The spec dict written into each manifest (field names match PreprocessSpec in TypeScript)."""
    # At 100 Hz the Nyquist frequency is 50 Hz: 40 Hz keeps the band-pass edge well below it (< 45 Hz).
    return {
        "version": 1,
        "targetRateHz": int(target_rate_hz),
        "windowSamples": int(round(seconds * target_rate_hz)),
        "bandpass": {"lowHz": 0.5, "highHz": 40.0, "order": 2},
        "notch": None,
        "standardise": {"kind": "per-lead-zscore", "eps": 1e-6},
        "windowing": {"policy": "windows", "maxWindows": int(max_windows)},
    }


def resample(x: np.ndarray, source_hz: float, target_hz: float) -> np.ndarray:
    """(L, N) at source_hz -> (L, ceil(N * target/source)) with resample_poly over the reduced integer ratio."""
    if source_hz == target_hz:
        return x.astype(np.float64, copy=True)
    if source_hz != int(source_hz) or target_hz != int(target_hz):
        raise PreprocessError(f"resample: rates must be whole Hz, got {source_hz} -> {target_hz}")
    g = gcd(int(target_hz), int(source_hz))
    up, down = int(target_hz) // g, int(source_hz) // g
    return signal.resample_poly(x.astype(np.float64), up, down, axis=-1)


def bandpass(x: np.ndarray, fs: float, low: float, high: float, order: int) -> np.ndarray:
    """(L, N) -> (L, N): zero-phase Butterworth band-pass (sosfiltfilt)."""
    if not 0 < low < high < fs / 2:
        raise PreprocessError(f"bandpass: need 0 < {low} < {high} < Nyquist {fs / 2} Hz")
    sos = signal.butter(order, [low, high], btype="bandpass", fs=fs, output="sos")
    return signal.sosfiltfilt(sos, x, axis=-1)


def notch(x: np.ndarray, fs: float, freq: float, q: float) -> np.ndarray:
    """(L, N) -> (L, N): zero-phase IIR notch (iirnotch + filtfilt)."""
    b, a = signal.iirnotch(freq, q, fs)
    return signal.filtfilt(b, a, x, axis=-1)


def zscore(x: np.ndarray, eps: float) -> np.ndarray:
    """(L, N) -> (L, N): per-lead (x - mean) / (std + eps) over the whole record, ddof 0, float64."""
    mean = x.mean(axis=-1, keepdims=True)
    std = x.std(axis=-1, keepdims=True)
    return (x - mean) / (std + eps)


def window_starts(n: int, w: int, max_windows: int) -> list[int]:
    """Start indices: hop w, the last window aligned to the end; a record shorter than w gives [0] (padded).
    When there are more than max_windows, the first max_windows are kept (the record's beginning)."""
    if n <= w:
        return [0]
    starts = list(range(0, n - w + 1, w))
    if starts[-1] + w < n:
        starts.append(n - w)
    return starts[:max_windows]


def to_windows(x: np.ndarray, w: int, max_windows: int) -> tuple[np.ndarray, bool]:
    """(L, N) -> (K, L, w) float64 and whether the (single) window was zero-padded at the end."""
    n = x.shape[-1]
    if n < w:
        out = np.zeros((1, x.shape[0], w), dtype=np.float64)
        out[0, :, :n] = x
        return out, True
    return np.stack([x[:, s : s + w] for s in window_starts(n, w, max_windows)]), False


@dataclass
class Preprocessed:
    windows: np.ndarray  # (K, 12, W) float64
    padded: bool
    missing_leads: list[str]


def preprocess(
    x: np.ndarray, fs: float, spec: dict[str, Any], present: list[bool] | None = None, place: str = "record"
) -> Preprocessed:
    """(12, N) mV at fs -> Preprocessed windows (K, 12, W). `present[i]` False marks lead i as missing: it is
    zero-filled after standardisation so that garbage in an absent lead never reaches the model."""
    if x.ndim != 2 or x.shape[0] != 12:
        raise PreprocessError(f"{place}: expected (12, N) samples, got shape {x.shape}")
    if x.shape[1] < 2:
        raise PreprocessError(f"{place}: record has {x.shape[1]} samples")
    if not np.all(np.isfinite(x)):
        raise PreprocessError(f"{place}: contains NaN or infinite samples")
    target = spec["targetRateHz"]
    y = resample(x, fs, target)  # (12, N) -> (12, N')
    bp = spec["bandpass"]
    if bp is not None:
        y = bandpass(y, target, bp["lowHz"], bp["highHz"], bp["order"])
    nt = spec["notch"]
    if nt is not None:
        y = notch(y, target, nt["freqHz"], nt["q"])
    st = spec["standardise"]
    if st["kind"] == "per-lead-zscore":
        y = zscore(y, st["eps"])
    missing = [] if present is None else [LEADS[i] for i, p in enumerate(present) if not p]
    for i, lead in enumerate(LEADS):
        if lead in missing:
            y[i, :] = 0.0
    windows, padded = to_windows(y, spec["windowSamples"], spec["windowing"]["maxWindows"])
    return Preprocessed(windows, padded, missing)
