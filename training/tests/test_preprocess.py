import numpy as np
import pytest
from scipy import signal

from ecgtriage.data import read_wfdb16
from ecgtriage.preprocess import (PreprocessError, default_spec, preprocess, resample, to_windows, window_starts,
                                  zscore)


def test_default_spec_matches_the_typescript_shape():
    s = default_spec(100)
    assert s == {"version": 1, "targetRateHz": 100, "windowSamples": 1000,
                 "bandpass": {"lowHz": 0.5, "highHz": 40.0, "order": 2}, "notch": None,
                 "standardise": {"kind": "per-lead-zscore", "eps": 1e-6},
                 "windowing": {"policy": "windows", "maxWindows": 6}}
    assert default_spec(500)["windowSamples"] == 5000


def test_real_record_500_to_100_hz_is_exactly_the_scipy_chain(data_root):
    x, present, fs = read_wfdb16(data_root / "ptbxl" / "records500" / "00000" / "00001_hr.hea")
    assert fs == 500 and x.shape == (12, 5000) and all(present)
    spec = default_spec(100)
    out = preprocess(x, fs, spec)
    y = signal.resample_poly(x, 1, 5, axis=-1)
    y = signal.sosfiltfilt(signal.butter(2, [0.5, 40.0], btype="bandpass", fs=100, output="sos"), y, axis=-1)
    y = (y - y.mean(-1, keepdims=True)) / (y.std(-1, keepdims=True) + 1e-6)
    assert out.windows.shape == (1, 12, 1000) and not out.padded
    np.testing.assert_allclose(out.windows[0], y, rtol=0, atol=1e-12)
    np.testing.assert_allclose(out.windows[0].mean(-1), 0, atol=1e-9)
    np.testing.assert_allclose(out.windows[0].std(-1), 1, atol=1e-4)  # eps 1e-6 vs std ~0.05 mV


def test_resample_uses_the_reduced_ratio():
    x = np.random.default_rng(0).normal(size=(12, 3000))  # 300 Hz -> 500 Hz: up 5, down 3
    np.testing.assert_allclose(resample(x, 300, 500), signal.resample_poly(x, 5, 3, axis=-1))
    assert resample(x, 500, 500) is not x


def test_notch_is_applied_when_the_spec_asks():
    t = np.arange(5000) / 500
    x = np.tile(np.sin(2 * np.pi * 50 * t) + np.sin(2 * np.pi * 5 * t), (12, 1))
    spec = {**default_spec(500), "bandpass": None, "standardise": {"kind": "none"}, "notch": {"freqHz": 50, "q": 30}}
    y = preprocess(x, 500, spec).windows[0]
    b, a = signal.iirnotch(50, 30, 500)
    np.testing.assert_allclose(y, signal.filtfilt(b, a, x, axis=-1))


def test_zscore_flat_lead_is_zero_not_nan():
    x = np.vstack([np.ones((1, 100)), np.arange(100.0)[None]])
    z = zscore(x, 1e-6)
    assert np.all(z[0] == 0) and np.isfinite(z).all()


def test_windows_hop_end_alignment_padding_and_cap():
    assert window_starts(1000, 1000, 6) == [0]
    assert window_starts(2500, 1000, 6) == [0, 1000, 1500]  # last aligned to the end
    assert window_starts(3000, 1000, 6) == [0, 1000, 2000]
    assert window_starts(10_000, 1000, 4) == [0, 1000, 2000, 3000]
    x = np.arange(24.0).reshape(12, 2)
    w, padded = to_windows(x, 5, 6)
    assert padded and w.shape == (1, 12, 5) and np.all(w[0, :, 2:] == 0) and np.all(w[0, :, :2] == x)


def test_short_record_is_padded_after_standardisation_and_missing_leads_are_zero():
    x = np.random.default_rng(1).normal(size=(12, 700))
    present = [True] * 12
    present[7] = False
    out = preprocess(x * 5 + 3, 100, default_spec(100), present)
    assert out.padded and out.missing_leads == ["V2"]
    w = out.windows[0]
    assert np.all(w[:, 700:] == 0)
    assert np.all(w[7] == 0)
    np.testing.assert_allclose(w[0, :700].std(), 1, atol=1e-5)  # standardised before padding


@pytest.mark.parametrize("bad,msg", [(np.zeros((11, 100)), "expected \\(12, N\\)"), (np.full((12, 100), np.nan), "NaN")])
def test_bad_input_raises_a_typed_error_naming_the_record(bad, msg):
    with pytest.raises(PreprocessError, match=msg) as e:
        preprocess(bad, 100, default_spec(100), place="rec-42")
    assert "rec-42" in str(e.value)
