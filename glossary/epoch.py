"""Epoch: one complete pass of the training loop over every training example.

Demo
----
A small network (64 pixels -> 128 neurons -> 10 digits) trained for 50
epochs on 200 of scikit-learn's bundled 8x8 digits, in batches of 50 (so each
epoch is 4 gradient steps). After every epoch: the loss on the whole training
set and on 400 validation digits the network never trains on.

Training loss falls epoch after epoch, towards zero. Validation loss falls for
the first epochs, reaches its lowest point, and then rises again: more epochs
stopped helping and started to hurt. Early stopping keeps the weights of that
best epoch (the supervised paradigm does exactly this, with ``patience``).

To make that rise easy to see, a fifth of the training labels are deliberately
replaced by one of the other nine digits (``label_noise``, exactly that share),
as real data sets contain some wrong labels: the later epochs memorise those wrong labels, and that is what
hurts on new data. The demo says so, and trains the same network on the
correct labels beside it: there validation loss rises much less. Nothing is
fixed text: the sentence names the epoch of the lowest validation loss, and
says when that is the last epoch (more epochs would still help).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed, numpy_rng
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers, quiet_torch
from ._data import digits
from ._training import TrainingLog, small_mlp, train_minibatch


@dataclass(frozen=True)
class EpochSettings(Settings):
    """Settings of the epoch demo."""

    epochs: int = setting(50, "passes over the training set", min=2, max=1000)
    train_size: int = setting(200, "training examples", min=20, max=1000)
    validation_size: int = setting(400, "validation examples (never trained on)", min=20, max=797)
    batch_size: int = setting(50, "examples per gradient step", min=1, max=1000)
    label_noise: float = setting(
        0.2, "fraction of training labels deliberately made wrong (0 = all correct)", min=0.0, max=0.9
    )
    width: int = setting(128, "neurons in the hidden layer", min=1, max=2048)
    learning_rate: float = setting(0.01, "Adam's step size", min=0.0, min_inclusive=False, max=10.0)


def _train(config: EpochSettings, X, labels, train, val, y_val, seed: int) -> TrainingLog:
    with quiet_torch(seed):
        network = small_mlp(X.shape[1], config.width)
        return train_minibatch(
            network, X[train], labels, epochs=config.epochs, batch_size=config.batch_size,
            learning_rate=config.learning_rate, seed=seed, x_val=X[val], y_val=y_val,
        )


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Training and validation loss after every epoch (and, with wrong labels, beside a clean run)."""
    config: EpochSettings = make_settings(EpochSettings, settings)
    seed = check_seed(seed)
    X, y = digits()
    rng = numpy_rng(seed)
    order = rng.permutation(len(X))
    train = order[: config.train_size]
    val = order[config.train_size : config.train_size + config.validation_size]
    noisy = y[train].copy()
    # exactly label_noise of the labels, each replaced by one of the nine other digits: "a fifth wrong" is a fifth
    flipped = rng.choice(len(train), size=round(config.label_noise * len(train)), replace=False)
    noisy[flipped] = (noisy[flipped] + rng.integers(1, 10, size=len(flipped))) % 10
    wrong = int(np.sum(noisy != y[train]))
    log = _train(config, X, noisy, train, val, y[val], seed)
    clean = _train(config, X, y[train], train, val, y[val], seed) if wrong else log
    epochs = np.arange(1, config.epochs + 1)
    table = pd.DataFrame(
        {
            "epoch": epochs,
            "examples seen": epochs * len(train),
            "gradient steps": epochs * log.steps_per_epoch,
            "training loss": log.train_losses,
            "validation loss": log.val_losses,
            "validation accuracy": log.val_accuracies,
        }
    )
    if wrong:
        table["validation loss, all labels correct"] = clean.val_losses
    best = int(np.argmin(log.val_losses))
    clean_best = int(np.argmin(clean.val_losses))
    numbers = plain_numbers(
        {
            "steps_per_epoch": log.steps_per_epoch,
            "training_loss_first_epoch": log.train_losses[0],
            "training_loss_last_epoch": log.train_losses[-1],
            "best_epoch": best + 1,
            "validation_loss_best": log.val_losses[best],
            "validation_loss_last_epoch": log.val_losses[-1],
            "validation_rise": log.val_losses[-1] / log.val_losses[best] - 1.0,
            "validation_accuracy_best_epoch": log.val_accuracies[best],
            "validation_accuracy_last_epoch": log.val_accuracies[-1],
            "wrong_training_labels": wrong,
            "clean_best_epoch": clean_best + 1,
            "clean_validation_rise": clean.val_losses[-1] / clean.val_losses[clean_best] - 1.0,
        }
    )
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=_finding(numbers, config, len(train)), settings=config,
        seed=seed, draw=_draw, data={"batch_losses": log.batch_losses, "steps_per_epoch": log.steps_per_epoch},
    )


