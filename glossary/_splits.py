"""The experiment behind *training set*, *validation set* and *test set*.

The bundled digits are cut into four parts: a training set (300 images) to fit
each candidate model, a validation set (100) to choose among the candidates, a
test set (100) to report the chosen one's accuracy, and everything left over
(about 1,300 images) standing in for the new data the model will meet once it
is in use, whose accuracy is what we really want to know.

The candidates: 40 linear classifiers, each looking at a different random
choice of 20 of the 64 pixels (as if trying 40 settings of a model). Two
procedures are compared, repeated on several random splits:

* **honest**: choose on the validation set, report the chosen model's test accuracy;
* **tuned on the test set**: choose on the test set, report that same test accuracy.

The honest report matches the accuracy on new data (on average); the tuned one
overstates it, because picking the best of 40 noisy scores picks luck as well
as skill. The training accuracy overstates it too: the model has seen those
images.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
import pandas as pd

from paradigms.errors import ConfigError
from paradigms.seeding import check_seed, numpy_rng
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers
from ._data import digits


@dataclass(frozen=True)
class SplitSettings(Settings):
    """Settings of the data-split experiment (shared by the three set demos)."""

    train_size: int = setting(300, "images in the training set", min=20, max=1500)
    validation_size: int = setting(100, "images in the validation set", min=10, max=1000)
    test_size: int = setting(100, "images in the test set", min=10, max=1000)
    candidates: int = setting(40, "candidate models to choose from", min=2, max=500)
    pixels: int = setting(20, "pixels (of 64) each candidate looks at", min=1, max=64)
    repeats: int = setting(20, "random splits the whole experiment is repeated on", min=1, max=200)

    def __post_init__(self) -> None:
        super().__post_init__()
        used = self.train_size + self.validation_size + self.test_size
        if used > 1797 - 100:
            raise ConfigError(
                f"train_size + validation_size + test_size = {used} leaves fewer than 100 of the 1,797 "
                "digits as new data: make the sets smaller"
            )


def _fit_linear(features: np.ndarray, targets: np.ndarray, ridge: float = 0.1) -> np.ndarray:
    """Least-squares linear classifier (one output per class, +1/-1 targets), lightly regularized."""
    gram = features.T @ features + ridge * np.eye(features.shape[1])
    return np.linalg.solve(gram, features.T @ targets)


def split_experiment(config: SplitSettings, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(per_repeat, first_candidates)``: one row per repeated split, and every
    candidate's four accuracies on the first split (for the figure).

    The three set demos share this experiment; the last few runs are cached (the
    result depends only on the settings and the seed), and each caller gets copies.
    """
    per_repeat, first = _split_experiment(config, seed)
    return per_repeat.copy(), first.copy()


