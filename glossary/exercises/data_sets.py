"""Exercises on the three sets: training set, validation set, test set.

* training set: estimate a model's accuracy on new data without scoring it on what it was fitted to
  (the check watches which images the model is fitted on and which it is scored on);
* validation set: choose among the 40 candidates of the glossary's split experiment
  (:mod:`glossary._splits`) and report honestly, over many random splits;
* test set: split a data set, sorted by label as data often come, without leaking the test set.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from paradigms.seeding import numpy_rng

from .._data import digits
from .._splits import SplitSettings, _candidate_accuracies, points
from ._base import AnswerFailed, Exercise, Feedback, as_number, call_answer, checked

# -- training set ------------------------------------------------------------------------------

TRAINING_TASK = """
A model that memorises its training images (a 1-nearest-neighbour classifier: it answers with the label of
the most similar image it was fitted on) gets 100% of them right, even when some labels are wrong, as in
real data. How well does it do on new images? Write `estimate_accuracy(fit, X, y)`: `fit(X, y)` returns a
fitted model with `predict(X)`; `X, y` are 1,200 digits with their labels (30% of them wrong). Return your
estimate of the accuracy of a model fitted on such data, on images it has never seen. The check compares it
with the real accuracy on 597 images you never get, within 6 points.
"""

LABEL_NOISE, POOL = 0.3, 1200


@cache
def _noisy_digits() -> tuple[np.ndarray, np.ndarray]:
    X, y = digits()
    rng = numpy_rng(0, 22)
    order = rng.permutation(len(X))
    X, y = X[order], y[order].copy()
    wrong = rng.random(len(y)) < LABEL_NOISE
    y[wrong] = (y[wrong] + rng.integers(1, 10, size=int(wrong.sum()))) % 10  # another digit, never the right one
    return X, y


class _Watched:
    """A 1-nearest-neighbour model that counts the images it is scored on after being fitted on them.

    Each model remembers its own training images, so cross-validation (many models,
    each scored on the part it did not see) is honest, as it should be."""

    def __init__(self, log: dict[str, int]) -> None:
        self.log = log

    def fit(self, X: Any, y: Any) -> _Watched:
        from sklearn.neighbors import (
            KNeighborsClassifier,  # start-up time: scikit-learn loads on first use
        )

        X = np.asarray(X, dtype=np.float32)
        self.fitted_ = {row.tobytes() for row in X}
        self.log["largest_fit"] = max(self.log["largest_fit"], len(self.fitted_))
        self.model_ = KNeighborsClassifier(n_neighbors=1).fit(X, np.asarray(y))
        return self

    def predict(self, X: Any) -> np.ndarray:
        X = np.asarray(X, dtype=np.float32)
        self.log["seen"] += sum(row.tobytes() in self.fitted_ for row in X)
        return self.model_.predict(X)


@checked("training-set", "estimate_accuracy(fit, X, y) must return one number between 0 and 1")
def check_training_set(answer: Any) -> Feedback:
    """The estimate against the real accuracy on hidden images; which images were fitted and scored."""
    X, y = _noisy_digits()
    log = {"seen": 0, "largest_fit": 0}
    estimate = as_number(call_answer(answer, lambda X_, y_: _Watched(log).fit(X_, y_), X[:POOL].copy(), y[:POOL].copy(),
                                     name="estimate_accuracy"), "the estimate")
    real_model = _Watched({"seen": 0, "largest_fit": 0}).fit(X[:POOL], y[:POOL])
    real = float(np.mean(real_model.predict(X[POOL:]) == y[POOL:]))
    seen, fitted = log["seen"], log["largest_fit"]
    numbers = {"estimate": estimate, "real_accuracy": real, "scored_on_training_images": seen, "fitted_on": fitted}
    if seen:
        return Feedback("training-set", False, (
            f"your estimate ({estimate:.1%}) scores the model on {seen:,} images it was fitted on; on new images it gets {real:.1%}."),
            "a model's score on its training set flatters it: it has seen those images (and memorised their wrong labels, too).",
            "hold some images back: fit on one part, score on the other part only.", numbers)
    if fitted and fitted < POOL // 2:
        return Feedback("training-set", False, (
            f"you fitted the model on only {fitted:,} of the {POOL:,} images: your estimate ({estimate:.1%}) is of a "
            f"weaker model than one fitted on them all ({real:.1%} on new images)."),
            "the training set is the model's experience: a smaller one gives a different, usually worse, model.",
            "keep most images for training (say 80%) and hold back the rest to score on.", numbers)
    if abs(estimate - real) > 0.06:
        return Feedback("training-set", False, f"your estimate is {estimate:.1%}; the model gets {real:.1%} of new images right.",
                        "an honest estimate scores the model on held-back images, which stand in for the new data.",
                        "fit on most of the images, predict the rest, and return the share predicted right.", numbers)
    return Feedback("training-set", True, (
        f"you estimated {estimate:.1%}; on 597 new images the model gets {real:.1%}. On its own training images it would score 100%."),
        "held-back images play the new data: the model has not seen them, so its score on them is honest.",
        "the gap between 100% and the real accuracy is what the training-set demo measures (glossary.training_set.demo()).", numbers)


TRAINING_PLACEHOLDER = '''import numpy as np


def estimate_accuracy(fit, X, y):
    model = fit(X, y)
    # TODO: is scoring on the images it was fitted on honest?
    return float(np.mean(model.predict(X) == y))
'''

TRAINING_SOLUTION = '''import numpy as np


def estimate_accuracy(fit, X, y):
    cut = int(0.8 * len(X))                 # 80% to learn from, 20% held back (X comes shuffled)
    model = fit(X[:cut], y[:cut])
    return float(np.mean(model.predict(X[cut:]) == y[cut:]))
'''

# -- validation set ----------------------------------------------------------------------------

VALIDATION_TASK = """
The split experiment of the validation-set demo: 40 candidate digit classifiers, each fitted on the same
training set, then scored on a validation set and on a test set. Write `choose(validation_accuracies,
test_accuracies)`: both are arrays with one accuracy per candidate; return `(index, reported)`, the candidate
you keep and the accuracy you report for it. The check repeats this on 60 random splits and compares what
you report with the chosen model's real accuracy on about 1,300 new images.
"""

SPLITS = 60


@cache
def _candidates() -> np.ndarray:
    """Accuracies of every candidate on training, validation, test and new data, for each split."""
    from threadpoolctl import threadpool_limits  # comes with scikit-learn

    config = SplitSettings()
    X, y = digits()
    X = np.c_[X, np.ones(len(X))]
    targets = np.eye(10)[y] * 2.0 - 1.0
    sizes = np.cumsum([config.train_size, config.validation_size, config.test_size])
    out = []
    with threadpool_limits(1):
        for repeat in range(SPLITS):
            rng = numpy_rng(0, 22, repeat)
            parts = np.split(rng.permutation(len(X)), sizes)
            pixels = rng.random((config.candidates, 64)).argsort(axis=1)[:, : config.pixels]
            columns = np.c_[pixels, np.full(config.candidates, 64)]
            out.append(_candidate_accuracies(X, X.astype(np.float32), y, targets, parts, columns))
    return np.array(out)  # splits x candidates x (training, validation, test, new data)


@checked("validation-set", "choose(...) must return a pair (index, reported)")
def check_validation_set(answer: Any) -> Feedback:
    """``choose`` on 60 splits: how far the reports are from the chosen models' accuracy on new data."""
    accuracies = _candidates()
    reported, real, by_validation, by_test, reported_test = [], [], [], [], []
    for split in accuracies:
        result = call_answer(answer, split[:, 1].copy(), split[:, 2].copy(), name="choose")
        if not isinstance(result, tuple | list) or len(result) != 2:
            raise AnswerFailed(f"choose returned {type(result).__name__}, not a pair (index, reported)")
        index = as_number(result[0], "the index")
        if index != int(index) or not 0 <= index < len(split):
            raise AnswerFailed(f"choose returned index {result[0]!r}: a candidate's index runs from 0 to {len(split) - 1}")
        index = int(index)
        reported.append(as_number(result[1], "the reported accuracy"))
        real.append(split[index, 3])
        by_validation.append(split[index, 1] == split[:, 1].max())
        by_test.append(split[index, 2] == split[:, 2].max())
        reported_test.append(np.isclose(reported[-1], split[index, 2]))
    optimism = float(np.mean(np.array(reported) - np.array(real)))
    honest = float(np.mean([split[int(np.argmax(split[:, 1])), 3] for split in accuracies]))
    numbers = {"reported": float(np.mean(reported)), "real": float(np.mean(real)), "optimism": optimism, "splits": SPLITS}
    summary = f"over {SPLITS} splits you report {np.mean(reported):.1%} on average; the chosen models get {np.mean(real):.1%} of new images right ({points(optimism)} points)"
    if all(by_validation) and all(reported_test):
        return Feedback("validation-set", True, summary + ".",
                        "chosen on the validation set, the model's test score was never used for a choice, so it reports honestly (give or take the noise of 100 images).",
                        "try reporting the validation score instead: it was used to choose, so it flatters.", numbers)
    if np.mean(by_test) > 0.9 and not all(by_validation):
        return Feedback("validation-set", False, summary + ": you chose on the test set.",
                        "picking the best of 40 test scores picks luck as well as skill, and then that lucky score is reported.",
                        "choose the candidate with the best validation accuracy; report its test accuracy.", numbers)
    if all(by_validation) and not all(reported_test):
        return Feedback("validation-set", False, summary + ": you report a score that was used to choose.",
                        "the validation score of the winner is the best of 40 noisy scores, so it overstates; the test set was not used to choose, so it does not.",
                        "report the chosen candidate's test accuracy.", numbers)
    return Feedback("validation-set", False, summary + f"; the candidate best on validation gets {honest:.1%}.",
                    "the validation set is for choosing: the candidate that does best on it is the best guess at the best on new data.",
                    "index = the argmax of validation_accuracies; reported = test_accuracies[index].", numbers)


