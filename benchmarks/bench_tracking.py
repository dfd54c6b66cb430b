"""What tracking costs a run: each paradigm with and without ``--tensorboard`` and ``--mlflow``.

    python benchmarks/bench_tracking.py                        # the three paradigms, --quick budgets, 3 repeats
    python benchmarks/bench_tracking.py --only reinforcement --repeat 5 --full

For each paradigm, runs without tracking and with both trackers (TensorBoard event files
and an MLflow SQLite store, in a temporary folder) alternate ``--repeat`` times after one
warm-up of each, all in this process (imports, MNIST in memory and MLflow's store tables
are paid once, not by the first measured run). Two figures per run:

* **learning**: the run's own ``timings["total_seconds"]``, from its first step to its
  Evaluation: what the live logging (``progress.log`` in the learning loop) may slow;
* **with the results**: the whole call, which adds the tracked run's end: the
  hyperparameter table, the figures drawn as images, the JSON as an artifact.

The median of each is printed with the difference, and the machine's load beside it:
on a shared machine, other programs' work moves every number here by more than tracking does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine_load import load_line  # noqa: E402

from paradigms import registry  # noqa: E402
from paradigms.tracking import Tracking  # noqa: E402

PARADIGMS = ("supervised", "unsupervised", "reinforcement")


def one_run(name: str, quick: bool, tracking: Tracking | None) -> tuple[float, float]:
    """(learning seconds, seconds of the whole call) of one run."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "did not reach the threshold" and the like: not what is measured
        evaluation = registry.run(name, quick=quick, seed=0, progress=False, tracking=tracking)
    return evaluation.timings["total_seconds"], time.perf_counter() - start


def measure(name: str, quick: bool, repeat: int, folder: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"plain": [], "plain_call": [], "tracked": [], "tracked_call": []}
    tracking = Tracking(tensorboard=folder / "tb", mlflow=f"sqlite:///{folder / 'mlflow.db'}")
    one_run(name, quick, None)  # warm-up: imports, data, the store's tables
    one_run(name, quick, tracking)
    for _ in range(repeat):
        learning, call = one_run(name, quick, None)
        times["plain"].append(learning)
        times["plain_call"].append(call)
        learning, call = one_run(name, quick, tracking)
        times["tracked"].append(learning)
        times["tracked_call"].append(call)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARADIGMS), help="paradigms, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="measured pairs of runs per paradigm")
    parser.add_argument("--full", action="store_true", help="the default budgets instead of --quick's")
    args = parser.parse_args()
    os.environ.setdefault("LEARNING_PARADIGMS_DATA", str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    print(f"tracking overhead, {'default' if args.full else '--quick'} budgets, median of {args.repeat} "
          "(TensorBoard + MLflow SQLite, against no tracking)")
    with tempfile.TemporaryDirectory(prefix="bench-tracking-") as tmp:
        for name in [n.strip() for n in args.only.split(",") if n.strip()]:
            folder = Path(tmp) / name
            folder.mkdir()
            times = measure(name, not args.full, args.repeat, folder)
            med = {key: statistics.median(values) for key, values in times.items()}
            learning = 100 * (med["tracked"] / med["plain"] - 1)
            whole = 100 * (med["tracked_call"] / med["plain_call"] - 1)
            print(f"{name:<14} learning {med['plain']:6.2f} s -> {med['tracked']:6.2f} s ({learning:+5.1f}%); "
                  f"with the results {med['plain_call']:6.2f} s -> {med['tracked_call']:6.2f} s ({whole:+5.1f}%)  "
                  f"[{load_line()}]", flush=True)


if __name__ == "__main__":
    main()
