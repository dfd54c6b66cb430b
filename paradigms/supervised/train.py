"""The training loop: mini-batch gradient descent with backpropagation.

One **epoch** is one pass over the training examples in a fresh random order;
each **batch** of ``batch_size`` examples gives one gradient step (forward pass,
loss, backpropagation, optimizer update). After every epoch the network is
scored on the **validation** slice, which it never trains on: that is the
learning curve, and what **early stopping** watches (stop when the validation
loss has not improved for ``patience`` epochs, and keep the best weights).

Speed: the whole data set lives in tensors on the device; a batch is an index
into a per-epoch permutation, so the hot loop runs no per-example Python and
no DataLoader. On a CPU the matrix multiplications dominate; that is why the
defaults favour a modest network, large-ish batches and a one-cycle learning
rate schedule that reaches a good accuracy in few epochs.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from ..errors import ConfigError
from ..progress import Progress
from .augment import RandomShift

OPTIMIZERS = ("adam", "adamw", "sgd", "rmsprop")
SCHEDULES = ("onecycle", "cosine", "constant")


@dataclass(frozen=True)
class TrainConfig:
    """How to train (the network's shape lives elsewhere)."""

    epochs: int = 5
    batch_size: int = 256
    learning_rate: float = 5e-3
    optimizer: str = "adam"
    schedule: str = "onecycle"
    weight_decay: float = 0.0
    label_smoothing: float = 0.0
    #: Epochs without a better validation loss before stopping; 0 never stops early.
    patience: int = 3

    def __post_init__(self) -> None:
        if self.optimizer not in OPTIMIZERS:
            raise ConfigError(f"optimizer = {self.optimizer!r} is unknown: choose one of {', '.join(OPTIMIZERS)}")
        if self.schedule not in SCHEDULES:
            raise ConfigError(f"schedule = {self.schedule!r} is unknown: choose one of {', '.join(SCHEDULES)}")
        for name in ("epochs", "batch_size"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(f"{name} = {getattr(self, name)} must be at least 1")
        if not (self.learning_rate > 0 and math.isfinite(self.learning_rate)):
            raise ConfigError(f"learning_rate = {self.learning_rate} must be a positive number")
        if self.patience < 0 or self.weight_decay < 0 or not 0 <= self.label_smoothing < 1:
            raise ConfigError("patience and weight_decay must be >= 0, label_smoothing in [0, 1)")


@dataclass(frozen=True)
class EpochRecord:
    """One point of the learning curve."""

    epoch: int
    examples_seen: int
    train_loss: float
    val_loss: float | None
    val_accuracy: float | None
    learning_rate: float
    epoch_seconds: float
    seconds: float


@dataclass
class TrainingResult:
    history: list[EpochRecord] = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False

    def as_rows(self) -> list[dict]:
        return [asdict(record) for record in self.history]


def make_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    params = model.parameters()
    lr, wd = config.learning_rate, config.weight_decay
    if config.optimizer == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd, foreach=True)
    if config.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd, foreach=True)
    if config.optimizer == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, weight_decay=wd, foreach=True)
    return torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True, weight_decay=wd, foreach=True)


def make_schedule(optimizer: torch.optim.Optimizer, config: TrainConfig, steps_per_epoch: int):
    total = config.epochs * steps_per_epoch
    if config.schedule == "onecycle":
        # Warm up for a quarter of the steps, then anneal to ~0: large steps early, fine ones late.
        return torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=config.learning_rate, total_steps=total, pct_start=0.25
        )
    if config.schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total)
    return None


@torch.inference_mode()
def predict_logits(model: nn.Module, x: torch.Tensor, *, batch_size: int = 8192) -> torch.Tensor:
    """The network's outputs for every row of ``x``, in evaluation mode (no dropout, no autograd)."""
    was_training = model.training
    model.eval()
    try:
        return torch.cat([model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])
    finally:
        model.train(was_training)


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """(mean cross-entropy loss, accuracy) on ``x``, ``y``."""
    logits = predict_logits(model, x)
    loss = F.cross_entropy(logits, y).item()
    accuracy = (logits.argmax(dim=1) == y).float().mean().item()
    return loss, accuracy


