"""One task, three kinds of feedback, small enough for a lesson: the three paradigm demos' first figure.

The same 1,437 training images of scikit-learn's bundled 8x8 digits are learned
three ways and all three are scored the same way, on the same 360 test images:

* from **labels**: the supervised paradigm's :class:`~paradigms.supervised.DigitClassifier`,
  its test accuracy recorded as it trains (``watch_data``);
* from **nothing**: the unsupervised paradigm's :class:`~paradigms.unsupervised.DigitClusterer`
  fitted on the first n training images without their labels, its clusters matched one-to-one to
  the digits (the labels only score it);
* from **a reward**: the reinforcement paradigm's bandit agent guessing each image's digit in
  ``paradigms/DigitGuess-v0`` (``small=true``) and told only right (1) or wrong (0).

It is the small version of ``paradigms compare --task digits`` (the real MNIST, minutes):
the supervised, unsupervised and reinforcement-learning demos open with it and link to
that command. The experiment runs once per seed and process (:func:`three_feedbacks`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from paradigms.same_task import EXAMPLES_SEEN, SAME_TASK_COMMAND, TEST_ACCURACY, bits_per_example

#: Where each curve is measured: training images seen (labelled, unlabelled or guessed at).
CLUSTER_SIZES = (50, 100, 200, 400, 800, 1437)
#: Passes of guesses the bandit makes over the training images.
GUESS_PASSES = 12
#: Guesses between two looks at the bandit's test accuracy (then doubling).
FIRST_LOOK = 64


@dataclass(frozen=True)
class FeedbackCurves:
    """Test accuracy against training images seen, for each kind of feedback (numpy arrays)."""

    curves: dict[str, tuple[np.ndarray, np.ndarray]]
    train_size: int
    test_size: int
    n_classes: int

    def final(self, paradigm: str) -> float:
        return float(self.curves[paradigm][1][-1])

    def sentence(self) -> str:
        """What the three curves show, computed from them."""
        labels, reward, nothing = (self.final(name) for name in ("supervised", "reinforcement", "unsupervised"))
        seen = {name: int(self.curves[name][0][-1]) for name in self.curves}
        return (
            f"On the same {self.train_size:,} small digit images and the same {self.test_size} test images: told the "
            f"right digit (labels, {bits_per_example('supervised', self.n_classes):.1f} bits an image) the network "
            f"reaches {labels:.0%} after {seen['supervised']:,} images seen; told only right or wrong (a reward, at "
            f"most 1 bit) the guesser reaches {reward:.0%} after {seen['reinforcement']:,} guesses; told nothing, "
            f"the clusters matched to digits reach {nothing:.0%} (chance: {1 / self.n_classes:.0%}). "
            f"`{SAME_TASK_COMMAND}` runs the same comparison on the real MNIST."
        )


@functools.lru_cache(maxsize=4)
def three_feedbacks(seed: int = 0) -> FeedbackCurves:
    """Run the three learners on the bundled 8x8 digits (a few seconds); cached per seed."""
    from paradigms.datasets.digits import load_sklearn_digits
    from paradigms.reinforcement.agents.bandit import BanditAgent
    from paradigms.supervised import DigitClassifier
    from paradigms.unsupervised import DigitClusterer, clustering_accuracy

    data = load_sklearn_digits("the lesson's small version")
    x_train, y_train, x_test, y_test = data.train_images, data.train_labels, data.test_images, data.test_labels
    n_classes = len(data.class_names)

    classifier = DigitClassifier(hidden_sizes=(64,), epochs=8, batch_size=32, learning_rate=1e-2, validation_size=0.1,
                                 augment_shift=0, patience=0, threads=1, random_state=seed)
    classifier.fit(x_train, y_train, watch_data=(x_test, y_test))
    watched = classifier.watch_curve_

    order = np.random.default_rng(seed).permutation(len(x_train))
    sizes = [size for size in CLUSTER_SIZES if size <= len(x_train)]
    cluster_scores = []
    for size in sizes:
        clusterer = DigitClusterer(n_classes, seed=seed).fit(x_train[order[:size]])
        cluster_scores.append(clustering_accuracy(y_test, clusterer.predict(x_test)))

    agent = BanditAgent("paradigms/DigitGuess-v0", env_kwargs={"small": True}, seed=seed)
    total, look, guesses, rewards = GUESS_PASSES * len(x_train), FIRST_LOOK, [], []
    while agent.steps_done_ < total:
        agent.learn(min(look, total) - agent.steps_done_)
        guesses.append(agent.steps_done_)
        rewards.append(agent.evaluate().mean)
        look *= 2

    return FeedbackCurves(
        curves={
            "supervised": (watched["examples_seen"].to_numpy(float), watched["accuracy"].to_numpy(float)),
            "unsupervised": (np.asarray(sizes, dtype=float), np.asarray(cluster_scores, dtype=float)),
            "reinforcement": (np.asarray(guesses, dtype=float), np.asarray(rewards, dtype=float)),
        },
        train_size=len(x_train), test_size=len(x_test), n_classes=n_classes,
    )


def draw_three_feedbacks(axes: Any, result: FeedbackCurves, *, highlight: str | None = None) -> None:
    """The three curves and the chance line on ``axes``, drawn as the report's same-task figure is
    (:func:`paradigms.report.same_task.draw_feedback_curves`); ``highlight`` draws one paradigm thicker."""
    from paradigms.report.same_task import draw_feedback_curves

    curves = {name: [pd.DataFrame({EXAMPLES_SEEN: seen, TEST_ACCURACY: accuracy})]
              for name, (seen, accuracy) in result.curves.items()}
    draw_feedback_curves(axes, curves, chance=1 / result.n_classes, highlight=highlight, text_size=10)


def feedback_numbers(result: FeedbackCurves) -> dict[str, float]:
    """The experiment's figures for a demo's ``numbers``: each kind of feedback's final test accuracy."""
    return {
        "same_task_accuracy_from_labels": result.final("supervised"),
        "same_task_accuracy_from_nothing": result.final("unsupervised"),
        "same_task_accuracy_from_a_reward": result.final("reinforcement"),
    }


def figure_with_feedbacks(width: float, height: float, result: FeedbackCurves, highlight: str):
    """A demo's figure opening with the three feedbacks (the top panel, ``highlight`` drawn thicker):
    (the Figure, the sub-figure below it where the demo draws its own panels)."""
    from ._base import figure

    fig = figure(max(width, 9.0), height + 4.0)
    top, bottom = fig.subfigures(2, 1, height_ratios=(4.0, height))  # type: ignore[misc]  # matplotlib's stub: one SubFigure or an array, whatever the shape
    draw_three_feedbacks(top.subplots(), result, highlight=highlight)
    return fig, bottom
