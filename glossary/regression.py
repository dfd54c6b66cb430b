"""Regression: predicting a number on a continuous scale.

Demo
----
A real quantity: scikit-learn's bundled diabetes data (442 patients, Efron et
al., 2004; nothing is downloaded). For each patient ten measurements taken at
the start (age, sex, body-mass index, average blood pressure and six blood
serum values) and the quantity to predict: how far the disease progressed one
year later, a score from 25 to 346.

A small network (10 inputs -> 8 hidden neurons -> 1 output neuron, no
activation on the output) is trained with squared error on three quarters of
the patients. Its answer is a number (say 183.4), and it is measured by how
far off that number is on the other quarter: the **mean absolute error**, in
the target's own units, beside always answering the training patients'
average; and **R²**, the share of the differences between patients the model
explains (1 = all of them, 0 = no better than always answering the average,
below 0 = worse than that). Compare :mod:`glossary.classification`, where the
answer is a class and is simply right or wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed, numpy_rng
from paradigms.settings import Settings, setting
from paradigms.supervised.metrics import r2_score

from ._base import DemoResult, Term, figure, make_settings, plain_numbers, quiet_torch
from ._training import fit_full_batch, small_mlp

TARGET = "disease progression after one year"


@dataclass(frozen=True)
class RegressionSettings(Settings):
    """Settings of the regression demo."""

    train_size: int = setting(332, "training patients (the rest of the 442 test the model)", min=20, max=400)
    width: int = setting(8, "neurons in the hidden layer", min=1, max=1024)
    steps: int = setting(200, "full-batch training steps (Adam)", min=1, max=5000)
    learning_rate: float = setting(0.01, "Adam's step size", min=0.0, min_inclusive=False, max=10.0)
    examples: int = setting(8, "test patients listed in the table", min=1, max=50)


@cache
def diabetes() -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """``(X, y, feature names)``: the 442 patients in their original units (bundled, not downloaded)."""
    from sklearn.datasets import load_diabetes  # start-up time: scikit-learn loads on first use

    bunch = load_diabetes(scaled=False)
    X, y = bunch.data.astype(np.float32), bunch.target.astype(np.float32)
    X.flags.writeable = False
    y.flags.writeable = False
    return X, y, tuple(bunch.feature_names)


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """A network predicts disease progression, a number; measured by how far off it is."""
    import torch  # start-up time: torch loads only when a demo trains a network

    config: RegressionSettings = make_settings(RegressionSettings, settings)
    seed = check_seed(seed)
    X, y, _ = diabetes()
    order = numpy_rng(seed).permutation(len(X))
    train, test = order[: config.train_size], order[config.train_size :]
    # Inputs and target on a common scale (training statistics only), answers back in the target's units.
    x_mean, x_std = X[train].mean(axis=0), X[train].std(axis=0)
    y_mean, y_std = float(y[train].mean()), float(y[train].std())
    inputs = ((X - x_mean) / x_std).astype(np.float32)
    with quiet_torch(seed):
        network = small_mlp(X.shape[1], config.width, outputs=1)
        fit_full_batch(network, inputs[train], ((y[train] - y_mean) / y_std)[:, None],
                       torch.nn.functional.mse_loss, steps=config.steps, learning_rate=config.learning_rate)
        with torch.no_grad():
            predicted = network(torch.from_numpy(inputs[test]))[:, 0].numpy().astype(np.float64) * y_std + y_mean
    true = y[test].astype(np.float64)
    errors = np.abs(predicted - true)
    baseline_errors = np.abs(y_mean - true)
    numbers = plain_numbers(
        {
            "training_patients": len(train),
            "test_patients": len(test),
            "mean_absolute_error": float(errors.mean()),
            "baseline_mean_absolute_error": float(baseline_errors.mean()),
            "r_squared": r2_score(true, predicted),
            "target_min": float(y.min()),
            "target_max": float(y.max()),
            "training_mean": y_mean,
        }
    )
    shown = slice(0, config.examples)
    table = pd.DataFrame(
        {
            "true progression": true[shown],
            "answer (a number)": predicted[shown],
            "off by": errors[shown],
            "always the average: off by": baseline_errors[shown],
        }
    )
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=_finding(numbers), settings=config, seed=seed,
        draw=_draw, data={"true": true, "predicted": predicted},
    )


def _finding(n: dict) -> str:
    mae, base, r2 = n["mean_absolute_error"], n["baseline_mean_absolute_error"], n["r_squared"]
    if r2 > 0:
        explained = f"it explains {r2:.0%} of how much patients differ"
    else:
        explained = "it explains none of how much patients differ: it is no better than always answering the average"
    return (
        f"From ten measurements of {n['test_patients']} new diabetes patients, the network answers with a number, "
        f"its prediction of the {TARGET} (a score from {n['target_min']:.0f} to {n['target_max']:.0f}). On average "
        f"it is {mae:.1f} points off, against {base:.1f} for always answering the average ({n['training_mean']:.0f}). "
        f"R² = {r2:.2f} (the share of the differences between patients the model explains; 1 = all, 0 = no better "
        f"than the average): {explained}. The answer is never simply right or wrong, only nearer or further."
    )


def _draw(result: DemoResult):
    true, predicted = result.data["true"], result.data["predicted"]
    n = result.numbers
    fig = figure(10.0, 3.9)
    scatter_ax, error_ax = fig.subplots(1, 2)
    scatter_ax.scatter(true, predicted, s=12, alpha=0.7, color="C1", label="test patients")
    low, high = float(min(true.min(), predicted.min())), float(max(true.max(), predicted.max()))
    scatter_ax.plot([low, high], [low, high], color="gray", linestyle=":", label="perfect answer")
    scatter_ax.axhline(n["training_mean"], color="C7", linestyle="--", label="always the average")
    scatter_ax.set(xlabel=f"true {TARGET}", ylabel="the network's answer",
                   title=f"Answers are numbers: R² = {n['r_squared']:.2f}")
    scatter_ax.legend(fontsize=8)
    bins = np.linspace(0, float(max(np.abs(predicted - true).max(), np.abs(n["training_mean"] - true).max())), 20)
    error_ax.hist(np.abs(n["training_mean"] - true), bins=bins, alpha=0.5, color="C7", label="always the average")
    error_ax.hist(np.abs(predicted - true), bins=bins, alpha=0.6, color="C1", label="the network")
    error_ax.set(xlabel="how far off (points of progression)", ylabel="test patients",
                 title=f"Mean absolute error {n['mean_absolute_error']:.1f} vs {n['baseline_mean_absolute_error']:.1f}")
    error_ax.legend(fontsize=8)
    return fig


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
    settings=RegressionSettings,
)