def _finding(n: dict, config: EpochSettings, train_size: int) -> str:
    """The sentence follows the numbers: where validation loss was lowest, and what came after."""
    epochs, best = config.epochs, n["best_epoch"]
    text = (
        f"Over {epochs} epochs ({n['steps_per_epoch']} gradient steps each) the training loss falls from "
        f"{n['training_loss_first_epoch']:.2f} to {n['training_loss_last_epoch']:.3f}. "
    )
    if best == epochs:
        text += (
            f"Validation loss was still falling at the last epoch ({n['validation_loss_last_epoch']:.3f}): "
            "more epochs would still help."
        )
    else:
        rise = n["validation_rise"]
        after = (
            "more epochs fit the training set ever more closely but no longer improve on new data; early "
            f"stopping would keep the weights of epoch {best}"
            if rise > 0.05
            else "it then stays nearly level, so more epochs neither help nor hurt much"
        )
        text += (
            f"Validation loss is lowest after epoch {best} ({n['validation_loss_best']:.3f}) and ends "
            f"{rise:.0%} higher ({n['validation_loss_last_epoch']:.3f}): {after}."
        )
    if n["wrong_training_labels"]:
        text += (
            f" Note: {n['wrong_training_labels']} of the {train_size} training labels were deliberately made wrong "
            f"(label noise {config.label_noise:g}), as real data sets contain some wrong labels."
        )
        clean_best, clean_rise = n["clean_best_epoch"], n["clean_validation_rise"]
        if best < epochs and n["validation_rise"] > clean_rise + 0.05:
            text += (
                " Memorising them is much of the rise: with every label correct, validation loss is lowest "
                f"after epoch {clean_best} and ends only {clean_rise:.0%} above that."
            )
        elif clean_best == epochs:
            text += " With every label correct, validation loss is still falling at the last epoch."
        else:
            text += (
                f" With every label correct, validation loss is lowest after epoch {clean_best} and ends "
                f"{clean_rise:.0%} above that."
            )
    return text


def _draw(result: DemoResult):
    table = result.table
    best = int(result.numbers["best_epoch"])
    fig = figure(8.0, 3.6)
    ax = fig.subplots()
    steps = result.data["steps_per_epoch"]
    batch_epochs = np.arange(1, len(result.data["batch_losses"]) + 1) / steps
    ax.plot(batch_epochs, result.data["batch_losses"], color="C0", alpha=0.25, linewidth=0.8, label="loss of each batch")
    ax.plot(table["epoch"], table["training loss"], "o-", color="C0", markersize=3, label="training loss (end of epoch)")
    ax.plot(table["epoch"], table["validation loss"], "s-", color="C1", markersize=3, label="validation loss")
    if "validation loss, all labels correct" in table:
        ax.plot(table["epoch"], table["validation loss, all labels correct"], ":", color="C1",
                label="validation loss, all training labels correct")
    ax.axvline(best, color="C2", linestyle="--", label=f"lowest validation loss (epoch {best})")
    ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="cross-entropy loss (log)", title="Loss after each epoch")
    ax.legend(fontsize=8)
    return fig


TERM = Term(
    slug="epoch",
    name="epoch",
    definition=(
        "An epoch is one complete pass over the training set: every example has been used once to "
        "update the weights. Training usually runs for several epochs."
    ),
    look_for=(
        "training loss keeps falling with every epoch, while validation loss stops falling and turns "
        "up: the epoch to stop at"
    ),
    demo=demo,
    related=("batch-size", "training-set", "validation-set", "overfitting", "learning-rate"),
    used_in=("paradigms.supervised.training.train", "paradigms.supervised.SupervisedSettings"),
    aliases=("epochs", "training epoch", "training epochs", "early stopping"),
    settings=EpochSettings,
)
