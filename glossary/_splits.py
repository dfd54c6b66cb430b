"""The experiment behind *training set*, *validation set* and *test set*.

The bundled digits are cut into four parts: a training set (300 images) to fit
each candidate model, a validation set (100) to choose among the candidates, a
test set (100) to report the chosen one's accuracy, and everything left over
(about 1,300 images) standing in for the new data the model will meet once it
is in use, whose accuracy is what we really want to know.

The candidates: 40 linear classifiers, each looking at a different random
choice of 20 of the 64 pixels (as if trying 40 settings of a model). Two
procedures are compared, repeated on 200 random splits (one split alone is
too noisy to show the effect reliably: a 100-image test set moves by several
percentage points from split to split):

* **honest**: choose on the validation set, report the chosen model's test accuracy;
* **tuned on the test set**: choose on the test set, report that same test accuracy.

The honest report matches the accuracy on new data (on average); the tuned one
overstates it, because picking the best of 40 noisy scores picks luck as well
as skill. Peeking does not pick a better model either: on new data the two
chosen models do about equally well; only the report differs. The training
accuracy overstates it too: the model has seen those images. Every number
comes with its 95% interval over the splits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
import pandas as pd

from paradigms.errors import ConfigError
from paradigms.report.stats import mean_interval
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
    repeats: int = setting(200, "random splits the whole experiment is repeated on", min=2, max=2000)

    def __post_init__(self) -> None:
        super().__post_init__()
        used = self.train_size + self.validation_size + self.test_size
        if used > 1797 - 100:
            raise ConfigError(
                f"train_size + validation_size + test_size = {used} leaves fewer than 100 of the 1,797 "
                "digits as new data: make the sets smaller"
            )


def _candidate_accuracies(X, X32, y, targets, parts, columns, ridge: float = 0.1) -> np.ndarray:
    """Fit every candidate (a least-squares linear classifier on its own pixels, one
    output per class, +1/-1 targets, lightly regularized) on the training part, and
    return its accuracy on each part: shape (candidates, parts).

    All candidates at once: their normal equations are sub-matrices of one Gram
    matrix, and their predictions one matrix product."""
    train = parts[0]
    gram, moment = X[train].T @ X[train], X[train].T @ targets[train]
    count, size = columns.shape
    systems = gram[columns[:, :, None], columns[:, None, :]] + ridge * np.eye(size)
    weights = np.linalg.solve(systems, moment[columns])  # candidates x pixels x classes
    full = np.zeros((X.shape[1], targets.shape[1], count), dtype=np.float32)  # features x classes x candidates
    full[columns, :, np.arange(count)[:, None]] = weights
    scores = (X32 @ full.reshape(X.shape[1], -1)).reshape(len(X), targets.shape[1], count)
    # right when the true class scores highest (a max over the middle axis is fast; argmax over 10 is not)
    correct = (scores[np.arange(len(X)), y, :] >= scores.max(axis=1)).T  # candidates x images
    return np.stack([correct[:, part].mean(axis=1) for part in parts], axis=1)


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
    X32 = X.astype(np.float32)  # predictions in single precision: twice as fast, the same argmax
    targets = np.eye(10)[y] * 2.0 - 1.0
    sizes = np.cumsum([config.train_size, config.validation_size, config.test_size])
    rows, first = [], None
    # threadpoolctl comes with scikit-learn, which the experiment loads
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # small matrices: one thread is fastest, and fair to a busy machine
        for repeat in range(config.repeats):
            rng = numpy_rng(seed, repeat)
            parts = np.split(rng.permutation(len(X)), sizes)  # train, validation, test, new data
            pixels = rng.random((config.candidates, 64)).argsort(axis=1)[:, : config.pixels]
            columns = np.c_[pixels, np.full(config.candidates, 64)]  # each candidate's pixels, and the bias
            accuracies = _candidate_accuracies(X, X32, y, targets, parts, columns)
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
    assert first is not None  # repeats >= 2 (SplitSettings)
    return pd.DataFrame(rows), first


def mean_and_interval(values: pd.Series) -> tuple[float, float]:
    """The mean over the splits and the half-width of its 95% interval (Student-t, as the report's)."""
    interval = mean_interval(values)
    assert interval.half_width is not None  # there is one for two values or more, and repeats >= 2
    return interval.mean, interval.half_width


def split_numbers(per_repeat: pd.DataFrame, config: SplitSettings) -> dict[str, float]:
    """The averages over the repeated splits that the three demos report, with their spread."""
    mean = per_repeat.mean()
    honest_gap = per_repeat["honest: reported (test acc.)"] - per_repeat["honest: new-data acc."]
    tuned_gap = per_repeat["tuned on test: reported (test acc.)"] - per_repeat["tuned on test: new-data acc."]
    training_gap = per_repeat["honest: training acc."] - per_repeat["honest: new-data acc."]
    choice_gap = per_repeat["tuned on test: new-data acc."] - per_repeat["honest: new-data acc."]
    honest_optimism, honest_interval = mean_and_interval(honest_gap)
    tuned_optimism, tuned_interval = mean_and_interval(tuned_gap)
    training_optimism, training_interval = mean_and_interval(training_gap)
    choice_difference, choice_interval = mean_and_interval(choice_gap)
    return {
        "training_size": config.train_size,
        "validation_size": config.validation_size,
        "test_size": config.test_size,
        "new_data_size": 1797 - config.train_size - config.validation_size - config.test_size,
        "candidates": config.candidates,
        "repeats": config.repeats,
        "training_accuracy": mean["honest: training acc."],
        "honest_reported_accuracy": mean["honest: reported (test acc.)"],
        "honest_new_data_accuracy": mean["honest: new-data acc."],
        "honest_optimism": honest_optimism,
        "honest_optimism_interval": honest_interval,
        "honest_error_one_split": float(honest_gap.std(ddof=1)),
        "tuned_on_test_reported_accuracy": mean["tuned on test: reported (test acc.)"],
        "tuned_on_test_new_data_accuracy": mean["tuned on test: new-data acc."],
        "tuned_on_test_optimism": tuned_optimism,
        "tuned_on_test_optimism_interval": tuned_interval,
        "tuned_on_test_overstated_share": float(np.mean(tuned_gap > 0)),
        "training_optimism": training_optimism,
        "training_optimism_interval": training_interval,
        "tuned_minus_honest_new_data": choice_difference,
        "tuned_minus_honest_new_data_interval": choice_interval,
    }


def points(value: float) -> str:
    """A difference of accuracies in percentage points, signed: ``+4.8`` (never ``-0.0``)."""
    return f"{round(100 * value, 1) + 0.0:+.1f}"


def interval_text(mean: float, half_width: float) -> str:
    """``"95% interval +4.5 to +5.1 points"``."""
    return f"95% interval {points(mean - half_width)} to {points(mean + half_width)} points"


def clearly(mean: float, half_width: float) -> int:
    """+1 if the interval lies above 0, -1 if below, 0 if it contains 0."""
    if mean - half_width > 0:
        return 1
    if mean + half_width < 0:
        return -1
    return 0


def draw_splits(numbers: dict, candidates: pd.DataFrame, *, focus: str):
    """The candidates of the first split; reported against real accuracy; how far off each report is."""
    fig = figure(12.0, 3.9)
    scatter_ax, bar_ax, gap_ax = fig.subplots(1, 3, width_ratios=(1.1, 1.3, 1.0))
    chooser = "test" if focus == "test" else "validation"
    scatter_ax.scatter(candidates[chooser], candidates["new data"], s=18, color="C7", label="candidate models")
    for column, color, label in (("chosen on validation", "C2", "chosen on validation"), ("chosen on test", "C3", "chosen on test")):
        row = candidates[candidates[column]].iloc[0]
        scatter_ax.scatter([row[chooser]], [row["new data"]], s=70, color=color, label=label, zorder=3)
    low = float(min(candidates[chooser].min(), candidates["new data"].min())) - 0.02
    high = float(max(candidates[chooser].max(), candidates["new data"].max())) + 0.02
    scatter_ax.plot([low, high], [low, high], color="gray", linestyle=":", label="score = new-data accuracy")
    scatter_ax.set(xlabel=f"{chooser} accuracy", ylabel="accuracy on new data", title=f"{len(candidates)} candidates, first split")
    scatter_ax.legend(fontsize=7)
    labels = ["training\naccuracy", "chosen on validation,\nreported on test", "chosen and reported\non test"]
    reported = [numbers["training_accuracy"], numbers["honest_reported_accuracy"], numbers["tuned_on_test_reported_accuracy"]]
    truth = [numbers["honest_new_data_accuracy"], numbers["honest_new_data_accuracy"], numbers["tuned_on_test_new_data_accuracy"]]
    positions = np.arange(3)
    bar_ax.bar(positions - 0.2, reported, width=0.4, label="the score we would report", color=["C0", "C2", "C3"])
    bar_ax.bar(positions + 0.2, truth, width=0.4, label="accuracy on new data", color="C7")
    for position, value in zip(positions, reported, strict=True):
        bar_ax.text(position - 0.2, value + 0.01, f"{value:.1%}", ha="center", va="bottom", fontsize=7)
    for position, value in zip(positions, truth, strict=True):
        bar_ax.text(position + 0.2, value + 0.01, f"{value:.1%}", ha="center", va="bottom", fontsize=7)
    bar_ax.set_xticks(positions, labels, fontsize=7)
    bar_ax.set_ylim(0, 1.12)
    bar_ax.set(ylabel="accuracy", title=f"Reported and real, mean of {int(numbers['repeats'])} splits")
    bar_ax.legend(fontsize=7, loc="upper right")
    gaps = [numbers["training_optimism"], numbers["honest_optimism"], numbers["tuned_on_test_optimism"]]
    errors = [numbers["training_optimism_interval"], numbers["honest_optimism_interval"], numbers["tuned_on_test_optimism_interval"]]
    gap_ax.bar(positions, [100 * g for g in gaps], yerr=[100 * e for e in errors], capsize=4, color=["C0", "C2", "C3"])
    gap_ax.axhline(0, color="black", linewidth=0.8)
    gap_ax.set_xticks(positions, ["training\nscore", "validation,\nthen test", "test\nonly"], fontsize=7)
    gap_ax.set(ylabel="reported minus real (percentage points)", title="Report minus real (95% interval)")
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