VALIDATION_PLACEHOLDER = '''import numpy as np


def choose(validation_accuracies, test_accuracies):
    # TODO: which candidate, and which of its scores to report?
    index = int(np.argmax(test_accuracies))
    return index, test_accuracies[index]
'''

VALIDATION_SOLUTION = '''import numpy as np


def choose(validation_accuracies, test_accuracies):
    index = int(np.argmax(validation_accuracies))   # choose on validation...
    return index, test_accuracies[index]            # ...report on test, which no choice has touched
'''

# -- test set ----------------------------------------------------------------------------------

TEST_TASK = """
Split a data set without leaking the test set. Write `split(labels, seed)`: `labels` is an array with one
label per example (1,797 digits, sorted by label, as data often come); return three arrays of example
indices: `(train, validation, test)`. The test set must share no example with the other two, hold at least
10% of the data, and look like the whole (every digit in about its share); the training set must be the
largest; the same seed must give the same split.
"""


def _as_indices(part: Any, name: str, n: int) -> np.ndarray:
    array = np.asarray(part).reshape(-1)
    if array.size and (not np.issubdtype(array.dtype, np.integer) or array.min() < 0 or array.max() >= n):
        raise AnswerFailed(f"the {name} set is not a list of example indices from 0 to {n - 1}")
    return array.astype(np.int64)


