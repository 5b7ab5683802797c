#!/usr/bin/python3
"""Independent SPH reader (h5py + pandas) used to check the TypeScript importer.

Usage: read_sph.py OUT_DIR < files.json   (a JSON list of .h5 paths)
Writes OUT_DIR/<k>.f32 (float32 (12, N) millivolts) and prints [{file_path, name, n, leads, aha, age, sex, file}].
The AHA codes come from metadata.csv beside the file.
"""
import json
import os
import sys

import h5py
import numpy as np
import pandas as pd

# SPH stores the 12 leads in the standard order, without names.
LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]


def main():
    out_dir = sys.argv[1]
    result = []
    for k, path in enumerate(json.load(sys.stdin)):
        with h5py.File(path, "r") as f:
            ecg = f["ecg"][()]
        assert ecg.shape[0] == 12, ecg.shape
        ecg.astype(np.float32).tofile(os.path.join(out_dir, f"{k}.f32"))
        meta = pd.read_csv(os.path.join(os.path.dirname(path), "metadata.csv"), dtype=str).set_index("ECG_ID")
        row = meta.loc[os.path.basename(path)]
        result.append(dict(file_path=path, name=os.path.basename(path)[:-3], n=int(ecg.shape[1]), leads=LEADS,
                           dtype=str(ecg.dtype), aha=row["AHA_Code"].split(";"), age=float(row["Age"]),
                           sex=row["Sex"], file=f"{k}.f32"))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
