"""Underfitting: the model is too simple to capture the pattern, so it is wrong everywhere.

Demo
----
The same capacity sweep as :mod:`glossary.overfitting` (polynomials of degree
0 to 16 on 20 noisy points of a smooth wave), read from the other end: a
straight line (degree 1) cannot follow a wave, so its training error and its
validation error are both high, and close together, far above the noise level
that even a perfect model would leave. More capacity (or more training) cures
it, up to the point where overfitting begins.
"""

from __future__ import annotations

from dataclasses import dataclass

from paradigms.errors import ConfigError
from paradigms.seeding import check_seed
from paradigms.settings import setting

from ._base import DemoResult, Term, make_settings, plain_numbers
from ._capacity import (
    BEST,
    OVERFITTING,
    UNDERFITTING,
    CapacitySettings,
    capacity_sweep,
    draw_sweep,
    noise_words,
    rule_words,
)


@dataclass(frozen=True)
class UnderfittingSettings(CapacitySettings):
    """Settings of the underfitting demo: the capacity sweep plus the simple model to inspect."""

    simple_degree: int = setting(1, "the too-simple model to inspect (1 = a straight line)", min=0, max=30)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.simple_degree > self.max_degree:
            raise ConfigError(f"simple_degree = {self.simple_degree} must be <= max_degree = {self.max_degree}")


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """A model too simple for the pattern: training and validation error both high."""
    config: UnderfittingSettings = make_settings(UnderfittingSettings, settings)
    seed = check_seed(seed)
    sweep = capacity_sweep(config, seed)
    table = sweep.table
    simple = table.loc[table["degree"] == config.simple_degree].iloc[0]
    best = table.loc[table["degree"] == sweep.best_degree].iloc[0]
    numbers = plain_numbers(
        {
            "simple_degree": config.simple_degree,
            "best_degree": sweep.best_degree,
            "training_error_simple": simple["training error"],
            "validation_error_simple": simple["validation error"],
            "training_error_at_best": best["training error"],
            "validation_error_at_best": best["validation error"],
            "noise_level": sweep.noise_floor,
            "simple_vs_noise_level": simple["training error"] / sweep.noise_floor if sweep.noise_floor else float("inf"),
        }
    )
    simple_train, simple_val = simple["training error"], simple["validation error"]
    judged = str(simple["verdict"])
    numbers["verdict_simple"] = judged
    rule = rule_words(UNDERFITTING, config.validation_points)
    errors = f"training error {simple_train:.3g}, validation error {simple_val:.3g}"
    if judged == UNDERFITTING:
        verdict = (
            f"it underfits: wrong on the data it was fitted to and on new data alike ({errors}, against "
            f"{noise_words(config.noise)})"
        )
    elif judged == OVERFITTING:
        verdict = f"it is not too simple but too flexible: it overfits ({errors})"
    elif judged == BEST:
        verdict = f"it is the best degree on validation ({errors}): not too simple for the pattern"
    else:
        verdict = (
            f"its validation error is not clearly worse than the best's ({errors}): this model is not too simple for "
            "the pattern"
        )
    finding = (
        f"A degree-{config.simple_degree} polynomial: {verdict}; the best degree on validation is "
        f"{sweep.best_degree} (validation error {best['validation error']:.3g}) {rule}."
    )
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding, settings=config, seed=seed, draw=_draw,
        data={
            "best_degree": sweep.best_degree,
            "low_degree": config.simple_degree,
            "x_train": sweep.x_train,
            "y_train": sweep.y_train,
            "coefficients": sweep.coefficients,
            "noise_floor": sweep.noise_floor,
        },
    )


def _draw(result: DemoResult):
    return draw_sweep(result.table, dict(result.data), focus="underfitting")


TERM = Term(
    slug="underfitting",
    name="underfitting",
    definition=(
        "A model underfits when it is too simple (or trained too little) to capture the pattern in "
        "the data, so its error is high on the training examples and on new ones alike."
    ),
    look_for="training and validation error both high and close together, far above the noise level",
    demo=demo,
    related=("overfitting", "validation-set", "epoch"),
    used_in=(),
    aliases=("underfit", "underfits", "under-fitting"),
    settings=UnderfittingSettings,
)
