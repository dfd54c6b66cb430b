"""Batch size: how many training examples each gradient step looks at.

Demo
----
The same small network (64 pixels -> 32 neurons -> 10 digits), the same
1,000 training digits, the same learning rate, the same 3 epochs, trained with
batches of 4, 16, 64 and 256 examples. An epoch is ``ceil(N / batch_size)``
steps (the last batch takes what is left), so smaller batches take many more
steps per epoch. Each step's loss is measured on its batch only, so it is a
noisy estimate of the loss on the whole training set: the smaller the batch,
the noisier. Two measures of that noise:

* *loss spread*: the standard deviation of the change from one batch's loss to
  the next along the training curve, divided by sqrt(2): the step-to-step
  jitter, which ignores the slow downward trend;
* *spread at fixed weights*: one network (the one trained with the smallest
  batches) scores every batch of one random epoch; the standard deviation of
  those batch losses shrinks like ``1 / sqrt(batch_size)``, the textbook law.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed, numpy_rng
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers, quiet_torch
from ._data import digits
from ._training import small_mlp, train_minibatch


@dataclass(frozen=True)
class BatchSizeSettings(Settings):
    """Settings of the batch-size demo."""

    batch_sizes: tuple[int, ...] = setting((4, 16, 64, 256), "batch sizes to compare", min=1, max=1797)
    train_size: int = setting(1000, "training examples N", min=10, max=1797)
    epochs: int = setting(3, "passes over the training set for each batch size", min=1, max=100)
    learning_rate: float = setting(0.05, "plain SGD step size, the same for every batch size", min=0.0, min_inclusive=False, max=10.0)
    width: int = setting(32, "neurons in the hidden layer", min=1, max=1024)


def jitter(losses: np.ndarray) -> float:
    """Step-to-step spread of a loss curve: std of consecutive differences / sqrt(2)."""
    if len(losses) < 3:
        return float("nan")
    return float(np.std(np.diff(losses)) / math.sqrt(2.0))


def spread_at_fixed_weights(network, X: np.ndarray, y: np.ndarray, batch_size: int, seed: int) -> float:
    """Std of the losses of all full batches of one random epoch, for one fixed network."""
    import torch
    import torch.nn.functional as F

    order = numpy_rng(seed, batch_size).permutation(len(X))
    full = (len(X) // batch_size) * batch_size
    if full // batch_size < 2:
        return float("nan")
    with torch.no_grad():
        losses = F.cross_entropy(network(torch.tensor(X[order[:full]])), torch.tensor(y[order[:full]]), reduction="none")
    return float(losses.reshape(-1, batch_size).mean(dim=1).std())


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Steps per epoch and loss noise for several batch sizes."""
    config: BatchSizeSettings = make_settings(BatchSizeSettings, settings)
    seed = check_seed(seed)
    X, y = digits()
    train = numpy_rng(seed).permutation(len(X))[: config.train_size]
    rows, curves, networks = [], {}, {}
    for batch_size in config.batch_sizes:
        with quiet_torch(seed):
            network = small_mlp(X.shape[1], config.width)
            log = train_minibatch(
                network, X[train], y[train], epochs=config.epochs, batch_size=batch_size,
                learning_rate=config.learning_rate, seed=seed, optimizer="sgd",
            )
        curves[batch_size], networks[batch_size] = log.batch_losses, network
        rows.append(
            {
                "batch size": batch_size,
                "steps per epoch": log.steps_per_epoch,
                "ceil(N / batch)": math.ceil(config.train_size / batch_size),
                "last batch": config.train_size - (log.steps_per_epoch - 1) * batch_size,
                "total steps": len(log.batch_losses),
                "loss spread": jitter(log.batch_losses),
                "training loss after": float(log.train_losses[-1]),
            }
        )
    table = pd.DataFrame(rows)
    reference = networks[min(config.batch_sizes)]
    table["spread at fixed weights"] = [
        spread_at_fixed_weights(reference, X[train], y[train], b, seed) for b in table["batch size"]
    ]
    smallest, largest = table.iloc[table["batch size"].idxmin()], table.iloc[table["batch size"].idxmax()]
    numbers = {"N": config.train_size, "epochs": config.epochs}
    for row in rows:
        b = row["batch size"]
        numbers[f"steps_per_epoch_batch_{b}"] = row["steps per epoch"]
        numbers[f"loss_spread_batch_{b}"] = row["loss spread"]
        numbers[f"fixed_weights_spread_batch_{b}"] = float(table.loc[table["batch size"] == b, "spread at fixed weights"].iloc[0])
        numbers[f"training_loss_batch_{b}"] = row["training loss after"]
    finding = (
        f"With N = {config.train_size}, a batch of {int(smallest['batch size'])} makes "
        f"{int(smallest['steps per epoch'])} steps per epoch and a batch of {int(largest['batch size'])} only "
        f"{int(largest['steps per epoch'])} (ceil(N / batch)). The small batches' loss curve jitters "
        f"{smallest['loss spread'] / largest['loss spread']:.0f}x more ({smallest['loss spread']:.3f} vs "
        f"{largest['loss spread']:.3f}), and even for one fixed network a batch's loss varies "
        f"{smallest['spread at fixed weights']:.3f} vs {largest['spread at fixed weights']:.3f} (the 1/sqrt(batch) law). "
        f"With the same learning rate and {config.epochs} epochs, the small batches' many "
        f"more updates reach a training loss of {smallest['training loss after']:.3f} against "
        f"{largest['training loss after']:.3f}."
    )
    return DemoResult(
        term=TERM, numbers=plain_numbers(numbers), table=table, finding=finding, settings=config, seed=seed,
        draw=_draw, data={"curves": curves, "steps": dict(zip(table["batch size"], table["steps per epoch"], strict=True))},
    )


def _draw(result: DemoResult):
    curves, steps = result.data["curves"], result.data["steps"]
    fig = figure(10.0, 3.6)
    curve_ax, bar_ax = fig.subplots(1, 2, width_ratios=(2, 1))
    for index, (batch_size, losses) in enumerate(curves.items()):
        epochs = np.arange(1, len(losses) + 1) / steps[batch_size]
        curve_ax.plot(epochs, losses, color=f"C{index}", linewidth=0.8, alpha=0.8, label=f"batch {batch_size}")
    curve_ax.set(xlabel="epoch", ylabel="loss of each batch", title="Loss of each step's batch")
    curve_ax.legend(fontsize=8)
    table = result.table
    labels = [str(b) for b in table["batch size"]]
    bar_ax.bar(labels, table["steps per epoch"], color=[f"C{i}" for i in range(len(table))])
    bar_ax.set_yscale("log")
    for position, value in enumerate(table["steps per epoch"]):
        bar_ax.text(position, value, str(value), ha="center", va="bottom", fontsize=8)
    bar_ax.set(xlabel="batch size", ylabel="steps per epoch (log)", title=f"ceil({result.numbers['N']} / batch)")
    return fig


TERM = Term(
    slug="batch-size",
    name="batch size",
    definition=(
        "The batch size is how many training examples the network looks at before each weight "
        "update; one epoch of N examples then takes ceil(N / batch size) updates."
    ),
    look_for=(
        "small batches: many updates per epoch and a jittery loss curve; large batches: few updates "
        "and a smooth curve"
    ),
    demo=demo,
    related=("epoch", "learning-rate", "backpropagation", "training-set"),
    used_in=("paradigms.supervised.train.train", "paradigms.supervised.paradigm.SupervisedSettings"),
    aliases=("batch sizes", "mini-batch", "mini-batches", "minibatch", "minibatches", "batch"),
    settings=BatchSizeSettings,
)
