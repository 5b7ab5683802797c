"""Train and export all three models (tier3, tier4, aha) with the default configuration, then write their int8
variants (quantize) and the Node parity / Grad-CAM fixtures (export_fixtures).

  cd training && nohup /usr/bin/python3 -m ecgtriage.train_all > runs/train_all.log 2>&1 &

Extra arguments are passed to every run (e.g. --ptbxl /data/ptbxl, --sph /data/sph). Without --epochs, 8 epochs:
the shipped 1.0.0 models were trained that way (about 22 minutes for all three on the shared 2-core CPU while
other jobs ran); on full data or a GPU pass e.g. --epochs 100 (early stopping decides).
"""
from __future__ import annotations

import sys
import time

from . import export_fixtures, quantize
from .export import IDS
from .train import main as train_main


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--epochs" not in args:
        args += ["--epochs", "8"]
    t0 = time.time()
    for scheme in ("tier3", "tier4", "aha"):
        train_main(["--scheme", scheme, "--export", *args])
        print(f"[train_all] {scheme} finished at {time.time() - t0:.0f} s", flush=True)
    if "--models-dir" not in args:  # fixtures and int8 files belong to the shipped models/ folder only
        quantize.main(list(IDS.values()))
        export_fixtures.main(list(IDS.values()))
    print(f"[train_all] all done in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
