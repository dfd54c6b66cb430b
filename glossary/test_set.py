"""Test set: held-back examples used once, at the end, to report how good the chosen model is.

Demo
----
The data-split experiment of :mod:`glossary._splits`, with the mistake it
warns against: 40 candidate digit classifiers are compared on the *test set*
itself and the best one's test accuracy is reported. Picking the best of 40
noisy scores picks luck as well as skill, so the report is optimistic: the
same model does worse on about 1,300 new images. Chosen on the validation set
instead, the test score stays honest.
"""

from __future__ import annotations

from ._base import DemoResult, Term
from ._splits import SplitSettings, split_demo


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Tuning on the test set against choosing on validation and reporting on test."""
    return split_demo(TERM, focus="test", seed=seed, settings=settings, finding=_finding)


def _finding(numbers: dict, config: SplitSettings) -> str:
    return (
        f"Choosing among {config.candidates} models on the test set reports "
        f"{numbers['tuned_on_test_reported_accuracy']:.1%}, but that model gets "
        f"{numbers['tuned_on_test_new_data_accuracy']:.1%} of new images right: "
        f"{100 * numbers['tuned_on_test_optimism']:.1f} percentage points too optimistic. Chosen on validation and "
        f"reported on test: {numbers['honest_reported_accuracy']:.1%} against "
        f"{numbers['honest_new_data_accuracy']:.1%} ({100 * numbers['honest_optimism']:+.1f} points); mean of {config.repeats} splits."
    )


TERM = Term(
    slug="test-set",
    name="test set",
    definition=(
        "The test set is data kept aside until the end and used once, to report how well the finished "
        "model does on examples it has never seen; it must not influence any choice."
    ),
    look_for="tuning on the test set makes the reported score higher than the model's real accuracy on new data",
    demo=demo,
    related=("validation-set", "training-set", "overfitting"),
    used_in=("paradigms.supervised.paradigm",),
    aliases=("test sets", "test data", "held-out test set", "test split", "test accuracy"),
    settings=SplitSettings,
)
