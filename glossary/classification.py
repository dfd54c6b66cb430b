"""Classification: predicting which of a fixed set of classes an example belongs to.

Demo
----
The experiment of :mod:`glossary._same_inputs`: the same digit images go into
two networks that differ only in their output layer and cost. The classifier
has ten output neurons, one per digit, trained with cross-entropy; its answer
is a class ("3", with a probability), and it is measured by accuracy, the
share of test images it names correctly, against 10% for guessing.
"""

from __future__ import annotations

from ._base import DemoResult, Term
from ._same_inputs import SameInputsResult, SameInputsSettings, same_inputs_demo


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """A digit classifier and a digit regressor on the same images; the class and its accuracy."""
    return same_inputs_demo(TERM, focus="classification", seed=seed, settings=settings, finding=_finding)


def _finding(outcome: SameInputsResult) -> str:
    return (
        f"Given the same pixels, the classifier answers with a class: it names {outcome.accuracy:.1%} of "
        f"{len(outcome.test_labels)} test digits correctly (guessing: 10%). The regressor answers with a "
        f"number (mean absolute error {outcome.mean_absolute_error:.2f}); rounded, its numbers are the "
        f"right digit only {outcome.rounded_regression_accuracy:.1%} of the time: digits are classes, not quantities."
    )


TERM = Term(
    slug="classification",
    name="classification",
    definition=(
        "Classification is predicting a category from a fixed list (which digit, spam or not); the "
        "model outputs one score or probability per class and answers with the most likely one."
    ),
    look_for="the answer is a class with a probability, and the measure is accuracy against the chance level",
    demo=demo,
    related=("regression", "supervised-learning", "cost-function", "neural-network"),
    used_in=("paradigms.supervised.estimator.DigitClassifier",),
    aliases=("classify", "classifier", "classifiers", "accuracy"),
    settings=SameInputsSettings,
)
