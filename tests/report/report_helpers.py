"""Hand-made evaluations for the report's tests (no paradigm is run)."""

from __future__ import annotations

import base64
import io

import numpy as np
import pandas as pd
from PIL import Image as PILImage

from paradigms import DatasetInfo, Evaluation, Measure, Picture
from paradigms.execution import Failure
from paradigms.report.terms import TermInfo

EVIL = "<script>alert(1)</script>"

TERMS = [
    TermInfo(slug="epoch", name="epoch", definition="One pass over the training set.", look_for="the curve",
             related=("batch-size",), aliases=("training pass",)),
    TermInfo(slug="batch-size", name="batch size", definition="Examples per weight update.", related=("epoch",)),
    TermInfo(slug="baseline", name="baseline", definition="What a trivial program scores <b>.", aliases=()),
]


def tiny_gif() -> bytes:
    """A two-frame GIF, like an RL paradigm's animation of its agent."""
    frames = [PILImage.new("RGB", (24, 16), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def legacy_rollout() -> dict:
    """The agent's animation as the first RL paradigm stored it: base64 inside its metrics."""
    return {"gif_base64": base64.b64encode(tiny_gif()).decode("ascii"), "episode_return": 500.0, "length": 500}


def make_evaluation(paradigm: str = "supervised", seed: int = 0, *, fallback: bool = False, value: float = 0.9,
                    evil: bool = False, gif: bool = False) -> Evaluation:
    """An evaluation shaped like a real paradigm's; ``evil`` puts markup in every text field."""
    rng = np.random.default_rng(seed)
    experience = np.arange(1, 6)
    performance = np.clip(np.linspace(0.3, value, 5) + rng.normal(0, 0.01, 5), 0, 1)
    column = EVIL if evil else "loss"
    metrics = {"macro_f1": value - 0.02 + 0.01 * seed, "n_test": 1000, "arch": "mlp"}
    if evil:
        metrics[EVIL] = 0.5
        metrics["note"] = EVIL
    pictures = (Picture("rollout", "image/gif", tiny_gif(), details={"episode_return": 500.0, "length": 500}),)
    return Evaluation(
        paradigm=paradigm,
        task=f"classify things {EVIL}" if evil else f"the {paradigm} task",
        experience="epochs",
        measure=Measure(name="test accuracy", value=value + 0.01 * seed, baseline=0.1, best=1.0,
                        curve_label="validation accuracy"),
        curve=pd.DataFrame({"experience": experience, "performance": performance, column: 1 - performance}),
        dataset=DatasetInfo(
            name=f"data {EVIL}" if evil else "MNIST",
            source=f"/tmp/{EVIL}.csv" if evil else "the IDX files",
            sizes={"train": 600, "test": 100},
            checksums={"train": "ab" * 32},
            fallback=fallback,
            notes="bundled 8x8 digits" if fallback else "",
        ),
        seed=seed,
        metrics=metrics,
        config={"epochs": 5, "hidden": [64, 32], **({EVIL: 1} if evil else {})},
        timings={"fit_seconds": 1.5 + seed, "total_seconds": 2.0 + seed},
        pictures=pictures if gif else (),
    )


def several() -> tuple[list[Evaluation], list[Failure]]:
    """Three paradigms: two seeds of one, a fallback and markup in another, and a failure."""
    evaluations = [
        make_evaluation("alpha", 0),
        make_evaluation("alpha", 1),
        make_evaluation("beta", 0, fallback=True, evil=True, value=0.6, gif=True),
    ]
    failures = [Failure(paradigm="gamma", seed=0, error=f"RuntimeError: broke {EVIL}", traceback=f"Traceback\n  {EVIL}")]
    return evaluations, failures
