#!/usr/bin/python3
"""Independent PhysioNet/CinC 2020-21 reader (scipy.io.loadmat) used to check the TypeScript importer.

Usage: read_cinc.py OUT_DIR < headers.json   (a JSON list of .hea paths)
Writes OUT_DIR/<k>.f32 (float32 (nsig, N) millivolts, file order) and prints
[{header, name, fs, n, leads, age, sex, dx, file}] on stdout.
"""
import json
import os
import sys

import numpy as np
import scipy.io


def main():
    out_dir = sys.argv[1]
    result = []
    for k, hea in enumerate(json.load(sys.stdin)):
        with open(hea, encoding="utf-8") as f:
            lines = [l.strip() for l in f if l.strip()]
        body = [l for l in lines if not l.startswith("#")]
        comments = dict(l[1:].split(":", 1) for l in lines if l.startswith("#") and ":" in l)
        rec = body[0].split()
        nsig, fs, n = int(rec[1]), float(rec[2]), int(rec[3])
        gains, baselines, names = [], [], []
        for l in body[1 : 1 + nsig]:
            p = l.split()
            gain = p[2].split("/")[0]
            baseline = int(p[4])
            if "(" in gain:
                gain, b = gain.split("(")
                baseline = int(b.rstrip(")"))
            gains.append(float(gain))
            baselines.append(baseline)
            names.append(" ".join(p[8:]))
        mat_path = os.path.join(os.path.dirname(hea), body[1].split()[0])
        val = scipy.io.loadmat(mat_path)["val"].astype(np.float64)
        assert val.shape == (nsig, n), (hea, val.shape)
        mv = (val - np.array(baselines)[:, None]) / np.array(gains)[:, None]
        mv.astype(np.float32).tofile(os.path.join(out_dir, f"{k}.f32"))
        age = comments.get("Age", "").strip()
        result.append(dict(header=hea, name=rec[0], fs=fs, n=n, leads=names,
                           age=float(age) if age not in ("", "NaN") else None,
                           sex=comments.get("Sex", "").strip(),
                           dx=[c.strip() for c in comments.get("Dx", "").split(",") if c.strip()],
                           file=f"{k}.f32"))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
