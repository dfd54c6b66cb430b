"""Batch size: how many training examples each gradient step looks at.

Demo
----
The same small network (64 pixels -> 32 neurons -> 10 digits), the same
1,000 training digits and the same plain SGD learning rate, trained with
batches of 4, 16, 64 and 256 examples, compared two ways:

* **at equal epochs** (3 passes over the data): an epoch is ``ceil(N /
  batch_size)`` steps, so small batches take many more steps; each step costs
  Python and PyTorch overhead, so an epoch of small batches also takes longer;
* **at equal updates** (250 gradient steps each): now large batches have read
  many more examples (a batch of 256 reads 64 epochs' worth), so each of their
  steps is better informed.

Training loss and validation accuracy (on the 797 digits left over) say how
far each got; seconds per epoch say what it cost (measured on this machine, so
they vary from run to run). A batch's loss is a noisy estimate of the loss on
the whole training set, the noisier the smaller the batch. Two measures of
that noise:

* *loss jitter*: the standard deviation of the change from one batch's loss to
  the next over the second half of the equal-updates run (when every batch
  size is learning), divided by sqrt(2);
* *spread at fixed weights*: one network (the one trained with the smallest
  batches) scores 400 random batches of each size; the standard deviation of
  those batch losses shrinks like ``1 / sqrt(batch_size)``, the textbook law
  (a little faster once a batch is a sizeable part of the training set).

A curve can look smooth because the batches are large or because nothing is
being learned: the sentence calls a batch size smooth only where it learned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed, numpy_rng
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers, quiet_torch, times
from ._data import digits
from ._training import small_mlp, train_minibatch

#: Cross-entropy of a network that has learned nothing: it gives each of the 10 digits 1/10.
UNTRAINED_LOSS = math.log(10)
#: A training loss counts as learned below this share of the untrained level.
LEARNED_SHARE = 0.8


@dataclass(frozen=True)
class BatchSizeSettings(Settings):
    """Settings of the batch-size demo."""

    batch_sizes: tuple[int, ...] = setting((4, 16, 64, 256), "batch sizes to compare", min=1, max=1797)
    train_size: int = setting(1000, "training examples N (the rest of the 1,797 digits validate)", min=10, max=1700)
    epochs: int = setting(3, "passes over the training set, for the equal-epochs comparison", min=1, max=100)
    updates: int = setting(250, "gradient steps, for the equal-updates comparison", min=4, max=20_000)
    learning_rate: float = setting(0.1, "plain SGD step size, the same for every batch size", min=0.0, min_inclusive=False, max=10.0)
    width: int = setting(32, "neurons in the hidden layer", min=1, max=1024)


def jitter(losses: np.ndarray) -> float:
    """Step-to-step spread of a loss curve: std of consecutive differences / sqrt(2)."""
    if len(losses) < 3:
        return float("nan")
    return float(np.std(np.diff(losses)) / math.sqrt(2.0))


def spread_at_fixed_weights(network, X: np.ndarray, y: np.ndarray, batch_size: int, seed: int, draws: int = 400) -> float:
    """Std of the loss of ``draws`` random batches (each without repeats) for one fixed network."""
    import torch  # start-up time: torch loads only when a demo trains a network
    import torch.nn.functional as F

    if batch_size >= len(X):
        return 0.0  # every batch is the whole training set: the same loss every time
    with torch.no_grad():
        losses = F.cross_entropy(network(torch.tensor(X)), torch.tensor(y), reduction="none").numpy()
    rng = numpy_rng(seed, batch_size)
    means = [losses[rng.choice(len(X), batch_size, replace=False)].mean() for _ in range(draws)]
    return float(np.std(means))


def _accuracy(network, X: np.ndarray, y: np.ndarray) -> float:
    import torch  # start-up time: torch loads only when a demo trains a network

    with torch.no_grad():
        return float((network(torch.tensor(X)).argmax(dim=1).numpy() == y).mean())


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Batch sizes compared at equal epochs and at equal updates, with their cost in seconds."""
    config: BatchSizeSettings = make_settings(BatchSizeSettings, settings)
    seed = check_seed(seed)
    X, y = digits()
    order = numpy_rng(seed).permutation(len(X))
    train, val = order[: config.train_size], order[config.train_size :]
    rows, curves, update_curves, networks = [], {}, {}, {}
    for batch_size in config.batch_sizes:
        common: dict[str, Any] = {"batch_size": batch_size, "learning_rate": config.learning_rate, "seed": seed, "optimizer": "sgd"}
        with quiet_torch(seed):
            network = small_mlp(X.shape[1], config.width)
            by_epochs = train_minibatch(network, X[train], y[train], epochs=config.epochs, **common)
            accuracy_epochs = _accuracy(network, X[val], y[val])
        with quiet_torch(seed):
            same_updates = small_mlp(X.shape[1], config.width)
            by_updates = train_minibatch(same_updates, X[train], y[train], updates=config.updates, **common)
            loss_updates = _loss(same_updates, X[train], y[train])
            accuracy_updates = _accuracy(same_updates, X[val], y[val])
        curves[batch_size], update_curves[batch_size], networks[batch_size] = (
            by_epochs.batch_losses, by_updates.batch_losses, network,
        )
        rows.append(
            {
                "batch size": batch_size,
                "steps per epoch": by_epochs.steps_per_epoch,
                f"equal epochs ({config.epochs}): updates": by_epochs.updates,
                "equal epochs: training loss": float(by_epochs.train_losses[-1]),
                "equal epochs: validation accuracy": accuracy_epochs,
                "seconds per epoch": by_epochs.seconds / config.epochs,
                f"equal updates ({config.updates}): epochs": by_updates.examples_seen / len(train),
                "equal updates: training loss": loss_updates,
                "equal updates: validation accuracy": accuracy_updates,
                "loss jitter": jitter(by_updates.batch_losses[len(by_updates.batch_losses) // 2 :]),
            }
        )
    table = pd.DataFrame(rows)
    reference = networks[min(config.batch_sizes)]
    table["spread at fixed weights"] = [
        spread_at_fixed_weights(reference, X[train], y[train], b, seed) for b in table["batch size"]
    ]
    numbers: dict[str, object] = {"N": config.train_size, "epochs": config.epochs, "updates": config.updates}
    for _, row in table.iterrows():
        b = int(row["batch size"])
        numbers[f"steps_per_epoch_batch_{b}"] = int(row["steps per epoch"])
        numbers[f"training_loss_equal_epochs_batch_{b}"] = row["equal epochs: training loss"]
        numbers[f"training_loss_equal_updates_batch_{b}"] = row["equal updates: training loss"]
        numbers[f"seconds_per_epoch_batch_{b}"] = row["seconds per epoch"]
        numbers[f"loss_jitter_batch_{b}"] = row["loss jitter"]
        numbers[f"fixed_weights_spread_batch_{b}"] = row["spread at fixed weights"]
    return DemoResult(
        term=TERM, numbers=plain_numbers(numbers), table=table, finding=_finding(table, config), settings=config,
        seed=seed, draw=_draw,
        data={"curves": curves, "update_curves": update_curves,
              "steps": dict(zip(table["batch size"], table["steps per epoch"], strict=True))},
    )


def _loss(network, X: np.ndarray, y: np.ndarray) -> float:
    import torch  # start-up time: torch loads only when a demo trains a network

    with torch.no_grad():
        return float(torch.nn.functional.cross_entropy(network(torch.tensor(X)), torch.tensor(y)))


def learned(loss: float) -> bool:
    """Whether a training loss is clearly below the untrained level ln 10 = 2.30."""
    return loss < LEARNED_SHARE * UNTRAINED_LOSS


def _finding(table: pd.DataFrame, config: BatchSizeSettings) -> str:
    # pandas-stubs: idxmin/idxmax give a Hashable label, which .loc's overloads do not list
    small = table.loc[table["batch size"].idxmin()]  # type: ignore[call-overload]
    large = table.loc[table["batch size"].idxmax()]  # type: ignore[call-overload]
    b_small, b_large = int(small["batch size"]), int(large["batch size"])

    def barely(*runs: tuple[int, float]) -> str:
        lazy = [str(b) for b, loss in runs if not learned(loss)]
        if not lazy:
            return ""
        who = "batch " + " and ".join(lazy)
        return (f" ({who} barely learned: the untrained level is ln 10 = {UNTRAINED_LOSS:.2f}, and a loss counts as "
                f"learned below {LEARNED_SHARE:.0%} of it)")

    epochs_small, epochs_large = small["equal epochs: training loss"], large["equal epochs: training loss"]
    updates_small, updates_large = small["equal updates: training loss"], large["equal updates: training loss"]
    read = f"equal updates ({config.updates}): epochs"
    if b_small == b_large:
        return (
            f"With N = {config.train_size} and batches of {b_small}, an epoch is {int(small['steps per epoch'])} "
            f"updates (ceil(N / batch)) and took {1000 * small['seconds per epoch']:.0f} ms here. After "
            f"{config.epochs} epochs the training loss is {epochs_small:.2f}{barely((b_small, epochs_small))}; "
            f"after {config.updates} updates ({small[read]:.1f} epochs) it is {updates_small:.2f}"
            f"{barely((b_small, updates_small))}."
        )
    text = (
        f"With N = {config.train_size}, a batch of {b_small} makes {int(small['steps per epoch'])} updates per "
        f"epoch and a batch of {b_large} only {int(large['steps per epoch'])} (ceil(N / batch)). At equal epochs "
        f"({config.epochs}), the training loss reaches {epochs_small:.2f} with batch {b_small} and "
        f"{epochs_large:.2f} with batch {b_large}{barely((b_small, epochs_small), (b_large, epochs_large))}. "
        f"At equal updates ({config.updates} each), batch {b_large} has read {large[read]:.3g} epochs of examples "
        f"and reaches {updates_large:.2f}; batch {b_small} has read {small[read]:.3g} and reaches "
        f"{updates_small:.2f}{barely((b_small, updates_small), (b_large, updates_large))}. An epoch took "
        f"{1000 * small['seconds per epoch']:.0f} ms with batch {b_small} and {1000 * large['seconds per epoch']:.0f} "
        f"ms with batch {b_large} here (more steps, more overhead)."
    )
    if learned(small["equal updates: training loss"]) and learned(large["equal updates: training loss"]):
        text += " While both are learning, " + _noise_sentence(small, large, config.train_size)
    return text



def law_ratio(small: int, large: int, n: int) -> float:
    """How many times less a batch's loss should vary with ``large`` than with ``small`` examples
    drawn without repeats from ``n``: sqrt(large / small), corrected for sampling without
    replacement (a batch of all ``n`` does not vary at all: infinity)."""
    if large >= n:
        return math.inf
    return math.sqrt(large / small * (n - small) / (n - large))


def _noise_sentence(small: pd.Series, large: pd.Series, n: int) -> str:
    """How much more the small batch's loss jitters and varies, the ratios computed, not assumed."""
    b_small, b_large = int(small["batch size"]), int(large["batch size"])
    j_small, j_large = small["loss jitter"], large["loss jitter"]
    if not (math.isfinite(j_small) and math.isfinite(j_large)) or j_large == 0:
        jitter_text = f"batch {b_small}'s loss jitters {j_small:.3f} from step to step against {j_large:.3f}"
    elif j_small > 1.1 * j_large:
        jitter_text = f"batch {b_small}'s loss jitters {times(j_small / j_large)} more from step to step ({j_small:.3f} against {j_large:.3f})"
    elif j_large > 1.1 * j_small:
        jitter_text = f"batch {b_small}'s loss jitters less from step to step than batch {b_large}'s ({j_small:.3f} against {j_large:.3f})"
    else:
        jitter_text = f"batch {b_small}'s loss jitters about as much from step to step as batch {b_large}'s ({j_small:.3f} against {j_large:.3f})"
    s_small, s_large = small["spread at fixed weights"], large["spread at fixed weights"]
    if b_large >= n:
        spread_text = (
            f"for one fixed network a batch's loss varies {s_small:.3f} with batch {b_small} and not at all with "
            f"batch {b_large}, which is the whole training set every time"
        )
    else:
        spread_text = (
            f"for one fixed network a batch's loss varies {s_small:.3f} against {s_large:.3f}, "
            f"{times(s_small / s_large)} more, where the 1/sqrt(batch) law (for batches drawn without repeats from "
            f"{n}) predicts {times(law_ratio(b_small, b_large, n))}"
        )
    return f"{jitter_text}; {spread_text}."


def _draw(result: DemoResult):
    curves, update_curves, steps = result.data["curves"], result.data["update_curves"], result.data["steps"]
    settings = cast(BatchSizeSettings, result.settings)  # this demo's own settings
    fig = figure(12.0, 3.7)
    epoch_ax, update_ax, time_ax = fig.subplots(1, 3, width_ratios=(1.4, 1.4, 1.0))
    for index, (batch_size, losses) in enumerate(curves.items()):
        epochs = np.arange(1, len(losses) + 1) / steps[batch_size]
        epoch_ax.plot(epochs, losses, color=f"C{index}", linewidth=0.8, alpha=0.8, label=f"batch {batch_size}")
    epoch_ax.axhline(UNTRAINED_LOSS, color="gray", linestyle=":", label="untrained (ln 10)")
    epoch_ax.set(xlabel="epoch", ylabel="loss of each batch", title=f"Equal epochs ({settings.epochs})")
    epoch_ax.legend(fontsize=7)
    for index, (batch_size, losses) in enumerate(update_curves.items()):
        update_ax.plot(np.arange(1, len(losses) + 1), losses, color=f"C{index}", linewidth=0.8, alpha=0.8,
                       label=f"batch {batch_size}")
    update_ax.axhline(UNTRAINED_LOSS, color="gray", linestyle=":")
    update_ax.set(xlabel="update (gradient step)", ylabel="loss of each batch", title=f"Equal updates ({settings.updates})")
    table = result.table
    labels = [str(b) for b in table["batch size"]]
    milliseconds = 1000 * table["seconds per epoch"]
    time_ax.bar(labels, milliseconds, color=[f"C{i}" for i in range(len(table))])
    for position, (value, count) in enumerate(zip(milliseconds, table["steps per epoch"], strict=True)):
        time_ax.text(position, value, f"{count} steps", ha="center", va="bottom", fontsize=7)
    time_ax.set(xlabel="batch size", ylabel="milliseconds per epoch (this machine)", title="Cost of one epoch")
    return fig


TERM = Term(
    slug="batch-size",
    name="batch size",
    definition=(
        "The batch size is how many training examples the network looks at before each weight "
        "update; one epoch of N examples then takes ceil(N / batch size) updates."
    ),
    look_for=(
        "small batches: many updates per epoch, a jittery loss and slower epochs; large batches: few "
        "updates per epoch, so compare them at equal updates too, not only at equal epochs"
    ),
    demo=demo,
    related=("epoch", "learning-rate", "backpropagation", "training-set"),
    used_in=("paradigms.supervised.training.train", "paradigms.supervised.SupervisedSettings"),
    aliases=("batch sizes", "mini-batch", "mini-batches", "minibatch", "minibatches", "batch"),
    settings=BatchSizeSettings,
)
