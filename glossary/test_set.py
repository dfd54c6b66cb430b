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
from ._splits import SplitSettings, clearly, interval_text, points, split_demo


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Tuning on the test set against choosing on validation and reporting on test."""
    return split_demo(TERM, focus="test", seed=seed, settings=settings, finding=_finding)


def _finding(numbers: dict, config: SplitSettings) -> str:
    tuned, tuned_half = numbers["tuned_on_test_optimism"], numbers["tuned_on_test_optimism_interval"]
    honest, honest_half = numbers["honest_optimism"], numbers["honest_optimism_interval"]
    choice, choice_half = numbers["tuned_minus_honest_new_data"], numbers["tuned_minus_honest_new_data_interval"]
    peeking = {
        1: f"overstates the accuracy on new data by {points(tuned)[1:]} percentage points",
        0: "does not clearly overstate the accuracy on new data here",
        -1: "understates the accuracy on new data here",
    }[clearly(tuned, tuned_half)]
    report = {
        1: f"reported it {points(tuned)[1:]} points too high",
        0: f"its report was about right here ({points(tuned)} points)",
        -1: f"reported it {points(tuned)[1:]} points too low",
    }[clearly(tuned, tuned_half)]
    better = {
        0: "Peeking did not pick a better model: on new data the two chosen models do about equally well "
        f"({points(choice)} points, {interval_text(choice, choice_half)}); only the report differs.",
        1: f"Peeking picked a better model ({points(choice)} points on new data, {interval_text(choice, choice_half)}) "
        f"and {report}.",
        -1: f"Peeking even picked a worse model ({points(choice)} points on new data, "
        f"{interval_text(choice, choice_half)}) and {report}.",
    }[clearly(choice, choice_half)]
    return (
        f"Choosing among {config.candidates} models on the test set and reporting that same test score "
        f"{peeking}: reported {numbers['tuned_on_test_reported_accuracy']:.1%}, real "
        f"{numbers['tuned_on_test_new_data_accuracy']:.1%} ({interval_text(tuned, tuned_half)}; too high on "
        f"{numbers['tuned_on_test_overstated_share']:.0%} of {config.repeats} random splits). Chosen on the "
        f"validation set and reported on the test set: {numbers['honest_reported_accuracy']:.1%} against "
        f"{numbers['honest_new_data_accuracy']:.1%} ({points(honest)} points, {interval_text(honest, honest_half)}). "
        + better
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
