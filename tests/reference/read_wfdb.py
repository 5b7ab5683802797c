#!/usr/bin/python3
"""Independent WFDB reader (plain numpy; the wfdb package is not installed) used to check the TypeScript importer.

Usage: read_wfdb.py OUT_DIR < headers.json   (a JSON list of .hea paths)
Writes OUT_DIR/<k>.f32 (signals in file order, float32, shape (nsig, N), millivolts) and prints a JSON list
[{header, name, fs, n, leads, file}] on stdout. Supports formats 16 and 212 with byte offsets, gain, baseline
and mV/uV units: what PTB-XL uses, and 212 for synthetic tests.
"""
import json
import os
import sys

import numpy as np


def parse_header(path):
    with open(path, encoding="utf-8") as f:
        lines = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    rec = lines[0].split()
    nsig, fs, n = int(rec[1]), float(rec[2].split("/")[0]), int(rec[3])
    sigs = []
    for l in lines[1 : 1 + nsig]:
        p = l.split()
        fmt, _, off = p[1].partition("+")
        gain_field = p[2]
        units = "mV"
        if "/" in gain_field:
            gain_field, units = gain_field.split("/")
        baseline = int(p[4])  # ADC zero, unless the gain field says otherwise
        if "(" in gain_field:
            gain_field, b = gain_field.split("(")
            baseline = int(b.rstrip(")"))
        gain = float(gain_field) or 200.0
        sigs.append(dict(file=p[0], fmt=int(fmt), offset=int(off or 0), gain=gain, baseline=baseline,
                         units=units, name=" ".join(p[8:])))
    return fs, n, sigs


def read_212(raw, count):
    raw = raw[: (count * 3 + 1) // 2]
    if len(raw) % 3:
        raw = np.concatenate([raw, np.zeros(3 - len(raw) % 3, np.uint8)])
    b = raw.reshape(-1, 3).astype(np.int32)
    s0 = b[:, 0] + ((b[:, 1] & 0x0F) << 8)
    s1 = b[:, 2] + ((b[:, 1] & 0xF0) << 4)
    out = np.empty(b.shape[0] * 2, np.int32)
    out[0::2], out[1::2] = s0, s1
    out[out >= 2048] -= 4096
    return out[:count]


def read_record(hea):
    fs, n, sigs = parse_header(hea)
    folder = os.path.dirname(hea)
    files = {}
    for s in sigs:
        files.setdefault(s["file"], []).append(s)
    out = []
    for fname, group in files.items():
        raw = np.fromfile(os.path.join(folder, fname), dtype=np.uint8)[group[0]["offset"]:]
        count = n * len(group)
        if group[0]["fmt"] == 16:
            adc = raw[: count * 2].view("<i2").astype(np.int32)
        elif group[0]["fmt"] == 212:
            adc = read_212(raw, count)
        else:
            raise SystemExit(f"format {group[0]['fmt']} not handled by the reference reader")
        adc = adc.reshape(n, len(group)).T
        for s, row in zip(group, adc):
            scale = {"mv": 1.0, "uv": 1e-3}[s["units"].lower()]
            out.append((s["name"], (row - s["baseline"]) / s["gain"] * scale))
    return fs, n, out


def main():
    out_dir = sys.argv[1]
    result = []
    for k, hea in enumerate(json.load(sys.stdin)):
        fs, n, sigs = read_record(hea)
        np.stack([v for _, v in sigs]).astype(np.float32).tofile(os.path.join(out_dir, f"{k}.f32"))
        result.append(dict(header=hea, name=os.path.basename(hea)[:-4], fs=fs, n=n,
                           leads=[name for name, _ in sigs], file=f"{k}.f32"))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
