"""Learning rate: how big a step gradient descent takes against the gradient.

Demo
----
Gradient descent on the simplest cost there is: a straight-line model
``y = w1 x1 + w2 x2`` fitted to 200 noisy points by mean squared error. Its
cost surface is a bowl, so the best weights, the gradient and the largest
stable step are all known exactly: steps larger than ``2 / L``, where ``L`` is
the bowl's steepest curvature (the largest eigenvalue of ``X.T X / n``),
overshoot further every time and diverge.

The same 30 steps from the same start, with four learning rates: too small
(creeps towards the bottom), reasonable, nearly the largest stable one (zig-
zags across the bowl but gets there), and just past it (the cost explodes).
The inputs are scaled so that ``L = 1`` exactly: the largest stable rate is 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed, numpy_rng
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers

TRUE_WEIGHTS = np.array([2.0, -3.0])
START = np.array([-2.0, 2.0])
INPUT_SCALES = np.array([1.0, 0.35])


@dataclass(frozen=True)
class LearningRateSettings(Settings):
    """Settings of the learning-rate demo."""

    rates: tuple[float, ...] = setting(
        (0.02, 0.5, 1.6, 2.1), "learning rates to compare", min=0.0, min_inclusive=False, max=100.0
    )
    steps: int = setting(30, "gradient-descent steps for each rate", min=1, max=10_000)
    points: int = setting(200, "data points the line is fitted to", min=10, max=100_000)
    noise: float = setting(0.5, "standard deviation of the noise on y", min=0.0, max=100.0)


def make_problem(points: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two uncorrelated inputs on different scales (so the bowl is long and narrow) and a noisy target.

    The inputs are made exactly uncorrelated with spreads 1 and 0.35, so the
    bowl's curvatures are exactly 1 and 0.1225 whatever the seed: the largest
    stable learning rate is 2.
    """
    rng = numpy_rng(seed)
    orthonormal, _ = np.linalg.qr(rng.normal(0.0, 1.0, size=(points, 2)))
    X = orthonormal * np.sqrt(points) * INPUT_SCALES
    return X, X @ TRUE_WEIGHTS + rng.normal(0.0, noise, size=points)


