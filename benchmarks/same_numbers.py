"""Digests of what the same seeds produce, to compare a tree before and after a refactoring.

Prints one line per run: a SHA-256 (first 16 hex digits) of the run's numbers (measure,
metrics, learning curve; timings left out) and, for the estimators, of the trained weights.
Two trees that print the same lines compute the same numbers. Small runs: about a minute.

    python benchmarks/same_numbers.py > before.txt   # on the old tree
    python benchmarks/same_numbers.py > after.txt    # on the new one; diff the two
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np


def _is_clock(name: str) -> bool:
    """Timings differ run to run; they are left out of the digests."""
    return any(word in name for word in ("time", "second", "per_s"))


def _digest(value: object) -> str:
    def clean(x: object) -> object:
        if isinstance(x, dict):
            return {str(k): clean(v) for k, v in sorted(x.items(), key=lambda kv: str(kv[0])) if not _is_clock(str(k))}
        if isinstance(x, (list, tuple)):
            return [clean(v) for v in x]
        if isinstance(x, float):
            return "nan" if math.isnan(x) else repr(round(x, 10))
        if isinstance(x, np.ndarray):
            return hashlib.sha256(np.ascontiguousarray(x).tobytes()).hexdigest()
        return x if isinstance(x, (int, str, bool, type(None))) else repr(x)

    return hashlib.sha256(json.dumps(clean(value), sort_keys=True).encode()).hexdigest()[:16]


def _evaluation(ev: object) -> str:
    return _digest({"measure": [ev.measure.name, ev.measure.value, ev.measure.baseline],
                    "metrics": {k: v for k, v in ev.metrics.items() if not isinstance(v, (bytes, bytearray))},
                    "curve": ev.curve.drop(columns=[c for c in ev.curve.columns if _is_clock(str(c))]).to_dict(orient="list")})


def runs() -> dict[str, Callable[[], str]]:
    import paradigms

    def run(name: str, **settings: object) -> Callable[[], str]:
        return lambda: _evaluation(paradigms.run(name, quick=True, seed=0, **settings))

    def classifier() -> str:
        import torch
        from sklearn.datasets import load_digits

        from paradigms.supervised import DigitClassifier

        X, y = load_digits(return_X_y=True)
        model = DigitClassifier(epochs=2, random_state=0).fit(X, y)
        state = model.model_.state_dict() if hasattr(model, "model_") else {}
        weights = {k: v.detach().cpu().numpy() for k, v in state.items() if isinstance(v, torch.Tensor)}
        return _digest({"weights": weights, "predictions": model.predict(X[:200])})

    def segmenter() -> str:
        from sklearn.datasets import make_blobs

        from paradigms.unsupervised import CustomerSegmenter

        X, _ = make_blobs(n_samples=600, n_features=5, centers=4, random_state=0)
        model = CustomerSegmenter(n_clusters=4, random_state=0).fit(np.abs(X) + 1.0)
        return _digest({"labels": np.asarray(model.labels_)})

    return {
        "supervised --quick": run("supervised"),
        "unsupervised --quick": run("unsupervised"),
        "reinforcement --quick (CartPole, PPO)": run("reinforcement"),
        "reinforcement --quick FrozenLake": run("reinforcement", env="FrozenLake-v1"),
        "reinforcement --quick Pendulum": run("reinforcement", env="Pendulum-v1"),
        "reinforcement --quick DQN": run("reinforcement", agent="dqn"),
        "reinforcement --quick DigitGuess small": run("reinforcement", env="paradigms/DigitGuess-v0",
                                                     env_kwargs="small=true"),
        "DigitClassifier on sklearn digits": classifier,
        "CustomerSegmenter k=4": segmenter,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated substrings of the run names to keep")
    args = parser.parse_args()
    os.environ.setdefault("LEARNING_PARADIGMS_DATA", str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    mnist = Path(os.environ["LEARNING_PARADIGMS_DATA"]) / "mnist"
    if not mnist.is_dir():  # the digests differ without it: say so rather than compare the wrong runs
        print(f"note: no MNIST at {mnist}: the supervised runs use the 8x8 digits and their digests differ from "
              "runs with MNIST; set LEARNING_PARADIGMS_DATA to the folder that holds mnist/", file=sys.stderr)
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        for name, make in runs().items():
            if args.only and not any(part in name for part in args.only.split(",")):
                continue
            try:
                print(f"{make()}  {name}", flush=True)
            except Exception as exc:  # noqa: BLE001 - a digest script reports and goes on
                print(f"ERROR {type(exc).__name__}: {exc}  {name}", flush=True)


if __name__ == "__main__":
    main()
