"""Overfitting: the model learns its training examples, noise included, and does worse on new ones.

Demo
----
A capacity sweep (see :mod:`glossary._capacity`): polynomials of degree 0 to
16 fitted to 20 noisy points of a smooth curve. Training error keeps falling
as the degree grows; validation error, measured on 200 fresh points, falls
until the best degree and then climbs steeply. The most flexible polynomial
threads through the training points and swings wildly between them.

The cure is what the lesson's validation set is for: pick the capacity (or the
epoch to stop at) where validation error is lowest, or get more data.
"""

from __future__ import annotations

import numpy as np

from paradigms.seeding import check_seed

from ._base import DemoResult, Term, make_settings, plain_numbers
from ._capacity import (
    OVERFITTING,
    CapacitySettings,
    capacity_sweep,
    draw_sweep,
    noise_words,
    rule_words,
)


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Training error falls with capacity while validation error turns up."""
    config: CapacitySettings = make_settings(CapacitySettings, settings)
    seed = check_seed(seed)
    sweep = capacity_sweep(config, seed)
    table = sweep.table
    best = table.loc[table["degree"] == sweep.best_degree].iloc[0]
    last = table.iloc[-1]
    training = table["training error"].to_numpy()
    numbers = plain_numbers(
        {
            "best_degree": sweep.best_degree,
            "max_degree": int(last["degree"]),
            "training_error_at_best": best["training error"],
            "validation_error_at_best": best["validation error"],
            "training_error_at_max_degree": last["training error"],
            "validation_error_at_max_degree": last["validation error"],
            "validation_rise": last["validation error"] / best["validation error"],
            "training_error_never_rises": bool(np.all(np.diff(training) <= 1e-9 * max(training[0], 1.0))),
            "noise_level": sweep.noise_floor,
        }
    )
    numbers["noise_setting"] = config.noise
    numbers["overfitting_degrees"] = int((table["verdict"] == OVERFITTING).sum())
    finding = _finding(table, sweep.best_degree, config)
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding, settings=config, seed=seed, draw=_draw,
        data=_sweep_data(sweep),
    )


def _finding(table, best_degree: int, config: CapacitySettings) -> str:
    """What the sweep shows, read from the verdict column (whose rule it states)."""
    best = table.loc[table["degree"] == best_degree].iloc[0]
    last = table.iloc[-1]
    max_degree = int(last["degree"])
    over = table.loc[table["verdict"] == OVERFITTING, "degree"]
    rule = rule_words(OVERFITTING, config.validation_points)[:-1] + f"; {noise_words(config.noise)})"
    if over.empty:
        if config.noise == 0:
            why = "there is no noise to learn"
        else:
            why = (
                f"the most flexible polynomial has {max_degree + 1} parameters for {config.train_points} training "
                f"points ({config.train_points / (max_degree + 1):.1f} points each) and the noise is {config.noise:g}; "
                "fewer points or more noise leave more to overfit"
            )
        where = (
            f"Validation error is lowest at the largest degree tried ({max_degree}, {best['validation error']:.3g})"
            if best_degree == max_degree
            else f"Validation error is lowest at degree {best_degree} ({best['validation error']:.3g}), and no more "
            f"flexible degree up to {max_degree} is clearly worse"
        )
        trend = "" if best_degree == max_degree else ", " + _training_trend(best["training error"], last["training error"])
        return f"{where}: no clear overfitting in this range{trend}; {why} {rule}."
    first = int(over.iloc[0])
    flexible = table.loc[table["degree"] > best_degree]
    worst = flexible.loc[flexible["validation error"].idxmax()]
    rise = last["validation error"] / best["validation error"]
    return (
        f"From degree {best_degree} to {max_degree}, {_training_trend(best['training error'], last['training error'])} "
        f"while validation error climbs {rise:.1f}-fold ({best['validation error']:.3g} -> {last['validation error']:.3g}; "
        f"worst {worst['validation error']:.3g} at degree {int(worst['degree'])}): {len(over)} of the "
        f"{max_degree - best_degree} more flexible degrees overfit (the first at degree {first}): their extra capacity learns the "
        f"noise of the {config.train_points} training points {rule}."
    )


def _sweep_data(sweep) -> dict:
    return {
        "best_degree": sweep.best_degree,
        "low_degree": min(1, sweep.best_degree),
        "x_train": sweep.x_train,
        "y_train": sweep.y_train,
        "coefficients": sweep.coefficients,
        "noise_floor": sweep.noise_floor,
    }


def _training_trend(before: float, after: float) -> str:
    """How training error moved, in words that stay true when it is already about zero (no noise)."""
    if max(before, after) < 5e-4:
        return "training error stays at about zero (below 0.001)"
    return f"training error keeps falling ({before:.3g} -> {after:.3g})"


def _draw(result: DemoResult):
    return draw_sweep(result.table, dict(result.data), focus="overfitting")


TERM = Term(
    slug="overfitting",
    name="overfitting",
    definition=(
        "A model overfits when it fits its training examples so closely, noise included, that it "
        "does worse on new examples: training error keeps falling while validation error rises."
    ),
    look_for="the gap: training error still falling while validation error turns up after the best capacity",
    demo=demo,
    related=("underfitting", "validation-set", "epoch", "training-set"),
    used_in=("paradigms.supervised.training.train",),
    aliases=("overfit", "overfits", "overfitted", "over-fitting"),
    settings=CapacitySettings,
)
