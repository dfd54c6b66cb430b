"""Shared fixtures: a tiny test-only paradigm, and where the real MNIST lies."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import paradigms  # noqa: E402
from paradigms import DatasetInfo, Evaluation, Measure, Progress, Settings, setting  # noqa: E402


@dataclass(frozen=True)
class CoinSettings(Settings):
    """Settings of the test-only paradigm: learn a biased coin's bias."""

    flips: int = setting(200, "coin flips seen (the experience)", min=1, quick=20)
    bias: float = setting(0.7, "probability of heads", min=0.0, max=1.0)
    points: int = setting(5, "points on the learning curve", min=2)


def run_coin(settings: CoinSettings, seed: int, progress: Progress) -> Evaluation:
    """Estimate a coin's bias from flips; P = 1 - |estimate - bias| improves with E = flips."""
    rng = np.random.default_rng(seed)
    flips = rng.random(settings.flips) < settings.bias
    seen = np.unique(np.linspace(1, settings.flips, settings.points).astype(int))
    estimates = np.cumsum(flips)[seen - 1] / seen
    performance = 1.0 - np.abs(estimates - settings.bias)
    with progress.bar(total=len(seen), desc="flips") as bar:
        bar.update(len(seen))
    return Evaluation(
        paradigm="coin",
        task="estimate how often a coin lands heads",
        experience="coin flips",
        measure=Measure(name="1 - error", value=performance[-1], baseline=0.5, best=1.0, curve_label="1 - error"),
        curve=pd.DataFrame({"experience": seen, "performance": performance, "estimate": estimates}),
        dataset=DatasetInfo(name="simulated coin", source="numpy generator", sizes={"flips": settings.flips}),
        seed=seed,
        metrics={"estimate": estimates[-1], "heads": int(flips.sum())},
        config=settings.to_dict(),
    )


COIN = paradigms.ParadigmSpec(
    name="coin",
    task="estimate how often a coin lands heads",
    measure="1 - |estimate - bias| (baseline 0.5)",
    experience="coin flips",
    feedback="none",
    settings=CoinSettings,
    run=run_coin,
    description="A test-only paradigm.",
)


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
