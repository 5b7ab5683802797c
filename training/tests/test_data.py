import shutil

import numpy as np
import pytest

from ecgtriage.data import DataError, load_cinc, load_ptbxl, load_sph, read_cinc, read_header, read_wfdb16


def test_ptbxl_record_values_leads_and_labels(data_root):
    recs = load_ptbxl(data_root / "ptbxl", 100)
    assert len(recs) == 500
    r = recs[0]
    assert r.id == "ptbxl-1" and r.split == "train" and r.fs == 100
    x = r.signal()
    assert x.shape == (12, 1000)
    # first samples of 00001_lr.dat are (adc - 0) / 1000 mV, lead I and aVR (written 'AVR')
    assert x[0, 0] == pytest.approx(-0.119) and x[3, 0] == pytest.approx(0.086)
    assert "1" in r.aha  # NORM
    splits = [q.split for q in recs]
    assert splits.count("train") == 353 and splits.count("validation") == 81 and splits.count("test") == 66


def test_ptbxl_500_hz_matches_100_hz_after_downsampling(data_root):
    hr, _, _ = read_wfdb16(data_root / "ptbxl" / "records500" / "00000" / "00001_hr.hea")
    lr, _, _ = read_wfdb16(data_root / "ptbxl" / "records100" / "00000" / "00001_lr.hea")
    assert hr.shape == (12, 5000)
    # PTB-XL's 100 Hz files are a decimation of the 500 Hz ones: same signal, broadly
    assert np.corrcoef(hr[1, ::5], lr[1])[0, 1] > 0.95


def test_ptbxl_heart_axis_becomes_an_aha_code(data_root):
    recs = load_ptbxl(data_root / "ptbxl", 100)
    axis = [r for r in recs if "121" in r.aha]
    assert axis, "some of the first 500 PTB-XL records have left axis deviation (heart_axis LAD/ALAD)"


def test_sph_loader(data_root):
    recs = load_sph(data_root / "sph")
    assert [r.id for r in recs] == ["sph-SPH00001", "sph-SPH00002", "sph-SPH00003", "sph-SPH00004"]
    assert recs[0].aha == ["22", "23"] and recs[0].tier("tier3") == "non-urgent"
    x = recs[1].signal()
    assert x.shape == (12, 6000) and x.dtype == np.float64 and np.abs(x).max() < 20


def test_cinc_loader_reads_header_gain_and_snomed(data_root):
    recs = load_cinc(data_root / "cinc")
    assert len(recs) == 70
    r = next(q for q in recs if q.id == "cinc-A0002")
    assert r.source_labels == ["426783006"] and r.aha == ["1"]
    x, present, fs, dx = read_cinc(data_root / "cinc" / "CPSC_CPSC-Extra" / "A0002.hea")
    assert fs == 500 and x.shape == (12, 5000) and all(present)
    from scipy.io import loadmat
    val = loadmat(str(data_root / "cinc" / "CPSC_CPSC-Extra" / "A0002.mat"))["val"]
    np.testing.assert_allclose(x[6], val[6] / 1000.0)  # V1, gain 1000/mV
    assert {q.fs for q in recs} == {500.0, 1000.0}


def test_broken_files_raise_data_errors_naming_the_file(tmp_path, data_root):
    src = data_root / "ptbxl" / "records100" / "00000"
    shutil.copy(src / "00001_lr.hea", tmp_path / "00001_lr.hea")
    (tmp_path / "00001_lr.dat").write_bytes((src / "00001_lr.dat").read_bytes()[:1000])
    with pytest.raises(DataError, match="00001_lr.dat.*header says"):
        read_wfdb16(tmp_path / "00001_lr.hea")
    (tmp_path / "bad.hea").write_text("bad 12 100 1000\nbad.dat 16 1000/mV 16 0 0 0 0 XX\n")
    with pytest.raises(DataError, match="bad.hea"):
        read_header(tmp_path / "bad.hea")
    with pytest.raises(DataError, match="ptbxl_database.csv"):
        load_ptbxl(tmp_path, 100)
