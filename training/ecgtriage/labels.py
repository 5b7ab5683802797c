"""Label catalog for the training pipeline: the Python twin of src/shared/labels/catalog.ts.

Reads the same files (resources/labels/catalog.json, scp_to_aha.json, snomed_to_aha.json), checks them with the
same rules and exposes the same functions, so a model trained here and the app that runs it agree on every tier.
AHA codes are strings ('50'); ints are accepted and converted.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple

LABELS_DIR = Path(__file__).resolve().parents[2] / "resources" / "labels"
TIER3_KEYS = ("normal", "non-urgent", "urgent")
TIER4_KEYS = ("normal", "minor", "major", "critical")
SCHEMES = {"tier3": TIER3_KEYS, "tier4": TIER4_KEYS}
UNMAPPED = "unmapped"


class LabelError(ValueError):
    """A label file or label input that cannot be used; names the place and the problem."""

    def __init__(self, place: str, detail: str):
        super().__init__(f"{place}: {detail}")
        self.place = place


class TierResult(NamedTuple):
    """tier_of_codes() result: the tier key (or 'unmapped') and the codes that had no tier."""

    key: str
    unmapped: list[str]


def _load(name: str) -> dict[str, Any]:
    path = LABELS_DIR / name
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError as e:
        raise LabelError(str(path), "label file is missing") from e
    except json.JSONDecodeError as e:
        raise LabelError(str(path), f"not valid JSON ({e})") from e


def _check(cat: dict, scp: dict, snomed: dict) -> list[str]:
    """Structural and cross-file rules, the same as crossCheck() + the zod schemas in src/shared/labels/schema.ts."""
    problems: list[str] = []
    version = re.compile(r"^\d+\.\d+\.\d+$")
    for file, doc in (("catalog.json", cat), ("scp_to_aha.json", scp), ("snomed_to_aha.json", snomed)):
        if not isinstance(doc.get("version"), str) or not version.match(doc["version"]):
            problems.append(f"{file}: version must be 'x.y.z'")
        elif doc["version"] != cat.get("version"):
            problems.append(f"{file}: version {doc['version']} differs from catalog.json {cat.get('version')}")
    for scheme, keys in SCHEMES.items():
        tiers = cat.get("tiers", {}).get(scheme, [])
        got = tuple(t.get("key") for t in tiers)
        if got != keys:
            problems.append(f"catalog.tiers.{scheme}: keys must be {','.join(keys)} in rank order, got {','.join(map(str, got))}")
        for i, t in enumerate(tiers):
            if t.get("rank") != i:
                problems.append(f"catalog.tiers.{scheme}.{t.get('key')}: rank {t.get('rank')}, expected {i}")
    collapse = {t.get("key"): t.get("tier3") for t in cat.get("tiers", {}).get("tier4", [])}
    if len(cat.get("codes", [])) != 44:
        problems.append(f"catalog.codes: expected the 44 SPH primary codes, got {len(cat.get('codes', []))}")
    seen: set[str] = set()
    for lst in ("codes", "extraCodes"):
        for e in cat.get(lst, []):
            code = e.get("code")
            place = f"catalog.{lst}.{code}"
            if not isinstance(code, str) or not code.isdigit():
                problems.append(f"{place}: an AHA code is a string of digits")
            if code in seen:
                problems.append(f"catalog.{lst}: code {code} is listed twice")
            seen.add(code)
            if e.get("tier3") not in TIER3_KEYS or e.get("tier4") not in TIER4_KEYS:
                problems.append(f"{place}: unknown tier {e.get('tier3')}/{e.get('tier4')}")
            elif collapse.get(e["tier4"]) != e["tier3"]:
                problems.append(f"{place}: tier4 '{e['tier4']}' collapses to '{collapse.get(e['tier4'])}', but tier3 is '{e['tier3']}'")
            if e.get("source") not in ("thesis-table-2", "decision") or len(e.get("rationale", "")) < 10:
                problems.append(f"{place}: needs source thesis-table-2|decision and a rationale")
    modifiers = {m.get("code") for m in cat.get("modifiers", [])}

    def bridge(place: str, e: dict) -> None:
        if e.get("oneOf") and e.get("aha"):
            problems.append(f"{place}: oneOf is only for entries without an AHA code")
        for c in [*e.get("aha", []), *e.get("oneOf", [])]:
            if c not in seen:
                problems.append(f"{place}: AHA code {c} is not in catalog.json")
        for m in e.get("modifiers", []):
            if m not in modifiers:
                problems.append(f"{place}: modifier {m} is not in catalog.json")
        if not e.get("aha") and not e.get("reason"):
            problems.append(f"{place}: no AHA code and no reason")

    for k, e in scp.get("statements", {}).items():
        bridge(f"scp_to_aha.json statements.{k}", e)
    for k, e in scp.get("heartAxis", {}).get("values", {}).items():
        bridge(f"scp_to_aha.json heartAxis.{k}", e)
    for k, e in snomed.get("codes", {}).items():
        bridge(f"snomed_to_aha.json codes.{k}", e)
    return problems


def load_catalog() -> tuple[dict, dict, dict]:
    """Reads and checks the three label files; raises LabelError naming every problem."""
    cat, scp, snomed = _load("catalog.json"), _load("scp_to_aha.json"), _load("snomed_to_aha.json")
    problems = _check(cat, scp, snomed)
    if problems:
        raise LabelError(str(LABELS_DIR), "inconsistent label files: " + "; ".join(problems))
    return cat, scp, snomed


catalog, scp_bridge, snomed_bridge = load_catalog()
LABEL_MAPPING_VERSION: str = catalog["version"]
TRAINING_CODES: tuple[str, ...] = tuple(e["code"] for e in catalog["codes"])
_BY_CODE: dict[str, dict] = {
    **{e["code"]: {**e, "inTrainingSet": True} for e in catalog["codes"]},
    **{e["code"]: {**e, "inTrainingSet": False} for e in catalog["extraCodes"]},
}


def _scheme(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise LabelError("scheme", f"unknown scheme {scheme!r}; expected tier3 or tier4")
    return scheme


def tiers_of(scheme: str) -> list[dict]:
    """Tier definitions of a scheme, ordered by rank (normal first)."""
    return catalog["tiers"][_scheme(scheme)]


def parse_aha_label(label: str | int) -> tuple[str, list[str]]:
    """'50+346' -> ('50', ['346']) (SPH attaches modifiers with '+')."""
    code, *mods = [p.strip() for p in str(label).strip().split("+")]
    return code, mods


def code_info(code: str | int) -> dict | None:
    return _BY_CODE.get(parse_aha_label(code)[0])


def tier_of_code(code: str | int, scheme: str) -> str:
    info = code_info(code)
    return info[_scheme(scheme)] if info else UNMAPPED


def tier_of_codes(codes: Iterable[str | int], scheme: str) -> TierResult:
    """Most severe tier of a multi-label ECG, and its unmapped codes.

    'unmapped' when there are no codes, no mapped code, or only normal-tier codes beside an unmapped one:
    an unknown finding must never read as normal.
    """
    return _combine(codes, [], scheme)


def tier_of_bridged(bridged: Mapping[str, Any], scheme: str) -> TierResult:
    """Tier of an aha_from_scp / aha_from_snomed result; a oneOf source whose candidates share a tier uses it."""
    resolved: dict[str, str] = {}
    for o in bridged["oneOf"]:
        keys = {tier_of_code(c, scheme) for c in o["aha"]}
        if len(keys) == 1 and UNMAPPED not in keys:
            resolved[o["source"]] = o["aha"][0]
    still = [s for s in bridged["unmapped"] if s not in resolved]
    return _combine([*bridged["codes"], *resolved.values()], still, scheme)


def _combine(mapped: Iterable[str | int], unmapped_sources: Iterable[str], scheme: str) -> TierResult:
    keys = [t["key"] for t in tiers_of(scheme)]
    unmapped: list[str] = list(dict.fromkeys(unmapped_sources))
    worst = -1
    for code in mapped:
        key = tier_of_code(code, scheme)
        if key == UNMAPPED:
            if str(code) not in unmapped:
                unmapped.append(str(code))
            continue
        worst = max(worst, keys.index(key))
    if worst < 0 or (worst == 0 and unmapped):
        return TierResult(UNMAPPED, unmapped)
    return TierResult(keys[worst], unmapped)


def _result(codes: set[str], modifiers: set[str], unmapped: list[str], one_of: list[dict] | None = None) -> dict[str, Any]:
    """{codes, modifiers, unmapped, oneOf}: the same shape as BridgeResult in src/shared/labels/bridges.ts."""
    return {"codes": sorted(codes, key=int), "modifiers": sorted(modifiers, key=int), "unmapped": unmapped, "oneOf": one_of or []}


def aha_from_scp(
    scp_codes: Mapping[str, float] | Iterable[str],
    heart_axis: str | None = None,
    min_likelihood: float | None = None,
    axis_policy: str = "pathological",
) -> dict[str, Any]:
    """PTB-XL scp_codes (statement -> likelihood, or statements) + heart_axis -> {codes, modifiers, unmapped}.

    Likelihood 0 means 'not quantified' and always counts; quantified statements below min_likelihood are dropped.
    A record whose only statement is SR (and no axis deviation) reads as AHA 1. axis_policy 'readme' also maps LAD/RAD.
    """
    if axis_policy not in ("pathological", "readme"):
        raise LabelError("axis_policy", f"unknown policy {axis_policy!r}")
    lo = scp_bridge["likelihoodPolicy"]["defaultMinLikelihood"] if min_likelihood is None else min_likelihood
    items = [(s.strip(), lk) for s, lk in (scp_codes.items() if isinstance(scp_codes, Mapping) else ((s, 0) for s in scp_codes))]
    counted = [s for s, lk in items if lk == 0 or lk >= lo]
    codes: set[str] = set()
    unmapped: list[str] = []
    one_of: list[dict] = []
    for s in dict.fromkeys(counted):
        e = scp_bridge["statements"].get(s)
        if e and e["aha"]:
            codes.update(e["aha"])
            continue
        unmapped.append(s)
        if e and e.get("oneOf"):
            one_of.append({"source": s, "aha": list(e["oneOf"])})
    axis = heart_axis.strip() if isinstance(heart_axis, str) else ""
    if axis:
        e = scp_bridge["heartAxis"]["values"].get(axis)
        if e is None:
            unmapped.append(f"heart_axis:{axis}")
        else:
            codes.update(e["readmeAha"] if axis_policy == "readme" and e.get("readmeAha") else e["aha"])
    # The record's only statement (before likelihood filtering) is SR and the axis adds nothing: a normal ECG.
    alone = scp_bridge["sinusRhythmAlone"]
    if [s for s, _ in items] == [alone["statement"]] and not unmapped and len(codes) == 1:
        codes = set(alone["aha"])
    return _result(codes, set(), unmapped, one_of)


def aha_from_snomed(snomed_codes: Iterable[str | int]) -> dict[str, Any]:
    """CinC SNOMED CT labels -> {codes, modifiers, unmapped}; sinus rhythm alone reads as AHA 1."""
    distinct = list(dict.fromkeys(c for c in (str(x).strip() for x in snomed_codes) if c))
    codes: set[str] = set()
    modifiers: set[str] = set()
    unmapped: list[str] = []
    one_of: list[dict] = []
    alone = snomed_bridge["sinusRhythmAlone"]
    if distinct == [alone["snomed"]]:
        return _result(set(alone["aha"]), modifiers, unmapped)
    for s in distinct:
        e = snomed_bridge["codes"].get(s)
        if not e or not e["aha"]:
            unmapped.append(s)
            if e and e.get("oneOf"):
                one_of.append({"source": s, "aha": list(e["oneOf"])})
            continue
        codes.update(e["aha"])
        modifiers.update(e["modifiers"])
    return _result(codes, modifiers, unmapped, one_of)


_SCP_ENTRY = re.compile(r"^\s*'([^']+)'\s*:\s*(-?\d+(?:\.\d*)?)\s*$")


def parse_scp_codes(text: str, place: str = "scp_codes") -> dict[str, float]:
    """Parses PTB-XL's scp_codes cell, e.g. "{'NORM': 100.0, 'SR': 0.0}" (without eval)."""
    body = text.strip()
    if not (body.startswith("{") and body.endswith("}")):
        raise LabelError(place, f"expected a {{'CODE': likelihood}} dict, got {text[:60]!r}")
    out: dict[str, float] = {}
    inner = body[1:-1].strip()
    if not inner:
        return out
    for part in inner.split(","):
        m = _SCP_ENTRY.match(part)
        if not m:
            raise LabelError(place, f"cannot read entry {part.strip()!r} in {text[:60]!r}")
        lk = float(m.group(2))
        if not 0 <= lk <= 100:
            raise LabelError(place, f"likelihood {lk} of {m.group(1)} is outside 0..100")
        out[m.group(1)] = lk
    return out
