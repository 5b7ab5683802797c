"""Shared fixtures. The real data lives at ../shared/data relative to the repo root; tests that need it FAIL
(never skip) with a clear message when it is missing."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

TRAINING = Path(__file__).resolve().parents[1]
REPO = TRAINING.parent
sys.path.insert(0, str(TRAINING))
torch.set_num_threads(2)

DATA = (REPO / ".." / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def data_root() -> Path:
    if not (DATA / "ptbxl" / "ptbxl_database.csv").is_file():
        pytest.fail(f"real ECG data not found at {DATA} (expected ../shared/data beside the repo root, see README)")
    return DATA
