"""Training set: the labelled examples the model learns from.

Demo
----
The data-split experiment of :mod:`glossary._splits`: 40 candidate digit
classifiers fitted on a training set of 300 images, one chosen on a validation
set, reported on a test set, and compared with their accuracy on about 1,300
new images. Here the point is the training set itself: the chosen model scores
higher on the images it was fitted to than on new ones, so a score measured on
the training set flatters the model. That is why examples are held back.
"""

from __future__ import annotations

from ._base import DemoResult, Term
from ._splits import SplitSettings, clearly, interval_text, points, split_demo


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Accuracy on the training set against accuracy on new data."""
    return split_demo(TERM, focus="training", seed=seed, settings=settings, finding=_finding)


def _finding(numbers: dict, config: SplitSettings) -> str:
    gap, half = numbers["training_optimism"], numbers["training_optimism_interval"]
    verdict = {
        1: f"a score on the training set overstates the model by {points(gap)[1:]} percentage points",
        0: "the training score and the new-data accuracy do not clearly differ here",
        -1: "the training score is even lower than the new-data accuracy here",
    }[clearly(gap, half)]
    return (
        f"Fitted on {config.train_size} training images, the chosen model gets "
        f"{numbers['training_accuracy']:.1%} of them right but {numbers['honest_new_data_accuracy']:.1%} "
        f"of {numbers['new_data_size']:,} new images (mean of {config.repeats} random splits): {verdict} "
        f"({interval_text(gap, half)})."
    )


TERM = Term(
    slug="training-set",
    name="training set",
    definition=(
        "The training set is the part of the data the model learns from: its examples (with their "
        "labels, in supervised learning) are the experience the weights are fitted to."
    ),
    look_for="the score on the training set is higher than on new data: the model has seen those examples",
    demo=demo,
    related=("validation-set", "test-set", "overfitting", "supervised-learning"),
    used_in=("paradigms.supervised.DigitClassifier",),
    aliases=("training sets", "training data", "training examples", "train set"),
    settings=SplitSettings,
)
