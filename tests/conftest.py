"""Shared fixtures: a tiny test-only paradigm, and where the real MNIST lies."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from coin_paradigm import COIN  # noqa: E402

import paradigms  # noqa: E402


@pytest.fixture
def coin_paradigm():
    """Register the test-only ``coin`` paradigm for one test."""
    paradigms.available()  # built-ins first, so the order is stable
    paradigms.register(COIN, replace=True)
    yield COIN
    paradigms.unregister("coin")


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The real MNIST files ($LEARNING_PARADIGMS_DATA, as .ci/run sets it); skip where absent."""
    root = os.environ.get("LEARNING_PARADIGMS_DATA")
    candidates = [Path(root), Path(root) / "mnist"] if root else []
    candidates.append(Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist")
    for folder in candidates:
        if (folder / "train-images-idx3-ubyte.gz").exists():
            return folder
    pytest.skip("real MNIST not found: set LEARNING_PARADIGMS_DATA to a folder holding the four IDX files")
