"""Tests for ecgtriage.labels: the Python twin of src/shared/labels/catalog.ts.

The hand-written cases in tests/shared/labels/cases.json are checked here AND by the vitest suite, and a
cross-language test runs the TypeScript catalog (tests/shared/labels/dump-bridged.ts) over every PTB-XL and CinC
record in ../shared/data and compares it with Python, so the two readers of resources/labels cannot drift apart.
"""
from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "training"))  # `npm run test:py` runs pytest from the repo root

from ecgtriage import labels as L  # noqa: E402

DATA = (REPO / ".." / "shared" / "data").resolve()
CASES = json.loads((REPO / "tests" / "shared" / "labels" / "cases.json").read_text(encoding="utf-8"))


def need(rel: str) -> Path:
    p = DATA / rel
    if not p.exists():
        pytest.fail(f"shared data missing: {p} not found (expected ../shared/data beside the repository)")
    return p


def cinc_records() -> dict[str, list[str]]:
    out = {}
    for hea in sorted(need("cinc").glob("*/*.hea")):
        dx = next(l for l in hea.read_text().splitlines() if l.startswith("#Dx"))
        out[f"{hea.parent.name}/{hea.stem}"] = [s.strip() for s in dx.split(":", 1)[1].split(",") if s.strip()]
    return out


# ---------------------------------------------------------------- catalog


def test_version_and_the_44_codes():
    assert L.LABEL_MAPPING_VERSION == json.loads((L.LABELS_DIR / "catalog.json").read_text())["version"]
    assert len(L.TRAINING_CODES) == 44 and len(set(L.TRAINING_CODES)) == 44
    for code in L.TRAINING_CODES:
        info = L.code_info(code)
        assert info["inTrainingSet"] and len(info["rationale"]) > 20
        assert L.tier_of_code(code, "tier3") in L.TIER3_KEYS
        assert L.tier_of_code(code, "tier4") in L.TIER4_KEYS


def test_table_2_is_kept():
    table2 = {"normal": [1, 23, 147], "non-urgent": [21, 22, 30, 36, 82, 101, 105, 120, 121, 125, 145, 146],
              "urgent": [50, 51, 60, 104, 106, 142]}
    for tier, codes in table2.items():
        for c in codes:  # ints are accepted
            assert L.tier_of_code(c, "tier3") == tier, c
            assert L.code_info(c)["source"] == "thesis-table-2"
    assert [t["key"] for t in L.tiers_of("tier4")] == ["normal", "minor", "major", "critical"]


def test_int_codes_and_modifier_suffix():
    assert L.tier_of_code(88, "tier4") == "critical"
    assert L.parse_aha_label("30+310") == ("30", ["310"])
    assert L.tier_of_codes(["30+310"], "tier3") == ("non-urgent", [])


def test_unknown_scheme_is_a_clear_error():
    with pytest.raises(L.LabelError, match="unknown scheme 'tier5'"):
        L.tier_of_code("1", "tier5")


# ---------------------------------------------------------------- shared cases (same file as the vitest suite)


@pytest.mark.parametrize("case", CASES["tierCases"], ids=lambda c: c["why"])
def test_tier_cases(case):
    assert L.tier_of_codes(case["codes"], "tier3") == (case["tier3"], case["unmapped"])
    assert L.tier_of_codes(case["codes"], "tier4") == (case["tier4"], case["unmapped"])


@pytest.mark.parametrize("case", CASES["scpCases"], ids=lambda c: json.dumps(c["scp"]) + f" {c['axis']}")
def test_scp_cases(case):
    r = L.aha_from_scp(case["scp"], case["axis"], min_likelihood=case.get("minLikelihood"),
                       axis_policy=case.get("axisPolicy", "pathological"))
    assert r == {"codes": case["codes"], "modifiers": [], "unmapped": case["unmapped"], "oneOf": case["oneOf"]}
    assert L.tier_of_bridged(r, "tier3").key == case["tier3"]
    assert L.tier_of_bridged(r, "tier4").key == case["tier4"]


@pytest.mark.parametrize("case", CASES["snomedCases"], ids=lambda c: ",".join(c["snomed"]) or "empty")
def test_snomed_cases(case):
    r = L.aha_from_snomed(case["snomed"])
    assert r == {"codes": case["codes"], "modifiers": case["modifiers"], "unmapped": case["unmapped"], "oneOf": case["oneOf"]}
    assert L.tier_of_bridged(r, "tier3").key == case["tier3"]
    assert L.tier_of_bridged(r, "tier4").key == case["tier4"]


