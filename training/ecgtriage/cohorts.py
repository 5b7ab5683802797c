"""Evaluation cohorts: internal test (PTB-XL fold 10), external (CinC + SPH) and unseen pathology.

Each cohort is a list of Records plus the records excluded from it (and why). A record is scored through
AHA codes: PTB-XL SCP -> AHA, CinC SNOMED -> AHA, SPH AHA as written; tiers via the catalog.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .data import DataError, Record, load_cinc, load_ptbxl, load_sph


@dataclass
class Cohort:
    name: str
    description: str
    records: list[Record]
    sources: dict[str, int] = field(default_factory=dict)


def seen_codes(train: list[Record]) -> set[str]:
    """AHA codes present in at least one training record."""
    return {c for r in train for c in r.aha}


def build_cohorts(data: Path, rate: int, manifest: dict) -> tuple[list[Cohort], set[str]]:
    ptbxl = load_ptbxl(data / "ptbxl", 500 if rate >= 500 else 100)
    by_id = {r.id: r for r in ptbxl}
    ids = manifest["training"]["records"]
    missing = [i for i in ids["test"] + ids["train"] if i not in by_id]
    if missing:
        raise DataError(data / "ptbxl", f"{len(missing)} records of the model's splits are missing (e.g. {missing[0]})")
    train = [by_id[i] for i in ids["train"]]
    # test ids in the manifest are the labelled ones; fold 10 records excluded from training appear as excluded
    internal = [r for r in ptbxl if r.split == "test"]
    external = load_cinc(data / "cinc") + load_sph(data / "sph")
    seen = seen_codes(train)
    unseen = [r for r in internal + external if any(c not in seen for c in r.aha)]
    cohorts = [
        Cohort("internal", "PTB-XL strat_fold 10 (held out; folds are patient-grouped)", internal, {"ptbxl": len(internal)}),
        Cohort("external", "PhysioNet/CinC 2020-21 records (6 sources) + SPH records, labels SNOMED CT / AHA -> AHA -> tier",
               external, dict(Counter(r.dataset for r in external))),
        Cohort("unseen", "internal + external records carrying at least one AHA code absent from every training record",
               unseen, dict(Counter(r.dataset for r in unseen))),
    ]
    return cohorts, seen
