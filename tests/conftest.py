"""Shared fixtures: a tiny test-only paradigm, where the real MNIST lies, and a headless browser."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from browser_helpers import chromium  # noqa: E402
from coin_paradigm import COIN  # noqa: E402

import paradigms  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _no_network_and_no_user_cache(tmp_path_factory):
    """Tests never download and never read or write the user's cache: MNIST comes
    only from $LEARNING_PARADIGMS_DATA (as .ci/run sets it) or the tests' own files.
    Set in os.environ, so child processes (spawned runs, the CLI) inherit it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEARNING_PARADIGMS_OFFLINE", "1")
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
        yield


@pytest.fixture
def browser():
    """Headless Chromium for one test (skipped, with the reason, where it is not installed)."""
    with chromium() as driver:
        yield driver


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
    for folder in candidates:
        if (folder / "train-images-idx3-ubyte.gz").exists():
            return folder
    pytest.skip("real MNIST not found: set LEARNING_PARADIGMS_DATA to a folder holding the four IDX files")
