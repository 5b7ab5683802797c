"""Loaders for PTB-XL (WFDB format 16), SPH (HDF5) and PhysioNet/CinC 2020-21 (.hea + .mat) records.

Every loader returns Record objects: signal (12, N) float64 in mV in the standard lead order, the AHA codes of
the record (through ecgtriage.labels), its split and patient. Bad files raise DataError naming the file.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import labels as L
from .preprocess import LEADS

_CANON = {lead.upper(): lead for lead in LEADS}


class DataError(ValueError):
    """A data file that cannot be read; the message names the file and the problem."""

    def __init__(self, place: str | Path, detail: str):
        super().__init__(f"{place}: {detail}")
        self.place = str(place)


@dataclass
class Record:
    id: str
    dataset: str  # 'ptbxl' | 'sph' | 'cinc'
    fs: float
    aha: list[str]  # AHA primary codes (strings)
    split: str  # 'train' | 'validation' | 'test' | 'external'
    patient: str = ""
    source_labels: list[str] = field(default_factory=list)  # SCP statements / SNOMED codes as written
    unmapped: list[str] = field(default_factory=list)  # source labels without an AHA code
    path: str = ""
    present: list[bool] = field(default_factory=lambda: [True] * 12)
    bridged: dict | None = None  # the aha_from_scp / aha_from_snomed result, incl. unmapped and oneOf sources
    _signal: np.ndarray | None = None
    _loader: object = None

    def signal(self) -> np.ndarray:
        """(12, N) float64 mV, read lazily (a 500-record corpus is loaded only as far as it is used)."""
        if self._signal is None:
            self._signal = self._loader()  # type: ignore[operator]
        return self._signal

    def tier(self, scheme: str) -> str:
        """Tier key or 'unmapped' (most severe code wins). Source statements without an AHA code make the record
        'unmapped' (flagged, never silently normal); a 'one of several codes' statement counts when all its
        candidates share a tier (labels.tier_of_bridged)."""
        if self.bridged is not None:
            return L.tier_of_bridged(self.bridged, scheme).key
        return L.tier_of_codes(self.aha, scheme).key


def _lead_index(name: str, place: str) -> int:
    lead = _CANON.get(name.strip().upper())
    if lead is None:
        raise DataError(place, f"unknown lead name {name!r}")
    return LEADS.index(lead)


@dataclass
class WfdbHeader:
    name: str
    n_sig: int
    fs: float
    n_samples: int
    files: list[str]
    fmts: list[str]
    gains: list[float]
    baselines: list[float]
    units: list[str]
    leads: list[str]
    comments: list[str]


_GAIN = re.compile(r"^([0-9.eE+-]+)(?:\(([-0-9]+)\))?(?:/(\w+))?$")


def read_header(path: Path) -> WfdbHeader:
    """Parses a WFDB .hea (record line, one line per signal, '#' comments)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        raise DataError(path, f"cannot read header ({e.strerror})") from e
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    comments = [ln[1:].strip() for ln in lines if ln.startswith("#")]
    body = [ln for ln in lines if not ln.startswith("#")]
    if not body:
        raise DataError(path, "empty header")
    rec = body[0].split()
    try:
        n_sig, fs, n_samples = int(rec[1]), float(rec[2].split("/")[0]), int(rec[3])
    except (IndexError, ValueError) as e:
        raise DataError(path, f"bad record line {body[0]!r}") from e
    if len(body) < 1 + n_sig:
        raise DataError(path, f"header lists {n_sig} signals but has {len(body) - 1} signal lines")
    h = WfdbHeader(rec[0], n_sig, fs, n_samples, [], [], [], [], [], [], comments)
    for i, ln in enumerate(body[1 : 1 + n_sig]):
        f = ln.split()
        if len(f) < 9:
            raise DataError(path, f"signal line {i + 1} has {len(f)} fields, expected 9: {ln!r}")
        m = _GAIN.match(f[2])
        if not m:
            raise DataError(path, f"signal line {i + 1}: cannot read gain {f[2]!r}")
        gain = float(m.group(1)) or 200.0  # WFDB: gain 0 means the default 200 adu/unit
        adc_zero = float(f[4])
        h.files.append(f[0])
        h.fmts.append(f[1])
        h.gains.append(gain)
        h.baselines.append(float(m.group(2)) if m.group(2) is not None else adc_zero)
        h.units.append(m.group(3) or "mV")
        h.leads.append(f[8])
    return h


