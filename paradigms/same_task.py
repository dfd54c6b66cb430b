"""One task, three kinds of feedback: what the same-task comparison holds its three runs to.

Mitchell's T and P stay fixed and only the feedback changes: the supervised MLP
learns the training examples from their labels, the unsupervised paradigm groups
the same examples with nothing but the examples themselves, and the
reinforcement paradigm guesses a class for each example and is told only whether
it was right (a contextual bandit: one Gymnasium step per example). All three are
measured by the same P on the same held-out test examples, against the same
chance line, and E is counted on one axis: training examples seen (labelled,
unlabelled or guessed at).

This module is the contract, in the core so that each paradigm package and the
report can hold to it without importing each other:

* every run of a same-task comparison carries a learning curve with the columns
  :data:`EXAMPLES_SEEN` and :data:`TEST_ACCURACY` (for the clustering, the
  accuracy of its clusters matched one-to-one to the classes), and the final
  figure in its ``metrics`` under :data:`TEST_ACCURACY`; a run whose own learning
  curve has another axis (the MLP's, one point an epoch) keeps this one in its
  ``figure_data`` under :data:`CURVE_KEY` (:func:`same_task_curve`), and
  :func:`accuracy_curve` reads either;
* :data:`TASKS` says which settings make each paradigm learn a named task;
* :func:`bits_per_example` says how much one example's feedback can tell.

>>> round(bits_per_example("supervised", 10), 2), bits_per_example("reinforcement", 10)
(3.32, 1.0)
>>> bits_per_example("unsupervised", 10)
0.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd

from .errors import ConfigError
from .evaluation import Evaluation

#: The curve's column of experience, the same for all three: training examples seen.
EXAMPLES_SEEN = "examples_seen"
#: The curve's column of performance, the same for all three: accuracy on the test examples.
TEST_ACCURACY = "test_accuracy"
#: The Gymnasium id of the digit-guessing contextual bandit (MNIST: see an image, guess, get 1 or 0).
DIGIT_GUESS_ID = "paradigms/DigitGuess-v0"
#: The Gymnasium id of the same bandit over the rows of a labelled table (``data=...``, ``target=...``).
TABLE_GUESS_ID = "paradigms/TableGuess-v0"
#: The unsupervised paradigm's ``kind`` that clusters the MNIST images instead of customers.
DIGITS_KIND = "digits"
#: Where a run keeps its same-task curve when its own learning curve has another axis.
CURVE_KEY = "same_task_curve"
#: Examples seen at which a same-task run measures its test accuracy besides its regular
#: points (a 1-2-5 series): where learning is fastest, so the curves can say how many
#: examples each kind of feedback needed to reach an accuracy. A learner that sees
#: examples in batches measures at the first batch boundary at or past each.
EARLY_EXAMPLES = (100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
#: The order the three kinds of feedback are shown in.
PARADIGMS = ("supervised", "unsupervised", "reinforcement")


#: The command that runs the comparison on the digits (the report's page and the glossary point to it).
SAME_TASK_COMMAND = "paradigms compare --task digits"
#: What each paradigm is told about an example, in a student's words (the sentence behind each is the
#: paradigm's own ``FEEDBACK``, in its settings).
FEEDBACK: Mapping[str, str] = MappingProxyType({
    "supervised": "labels",
    "unsupervised": "nothing",
    "reinforcement": "a reward",
})

#: The settings that make each paradigm learn a named task (``paradigms compare --task NAME``).
TASKS: Mapping[str, Mapping[str, Mapping[str, str]]] = MappingProxyType({
    "digits": MappingProxyType({
        "supervised": MappingProxyType({"test_curve": "true"}),
        "unsupervised": MappingProxyType({"kind": DIGITS_KIND}),
        "reinforcement": MappingProxyType({"env": DIGIT_GUESS_ID}),
    }),
})


def task_settings(task: str) -> dict[str, dict[str, str]]:
    """The per-paradigm settings of a named task; an unknown name is a one-line error."""
    if task not in TASKS:
        raise ConfigError(f"--task {task!r}: unknown task; the tasks are: {', '.join(sorted(TASKS))}")
    return {name: dict(values) for name, values in TASKS[task].items()}


def bits_per_example(paradigm: str, n_classes: int) -> float:
    """How much one example's feedback can tell the learner, in bits.

    A label names one of ``n_classes`` classes: log2(n_classes) bits. A reward says
    right or wrong: at most 1 bit (less when one answer is far likelier). Nothing: 0.
    """
    if n_classes < 2:
        raise ValueError(f"n_classes = {n_classes}: a task needs at least two classes")
    return {"supervised": math.log2(n_classes), "reinforcement": 1.0, "unsupervised": 0.0}[paradigm]


def same_task_curve(examples_seen: Any, test_accuracy: Any) -> dict[str, dict[str, list[float]]]:
    """The ``figure_data`` entry of a run whose learning curve has another axis."""
    return {CURVE_KEY: {EXAMPLES_SEEN: [float(x) for x in examples_seen],
                        TEST_ACCURACY: [float(y) for y in test_accuracy]}}


def accuracy_curve(evaluation: Evaluation) -> pd.DataFrame | None:
    """The run's test accuracy against examples seen (columns :data:`EXAMPLES_SEEN`,
    :data:`TEST_ACCURACY`, sorted by examples seen), or None where it kept none."""
    kept = evaluation.figure_data.get(CURVE_KEY)
    if isinstance(kept, dict) and EXAMPLES_SEEN in kept and TEST_ACCURACY in kept:
        frame = pd.DataFrame({EXAMPLES_SEEN: kept[EXAMPLES_SEEN], TEST_ACCURACY: kept[TEST_ACCURACY]})
    elif {EXAMPLES_SEEN, TEST_ACCURACY} <= set(evaluation.curve.columns):
        frame = evaluation.curve[[EXAMPLES_SEEN, TEST_ACCURACY]]
    else:
        return None
    frame = frame.apply(pd.to_numeric, errors="coerce").dropna()
    return frame.sort_values(EXAMPLES_SEEN, kind="stable").reset_index(drop=True) if len(frame) else None
