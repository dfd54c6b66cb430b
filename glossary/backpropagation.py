"""Backpropagation: the chain rule, applied layer by layer from the cost backwards.

Demo
----
A tiny network, 2 inputs -> 3 hidden neurons (tanh) -> 1 output, on the four
XOR examples, with squared error as the cost. The gradient of the cost with
respect to every weight is computed twice: by hand, writing out the chain rule
in NumPy (:func:`hand_gradients`), and by PyTorch's ``autograd``. They agree
to rounding error. Then one gradient-descent step with those gradients lowers
the cost, which is all that training repeats.

The backward pass, for ``h = tanh(X W1 + b1)``, ``out = h W2 + b2`` and
``cost = mean((out - y)**2)``::

    d cost/d out = 2 (out - y) / n
    d cost/d W2  = h.T   @ d out        d cost/d b2 = sum(d out)
    d cost/d h   = d out @ W2.T
    d cost/d z1  = d h * (1 - h**2)     (tanh' = 1 - tanh**2)
    d cost/d W1  = X.T   @ d z1         d cost/d b1 = sum(d z1)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed, numpy_rng
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers

#: XOR: the classic task one neuron cannot learn and a hidden layer can.
XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TARGETS = np.array([[0.0], [1.0], [1.0], [0.0]])


@dataclass(frozen=True)
class BackpropagationSettings(Settings):
    """Settings of the backpropagation demo."""

    hidden: int = setting(3, "neurons in the hidden layer", min=1, max=64)
    learning_rate: float = setting(0.1, "size of the one gradient-descent step", min=0.0, min_inclusive=False, max=10.0)


def init_parameters(hidden: int, seed: int) -> dict[str, np.ndarray]:
    """Small random weights for 2 -> hidden -> 1 (float64, so the comparison is exact)."""
    rng = numpy_rng(seed)
    return {
        "W1": rng.normal(0.0, 1.0, size=(2, hidden)),
        "b1": rng.normal(0.0, 0.1, size=hidden),
        "W2": rng.normal(0.0, 1.0, size=(hidden, 1)),
        "b2": rng.normal(0.0, 0.1, size=1),
    }


def forward(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """Cost and the intermediate values the backward pass needs."""
    hidden = np.tanh(X @ params["W1"] + params["b1"])
    out = hidden @ params["W2"] + params["b2"]
    cost = float(np.mean((out - y) ** 2))
    return cost, {"hidden": hidden, "out": out}


def hand_gradients(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """The chain rule written out, from the cost back to the first layer's weights."""
    _, cache = forward(params, X, y)
    hidden, out = cache["hidden"], cache["out"]
    d_out = 2.0 * (out - y) / out.size
    d_hidden = d_out @ params["W2"].T
    d_z1 = d_hidden * (1.0 - hidden**2)
    return {
        "W1": X.T @ d_z1,
        "b1": d_z1.sum(axis=0),
        "W2": hidden.T @ d_out,
        "b2": d_out.sum(axis=0),
    }


def autograd_gradients(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """The same gradients from PyTorch's automatic differentiation."""
    import torch  # start-up time: torch loads only when a demo trains a network

    tensors = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True) for name, value in params.items()}
    inputs, targets = torch.tensor(X), torch.tensor(y)
    hidden = torch.tanh(inputs @ tensors["W1"] + tensors["b1"])
    cost = torch.mean((hidden @ tensors["W2"] + tensors["b2"] - targets) ** 2)
    cost.backward()
    # cast: backward() gave every tensor a gradient, as each takes part in the cost
    return {name: cast(torch.Tensor, tensor.grad).numpy().copy() for name, tensor in tensors.items()}


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Hand-written gradients against autograd's, then one step downhill."""
    config: BackpropagationSettings = make_settings(BackpropagationSettings, settings)
    seed = check_seed(seed)
    X, y = XOR_INPUTS, XOR_TARGETS
    params = init_parameters(config.hidden, seed)
    by_hand = hand_gradients(params, X, y)
    by_autograd = autograd_gradients(params, X, y)
    rows = []
    for name in params:
        for index in np.ndindex(params[name].shape):
            rows.append(
                {
                    "parameter": f"{name}{list(index)}",
                    "value": params[name][index],
                    "gradient by hand": by_hand[name][index],
                    "gradient by autograd": by_autograd[name][index],
                }
            )
    table = pd.DataFrame(rows)
    table["difference"] = (table["gradient by hand"] - table["gradient by autograd"]).abs()
    cost_before, _ = forward(params, X, y)
    stepped = {name: value - config.learning_rate * by_hand[name] for name, value in params.items()}
    cost_after, _ = forward(stepped, X, y)
    largest = float(table["difference"].max())
    numbers = plain_numbers(
        {
            "parameters": len(table),
            "max_abs_difference": largest,
            "largest_gradient": float(table["gradient by hand"].abs().max()),
            "cost_before_step": cost_before,
            "cost_after_step": cost_after,
        }
    )
    agree = largest < 1e-9 * max(1.0, float(numbers["largest_gradient"]))
    comparison = (
        f"The chain rule by hand and PyTorch's automatic differentiation agree on all {len(table)} gradients (largest difference "
        f"{largest:.1e}, rounding error)"
        if agree
        else f"The chain rule by hand and PyTorch's automatic differentiation DIFFER (largest difference {largest:.1e})"
    )
    step = "lowers" if cost_after < cost_before else "raises" if cost_after > cost_before else "leaves unchanged"
    finding = (
        f"{comparison}. One step of size {config.learning_rate:g} against them {step} the cost from "
        f"{cost_before:.4f} to {cost_after:.4f}."
    )
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding, settings=config, seed=seed, draw=_draw,
    )


def _draw(result: DemoResult):
    table = result.table
    fig = figure(8.0, 3.4)
    grad_ax, cost_ax = fig.subplots(1, 2, width_ratios=(3, 1))
    positions = np.arange(len(table))
    grad_ax.bar(positions - 0.2, table["gradient by hand"], width=0.4, label="by hand (chain rule)")
    grad_ax.bar(positions + 0.2, table["gradient by autograd"], width=0.4, label="by PyTorch (automatic)")
    grad_ax.set_xticks(positions, table["parameter"], rotation=90, fontsize=7)
    grad_ax.set(ylabel="d cost / d parameter", title="Same gradients, two ways")
    grad_ax.legend(fontsize=8)
    numbers = result.numbers
    cost_ax.bar(["before", "after"], [numbers["cost_before_step"], numbers["cost_after_step"]], color=["C7", "C2"])
    cost_ax.set(ylabel="cost (mean squared error)", title="One step downhill")
    return fig


TERM = Term(
    slug="backpropagation",
    name="backpropagation",
    definition=(
        "Backpropagation computes how much each weight contributed to the cost, by applying the "
        "chain rule from the output layer back to the first; gradient descent then nudges every "
        "weight against its gradient."
    ),
    look_for=(
        "the hand-written chain rule and PyTorch's autograd give the same gradients, and one step "
        "against them lowers the cost"
    ),
    demo=demo,
    related=("cost-function", "learning-rate", "neural-network", "epoch"),
    used_in=("paradigms.supervised.training.train",),
    aliases=("backprop", "back-propagation", "backward pass", "gradient descent", "gradients"),
    settings=BackpropagationSettings,
)
