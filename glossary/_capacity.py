"""The capacity sweep behind *overfitting* and *underfitting*.

Twenty noisy points of a smooth wave, fitted by polynomials of growing degree
(more degree = more capacity = more parameters). For every degree: the mean
squared error on the training points and on 200 fresh validation points.
Training error can only fall as capacity grows (each polynomial family
contains the one before); validation error falls while the model learns the
curve, then rises as it starts to learn the noise. Left of the best degree
both errors are high (underfitting); right of it training error keeps falling
while validation error climbs (overfitting).

Each degree's verdict is read from the numbers, not from its place left or
right of the best: a degree *underfits* or *overfits* only when its validation
error is clearly worse than the best degree's (by more than twice the standard
error of that difference over the validation points, by more than
:data:`MATTERS` of the validation targets' variance and by more than
:data:`RELATIVE` of the best's own error, so that a difference of 0.00004 is
not a verdict), underfitting on the simpler side and overfitting
on the more flexible side; otherwise it fits about as well as the best.

Polynomials are fitted by least squares on the Legendre basis, which stays
well conditioned on [-1, 1] where plain powers of x do not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.polynomial import legendre

from paradigms.errors import ConfigError
from paradigms.seeding import numpy_rng
from paradigms.settings import Settings, setting

from ._base import figure


@dataclass(frozen=True)
class CapacitySettings(Settings):
    """Settings of the capacity sweep (shared by the overfitting and underfitting demos)."""

    train_points: int = setting(20, "noisy training points the polynomials are fitted to", min=3, max=10_000)
    validation_points: int = setting(200, "fresh points that measure the error on unseen data", min=10, max=100_000)
    noise: float = setting(0.3, "standard deviation of the noise added to the curve", min=0.0, max=10.0)
    max_degree: int = setting(16, "the largest polynomial degree tried (capacity)", min=2, max=30)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.max_degree >= self.train_points:
            raise ConfigError(
                f"max_degree = {self.max_degree} needs more than {self.max_degree} training points "
                f"(train_points = {self.train_points}): raise train_points or lower max_degree"
            )


def true_curve(x: np.ndarray) -> np.ndarray:
    """The pattern behind the data: three quarters of a wave over [-1, 1]."""
    return np.sin(1.5 * np.pi * x)


def make_training_data(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points spread evenly over [-1, 1] (each jittered by up to half a gap), plus noise.

    Evenly spread, so that validation points never lie far outside the training
    points: the demo is about fitting noise, not about extrapolating.
    """
    gap = 2.0 / (n - 1)
    x = np.clip(np.linspace(-1.0, 1.0, n) + rng.uniform(-0.5, 0.5, size=n) * gap, -1.0, 1.0)
    return x, true_curve(x) + rng.normal(0.0, noise, size=n)


def make_validation_data(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-1.0, 1.0, size=n)
    return x, true_curve(x) + rng.normal(0.0, noise, size=n)


def fit_polynomial(x: np.ndarray, y: np.ndarray, degree: int) -> np.ndarray:
    """Least-squares Legendre coefficients of the given degree."""
    coefficients, *_ = np.linalg.lstsq(legendre.legvander(x, degree), y, rcond=None)
    return coefficients


#: A difference of validation errors smaller than this share of the targets' variance is too small to matter ...
MATTERS = 0.01
#: ... and so is one smaller than this share of the best validation error. Together with twice the standard
#: error, these make no wrong claim over the noise slider, 20 or 200 points and four seeds, judged against
#: the exact error of each fitted curve (tests/glossary/test_glossary_verdicts.py).
RELATIVE = 0.1
UNDERFITTING, OVERFITTING, BEST, AS_GOOD = "underfitting", "overfitting", "best on validation", "not clearly worse than the best"


def clearly_worse_by(squared_errors: np.ndarray, best_squared_errors: np.ndarray, variance: float) -> tuple[float, float]:
    """How much worse a model's validation error is than the best's, and the margin it must exceed.

    The margin is the largest of twice the standard error of the paired
    difference (the same validation points score both), :data:`MATTERS` of
    the targets' variance and :data:`RELATIVE` of the best's validation error."""
    difference = squared_errors - best_squared_errors
    standard_error = float(np.std(difference, ddof=1) / np.sqrt(len(difference)))
    margin = max(2.0 * standard_error, MATTERS * variance, RELATIVE * float(np.mean(best_squared_errors)))
    return float(np.mean(difference)), margin


def degree_verdict(degree: int, best: int, excess: float, margin: float) -> str:
    """The verdict of one degree (see the module docstring)."""
    if degree == best:
        return BEST
    if excess <= margin:
        return AS_GOOD
    return UNDERFITTING if degree < best else OVERFITTING


@dataclass(frozen=True)
class Sweep:
    """Errors per degree plus the data, for the tables and figures of both demos."""

    table: pd.DataFrame
    best_degree: int
    x_train: np.ndarray
    y_train: np.ndarray
    coefficients: dict[int, np.ndarray]
    noise_floor: float
    margins: np.ndarray  # per degree: how much worse than the best validation error counts as clearly worse


