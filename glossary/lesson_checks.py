"""The lesson's own words, checked against the numbers where they disagree.

A step of the lesson may quote a wording of the lesson that the demos
contradict (:attr:`glossary.lesson.Step.lesson_says`). Each such step has a
check here that runs the demo at the settings that decide the question and
says, from the numbers, what they show, so the correction is measured rather
than asserted.

Underfitting: the lesson calls an underfitting model "hungry for more data".
The check fits the same too-simple model to ten times the training points and
compares what that buys with what more capacity (the best degree, on the
original points) buys.

>>> sorted(CHECKS)
['underfitting']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from paradigms.seeding import check_seed

from ._capacity import UNDERFITTING, CapacitySettings
from .lesson import STEPS
from .registry import get_term

#: How many times more training points the "more data" check gives the simple model.
MORE_DATA_FACTOR = 10


def underfitting_more_data(seed: int = 0) -> str:
    """Does more data cure the underfitting straight line, or more capacity? Measured both ways."""
    seed = check_seed(seed)
    demo = get_term("underfitting").demo
    base = demo(seed=seed)
    points = cast(CapacitySettings, base.settings).train_points
    more = demo(seed=seed, train_points=MORE_DATA_FACTOR * points)
    degree = base.numbers["simple_degree"]
    before, after = float(base.numbers["validation_error_simple"]), float(more.numbers["validation_error_simple"])
    noise = float(more.numbers["noise_level"])
    capacity = float(base.numbers["validation_error_at_best"])
    best = base.numbers["best_degree"]
    measured = (
        f"With {MORE_DATA_FACTOR} times the training points ({MORE_DATA_FACTOR * points} instead of {points}), the "
        f"degree-{degree} model's error on new points goes from {before:.3f} to {after:.3f}; the error the noise "
        f"alone leaves is {noise:.3f}. A degree-{best} model on the original {points} points brings it to {capacity:.3f}."
    )
    # "cured" by the demos' own rule (_capacity.degree_verdict): no longer clearly worse than the best degree
    if base.numbers["verdict_simple"] != UNDERFITTING:
        return f"Here the degree-{degree} model does not underfit in the first place. {measured}"
    if more.numbers["verdict_simple"] == UNDERFITTING:
        return f"The numbers say otherwise. {measured} More data does not cure underfitting; more capacity does."
    return f"Here the numbers agree with the lesson: more data cured it. {measured}"


class Checked(str):
    """A check's paragraph: a plain string that Jupyter shows as text, not as a quoted string."""

    def _repr_markdown_(self) -> str:
        return str(self)


#: The checks by step key (:attr:`glossary.lesson.Step.key`).
CHECKS: dict[str, Callable[[int], str]] = {"underfitting": underfitting_more_data}


def lesson_check(key: str, seed: int = 0) -> Checked:
    """The step's wording of the lesson and what the numbers say about it, as one paragraph."""
    step = next((s for s in STEPS if s.key == key), None)
    if step is None or key not in CHECKS:
        raise KeyError(f"no lesson check for {key!r}; checks exist for {', '.join(sorted(CHECKS))}")
    return Checked(f"{step.lesson_says} {CHECKS[key](seed)}")