def cost(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Half the mean squared error (the half makes the gradient tidy)."""
    return 0.5 * float(np.mean((X @ w - y) ** 2))


def gradient_descent(X: np.ndarray, y: np.ndarray, rate: float, steps: int) -> np.ndarray:
    """The weights after each step, starting at :data:`START` (rows: steps 0..steps)."""
    path = [START.copy()]
    w = START.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            w = w - rate * (X.T @ (X @ w - y)) / len(y)
            path.append(w.copy())
    return np.array(path)


#: A run "reaches the bottom" when what is left of the cost above the best is at most this share of where it started.
REACHED_SHARE = 0.05
#: Rates within this relative distance of 2/L count as sitting on the edge itself.
EDGE_TOLERANCE = 1e-9


def verdict(rate: float, curvature: float, flattest: float, start_excess: float, final_excess: float) -> str:
    """What one learning rate did, by the rule the verdict states.

    On a bowl, each step multiplies the distance to the bottom along a
    direction of curvature c by ``1 - rate * c``: past ``2 / L`` (L the steepest
    curvature) that factor is below -1 and the steps grow (diverges); at exactly
    ``2 / L`` it is -1 (bounces for ever); below it every direction shrinks, and
    the run "reaches the bottom" when its excess cost has fallen to
    :data:`REACHED_SHARE` of the start's. If not, the slowest direction says why:
    the flattest one (factor ``1 - rate * c_min`` near 1: too small, it creeps)
    or the steepest one (factor ``1 - rate * L`` near -1: near the edge, it
    zig-zags).
    """
    edge = 2.0 / curvature
    if abs(rate - edge) <= EDGE_TOLERANCE * edge:
        return f"at the edge 2/L = {edge:.2f}: bounces across the bowl for ever, never settling"
    if rate > edge:
        return f"too large: past 2/L = {edge:.2f}, it overshoots further each step and diverges"
    if np.isfinite(final_excess) and final_excess <= REACHED_SHARE * start_excess:
        return "reaches the bottom"
    if abs(1.0 - rate * curvature) > abs(1.0 - rate * flattest):
        return f"near the edge 2/L = {edge:.2f}: zig-zags across the bowl, still far from the bottom"
    return "too small: creeps, still far from the bottom"


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Same start, same steps, four learning rates."""
    config: LearningRateSettings = make_settings(LearningRateSettings, settings)
    seed = check_seed(seed)
    X, y = make_problem(config.points, config.noise, seed)
    curvatures = np.linalg.eigvalsh(X.T @ X / len(y))
    curvature, flattest = float(curvatures.max()), float(curvatures.min())
    best_w = np.linalg.lstsq(X, y, rcond=None)[0]
    best, start = cost(best_w, X, y), cost(START, X, y)
    rows: list[dict[str, Any]] = []
    paths, curves = {}, {}
    with np.errstate(over="ignore", invalid="ignore"):
        for rate in config.rates:
            path = gradient_descent(X, y, rate, config.steps)
            losses = np.array([cost(w, X, y) for w in path])
            final = float(losses[-1])
            rows.append(
                {
                    "learning rate": rate,
                    "rate x curvature": rate * curvature,
                    "cost after 1 step": float(losses[1]) if len(losses) > 1 else start,
                    f"cost after {config.steps} steps": final,
                    "excess over best": final - best,
                    "verdict": verdict(rate, curvature, flattest, start - best, final - best),
                }
            )
            paths[rate], curves[rate] = path, losses
    table = pd.DataFrame(rows)
    numbers = {
        "best_cost": best,
        "start_cost": start,
        "curvature_L": curvature,
        "largest_stable_rate": 2.0 / curvature,
        "flattest_curvature": flattest,
    }
    for row in rows:
        numbers[f"final_cost_rate_{row['learning rate']:g}"] = row[f"cost after {config.steps} steps"]
    parts = [f"{row['learning rate']:g}: {row['verdict']}" for row in rows]
    finding = (
        f"The cost is a bowl whose steepest curvature is L = {curvature:.2f} (how fast its slope changes in "
        f"the steepest direction); gradient descent is stable for rates "
        f"below 2/L = {2 / curvature:.2f} and diverges past it. A rate reaches the bottom when the cost left above "
        f"the best is at most {REACHED_SHARE:.0%} of the start's. After {config.steps} steps from cost {start:.2f} (best possible "
        f"{best:.3f}): " + "; ".join(parts) + "."
    )
    return DemoResult(
        term=TERM, numbers=plain_numbers(numbers), table=table, finding=finding, settings=config, seed=seed,
        draw=_draw, data={"X": X, "y": y, "paths": paths, "curves": curves, "best_w": best_w},
    )


def _draw(result: DemoResult):
    data = result.data
    X, y = data["X"], data["y"]
    fig = figure(10.0, 3.8)
    bowl_ax, curve_ax = fig.subplots(1, 2)
    w1, w2 = np.meshgrid(np.linspace(-3.0, 5.0, 120), np.linspace(-6.0, 4.0, 120))
    grid = np.stack([w1.ravel(), w2.ravel()], axis=1)
    costs = 0.5 * np.mean((grid @ X.T - y) ** 2, axis=1).reshape(w1.shape)
    bowl_ax.contour(w1, w2, costs, levels=np.geomspace(costs.min() + 1e-3, costs.max(), 14), colors="lightgray", linewidths=0.8)
    for index, (rate, path) in enumerate(data["paths"].items()):
        shown = path[:13]  # the first dozen steps: enough to see creeping, zig-zagging, escaping
        bowl_ax.plot(shown[:, 0], shown[:, 1], ".-", color=f"C{index}", markersize=3, linewidth=1, label=f"rate {rate:g}")
    bowl_ax.plot(*data["best_w"], "*", color="black", markersize=10, label="bottom of the bowl")
    bowl_ax.set(xlim=(-3, 5), ylim=(-6, 4), xlabel="weight w1", ylabel="weight w2", title="The first 12 steps across the cost bowl")
    bowl_ax.legend(fontsize=7, loc="lower right")
    for index, (rate, losses) in enumerate(data["curves"].items()):
        curve_ax.plot(np.arange(len(losses)), np.minimum(losses, 1e6), color=f"C{index}", label=f"rate {rate:g}")
    curve_ax.axhline(result.numbers["best_cost"], color="black", linestyle=":", label="best possible")
    curve_ax.set_yscale("log")
    curve_ax.set(xlabel="step", ylabel="cost (log)", title="Cost after each step")
    curve_ax.legend(fontsize=7)
    return fig


TERM = Term(
    slug="learning-rate",
    name="learning rate",
    definition=(
        "The learning rate sets how far each gradient-descent step moves the weights: too small and "
        "training crawls, too large and each step overshoots the minimum until the cost blows up."
    ),
    look_for="a tiny rate barely moves, a good one reaches the bottom, one past 2/L zig-zags outwards and diverges",
    demo=demo,
    related=("backpropagation", "cost-function", "batch-size", "epoch"),
    used_in=("paradigms.supervised.training.make_optimizer", "paradigms.supervised.training.make_schedule", "paradigms.reinforcement.QLearningAgent"),
    aliases=("learning rates", "step size", "lr"),
    settings=LearningRateSettings,
)
