"""Cost function: one number that says how wrong the predictions are.

Demo
----
One example whose label is 1 ("this is a 7"), and a model that gives it a
probability ``p`` of being a 7, from a confident mistake (``p = 0.01``) to a
confident right answer (``p = 0.99``). For each ``p``: the mean squared error
``(1 - p)**2`` and the cross-entropy ``-log(p)``, and the push each cost gives
the model (its gradient with respect to the model's raw score, the *logit*:
the number a sigmoid turns into the probability ``p = 1 / (1 + exp(-logit))``).

Both costs fall as the prediction approaches the label. They differ on a
confident mistake: squared error can never exceed 1 and its push almost
vanishes there (the sigmoid is flat), while cross-entropy grows without bound
and pushes hardest exactly where the model is most wrong. That is why
classifiers are trained with cross-entropy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from paradigms.seeding import check_seed
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers, times


@dataclass(frozen=True)
class CostFunctionSettings(Settings):
    """Settings of the cost-function demo."""

    confident_mistake: float = setting(
        0.01, "probability the model gives the true class when it is confidently wrong",
        min=0.0, max=0.5, min_inclusive=False,
    )
    unsure: float = setting(0.5, "probability of an unsure prediction, for comparison", min=0.05, max=0.95)
    points: int = setting(99, "predictions on the curve, from p=0.01 to p=0.99", min=3, max=10_000)


def mean_squared_error(p: ArrayLike, label: float = 1.0) -> np.ndarray:
    """Squared distance between the predicted probability and the label."""
    return (np.asarray(p, dtype=float) - label) ** 2


def cross_entropy(p: ArrayLike, label: float = 1.0) -> np.ndarray:
    """Binary cross-entropy: ``-log`` of the probability given to what really happened."""
    p = np.asarray(p, dtype=float)
    return -(label * np.log(p) + (1.0 - label) * np.log1p(-p))


def push_on_logit(p: np.ndarray, label: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """|d cost / d logit| for squared error and cross-entropy when ``p = sigmoid(logit)``.

    Squared error: ``2 (p - y) p (1 - p)``: the sigmoid's slope ``p (1 - p)``
    shrinks it to almost nothing when ``p`` is near 0 or 1. Cross-entropy:
    ``p - y``: the slope cancels, the push stays large while the mistake is.
    """
    p = np.asarray(p, dtype=float)
    return np.abs(2.0 * (p - label) * p * (1.0 - p)), np.abs(p - label)



def _finding(wrong: float, unsure: float, mse_wrong: float, ce_wrong: float, mse_unsure: float, ce_unsure: float,
             ratio_push: float) -> str:
    """What the two costs do to the prediction ``wrong``, each comparison worded from its own numbers."""
    ce_ratio, mse_ratio = ce_wrong / ce_unsure, mse_wrong / mse_unsure
    text = "Both costs fall as p, the probability given to the true class, approaches the label. "
    if wrong >= unsure:
        text += (
            f"A prediction of p = {wrong:g} is no confident mistake: it is at least as sure of the true class as "
            f"the unsure guess (p = {unsure:g}). It costs {ce_wrong:.2f} in cross-entropy and {mse_wrong:.2f} in "
            "squared error; a smaller p shows a confident mistake."
        )
        return text
    contrast = "but only" if ce_ratio > 1.05 * mse_ratio else "and"
    text += (
        f"A confident mistake (p = {wrong:g}) costs {ce_wrong:.2f} in cross-entropy, {times(ce_ratio)} an unsure "
        f"guess (p = {unsure:g}), {contrast} {mse_wrong:.2f} in squared error ({times(mse_ratio)})"
    )
    if mse_ratio > 1.05 * ce_ratio:
        text += ": this close to the unsure guess, squared error grows faster"
    elif contrast == "and":
        text += ": about as many times"
    text += (
        ". And the push to fix it, the gradient of the cost with respect to the logit (the model's raw score "
        f"before the sigmoid turns it into p), is {times(ratio_push)} "
        + ("stronger with cross-entropy." if ratio_push >= 1 else "weaker with cross-entropy.")
    )
    return text


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Squared error and cross-entropy on the same predictions (no randomness: ``seed`` is recorded only)."""
    config: CostFunctionSettings = make_settings(CostFunctionSettings, settings)
    seed = check_seed(seed)
    p = np.linspace(0.01, 0.99, config.points)
    shown = np.array(sorted({config.confident_mistake, 0.1, 0.3, config.unsure, 0.7, 0.9, 0.99}))
    mse_push, ce_push = push_on_logit(shown)
    table = pd.DataFrame(
        {
            "p(true class)": shown,
            "squared error": mean_squared_error(shown),
            "cross-entropy": cross_entropy(shown),
            "squared-error push": mse_push,
            "cross-entropy push": ce_push,
        }
    )
    wrong, unsure = config.confident_mistake, config.unsure
    mse_wrong, ce_wrong = float(mean_squared_error(wrong)), float(cross_entropy(wrong))
    mse_unsure, ce_unsure = float(mean_squared_error(unsure)), float(cross_entropy(unsure))
    (mse_push_wrong,), (ce_push_wrong,) = push_on_logit(np.array([wrong]))
    numbers = plain_numbers(
        {
            "squared_error_confident_mistake": mse_wrong,
            "cross_entropy_confident_mistake": ce_wrong,
            "squared_error_unsure": mse_unsure,
            "cross_entropy_unsure": ce_unsure,
            "squared_error_mistake_vs_unsure": mse_wrong / mse_unsure,
            "cross_entropy_mistake_vs_unsure": ce_wrong / ce_unsure,
            "squared_error_push_confident_mistake": mse_push_wrong,
            "cross_entropy_push_confident_mistake": ce_push_wrong,
        }
    )
    finding = _finding(wrong, unsure, mse_wrong, ce_wrong, mse_unsure, ce_unsure, ce_push_wrong / mse_push_wrong)
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding, settings=config, seed=seed,
        draw=_draw, data={"p": p},
    )


def _draw(result: DemoResult):
    p = result.data["p"]
    fig = figure(8.0, 3.4)
    cost_ax, push_ax = fig.subplots(1, 2)
    cost_ax.plot(p, mean_squared_error(p), label="squared error (1 - p)²")
    cost_ax.plot(p, cross_entropy(p), label="cross-entropy -log p")
    cost_ax.set(xlabel="probability given to the true class, p", ylabel="cost", title="Cost of one prediction (label = 1)")
    cost_ax.legend()
    mse_push, ce_push = push_on_logit(p)
    push_ax.plot(p, mse_push, label="squared error")
    push_ax.plot(p, ce_push, label="cross-entropy")
    push_ax.set(xlabel="p", ylabel="|d cost / d logit|", title="How hard each cost pushes")
    push_ax.legend()
    return fig


TERM = Term(
    slug="cost-function",
    name="cost function",
    definition=(
        "A cost (or loss) function turns the model's predictions and the true answers into one "
        "number that says how wrong the model is; learning means changing the weights to make it smaller."
    ),
    look_for=(
        "both costs fall as the prediction nears the label, but cross-entropy punishes a confident "
        "mistake far more than squared error does, and keeps pushing until it is fixed"
    ),
    demo=demo,
    related=("backpropagation", "classification", "regression", "learning-rate"),
    used_in=("paradigms.supervised.training.evaluate",),
    aliases=("cost functions", "loss function", "loss functions", "cost", "loss", "cross-entropy", "mean squared error"),
    settings=CostFunctionSettings,
)