@checked("test-set", "split(labels, seed) must return three arrays of indices: (train, validation, test)")
def check_test_set(answer: Any) -> Feedback:
    """A split of label-sorted digits: leaks, sizes, class shares, reproducibility."""
    labels = np.sort(digits()[1])
    n = len(labels)

    def parts(seed: int) -> list[np.ndarray]:
        result = call_answer(answer, labels.copy(), seed, name="split")
        if not isinstance(result, tuple | list) or len(result) != 3:
            raise AnswerFailed(f"split returned {type(result).__name__}, not three arrays (train, validation, test)")
        return [_as_indices(p, name, n) for p, name in zip(result, ("training", "validation", "test"), strict=True)]

    train, validation, test = parts(0)
    numbers = {"train": len(train), "validation": len(validation), "test": len(test)}
    leaked = len(np.intersect1d(test, np.r_[train, validation]))
    if leaked:
        return Feedback("test-set", False, f"{leaked:,} examples of your test set are also in the training or validation set.",
                        "a test example the model trained on (or was chosen on) is no longer new: the test score then flatters the model.",
                        "cut one shuffled order of the indices into three slices, so that no index is in two sets.", numbers)
    if len(np.intersect1d(train, validation)):
        return Feedback("test-set", False, f"{len(np.intersect1d(train, validation)):,} examples are in both the training and the validation set.",
                        "validation examples the model trained on make the validation score flatter the model, and the choices made with it.",
                        "cut one shuffled order of the indices into three slices.", numbers)
    if len(test) < 0.1 * n or len(train) <= max(len(validation), len(test)):
        return Feedback("test-set", False, f"your sets hold {len(train):,}, {len(validation):,} and {len(test):,} examples.",
                        "the training set is the model's experience, so it is the largest; a test set below 10% gives a noisy report.",
                        "try 70% / 15% / 15% of the examples.", numbers)
    overall = np.bincount(labels, minlength=10) / n
    share = np.bincount(labels[test], minlength=10) / max(len(test), 1)
    missing = [str(d) for d in range(10) if share[d] == 0]
    if missing or np.max(np.abs(share - overall)) > 0.06:
        held = ", ".join(str(d) for d in range(10) if share[d] > 0)
        return Feedback("test-set", False, f"your test set holds only the digits {held}" if missing else
                        f"digit {int(np.argmax(np.abs(share - overall)))} makes up {share.max():.0%} of your test set against {overall.max():.0%} of the data.",
                        "the data come sorted by label, so cutting them in order puts different digits in different sets: the test set must look like the data the model will meet.",
                        "shuffle the indices with a seeded generator (np.random.default_rng(seed).permutation(len(labels))) before cutting.", numbers)
    again = parts(0)
    if any(not np.array_equal(a, b) for a, b in zip(again, (train, validation, test), strict=True)):
        return Feedback("test-set", False, "the same seed gave two different splits.",
                        "a split that changes from run to run lets test examples drift into training between runs, and no result can be repeated.",
                        "draw the shuffle from np.random.default_rng(seed), not from an unseeded generator.", numbers)
    return Feedback("test-set", True, (
        f"{len(train):,} / {len(validation):,} / {len(test):,} examples, no example in two sets, every digit in about its share of the test set, the same split for the same seed."),
        "the test set stays untouched until the end: used once, to report, it says how the model will do on new data.",
        "see what tuning on the test set does to the report: glossary.test_set.demo().", numbers)


TEST_PLACEHOLDER = '''import numpy as np


def split(labels, seed):
    n = len(labels)
    # TODO: is cutting the data in their order safe?
    order = np.arange(n)
    return order[: int(0.7 * n)], order[int(0.7 * n) : int(0.85 * n)], order[int(0.85 * n) :]
'''

TEST_SOLUTION = '''import numpy as np


def split(labels, seed):
    n = len(labels)
    order = np.random.default_rng(seed).permutation(n)     # shuffle first: the data come sorted
    return order[: int(0.7 * n)], order[int(0.7 * n) : int(0.85 * n)], order[int(0.85 * n) :]
'''

EXERCISES = (
    Exercise("training-set", "An honest estimate", TRAINING_TASK, "function", "estimate_accuracy",
             TRAINING_PLACEHOLDER, TRAINING_SOLUTION, check_training_set),
    Exercise("validation-set", "Choose on validation, report on test", VALIDATION_TASK, "function", "choose",
             VALIDATION_PLACEHOLDER, VALIDATION_SOLUTION, check_validation_set),
    Exercise("test-set", "Split without leaking", TEST_TASK, "function", "split",
             TEST_PLACEHOLDER, TEST_SOLUTION, check_test_set),
)
