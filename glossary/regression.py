"""Regression: predicting a number on a continuous scale.

Demo
----
The experiment of :mod:`glossary._same_inputs`: the same digit images go into
two networks that differ only in their output layer and cost. The regressor
has one output neuron trained with squared error to output the digit as a
number; its answer is a value (6.8), and it is measured by how far off it is
on average (mean absolute error) and by R², against always answering the
average digit.
"""

from __future__ import annotations

from ._base import DemoResult, Term
from ._same_inputs import SameInputsResult, SameInputsSettings, same_inputs_demo


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """A digit regressor and a digit classifier on the same images; the value and its error."""
    return same_inputs_demo(TERM, focus="regression", seed=seed, settings=settings, finding=_finding)


def _finding(outcome: SameInputsResult) -> str:
    return (
        f"Given the same pixels, the regressor answers with a number: on average {outcome.mean_absolute_error:.2f} "
        f"away from the true digit (R² = {outcome.r_squared:.2f}; always answering the average digit is "
        f"{outcome.baseline_mean_absolute_error:.2f} away). The classifier answers with a class and is "
        f"measured by accuracy instead ({outcome.accuracy:.1%})."
    )


TERM = Term(
    slug="regression",
    name="regression",
    definition=(
        "Regression is predicting a quantity on a continuous scale (a price, a temperature, a count); "
        "the model outputs a number, and its error is how far that number is from the true one."
    ),
    look_for="the answer is a value, and the measure is how far off it is (mean absolute error, R²), not right or wrong",
    demo=demo,
    related=("classification", "supervised-learning", "cost-function"),
    used_in=(),
    aliases=("regressor", "regressors", "regression model", "mean absolute error"),
    settings=SameInputsSettings,
)
