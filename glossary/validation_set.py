"""Validation set: held-back examples used to choose between models (and when to stop training).

Demo
----
The data-split experiment of :mod:`glossary._splits`: 40 candidate digit
classifiers, each fitted on the same 300 training images, are compared on a
validation set of 100 images they never trained on, and the best is kept.
Its accuracy on the untouched test set is then an honest estimate: on average
it matches the chosen model's accuracy on about 1,300 new images.
"""

from __future__ import annotations

from ._base import DemoResult, Term
from ._splits import SplitSettings, clearly, interval_text, points, split_demo


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Choose among candidates on the validation set; the test score stays honest."""
    return split_demo(TERM, focus="validation", seed=seed, settings=settings, finding=_finding)


def _finding(numbers: dict, config: SplitSettings) -> str:
    gap, half = numbers["honest_optimism"], numbers["honest_optimism_interval"]
    verdict = {
        0: "on average an honest estimate",
        1: "on average a little optimistic",
        -1: "on average a little pessimistic",
    }[clearly(gap, half)]
    return (
        f"Choosing among {config.candidates} models on a validation set of {config.validation_size} "
        f"images, then reporting on a test set of {config.test_size}: reported {numbers['honest_reported_accuracy']:.1%}, "
        f"real accuracy on new data {numbers['honest_new_data_accuracy']:.1%} (mean of {config.repeats} random "
        f"splits; off by {points(gap)} points, {interval_text(gap, half)}): {verdict}. On a single split the "
        f"report is off by about {100 * numbers['honest_error_one_split']:.1f} points either way (standard "
        f"deviation): a test set of {config.test_size} images is a noisy ruler, but not a biased one."
    )


TERM = Term(
    slug="validation-set",
    name="validation set",
    definition=(
        "The validation set is data held back from training and used to make choices: which model, "
        "which settings, which epoch to stop at. It keeps those choices away from the test set."
    ),
    look_for="the model chosen on the validation set scores on the test set what it really scores on new data",
    demo=demo,
    related=("training-set", "test-set", "overfitting", "epoch"),
    used_in=("paradigms.supervised.training.train",),
    aliases=("validation sets", "validation data", "validation split", "dev set", "held-out set"),
    settings=SplitSettings,
)
