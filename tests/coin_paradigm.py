"""A tiny test-only paradigm: learn a biased coin's bias from flips.

It lives in its own module (not in conftest.py) so that child processes can
unpickle it by reference: several conftest.py files share the module name
``conftest`` and replace one another in ``sys.modules``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import paradigms
from paradigms import DatasetInfo, Evaluation, Measure, Progress, Settings, setting


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