def _to_standard(adc: np.ndarray, h: WfdbHeader, place: str | Path) -> tuple[np.ndarray, list[bool]]:
    """(n_sig, N) adc -> (12, N) mV in standard lead order, and which leads were present."""
    out = np.zeros((12, adc.shape[1]), dtype=np.float64)
    present = [False] * 12
    for i in range(h.n_sig):
        j = _lead_index(h.leads[i], str(place))
        scale = {"mv": 1.0, "uv": 1e-3, "v": 1e3}.get(h.units[i].lower())
        if scale is None:
            raise DataError(place, f"lead {h.leads[i]}: unsupported unit {h.units[i]!r}")
        out[j] = (adc[i].astype(np.float64) - h.baselines[i]) / h.gains[i] * scale
        present[j] = True
    return out, present


def read_wfdb16(hea: Path) -> tuple[np.ndarray, list[bool], float]:
    """WFDB format 16 record (int16 little-endian, interleaved) -> (12, N) mV, present leads, fs."""
    h = read_header(hea)
    if set(h.fmts) != {"16"} or len(set(h.files)) != 1:
        raise DataError(hea, f"only single-file format 16 is supported, got formats {sorted(set(h.fmts))}")
    dat = hea.parent / h.files[0]
    try:
        raw = np.fromfile(dat, dtype="<i2")
    except OSError as e:
        raise DataError(dat, f"cannot read signal file ({e.strerror})") from e
    if raw.size != h.n_sig * h.n_samples:
        raise DataError(dat, f"has {raw.size} samples, header says {h.n_sig} x {h.n_samples}")
    x, present = _to_standard(raw.reshape(h.n_samples, h.n_sig).T, h, hea)  # (N, L) interleaved -> (L, N)
    return x, present, h.fs


def _patient_split(patient: str) -> str:
    """Stable 80/10/10 split grouped by patient (used where a dataset has no official folds, e.g. full SPH)."""
    b = int(hashlib.sha256(patient.encode()).hexdigest()[:8], 16) % 10
    return "test" if b == 9 else "validation" if b == 8 else "train"


def ptbxl_split(fold: int) -> str:
    return "test" if fold == 10 else "validation" if fold == 9 else "train"


def load_ptbxl(root: Path, rate: int = 100, max_records: int | None = None) -> list[Record]:
    """PTB-XL: ptbxl_database.csv + records100|records500; labels scp_codes (+ heart_axis) -> AHA codes."""
    db = root / "ptbxl_database.csv"
    if not db.is_file():
        raise DataError(db, "PTB-XL database file is missing")
    if rate not in (100, 500):
        raise DataError(root, f"PTB-XL has 100 and 500 Hz records, not {rate}")
    df = pd.read_csv(db)
    col = "filename_lr" if rate == 100 else "filename_hr"
    for c in ("ecg_id", "scp_codes", "strat_fold", col):
        if c not in df.columns:
            raise DataError(db, f"column {c!r} is missing")
    out: list[Record] = []
    for row in df.itertuples(index=False):
        rid = f"ptbxl-{int(row.ecg_id)}"
        scp = L.parse_scp_codes(str(row.scp_codes), f"{db} ecg_id {row.ecg_id} scp_codes")
        axis = row.heart_axis if isinstance(getattr(row, "heart_axis", None), str) else None
        mapped = L.aha_from_scp(scp, axis)
        hea = root / f"{getattr(row, col)}.hea"
        rec = Record(
            rid, "ptbxl", float(rate), mapped["codes"], ptbxl_split(int(row.strat_fold)),
            patient=str(row.patient_id), source_labels=list(scp), unmapped=mapped["unmapped"], bridged=mapped, path=str(hea),
        )
        rec._loader = _wfdb_loader(rec, hea)
        out.append(rec)
        if max_records is not None and len(out) >= max_records:
            break
    return out


def _wfdb_loader(rec: Record, hea: Path):
    def load() -> np.ndarray:
        x, present, fs = read_wfdb16(hea)
        if fs != rec.fs:
            raise DataError(hea, f"sampling rate {fs} Hz, expected {rec.fs}")
        rec.present = present
        return x
    return load


