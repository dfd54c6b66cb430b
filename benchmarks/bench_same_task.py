"""One task, three kinds of feedback: `paradigms compare --task digits` timed and scored on the real MNIST.

    python benchmarks/bench_same_task.py                       # --quick, the defaults, and a 10,000-row table
    python benchmarks/bench_same_task.py --sections quick      # only the quick comparison

Sections, each the command a user types, in a fresh process:

* ``quick``: ``paradigms compare --task digits --quick``. Target: under 60 s.
* ``default``: ``paradigms compare --task digits``. Targets: under 4 minutes; labels >= 0.98,
  reward >= 0.95 within three passes (180,000 rewarded guesses), nothing (clustering accuracy) >= 0.55.
* ``table``: ``paradigms compare --data TABLE --target COLUMN`` on a 10,000-row labelled table
  made here (seeded: five numeric columns, one categorical, four classes), all three paradigms.
  Target: under 30 s.

MNIST is read from ``LEARNING_PARADIGMS_DATA`` (default ``../shared/data`` beside the
repository, as ``.ci/run``); without it the MNIST sections are skipped, saying so. Each
paradigm's final P, the examples it saw, its own seconds and the whole command's wall time
are printed, with the machine's load beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from machine_load import load_line

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("quick", "default", "table")
TARGETS = {"quick": 60.0, "default": 240.0, "table": 30.0}


def mnist_folder() -> Path | None:
    folder = Path(os.environ.get("LEARNING_PARADIGMS_DATA") or ROOT.parent / "shared" / "data")
    return folder if (folder / "mnist").is_dir() or any(folder.glob("train-images-idx3-ubyte*")) else None


def make_table(path: Path, rows: int = 10_000, seed: int = 0) -> None:
    """A labelled table whose four classes differ in their numeric columns' means."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 4, rows)
    centres = rng.normal(0, 1.5, (4, 5))
    numbers = centres[labels] + rng.normal(0, 1.0, (rows, 5))
    frame = pd.DataFrame(numbers, columns=[f"x{i}" for i in range(5)])
    frame["colour"] = np.where(rng.random(rows) < 0.7, np.array(["red", "green", "blue", "grey"])[labels], "red")
    frame["kind"] = np.array(["alpha", "beta", "gamma", "delta"])[labels]
    frame.to_csv(path, index=False)


def compare(args: list[str], out: Path, env: dict[str, str]) -> tuple[float, dict]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "paradigms", "compare", *args, "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"paradigms compare {' '.join(args)} failed:\n{done.stderr[-4000:]}")
    return seconds, json.loads((out / "results.json").read_text(encoding="utf-8"))


def report(section: str, seconds: float, results: dict) -> None:
    target = TARGETS[section]
    print(f"\n[{section}] wall {seconds:.1f} s (target under {target:.0f} s: "
          f"{'met' if seconds < target else 'MISSED'}); {load_line()}")
    for evaluation in results["evaluations"]:
        metrics, curve = evaluation["metrics"], evaluation.get("figure_data", {}).get("same_task_curve")
        seen = curve["examples_seen"][-1] if curve else (evaluation["curve"].get("examples_seen") or [None])[-1]
        own = evaluation["timings"].get("total_seconds") or 0.0
        accuracy = metrics.get("test_accuracy")
        extra = ""
        if evaluation["paradigm"] == "unsupervised":
            extra = (f", ARI {metrics.get('adjusted_rand_index', float('nan')):.3f}, "
                     f"NMI {metrics.get('normalized_mutual_info', float('nan')):.3f}")
        print(f"  {evaluation['paradigm']:<14} P = {evaluation['measure']['name']} "
              f"{evaluation['measure']['value']:.4f} (test accuracy {accuracy if accuracy is None else f'{accuracy:.4f}'}"
              f"{extra}); examples seen {seen if seen is None else f'{int(seen):,}'}; its own {own:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated: {', '.join(SECTIONS)}")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    sections = [s.strip() for s in options.sections.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections {unknown}; choose from {', '.join(SECTIONS)}")
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    folder = mnist_folder()
    if folder is not None:
        env["LEARNING_PARADIGMS_DATA"] = str(folder)
    print(f"bench_same_task: {load_line()}; MNIST {'at ' + str(folder) if folder else 'absent'}")
    with tempfile.TemporaryDirectory(prefix="bench-same-task-") as tmp:
        for section in sections:
            if section in ("quick", "default") and folder is None:
                print(f"\n[{section}] skipped: the real MNIST is not at LEARNING_PARADIGMS_DATA or ../shared/data")
                continue
            out = Path(tmp) / section
            if section == "table":
                table = Path(tmp) / "labelled.csv"
                make_table(table, seed=options.seed)
                seconds, results = compare(["--data", str(table), "--target", "kind", "--seed", str(options.seed)],
                                           out, env)
            else:
                extra = ["--quick"] if section == "quick" else []
                seconds, results = compare(["--task", "digits", "--seed", str(options.seed), *extra], out, env)
            report(section, seconds, results)


if __name__ == "__main__":
    main()
