"""Supervised learning: learning from examples that come with the right answer (labels).

Demo
----
The supervised paradigm's own classifier,
:class:`paradigms.supervised.DigitClassifier` (the MLP and training loop that
``paradigms run supervised`` trains on MNIST), fitted twice on 1,200 of
scikit-learn's bundled 8x8 digits:

* with the **true labels**: it learns to read digits (test accuracy far above
  the 10% of guessing);
* with the **labels shuffled** (the same images, each with some other image's
  label): the feedback now says nothing about the images, and the same
  learner stays at chance.

What supervised learning needs is exactly that: inputs *and* the correct
answer for each, the feedback that backpropagation turns into weight updates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed, numpy_rng
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, make_settings, plain_numbers
from ._data import digits
from ._feedback import feedback_numbers, figure_with_feedbacks, three_feedbacks


@dataclass(frozen=True)
class SupervisedLearningSettings(Settings):
    """Settings of the supervised-learning demo (a tiny DigitClassifier run)."""

    train_size: int = setting(1200, "labelled training images (the rest test the model)", min=50, max=1700)
    hidden: tuple[int, ...] = setting((64,), "neurons in each hidden layer", min=1, max=1024)
    epochs: int = setting(10, "passes over the training images", min=1, max=200)
    batch_size: int = setting(64, "images per gradient step", min=1, max=1700)


def fit_classifier(X: np.ndarray, y: np.ndarray, config: SupervisedLearningSettings, seed: int):
    """The supervised paradigm's estimator, small and on one thread."""
    from paradigms.supervised import DigitClassifier  # start-up time: the estimator loads torch

    return DigitClassifier(
        hidden_sizes=config.hidden, epochs=config.epochs, batch_size=config.batch_size,
        validation_size=0.15, patience=0, threads=1, random_state=seed,
    ).fit(X, y)


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """The same learner with true labels and with shuffled labels."""
    config: SupervisedLearningSettings = make_settings(SupervisedLearningSettings, settings)
    seed = check_seed(seed)
    X, y = digits()
    rng = numpy_rng(seed)
    order = rng.permutation(len(X))
    train, test = order[: config.train_size], order[config.train_size :]
    shuffled = rng.permutation(y[train])
    with_labels = fit_classifier(X[train], y[train], config, seed)
    without = fit_classifier(X[train], shuffled, config, seed)
    accuracy = float(with_labels.score(X[test], y[test]))
    shuffled_accuracy = float(without.score(X[test], y[test]))
    history, noise = with_labels.history_, without.history_
    table = pd.DataFrame(
        {
            "epoch": history["epoch"],
            "true labels: training loss": history["train_loss"],
            "true labels: validation accuracy": history["val_accuracy"],
            "shuffled labels: training loss": noise["train_loss"],
            "shuffled labels: validation accuracy": noise["val_accuracy"],
        }
    )
    numbers = plain_numbers(
        {
            "training_images": len(train),
            "test_images": len(test),
            "test_accuracy_true_labels": accuracy,
            "test_accuracy_shuffled_labels": shuffled_accuracy,
            "chance_accuracy": 0.1,
            "parameters": with_labels.n_parameters_,
            "labels_agreeing_after_shuffle": float(np.mean(shuffled == y[train])),
        }
    )
    # Guessing scores 10% give or take sampling noise: three standard errors of a 10% rate on this test set.
    near_chance = abs(shuffled_accuracy - 0.1) <= 3 * float(np.sqrt(0.1 * 0.9 / len(test)))
    shuffled_verdict = (
        "chance level: with labels that say nothing about the images there is nothing to learn"
        if near_chance
        else "not at chance, so the shuffled labels still carried some information"
    )
    finding = (
        f"Trained on {len(train)} images with their correct labels, the supervised paradigm's "
        f"network names {accuracy:.1%} of {len(test)} test digits (guessing: 10%). The same learner, same "
        f"images, labels shuffled: {shuffled_accuracy:.1%}, {shuffled_verdict}."
    )
    feedbacks = three_feedbacks(seed)
    numbers.update(feedback_numbers(feedbacks))
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding + " " + feedbacks.sentence(), settings=config,
        seed=seed, draw=_draw, data={"feedbacks": feedbacks},
    )


def _draw(result: DemoResult):
    table = result.table
    fig, own = figure_with_feedbacks(9.0, 3.5, result.data["feedbacks"], "supervised")
    loss_ax, accuracy_ax = own.subplots(1, 2)
    loss_ax.plot(table["epoch"], table["true labels: training loss"], "o-", color="C2", label="true labels")
    loss_ax.plot(table["epoch"], table["shuffled labels: training loss"], "s-", color="C3", label="shuffled labels")
    loss_ax.set(xlabel="epoch", ylabel="training loss", title="Training loss")
    loss_ax.legend(fontsize=8)
    numbers = result.numbers
    bars = [numbers["test_accuracy_true_labels"], numbers["test_accuracy_shuffled_labels"]]
    accuracy_ax.bar(["true labels", "shuffled labels"], bars, color=["C2", "C3"])
    accuracy_ax.axhline(numbers["chance_accuracy"], color="gray", linestyle=":", label="chance (10%)")
    for position, value in enumerate(bars):
        accuracy_ax.text(position, value, f"{value:.1%}", ha="center", va="bottom")
    accuracy_ax.set(ylabel="test accuracy", ylim=(0, 1.08), title="Same learner, same images")
    accuracy_ax.legend(fontsize=8, loc="upper right")
    return fig


TERM = Term(
    slug="supervised-learning",
    name="supervised learning",
    definition=(
        "Supervised learning learns a mapping from inputs to outputs from examples that come with "
        "the correct output (a label); the difference between its answer and the label is the feedback."
    ),
    look_for="the same learner reads digits with true labels and stays at chance with shuffled ones: labels are the feedback",
    demo=demo,
    related=("classification", "regression", "training-set", "unsupervised-learning", "reinforcement-learning"),
    used_in=("paradigms.supervised.paradigm", "paradigms.supervised.DigitClassifier"),
    aliases=("supervised", "labelled examples", "labeled examples", "labels", "label"),
    settings=SupervisedLearningSettings,
)