def load_sph(root: Path, max_records: int | None = None) -> list[Record]:
    """SPH: metadata.csv (ECG_ID, AHA_Code '22;23', modifiers '+', Patient_ID, fs) + records/*.h5 or *.h5 beside it."""
    meta = root / "metadata.csv"
    if not meta.is_file():
        raise DataError(meta, "SPH metadata file is missing")
    df = pd.read_csv(meta, dtype=str)
    for c in ("ECG_ID", "AHA_Code"):
        if c not in df.columns:
            raise DataError(meta, f"column {c!r} is missing")
    out: list[Record] = []
    for row in df.itertuples(index=False):
        name = str(row.ECG_ID)
        h5 = root / "records" / name if (root / "records" / name).exists() else root / name
        codes: list[str] = []
        for part in re.split(r"[;,]", str(row.AHA_Code)):
            if part.strip():
                code, _mods = L.parse_aha_label(part)
                if not code.isdigit():
                    raise DataError(meta, f"{name}: AHA code {part!r} is not a number")
                codes.append(code)
        patient = str(getattr(row, "Patient_ID", name))
        fs = float(getattr(row, "fs", 500) or 500)
        rec = Record(f"sph-{Path(name).stem}", "sph", fs, sorted(set(codes), key=int), _patient_split(patient),
                     patient=patient, source_labels=str(row.AHA_Code).split(";"), path=str(h5))
        rec._loader = _h5_loader(h5)
        out.append(rec)
        if max_records is not None and len(out) >= max_records:
            break
    return out


def _h5_loader(path: Path):
    def load() -> np.ndarray:
        import h5py

        try:
            with h5py.File(path, "r") as f:
                if "ecg" not in f:
                    raise DataError(path, "no dataset 'ecg'")
                x = np.asarray(f["ecg"][()], dtype=np.float64)
        except OSError as e:
            raise DataError(path, f"cannot read HDF5 ({e})") from e
        if x.ndim != 2 or x.shape[0] != 12:
            raise DataError(path, f"dataset 'ecg' has shape {x.shape}, expected (12, N)")
        return x
    return load


def read_cinc(hea: Path) -> tuple[np.ndarray, list[bool], float, list[str]]:
    """CinC record: .hea + MATLAB v4 .mat 'val' (n_sig, N) -> (12, N) mV, present, fs, SNOMED codes (#Dx)."""
    from scipy.io import loadmat

    h = read_header(hea)
    mat = hea.with_suffix(".mat")
    try:
        val = loadmat(str(mat))["val"]
    except (OSError, ValueError, KeyError) as e:
        raise DataError(mat, f"cannot read MATLAB variable 'val' ({e})") from e
    if val.shape != (h.n_sig, h.n_samples):
        raise DataError(mat, f"'val' has shape {val.shape}, header says ({h.n_sig}, {h.n_samples})")
    x, present = _to_standard(val, h, hea)
    return x, present, h.fs, cinc_dx(h, hea)


def cinc_dx(h: WfdbHeader, place: Path) -> list[str]:
    for c in h.comments:
        if c.lower().startswith("dx:"):
            return [s.strip() for s in c[3:].split(",") if s.strip()]
    raise DataError(place, "no '#Dx:' line in header")


def load_cinc(root: Path) -> list[Record]:
    """All CinC records under root (any depth); labels #Dx SNOMED CT -> AHA."""
    heas = sorted(root.rglob("*.hea"))
    if not heas:
        raise DataError(root, "no CinC .hea files found")
    out: list[Record] = []
    for hea in heas:
        h = read_header(hea)
        dx = cinc_dx(h, hea)
        mapped = L.aha_from_snomed(dx)
        rec = Record(f"cinc-{h.name}", "cinc", h.fs, mapped["codes"], "external", patient=h.name,
                     source_labels=dx, unmapped=mapped["unmapped"], bridged=mapped, path=str(hea))

        def load(hea: Path = hea, rec: Record = rec) -> np.ndarray:
            x, present, _fs, _dx = read_cinc(hea)
            rec.present = present
            return x

        rec._loader = load
        out.append(rec)
    return out