@lru_cache(maxsize=4)
def _split_experiment(config: SplitSettings, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    X, y = digits()
    X = np.c_[X, np.ones(len(X))]  # a constant column: the bias
    targets = np.eye(10)[y] * 2.0 - 1.0
    sizes = np.cumsum([config.train_size, config.validation_size, config.test_size])
    rows, first = [], None
    for repeat in range(config.repeats):
        rng = numpy_rng(seed, repeat)
        order = rng.permutation(len(X))
        parts = np.split(order, sizes)  # train, validation, test, new data
        accuracies = np.empty((config.candidates, 4))
        for candidate in range(config.candidates):
            columns = np.r_[rng.choice(64, config.pixels, replace=False), 64]
            weights = _fit_linear(X[parts[0]][:, columns], targets[parts[0]])
            correct = (X[:, columns] @ weights).argmax(axis=1) == y
            accuracies[candidate] = [correct[part].mean() for part in parts]
        by_validation = int(accuracies[:, 1].argmax())
        by_test = int(accuracies[:, 2].argmax())
        rows.append(
            {
                "split": repeat + 1,
                "honest: training acc.": accuracies[by_validation, 0],
                "honest: reported (test acc.)": accuracies[by_validation, 2],
                "honest: new-data acc.": accuracies[by_validation, 3],
                "tuned on test: reported (test acc.)": accuracies[by_test, 2],
                "tuned on test: new-data acc.": accuracies[by_test, 3],
            }
        )
        if first is None:
            first = pd.DataFrame(accuracies, columns=["training", "validation", "test", "new data"])
            first["chosen on validation"] = np.arange(config.candidates) == by_validation
            first["chosen on test"] = np.arange(config.candidates) == by_test
    return pd.DataFrame(rows), first


def split_numbers(per_repeat: pd.DataFrame, config: SplitSettings) -> dict[str, float]:
    """The averages over the repeated splits that the three demos report."""
    mean = per_repeat.mean()
    honest_report = mean["honest: reported (test acc.)"]
    honest_truth = mean["honest: new-data acc."]
    tuned_report = mean["tuned on test: reported (test acc.)"]
    tuned_truth = mean["tuned on test: new-data acc."]
    training = mean["honest: training acc."]
    return {
        "training_size": config.train_size,
        "validation_size": config.validation_size,
        "test_size": config.test_size,
        "new_data_size": 1797 - config.train_size - config.validation_size - config.test_size,
        "candidates": config.candidates,
        "repeats": config.repeats,
        "training_accuracy": training,
        "honest_reported_accuracy": honest_report,
        "honest_new_data_accuracy": honest_truth,
        "honest_optimism": honest_report - honest_truth,
        "tuned_on_test_reported_accuracy": tuned_report,
        "tuned_on_test_new_data_accuracy": tuned_truth,
        "tuned_on_test_optimism": tuned_report - tuned_truth,
        "training_optimism": training - honest_truth,
    }


def draw_splits(numbers: dict, candidates: pd.DataFrame, *, focus: str):
    """Left: the candidates of the first split; right: reported against real accuracy."""
    fig = figure(10.0, 3.8)
    scatter_ax, bar_ax = fig.subplots(1, 2)
    chooser = "test" if focus == "test" else "validation"
    scatter_ax.scatter(candidates[chooser], candidates["new data"], s=18, color="C7", label="candidate models")
    for column, color, label in (("chosen on validation", "C2", "chosen on validation"), ("chosen on test", "C3", "chosen on test")):
        row = candidates[candidates[column]].iloc[0]
        scatter_ax.scatter([row[chooser]], [row["new data"]], s=70, color=color, label=label, zorder=3)
    low = float(min(candidates[chooser].min(), candidates["new data"].min())) - 0.02
    high = float(max(candidates[chooser].max(), candidates["new data"].max())) + 0.02
    scatter_ax.plot([low, high], [low, high], color="gray", linestyle=":", label="score = new-data accuracy")
    scatter_ax.set(xlabel=f"{chooser} accuracy", ylabel="accuracy on new data", title=f"{len(candidates)} candidates, first split")
    scatter_ax.legend(fontsize=8)
    labels = ["training\naccuracy", "chosen on validation,\nreported on test", "chosen and reported\non test"]
    reported = [numbers["training_accuracy"], numbers["honest_reported_accuracy"], numbers["tuned_on_test_reported_accuracy"]]
    truth = [numbers["honest_new_data_accuracy"], numbers["honest_new_data_accuracy"], numbers["tuned_on_test_new_data_accuracy"]]
    positions = np.arange(3)
    bar_ax.bar(positions - 0.2, reported, width=0.4, label="the score we would report", color=["C0", "C2", "C3"])
    bar_ax.bar(positions + 0.2, truth, width=0.4, label="accuracy on new data", color="C7")
    bar_ax.set_xticks(positions, labels, fontsize=8)
    bar_ax.set_ylim(min(reported + truth) - 0.08, min(1.0, max(reported + truth) + 0.05))
    bar_ax.set(ylabel="accuracy", title=f"Reported vs real, mean of {int(numbers['repeats'])} splits")
    bar_ax.legend(fontsize=8, loc="upper left")
    return fig


def split_demo(
    term: Term,
    *,
    focus: str,
    seed: int,
    settings: Mapping[str, object],
    finding: Callable[[dict, SplitSettings], str],
) -> DemoResult:
    """Run the shared experiment and wrap it as ``term``'s result.

    The three set demos differ only in the sentence they draw from the numbers
    (``finding``) and the set their figure puts first (``focus``).
    """
    config: SplitSettings = make_settings(SplitSettings, dict(settings))
    seed = check_seed(seed)
    per_repeat, candidates = split_experiment(config, seed)
    numbers = plain_numbers(split_numbers(per_repeat, config))
    return DemoResult(
        term=term, numbers=numbers, table=per_repeat, finding=finding(numbers, config), settings=config,
        seed=seed, draw=partial(_draw_result, focus=focus), data={"candidates": candidates},
    )


def _draw_result(result: DemoResult, *, focus: str):
    return draw_splits(result.numbers, result.data["candidates"], focus=focus)