def train(
    model: nn.Module,
    x_train: torch.Tensor,
    y_train: torch.Tensor,
    config: TrainConfig,
    *,
    x_val: torch.Tensor | None = None,
    y_val: torch.Tensor | None = None,
    generator: torch.Generator,
    progress: Progress | None = None,
    on_epoch: Callable[[EpochRecord], None] | None = None,
    augment: RandomShift | None = None,
) -> TrainingResult:
    """Train ``model`` in place on tensors that already live on its device.

    ``x_train`` is float ``(n, features)``, ``y_train`` int64 class indices.
    Without a validation set there is no early stopping and the last weights are kept.
    ``generator`` (a CPU ``torch.Generator``) draws each epoch's order (and the
    random shifts of ``augment``, when given).
    """
    progress = progress or Progress.silent()
    n = len(x_train)
    steps = math.ceil(n / config.batch_size)
    optimizer = make_optimizer(model, config)
    schedule = make_schedule(optimizer, config, steps)
    has_val = x_val is not None and y_val is not None and len(x_val) > 0
    result = TrainingResult()
    best_loss, best_state, waited = math.inf, None, 0
    fit_start = time.perf_counter()
    source = augment.prepare(x_train) if augment is not None else x_train
    model.train()
    with progress.bar(total=config.epochs, desc="epochs", unit="epoch") as bar:
        for epoch in range(1, config.epochs + 1):
            epoch_start = time.perf_counter()
            order = torch.randperm(n, generator=generator).to(x_train.device)
            loss_sum = torch.zeros((), device=x_train.device)
            for step in range(steps):
                batch = order[step * config.batch_size : (step + 1) * config.batch_size]
                if augment is None:
                    inputs = x_train[batch]
                else:
                    inputs, batch = augment.take(source, batch, generator)
                logits = model(inputs)
                loss = F.cross_entropy(logits, y_train[batch], label_smoothing=config.label_smoothing)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                if schedule is not None:
                    schedule.step()
                loss_sum += loss.detach() * len(batch)
            train_loss = loss_sum.item() / n
            if not math.isfinite(train_loss):
                raise FloatingPointError(
                    f"the training loss became {train_loss} in epoch {epoch}: "
                    "lower the learning rate (learning_rate) or use another optimizer"
                )
            val_loss = val_accuracy = None
            if has_val:
                val_loss, val_accuracy = evaluate(model, x_val, y_val)
            now = time.perf_counter()
            record = EpochRecord(
                epoch=epoch,
                examples_seen=epoch * n,
                train_loss=train_loss,
                val_loss=val_loss,
                val_accuracy=val_accuracy,
                learning_rate=optimizer.param_groups[0]["lr"],
                epoch_seconds=now - epoch_start,
                seconds=now - fit_start,
            )
            result.history.append(record)
            if on_epoch is not None:
                on_epoch(record)
            postfix = {"loss": f"{train_loss:.4f}"}
            if has_val:
                postfix["val_acc"] = f"{val_accuracy:.4f}"
            bar.set_postfix(postfix)
            bar.update(1)
            if not has_val:
                result.best_epoch = epoch
                continue
            if val_loss < best_loss:
                best_loss, waited, result.best_epoch = val_loss, 0, epoch
                if epoch < config.epochs:  # the last epoch's weights are the model's own
                    best_state = copy.deepcopy(model.state_dict())
                else:
                    best_state = None
            else:
                waited += 1
                if config.patience and waited >= config.patience and epoch < config.epochs:
                    result.stopped_early = True
                    progress.note(f"early stopping after epoch {epoch}: no better validation loss for {waited} epochs")
                    break
    if has_val and result.best_epoch != result.history[-1].epoch and best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return result
