"""Exercises on the training loop: batch size, epoch, learning rate.

The checks run the demos' own loops: the batch-size demo's network and
:func:`glossary._training.train_minibatch`, the epoch demo itself, and the
learning-rate demo's bowl (:func:`glossary.learning_rate.gradient_descent`).
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np

from paradigms.seeding import numpy_rng

from .. import epoch, learning_rate
from .._base import quiet_torch
from .._data import digits
from .._training import small_mlp, train_minibatch
from ..batch_size import UNTRAINED_LOSS
from ._base import AnswerFailed, Exercise, Feedback, as_number, call_answer, checked, parse_number

# -- batch size --------------------------------------------------------------------------------

BATCH_TASK = """
The batch-size demo's network (64 pixels -> 32 neurons -> 10 digits) learns from 1,000 digits with plain
SGD at learning rate 0.1 for 3 epochs. Each update costs time, so you may spend at most 400 of them. Choose
a batch size with which the training loss falls below 0.65 (an untrained network scores ln 10 = 2.30).
"""

N, EPOCHS, MAX_UPDATES, TARGET_LOSS = 1000, 3, 400, 0.65


@checked("batch-size", "the answer is a whole number of examples per batch, 1 to 1,000")
def check_batch_size(answer: Any) -> Feedback:
    """Updates needed for 3 epochs at this batch size, then the training loss reached."""
    batch = as_number(answer, "the batch size")
    if batch != int(batch) or not 1 <= batch <= N:
        raise AnswerFailed(f"batch size {answer!r}: a whole number of examples from 1 to {N:,}")
    batch = int(batch)
    per_epoch = math.ceil(N / batch)
    updates = EPOCHS * per_epoch
    numbers: dict[str, Any] = {"batch_size": batch, "updates_per_epoch": per_epoch, "updates": updates}
    if updates > MAX_UPDATES:
        return Feedback("batch-size", False, f"batches of {batch} make ceil({N:,} / {batch}) = {per_epoch} updates per epoch, {updates} in {EPOCHS} epochs: more than {MAX_UPDATES}.",
                        "an epoch is one pass over every example; the smaller the batch, the more updates it takes, and each costs time.",
                        f"a larger batch: at most {MAX_UPDATES // EPOCHS} updates per epoch.", numbers)
    X, y = digits()
    train = numpy_rng(0).permutation(len(X))[:N]
    with quiet_torch(0):
        log = train_minibatch(small_mlp(X.shape[1], 32), X[train], y[train], epochs=EPOCHS, batch_size=batch,
                              learning_rate=0.1, seed=0, optimizer="sgd")
    loss = float(log.train_losses[-1])
    numbers["training_loss"] = loss
    if loss >= TARGET_LOSS:
        return Feedback("batch-size", False, (
            f"batches of {batch} make only {updates} updates in {EPOCHS} epochs: the training loss ends at {loss:.2f} "
            f"(untrained: {UNTRAINED_LOSS:.2f}; needed: below {TARGET_LOSS})."),
            "at equal epochs a large batch takes few steps; each is better informed, but with a plain SGD step of 0.1 too few steps get nowhere.",
            "a smaller batch: more updates per epoch.", numbers)
    return Feedback("batch-size", True, f"batches of {batch}: {updates} updates in {EPOCHS} epochs, training loss {loss:.2f}.",
                    "the batch size trades the number of updates per epoch against how noisy each update is.",
                    "compare batch sizes at equal updates too: glossary.batch_size.demo() does both.", numbers)


BATCH_PLACEHOLDER = "answer = 256  # TODO: examples per batch\n"
BATCH_SOLUTION = '''import math

# at most 400 updates in 3 epochs: ceil(1000 / b) <= 133, so b >= 8; the smallest such batch learns fastest per epoch
answer = min(b for b in range(1, 1001) if 3 * math.ceil(1000 / b) <= 400)
'''

# -- epoch -------------------------------------------------------------------------------------

EPOCH_TASK = """
The epoch demo trains a network for 50 epochs and records the loss on the training set and on a validation
set after each one. Write `stop_epoch(training_losses, validation_losses)`: both are lists with one loss per
epoch (the first is epoch 1); return the epoch to stop at, the one whose weights early stopping keeps. The
check runs it on three of the demo's runs.
"""

EPOCH_RUNS = ({"seed": 0}, {"seed": 1}, {"seed": 0, "label_noise": 0.0, "epochs": 20})


@cache
def _epoch_runs() -> tuple[tuple[list[float], list[float]], ...]:
    runs = []
    for settings in EPOCH_RUNS:
        table = epoch.demo(**settings).table
        runs.append((table["training loss"].tolist(), table["validation loss"].tolist()))
    return tuple(runs)


@checked("epoch", "stop_epoch(...) must return a whole number: an epoch from 1 to the number of epochs")
def check_epoch(answer: Any) -> Feedback:
    """The chosen epoch on three runs of the epoch demo, against the lowest validation loss."""
    for run, (training, validation) in enumerate(_epoch_runs(), start=1):
        chosen = as_number(call_answer(answer, list(training), list(validation), name="stop_epoch"), "the epoch")
        if chosen != int(chosen) or not 1 <= chosen <= len(validation):
            raise AnswerFailed(f"stop_epoch returned {chosen!r}: an epoch from 1 to {len(validation)}")
        chosen = int(chosen)
        best = int(np.argmin(validation)) + 1
        mine, lowest = validation[chosen - 1], validation[best - 1]
        numbers = {"run": run, "epoch": chosen, "best_epoch": best, "validation_loss": mine, "lowest_validation_loss": lowest}
        if mine <= 1.01 * lowest:
            continue
        if chosen == int(np.argmin(training)) + 1:
            return Feedback("epoch", False, (
                f"in run {run} you stop at epoch {chosen}, where the training loss is lowest ({training[chosen - 1]:.3f}); the "
                f"validation loss is {mine:.3f} there, against {lowest:.3f} at epoch {best}."),
                "training loss keeps falling with every epoch, also when the network is memorising its training set; only the validation loss shows when more epochs stop helping.",
                "stop where the validation loss is lowest.", numbers)
        if chosen == best - 1:
            return Feedback("epoch", False, f"in run {run} you return {chosen}; the lowest validation loss is at epoch {best}: one too early.",
                            "the lists start with epoch 1, at index 0: the epoch is the index plus one.",
                            "return the index of the lowest validation loss plus 1.", numbers)
        if chosen < best and chosen < len(validation) and validation[chosen] > mine:
            return Feedback("epoch", False, (
                f"in run {run} you stop at epoch {chosen}, where the validation loss first rose; it fell again, to {lowest:.3f} at epoch {best}."),
                "validation loss wobbles from epoch to epoch; one rise does not mean it will not fall again.",
                "keep the epoch with the lowest validation loss over the whole run (or wait a few epochs, the patience, before stopping).", numbers)
        return Feedback("epoch", False, f"in run {run} you stop at epoch {chosen} (validation loss {mine:.3f}); the lowest is {lowest:.3f} at epoch {best}.",
                        "early stopping keeps the weights of the epoch that did best on the validation set.",
                        "return the epoch of the lowest validation loss.", numbers)
    return Feedback("epoch", True, "in all three runs you stop at the epoch of the lowest validation loss, including the clean run, where it is the last.",
                    "the validation set tells when more epochs stop helping; the training loss never does.",
                    "look at the epoch demo's figure: training loss falls all the way, validation loss turns up.", {"runs": len(EPOCH_RUNS)})


EPOCH_PLACEHOLDER = '''def stop_epoch(training_losses, validation_losses):
    # TODO: which epoch's weights should early stopping keep?
    return len(training_losses)
'''

EPOCH_SOLUTION = '''import numpy as np


def stop_epoch(training_losses, validation_losses):
    return int(np.argmin(validation_losses)) + 1   # epochs count from 1
'''

# -- learning rate -----------------------------------------------------------------------------

RATE_TASK = """
The learning-rate demo's bowl: a straight line fitted to 200 noisy points by gradient descent on the mean
squared error, with the inputs scaled so that its steepest curvature is L = 1 (steps above 2 / L = 2
diverge). Pick a learning rate that brings the cost from its start to within 1% of the bottom in only 10
steps (of the way from start to best).
"""

RATE_STEPS, RATE_TOLERANCE = 10, 0.01


@checked("learning-rate", "the answer is one positive number, the learning rate")
def check_learning_rate(answer: Any) -> Feedback:
    """Ten steps of gradient descent at this rate on the demo's bowl."""
    rate = as_number(answer, "the learning rate")
    if not rate > 0:
        raise AnswerFailed(f"learning rate {answer!r}: gradient descent needs a positive step")
    X, y = learning_rate.make_problem(200, 0.5, 0)
    curvature = float(np.linalg.eigvalsh(X.T @ X / len(y)).max())
    best = learning_rate.cost(np.linalg.lstsq(X, y, rcond=None)[0], X, y)
    start = learning_rate.cost(learning_rate.START, X, y)
    with np.errstate(over="ignore", invalid="ignore"):
        final = learning_rate.cost(learning_rate.gradient_descent(X, y, rate, RATE_STEPS)[-1], X, y)
    left = (final - best) / (start - best) if np.isfinite(final) else float("inf")
    numbers = {"rate": rate, "rate_times_L": rate * curvature, "cost_after": final, "start_cost": start, "best_cost": best, "share_left": left}
    if left <= RATE_TOLERANCE:
        return Feedback("learning-rate", True, f"rate {rate:g}: after {RATE_STEPS} steps {left:.2%} of the way is left (cost {final:.3f}, best {best:.3f}).",
                        "the bowl is steep one way (curvature 1) and shallow the other (0.12): the rate must be large for the shallow way, yet below 2/L for the steep one.",
                        "try 2.01 to see what the 2/L line means.", numbers)
    if rate * curvature >= 2 or not np.isfinite(final) or final > start:
        return Feedback("learning-rate", False, (
            f"rate {rate:g} is past the edge: rate x L = {rate * curvature:.2f} >= 2, so each step overshoots the bottom by more than it "
            f"started; the cost went from {start:.2f} to {final:.3g}."),
            "on a bowl of curvature L, a step of rate r multiplies the distance to the bottom (steepest way) by |1 - r L|; above 2/L that is more than 1: it diverges.",
            "stay below 2 / L = 2.", numbers)
    if rate * curvature > 1.5:
        return Feedback("learning-rate", False, (
            f"rate {rate:g} zig-zags: rate x L = {rate * curvature:.2f} is close to 2, so each step crosses the steep side of the bowl "
            f"and shrinks the distance only by |1 - {rate * curvature:.2f}|; {left:.1%} of the way is left after {RATE_STEPS} steps."),
            "just below 2/L gradient descent still converges, but it bounces from wall to wall on the way.",
            "a little smaller: far enough from 2 that the steep way settles, large enough that the shallow way moves.", numbers)
    return Feedback("learning-rate", False, f"rate {rate:g} is too small: {left:.1%} of the way is still left after {RATE_STEPS} steps.",
                    "the bowl's shallow direction has curvature 0.12: there a step of rate r closes only r x 0.12 of the gap.",
                    "a larger rate, as large as stays well clear of 2 / L = 2.", numbers)


RATE_PLACEHOLDER = "answer = 0.1  # TODO: a learning rate\n"
RATE_SOLUTION = '''# steep way: the gap shrinks by |1 - r * 1| per step; shallow way: by |1 - r * 0.1225|.
# After 10 steps both must be small: r between about 1.1 and 1.8.
answer = 1.5
'''

EXERCISES = (
    Exercise("batch-size", "Pick a batch size on a budget", BATCH_TASK, "value", "answer",
             BATCH_PLACEHOLDER, BATCH_SOLUTION, check_batch_size, parse_number),
    Exercise("epoch", "Find the epoch to stop at", EPOCH_TASK, "function", "stop_epoch",
             EPOCH_PLACEHOLDER, EPOCH_SOLUTION, check_epoch),
    Exercise("learning-rate", "A learning rate that converges in 10 steps", RATE_TASK, "value", "answer",
             RATE_PLACEHOLDER, RATE_SOLUTION, check_learning_rate, parse_number),
)
