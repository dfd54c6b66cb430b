"""Test-only paradigms for sweeps, in their own module so that spawned processes and
Ray workers can import them by name (a conftest.py cannot be: they share one name).

``scribe`` knows its validation score from its test score: its learning curve (on
"validation data") peaks at a high ``level`` while its P (the "test" score) is best
at a low one, so a sweep that chooses on P would choose differently. It writes a
file of its own under ``output_dir``, raises at ``fail_at``, crashes its whole
process once when ``crash_marker`` names a file that does not exist yet, and
records the thread limits it ran under.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from paradigms import DatasetInfo, Evaluation, Measure, ParadigmSpec, Progress, Settings, setting


@dataclass(frozen=True)
class ScribeSettings(Settings):
    """Settings of the test-only ``scribe`` paradigm."""

    level: int = setting(1, "how hard it tries", min=0, max=10)
    widths: tuple[int, ...] = setting((4,), "a list-valued setting", min=1)
    fail_at: int = setting(-1, "the level at which a run raises (-1: never)", min=-1)
    crash_marker: Path | None = setting(None, "crash the process once: when this file is missing, create it and exit")
    output_dir: Path | None = setting(None, "folder for the note it writes")
    nap: float = setting(0.0, "seconds to sleep first (a long run)", min=0)
    pid_folder: Path | None = setting(None, "folder where a run writes a file named after its process id")


def run_scribe(settings: ScribeSettings, seed: int, progress: Progress) -> Evaluation:
    if settings.crash_marker is not None and not Path(settings.crash_marker).exists():
        Path(settings.crash_marker).write_text("crashed once", encoding="utf-8")
        os._exit(3)  # the worker dies, as if killed for memory
    if settings.pid_folder is not None:
        (Path(settings.pid_folder) / str(os.getpid())).write_text("running", encoding="utf-8")
    time.sleep(settings.nap)
    if settings.level == settings.fail_at:
        raise RuntimeError(f"level {settings.level} is cursed")
    if settings.output_dir is not None:
        Path(settings.output_dir).mkdir(parents=True, exist_ok=True)
        (Path(settings.output_dir) / "note.txt").write_text(f"seed {seed}", encoding="utf-8")
    rng = np.random.default_rng(seed)
    validation = 0.5 + 0.04 * settings.level + 0.01 * sum(settings.widths) / 10 + rng.normal(0, 0.002)
    test = 0.95 - 0.03 * settings.level + rng.normal(0, 0.002)
    from threadpoolctl import threadpool_info

    return Evaluation(
        paradigm="scribe",
        task="write a note",
        experience="epochs",
        measure=Measure(name="test score", value=test, baseline=0.1, best=1.0, curve_label="validation score"),
        curve=pd.DataFrame({"experience": [1, 2, 3], "performance": [0.3, validation, validation - 0.01]}),
        dataset=DatasetInfo(name="nothing", source="numpy"),
        seed=seed,
        metrics={"notes_per_epoch": 10 - settings.level, "omp_threads": os.environ.get("OMP_NUM_THREADS"),
                 "blas_threads": max((p["num_threads"] for p in threadpool_info()), default=None)},
        config=settings.to_dict(),
        timings={"fit_seconds": 0.1 * (1 + settings.level)},
    )


SCRIBE = ParadigmSpec(
    name="scribe",
    task="write a note",
    measure="test score",
    experience="epochs",
    feedback="none",
    settings=ScribeSettings,
    run=run_scribe,
    description="A test-only paradigm for sweeps.",
    selection_metric="curve",
)