def test_most_severe_wins_and_unmapped_is_never_normal():
    codes = [e["code"] for e in L.catalog["codes"] + L.catalog["extraCodes"]]
    for scheme in ("tier3", "tier4"):
        rank = {t["key"]: t["rank"] for t in L.tiers_of(scheme)}
        for a in codes:
            ra = rank[L.tier_of_code(a, scheme)]
            for b in codes:
                assert rank[L.tier_of_codes([a, b], scheme).key] == max(ra, rank[L.tier_of_code(b, scheme)])
            got = L.tier_of_codes([a, "X1"], scheme)
            assert got.unmapped == ["X1"] and got.key == ("unmapped" if ra == 0 else L.tier_of_code(a, scheme))


def test_parse_scp_codes():
    assert L.parse_scp_codes("{'NORM': 100.0, 'LVOLT': 0.0, 'SR': 0.0}") == {"NORM": 100.0, "LVOLT": 0.0, "SR": 0.0}
    with pytest.raises(L.LabelError, match="ecg_id 7: cannot read entry"):
        L.parse_scp_codes("{'NORM' 100.0}", "ecg_id 7")
    with pytest.raises(L.LabelError, match="likelihood 250"):
        L.parse_scp_codes("{'NORM': 250.0}")


# ---------------------------------------------------------------- validation (same rules as schema.ts crossCheck)


def _files():
    return tuple(json.loads((L.LABELS_DIR / n).read_text()) for n in ("catalog.json", "scp_to_aha.json", "snomed_to_aha.json"))


def test_shipped_files_are_consistent():
    assert L._check(*_files()) == []


@pytest.mark.parametrize("mutate, message", [
    (lambda c, s, n: next(e for e in c["codes"] if e["code"] == "50").update(tier4="minor"),
     "catalog.codes.50: tier4 'minor' collapses to 'non-urgent', but tier3 is 'urgent'"),
    (lambda c, s, n: c["extraCodes"].append(copy.deepcopy(c["codes"][0])), "code 1 is listed twice"),
    (lambda c, s, n: c["codes"].pop(), "expected the 44 SPH primary codes"),
    (lambda c, s, n: s["statements"]["NORM"].update(aha=["9999"]), "statements.NORM: AHA code 9999 is not in catalog.json"),
    (lambda c, s, n: s["statements"]["QWAVE"].pop("reason"), "statements.QWAVE: no AHA code and no reason"),
    (lambda c, s, n: n.update(version="0.9.0"), "snomed_to_aha.json: version 0.9.0 differs"),
])
def test_broken_files_are_named(mutate, message):
    cat, scp, sn = _files()
    mutate(cat, scp, sn)
    assert any(message in p for p in L._check(cat, scp, sn)), L._check(cat, scp, sn)


# ---------------------------------------------------------------- real data


def test_every_ptbxl_record_maps_or_is_reported():
    db = pd.read_csv(need("ptbxl/ptbxl_database.csv"))
    assert len(db) == 500
    no_code = []
    for row in db.itertuples():
        scp = L.parse_scp_codes(row.scp_codes, f"ecg_id {row.ecg_id}")
        assert set(scp) <= set(L.scp_bridge["statements"]), row.ecg_id
        r = L.aha_from_scp(scp, row.heart_axis if isinstance(row.heart_axis, str) else None)
        if not r["codes"]:
            assert r["unmapped"], row.ecg_id
            no_code.append(row.ecg_id)
    assert len(no_code) <= 10, no_code


def test_typescript_and_python_agree_on_all_records():
    """Cross-language: the TS catalog's answers for every code and every PTB-XL / CinC record equal Python's."""
    npx = shutil.which("npx")
    if npx is None or not (REPO / "node_modules" / ".bin" / "tsx").exists():
        pytest.fail("the cross-language check needs Node with node_modules installed (npm ci) to run tsx")
    out = subprocess.run([npx, "tsx", "tests/shared/labels/dump-bridged.ts"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    ts = json.loads(out.stdout)
    assert ts["version"] == L.LABEL_MAPPING_VERSION
    for code, (t3, t4) in ts["codes"].items():
        assert (L.tier_of_code(code, "tier3"), L.tier_of_code(code, "tier4")) == (t3, t4), code

    def py(bridged):
        t3, t4 = L.tier_of_bridged(bridged, "tier3"), L.tier_of_bridged(bridged, "tier4")
        return {**bridged, "tier3": {"key": t3.key, "unmapped": t3.unmapped}, "tier4": {"key": t4.key, "unmapped": t4.unmapped}}

    db = pd.read_csv(need("ptbxl/ptbxl_database.csv"))
    assert len(ts["ptbxl"]) == len(db)
    for row in db.itertuples():
        axis = row.heart_axis if isinstance(row.heart_axis, str) else None
        assert py(L.aha_from_scp(L.parse_scp_codes(row.scp_codes), axis)) == ts["ptbxl"][str(row.ecg_id)], row.ecg_id
    cinc = cinc_records()
    assert len(cinc) == len(ts["cinc"]) == 70
    for name, dx in cinc.items():
        assert py(L.aha_from_snomed(dx)) == ts["cinc"][name], name
