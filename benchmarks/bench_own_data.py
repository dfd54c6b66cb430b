"""Benchmark: the supervised paradigm on the user's own data, against the issue's targets, in one run.

    python benchmarks/bench_own_data.py                   # all four targets (real MNIST for the first)
    python benchmarks/bench_own_data.py --only tables     # images | tables | big
    LEARNING_PARADIGMS_DATA=/path/to/data python benchmarks/bench_own_data.py

Each target runs exactly what a user runs, ``paradigms run supervised --data ...`` (through
``paradigms.run``), with its defaults:

1. **images**: a folder made from real MNIST PNGs, 10 class folders with 500 training images
   each and a ``test/`` folder of 200 per class, drawn dark-on-light (inverted) at mixed
   sizes (20 to 84 pixels a side) and mixed modes (greyscale, RGB, palette). Target: test
   accuracy >= 0.95 in under 20 s (reading the folder included).
2. **tables**: scikit-learn's bundled wine and breast-cancer tables (classification) and the
   diabetes table (regression), written as CSV. Target: accuracy within 2 points of logistic
   regression or better; R² within 0.05 of ridge regression or better (the run fits the
   linear model on the same split). Three seeds each.
3. **big**: a generated 100,000-row, 50-column table (40 numbers, 8 text columns with six
   values, an id, a three-class target, 1% of one column missing). Target: read, encoded and
   trained in under 60 s.

Prints each figure with "met" or "NOT met" and the machine's load average, since a shared
machine slows everything down.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from machine_load import load_line

import paradigms
from paradigms.datasets.digits import load_mnist

TRAIN_PER_CLASS, TEST_PER_CLASS = 500, 200


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def write_mnist_folder(root: Path, seed: int = 0) -> Path:
    """MNIST digits as PNG files in class folders: dark ink on white, 20-84 pixels, L / RGB / P."""
    from PIL import Image

    data = load_mnist(download=False)
    rng = np.random.default_rng(seed)
    modes = ("L", "RGB", "P")
    for split, images, labels, per_class in (
        ("train", data.train_images, data.train_labels, TRAIN_PER_CLASS),
        ("test", data.test_images, data.test_labels, TEST_PER_CLASS),
    ):
        for digit in range(10):
            folder = root / split / str(digit)
            folder.mkdir(parents=True, exist_ok=True)
            chosen = rng.choice(np.flatnonzero(labels == digit), per_class, replace=False)
            for i, index in enumerate(chosen):
                side = int(rng.integers(20, 85))
                picture = Image.fromarray(255 - images[index]).resize((side, side), Image.Resampling.BICUBIC)
                mode = modes[i % len(modes)]
                (picture.convert(mode) if mode != "P" else picture.convert("RGB").convert("P")).save(
                    folder / f"{i:04d}.png")
    return root


def bench_images(workdir: Path) -> None:
    print("== 1. an image folder made from MNIST PNGs (10 classes x 500 training images, dark-on-light, "
          "mixed sizes)")
    start = time.perf_counter()
    folder = write_mnist_folder(workdir / "digits")
    print(f"   wrote {10 * (TRAIN_PER_CLASS + TEST_PER_CLASS):,} PNG files in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    ev = paradigms.run("supervised", data=str(folder), seed=0)
    seconds = time.perf_counter() - start
    accuracy = ev.measure.value
    print(f"   test accuracy {accuracy:.4f} in {seconds:.1f} s (read {ev.timings['data_load_seconds']:.1f} s, "
          f"train {ev.timings['fit_seconds']:.1f} s); {ev.dataset.notes}")
    print(f"   target: accuracy >= 0.95 {verdict(accuracy >= 0.95)}; under 20 s {verdict(seconds < 20)}")


def bench_tables(workdir: Path, seeds: int) -> None:
    from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine

    print("== 2. scikit-learn's tables: the network beside a linear model on the same split")
    for name, loader in (("wine", load_wine), ("breast_cancer", load_breast_cancer), ("diabetes", load_diabetes)):
        path = workdir / f"{name}.csv"
        loader(as_frame=True).frame.to_csv(path, index=False)
        rows = []
        for seed in range(seeds):
            start = time.perf_counter()
            ev = paradigms.run("supervised", data=str(path), target="target", seed=seed)
            m = ev.metrics
            linear = m.get("linear_test_accuracy", m.get("linear_test_r2"))
            rows.append((ev.measure.value, linear, time.perf_counter() - start))
        values, linears = np.array([r[0] for r in rows]), np.array([r[1] for r in rows])
        regression = name == "diabetes"
        margin = 0.05 if regression else 0.02
        ok = bool(np.all(values >= linears - margin))
        what, linear_name = ("R²", "ridge") if regression else ("accuracy", "logistic")
        shown = ", ".join(f"{v:.3f} vs {lin:.3f}" for v, lin, _ in rows)
        print(f"   {name}: network {what} vs {linear_name} regression per seed: {shown}; "
              f"mean {values.mean():.3f} vs {linears.mean():.3f}; {np.mean([r[2] for r in rows]):.1f} s a run")
        print(f"   target: within {margin:.2f} of {linear_name} regression or better, every seed: {verdict(ok)}")


def bench_big(workdir: Path) -> None:
    from sklearn.datasets import make_classification

    print("== 3. a 100,000-row, 50-column table: read, encoded and trained")
    x, y = make_classification(n_samples=100_000, n_features=40, n_informative=20, n_classes=3, random_state=0)
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(40)])
    rng = np.random.default_rng(0)
    for i in range(8):
        frame[f"c{i}"] = rng.choice(list("abcdef"), size=len(frame))
    frame.insert(0, "id", np.arange(len(frame)))
    frame["target"] = np.array(["red", "green", "blue"])[y]
    frame.loc[rng.random(len(frame)) < 0.01, "x3"] = np.nan
    path = workdir / "big.csv"
    frame.to_csv(path, index=False)
    start = time.perf_counter()
    ev = paradigms.run("supervised", data=str(path), target="target", seed=0)
    seconds = time.perf_counter() - start
    t = ev.timings
    print(f"   {path.stat().st_size / 1e6:.0f} MB CSV: test accuracy {ev.measure.value:.4f} "
          f"(logistic regression {ev.metrics['linear_test_accuracy']:.4f}) in {seconds:.1f} s: read + encode "
          f"{t['data_load_seconds']:.1f} s, network {t['fit_seconds']:.1f} s, linear model {t['linear_fit_seconds']:.1f} s")
    print(f"   target: under 60 s {verdict(seconds < 60)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("images", "tables", "big"), default=None)
    parser.add_argument("--seeds", type=int, default=3, help="seeds per table (default 3)")
    args = parser.parse_args()
    warnings.simplefilter("ignore", UserWarning)
    print(load_line())
    with tempfile.TemporaryDirectory(prefix="bench-own-data-") as tmp:
        workdir = Path(tmp)
        if args.only in (None, "images"):
            bench_images(workdir)
        if args.only in (None, "tables"):
            bench_tables(workdir, args.seeds)
        if args.only in (None, "big"):
            bench_big(workdir)
    print(load_line())


if __name__ == "__main__":
    main()