def capacity_sweep(config: CapacitySettings, seed: int) -> Sweep:
    train_rng, validation_rng = numpy_rng(seed, 0), numpy_rng(seed, 1)
    x_train, y_train = make_training_data(config.train_points, config.noise, train_rng)
    x_val, y_val = make_validation_data(config.validation_points, config.noise, validation_rng)
    rows, coefficients, squared = [], {}, []
    for degree in range(config.max_degree + 1):
        c = fit_polynomial(x_train, y_train, degree)
        coefficients[degree] = c
        squared.append((legendre.legval(x_val, c) - y_val) ** 2)
        rows.append(
            {
                "degree": degree,
                "parameters": degree + 1,
                "training error": float(np.mean((legendre.legval(x_train, c) - y_train) ** 2)),
                "validation error": float(np.mean(squared[-1])),
            }
        )
    table = pd.DataFrame(rows)
    table["gap"] = table["validation error"] - table["training error"]
    best = int(table.loc[table["validation error"].idxmin(), "degree"])
    variance = float(np.var(y_val))
    worse = [clearly_worse_by(errors, squared[best], variance) for errors in squared]
    table["worse than best"] = [excess for excess, _ in worse]
    table["verdict"] = [degree_verdict(d, best, excess, margin) for d, (excess, margin) in enumerate(worse)]
    return Sweep(table, best, x_train, y_train, coefficients, config.noise**2, np.array([m for _, m in worse]))


def rule_words(kind: str, validation_points: int) -> str:
    """The rule behind the verdict column, in one parenthesis (``kind``: "overfitting" or "underfitting")."""
    side = "more flexible" if kind == OVERFITTING else "simpler"
    return (
        f"(a {side} degree counts as {kind} when its validation error is worse than the best degree's by more "
        f"than twice the standard error of that difference over the {validation_points} validation points, more "
        f"than {MATTERS:.0%} of their variance and more than {RELATIVE:.0%} of the best's error)"
    )


def noise_words(noise: float) -> str:
    """The noise level explained: the error even the true curve leaves, the square of the noise setting."""
    return f"the noise level {noise**2:.3g} (= noise {noise:g} squared: the mean squared error even the true curve leaves)"


def draw_sweep(table: pd.DataFrame, sweep_data: dict, *, focus: str):
    """Errors against degree (left) and three fitted curves over the data (right)."""
    best = int(sweep_data["best_degree"])
    low = int(sweep_data["low_degree"])
    high = int(table["degree"].max())
    fig = figure(10.0, 3.6)
    error_ax, fit_ax = fig.subplots(1, 2)
    error_ax.plot(table["degree"], table["training error"], "o-", label="training error")
    error_ax.plot(table["degree"], table["validation error"], "s-", label="validation error")
    error_ax.axhline(sweep_data["noise_floor"], color="gray", linestyle=":", label=f"noise level {sweep_data['noise_floor']:.3g} = noise² (best possible)")
    # shade each degree by its verdict (read from the numbers), not by its side of the best degree
    for degree, verdict in zip(table["degree"], table["verdict"], strict=True):
        if verdict == UNDERFITTING:
            error_ax.axvspan(degree - 0.5, degree + 0.5, color="C0", alpha=0.07 if focus == "overfitting" else 0.18, linewidth=0)
        elif verdict == OVERFITTING:
            error_ax.axvspan(degree - 0.5, degree + 0.5, color="C3", alpha=0.18 if focus == "overfitting" else 0.07, linewidth=0)
    error_ax.text(0.02, 0.97, "underfitting", transform=error_ax.transAxes, fontsize=9, color="C0", va="top")
    error_ax.text(0.98, 0.97, "overfitting", transform=error_ax.transAxes, fontsize=9, color="C3", ha="right", va="top")
    error_ax.set_yscale("log")
    error_ax.margins(y=0.15)
    error_ax.set(xlabel="polynomial degree (capacity)", ylabel="mean squared error (log)", title="Capacity sweep")
    error_ax.legend(fontsize=8, loc="lower left")
    grid = np.linspace(-1.0, 1.0, 400)
    fit_ax.plot(sweep_data["x_train"], sweep_data["y_train"], "o", color="black", markersize=4, label="training points")
    fit_ax.plot(grid, true_curve(grid), color="gray", linestyle=":", label="true curve")
    for degree, color in ((low, "C0"), (best, "C2"), (high, "C3")):
        fit_ax.plot(grid, legendre.legval(grid, sweep_data["coefficients"][degree]), color=color, label=f"degree {degree}")
    fit_ax.set_ylim(-2.5, 2.5)
    fit_ax.set(xlabel="x", ylabel="y", title="Too simple, about right, too flexible")
    fit_ax.legend(fontsize=8, loc="lower left")
    return fig
