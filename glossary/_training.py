"""Small training loops shared by the demos.

:func:`train_minibatch` is the toolkit's supervised training loop in miniature
(the loop behind :class:`paradigms.supervised.DigitClassifier`): each epoch
draws a fresh random order of the training examples, cuts it into batches of
``batch_size``, and takes one gradient step per batch. It records what the
*epoch*, *batch size* and *deep* demos show: the loss of every batch (the noisy
curve a training log prints), after every epoch the loss on the whole training
set and on a validation set, and the seconds the gradient steps took.

:func:`fit_full_batch` is the simplest loop of all: every step looks at every
training example (for the demos whose data is small).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TrainingLog:
    batch_losses: np.ndarray  # one per gradient step
    train_losses: np.ndarray  # one per completed epoch, on the whole training set
    val_losses: np.ndarray  # one per completed epoch (empty without validation data)
    val_accuracies: np.ndarray
    steps_per_epoch: int
    updates: int  # gradient steps taken
    examples_seen: int
    seconds: float  # wall-clock time of the gradient steps (evaluations not counted)


def small_mlp(inputs: int, width: int, outputs: int = 10):
    """inputs -> ``width`` ReLU neurons -> ``outputs`` scores."""
    import torch  # start-up time: torch loads only when a demo trains a network

    return torch.nn.Sequential(torch.nn.Linear(inputs, width), torch.nn.ReLU(), torch.nn.Linear(width, outputs))


def train_minibatch(
    network,
    x_train: np.ndarray,
    y_train: np.ndarray,
    *,
    batch_size: int,
    learning_rate: float,
    seed: int,
    epochs: int | None = None,
    updates: int | None = None,
    optimizer: str = "adam",
    x_val: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
) -> TrainingLog:
    """Train ``network`` in place on cross-entropy for ``epochs`` passes or for
    ``updates`` gradient steps (whichever is given); call inside
    :func:`glossary._base.quiet_torch`. Losses are measured after every
    completed epoch."""
    import torch  # start-up time: torch loads only when a demo trains a network
    import torch.nn.functional as F

    if (epochs is None) == (updates is None):
        raise ValueError("give epochs or updates, not both")
    inputs, targets = torch.as_tensor(x_train), torch.as_tensor(y_train)
    has_val = x_val is not None and y_val is not None
    if has_val:
        val_inputs, val_targets = torch.as_tensor(x_val), torch.as_tensor(y_val)
    step_rule: torch.optim.Optimizer
    if optimizer == "adam":
        step_rule = torch.optim.Adam(network.parameters(), lr=learning_rate)
    else:
        step_rule = torch.optim.SGD(network.parameters(), lr=learning_rate)
    order_generator = torch.Generator().manual_seed(seed)
    n = len(inputs)
    steps = math.ceil(n / batch_size)
    if epochs is not None:
        total = epochs * steps
    else:
        assert updates is not None  # one of the two, checked above
        total = int(updates)
    batch_losses: list[float] = []
    train_losses: list[float] = []
    val_losses: list[float] = []
    val_accuracies: list[float] = []
    seen, seconds = 0, 0.0
    while len(batch_losses) < total:
        order = torch.randperm(n, generator=order_generator)
        started = time.perf_counter()
        for step in range(min(steps, total - len(batch_losses))):
            batch = order[step * batch_size : (step + 1) * batch_size]
            loss = F.cross_entropy(network(inputs[batch]), targets[batch])
            step_rule.zero_grad()
            loss.backward()
            step_rule.step()
            batch_losses.append(loss.item())
            seen += len(batch)
        seconds += time.perf_counter() - started
        if len(batch_losses) % steps:
            break  # stopped inside an epoch: the updates budget ran out
        with torch.no_grad():
            train_losses.append(F.cross_entropy(network(inputs), targets).item())
            if has_val:
                scores = network(val_inputs)
                val_losses.append(F.cross_entropy(scores, val_targets).item())
                val_accuracies.append((scores.argmax(dim=1) == val_targets).float().mean().item())
    return TrainingLog(
        batch_losses=np.array(batch_losses),
        train_losses=np.array(train_losses),
        val_losses=np.array(val_losses),
        val_accuracies=np.array(val_accuracies),
        steps_per_epoch=steps,
        updates=len(batch_losses),
        examples_seen=seen,
        seconds=seconds,
    )


def fit_full_batch(network, inputs, targets, cost: Callable, *, steps: int, learning_rate: float) -> list[float]:
    """``steps`` steps of Adam, each on every training example; the cost after each step."""
    import torch  # start-up time: torch loads only when a demo trains a network

    optimizer = torch.optim.Adam(network.parameters(), lr=learning_rate)
    inputs, targets = torch.as_tensor(inputs), torch.as_tensor(targets)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = cost(network(inputs), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
