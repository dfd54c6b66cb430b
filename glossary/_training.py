"""A small mini-batch training loop, shared by the *epoch* and *batch size* demos.

It is the toolkit's supervised training loop in miniature
(:func:`paradigms.supervised.train.train`): each epoch draws a fresh random
order of the training examples, cuts it into batches of ``batch_size``, and
takes one gradient step per batch. It records what those demos need to show:
the loss of every batch (the noisy curve a training log prints) and, after
every epoch, the loss on the whole training set and on a validation set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TrainingLog:
    batch_losses: np.ndarray  # one per gradient step
    train_losses: np.ndarray  # one per epoch, on the whole training set
    val_losses: np.ndarray  # one per epoch (empty without validation data)
    val_accuracies: np.ndarray
    steps_per_epoch: int


def small_mlp(inputs: int, width: int, outputs: int = 10):
    """inputs -> ``width`` ReLU neurons -> ``outputs`` scores."""
    import torch

    return torch.nn.Sequential(torch.nn.Linear(inputs, width), torch.nn.ReLU(), torch.nn.Linear(width, outputs))


def train_minibatch(
    network,
    x_train: np.ndarray,
    y_train: np.ndarray,
    *,
    epochs: int,
    batch_size: int,
    learning_rate: float,
    seed: int,
    optimizer: str = "adam",
    x_val: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
) -> TrainingLog:
    """Train ``network`` in place (cross-entropy); call inside :func:`glossary._base.quiet_torch`."""
    import torch
    import torch.nn.functional as F

    inputs, targets = torch.tensor(x_train), torch.tensor(y_train)
    has_val = x_val is not None and y_val is not None
    if has_val:
        val_inputs, val_targets = torch.tensor(x_val), torch.tensor(y_val)
    if optimizer == "adam":
        step_rule = torch.optim.Adam(network.parameters(), lr=learning_rate)
    else:
        step_rule = torch.optim.SGD(network.parameters(), lr=learning_rate)
    order_generator = torch.Generator().manual_seed(seed)
    n = len(inputs)
    steps = math.ceil(n / batch_size)
    batch_losses, train_losses, val_losses, val_accuracies = [], [], [], []
    for _ in range(epochs):
        order = torch.randperm(n, generator=order_generator)
        for step in range(steps):
            batch = order[step * batch_size : (step + 1) * batch_size]
            loss = F.cross_entropy(network(inputs[batch]), targets[batch])
            step_rule.zero_grad()
            loss.backward()
            step_rule.step()
            batch_losses.append(loss.item())
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
    )
