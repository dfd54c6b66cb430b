"""The training loop: mini-batch gradient descent with backpropagation.

One **epoch** is one pass over the training examples in a fresh random order;
each **batch** of ``batch_size`` examples gives one gradient step (forward pass,
loss, backpropagation, optimizer update). After every epoch the network is
scored on the **validation** slice, which it never trains on: that is the
learning curve, and what **early stopping** watches (stop when the validation
loss has not improved for ``patience`` epochs, and keep the best weights).
The recipe is a :class:`~.settings.SupervisedSettings`, where every default and
every allowed value is declared once.

Speed: the whole data set lives in tensors on the device; a batch is an index
into a per-epoch permutation, so the hot loop runs no per-example Python and
no DataLoader. On a CPU the matrix multiplications dominate; that is why the
defaults favour a modest network, large-ish batches and a one-cycle learning
rate schedule that reaches a good accuracy in few epochs.

The same loop learns a **regression** (``regression=True``: one output, the mean
squared error as the cost function, R² on the validation slice instead of the
accuracy), which is how a table's numeric target is learned (:mod:`.sources.tables`).
:func:`fit_network` wraps it with what every fit needs: a seeded network on the
right device, the CPU threads, and the global random state left as it was.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from ..devices import torch_threads
from ..errors import DataError
from ..progress import Progress
from ..same_task import EARLY_EXAMPLES
from ..seeding import torch_generator
from .augment import RandomShift
from .model import build_mlp
from .settings import SupervisedSettings


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
    val_r2: float | None = None  # regression: share of the validation targets' variance explained


@dataclass
class TrainingResult:
    """The learning curve, the epoch whose weights were kept, and whether training stopped early.

    ``watched`` holds ``(examples seen, accuracy)`` on a watched set (:func:`train`'s ``watch``),
    at :data:`~paradigms.same_task.EARLY_EXAMPLES` and at each epoch's end.
    """

    history: list[EpochRecord] = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False
    watched: list[tuple[int, float]] = field(default_factory=list)

    def as_rows(self) -> list[dict[str, float | int | None]]:
        return [asdict(record) for record in self.history]


class DivergedError(DataError, FloatingPointError):
    """Training blew up (the loss became NaN or infinite): a one-line error that says which setting to change."""


def _divergence_hint(settings: SupervisedSettings) -> str:
    if settings.weight_decay > 1.0:
        return (f"weight_decay = {settings.weight_decay:g} pulls the weights harder than the data can; "
                "lower it (0 to 0.1 is usual)")
    return "lower the learning rate (learning_rate) or use another optimizer"


def make_optimizer(model: nn.Module, settings: SupervisedSettings) -> torch.optim.Optimizer:
    """The optimizer named by ``settings.optimizer`` (one of :data:`.settings.OPTIMIZERS`)."""
    params = model.parameters()
    lr, wd = settings.learning_rate, settings.weight_decay
    if settings.optimizer == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd, foreach=True)
    if settings.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd, foreach=True)
    if settings.optimizer == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, weight_decay=wd, foreach=True)
    return torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True, weight_decay=wd, foreach=True)


def make_schedule(
    optimizer: torch.optim.Optimizer, settings: SupervisedSettings, steps_per_epoch: int
) -> torch.optim.lr_scheduler.LRScheduler | None:
    """The learning-rate schedule named by ``settings.schedule``; None for ``constant``
    (and for a one-cycle schedule of a single step, which has no room to warm up)."""
    total = settings.epochs * steps_per_epoch
    if settings.schedule == "onecycle" and total > 1:
        # Warm up for a quarter of the steps, then anneal to ~0: large steps early, fine ones late.
        # At least 1.5 steps of warm-up: PyTorch divides by (warm-up steps - 1), zero for 4 steps in all.
        return torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=settings.learning_rate, total_steps=total, pct_start=max(0.25, 1.5 / total)
        )
    if settings.schedule == "cosine":
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


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, regression: bool = False) -> tuple[float, float]:
    """(mean cross-entropy loss, accuracy) on ``x``, ``y``; for a regression
    (mean squared error, R²: 1 - squared error / the squared error of predicting y's mean)."""
    outputs = predict_logits(model, x)
    if regression:
        predicted = outputs[:, 0]
        loss = F.mse_loss(predicted, y).item()
        spread = torch.mean((y - y.mean()) ** 2).item()
        return loss, (1.0 - loss / spread) if spread > 0 else 0.0
    loss = F.cross_entropy(outputs, y).item()
    accuracy = (outputs.argmax(dim=1) == y).float().mean().item()
    return loss, accuracy


def _loss(outputs: torch.Tensor, y: torch.Tensor, settings: SupervisedSettings, regression: bool) -> torch.Tensor:
    """The cost function: cross-entropy on classes, mean squared error on numbers."""
    if regression:
        return F.mse_loss(outputs[:, 0], y)
    return F.cross_entropy(outputs, y, label_smoothing=settings.label_smoothing)


def train(
    model: nn.Module,
    x_train: torch.Tensor,
    y_train: torch.Tensor,
    settings: SupervisedSettings,
    *,
    x_val: torch.Tensor | None = None,
    y_val: torch.Tensor | None = None,
    generator: torch.Generator,
    progress: Progress | None = None,
    on_epoch: Callable[[EpochRecord], None] | None = None,
    augment: RandomShift | None = None,
    regression: bool = False,
    watch: tuple[torch.Tensor, torch.Tensor] | None = None,
) -> TrainingResult:
    """Train ``model`` in place on tensors that already live on its device.

    ``x_train`` is float ``(n, features)``, ``y_train`` int64 class indices (float
    targets, standardised, with ``regression=True``).
    ``settings`` gives the recipe: epochs, batch size, optimizer, learning rate and
    its schedule, weight decay, label smoothing and the early-stopping patience.
    Without a validation set there is no early stopping and the last weights are kept.
    ``generator`` (a CPU ``torch.Generator``) draws each epoch's order (and the
    random shifts of ``augment``, when given).
    ``watch`` (inputs, class indices) is scored as training goes, at
    :data:`~paradigms.same_task.EARLY_EXAMPLES` examples seen and at each epoch's end, into
    ``watched``: a curve to look at, never used to choose anything (the same-task comparison puts
    it beside the clustering's and the bandit's). Scoring it draws no random numbers, so the
    weights are the same with or without it.
    """
    progress = progress or Progress.silent()
    n = len(x_train)
    steps = math.ceil(n / settings.batch_size)
    optimizer = make_optimizer(model, settings)
    schedule = make_schedule(optimizer, settings, steps)
    has_val = x_val is not None and y_val is not None and len(x_val) > 0
    result = TrainingResult()
    best_loss, best_state, waited = math.inf, None, 0
    fit_start = time.perf_counter()
    source = augment.prepare(x_train) if augment is not None else x_train
    pending = [point for point in EARLY_EXAMPLES if point < n] if watch is not None else []
    seen = 0

    def look() -> None:
        assert watch is not None  # called only when watching
        result.watched.append((seen, evaluate(model, *watch)[1]))

    model.train()
    with progress.bar(total=settings.epochs, desc="epochs", unit="epoch") as bar:
        for epoch in range(1, settings.epochs + 1):
            epoch_start = time.perf_counter()
            order = torch.randperm(n, generator=generator).to(x_train.device)
            loss_sum = torch.zeros((), device=x_train.device)
            for step in range(steps):
                batch = order[step * settings.batch_size : (step + 1) * settings.batch_size]
                if augment is None:
                    inputs = x_train[batch]
                else:
                    inputs, batch = augment.take(source, batch, generator)
                loss = _loss(model(inputs), y_train[batch], settings, regression)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                if schedule is not None:
                    schedule.step()
                loss_sum += loss.detach() * len(batch)
                seen += len(batch)
                if pending and seen >= pending[0] and step < steps - 1:
                    look()
                    pending = [point for point in pending if point > seen]
            if watch is not None:
                look()
            train_loss = loss_sum.item() / n
            if not math.isfinite(train_loss):
                raise DivergedError(f"the training loss became {train_loss} in epoch {epoch}: {_divergence_hint(settings)}")
            val_loss = val_accuracy = val_r2 = None
            if has_val:
                assert x_val is not None and y_val is not None  # has_val
                val_loss, score = evaluate(model, x_val, y_val, regression=regression)
                val_accuracy, val_r2 = (None, score) if regression else (score, None)
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
                val_r2=val_r2,
            )
            result.history.append(record)
            progress.log(epoch, tracked_values(record))
            if on_epoch is not None:
                on_epoch(record)
            postfix = {"loss": f"{train_loss:.4f}"}
            if has_val:
                postfix["val_r2" if regression else "val_acc"] = f"{val_r2 if regression else val_accuracy:.4f}"
            bar.set_postfix(postfix)
            bar.update(1)
            if not has_val:
                result.best_epoch = epoch
                continue
            assert val_loss is not None  # has_val
            if val_loss < best_loss:
                best_loss, waited, result.best_epoch = val_loss, 0, epoch
                if epoch < settings.epochs:  # the last epoch's weights are the model's own
                    best_state = copy.deepcopy(model.state_dict())
                else:
                    best_state = None
            else:
                waited += 1
                if settings.patience and waited >= settings.patience and epoch < settings.epochs:
                    result.stopped_early = True
                    progress.note(f"early stopping after epoch {epoch}: no better validation loss for {waited} epochs")
                    break
    if has_val and result.best_epoch != result.history[-1].epoch and best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return result


def tracked_values(record: EpochRecord) -> dict[str, float | None]:
    """One epoch by the tags TensorBoard users know (``train/loss``, ``val/accuracy``, ...), E = the epoch."""
    return {
        "train/loss": record.train_loss,
        "val/loss": record.val_loss,
        "val/accuracy": record.val_accuracy,
        "val/r2": record.val_r2,
        "train/learning_rate": record.learning_rate,
        "train/examples_seen": record.examples_seen,
        "time/epoch_seconds": record.epoch_seconds,
        "time/seconds": record.seconds,
    }


@dataclass
class FittedNetwork:
    """A trained network with its learning curve, the CPU threads it used and the seconds it took."""

    model: nn.Sequential
    result: TrainingResult
    n_threads: int
    seconds: float

    def keep_on(self, owner: Any) -> None:
        """Set on ``owner`` (the classifier, the table's regressor) what an estimator says of its
        training: ``model_``, ``history_``, ``best_epoch_``, ``n_epochs_``, ``stopped_early_``,
        ``n_threads_`` and ``fit_seconds_`` (a run's Evaluation reads them alike)."""
        owner.model_, owner.n_threads_, owner.fit_seconds_ = self.model, self.n_threads, self.seconds
        owner.history_ = pd.DataFrame(self.result.as_rows())
        owner.best_epoch_, owner.n_epochs_ = self.result.best_epoch, len(self.result.history)
        owner.stopped_early_ = self.result.stopped_early


def fit_network(
    settings: SupervisedSettings,
    x_train: torch.Tensor,
    y_train: torch.Tensor,
    n_outputs: int,
    *,
    seed: int,
    device: torch.device,
    x_val: torch.Tensor | None = None,
    y_val: torch.Tensor | None = None,
    progress: Progress | None = None,
    augment: RandomShift | None = None,
    regression: bool = False,
    watch: tuple[torch.Tensor, torch.Tensor] | None = None,
) -> FittedNetwork:
    """Build the MLP of ``settings`` (``x_train``'s width in, ``n_outputs`` out) with weights drawn
    from ``seed`` and :func:`train` it, on ``settings.threads`` CPU threads; PyTorch's global
    random state is the same afterwards as before."""
    cuda = [device.index or 0] if device.type == "cuda" else []
    start = time.perf_counter()
    widths = [x_train.shape[1], *settings.hidden_sizes, n_outputs]
    work = min(settings.batch_size, len(x_train)) * sum(a * b for a, b in zip(widths, widths[1:], strict=False))
    with torch_threads(settings.threads, device, work=work), torch.random.fork_rng(devices=cuda):
        n_threads = torch.get_num_threads()
        torch.manual_seed(seed)
        model = build_mlp(
            x_train.shape[1], settings.hidden_sizes, n_outputs,
            activation=settings.activation, dropout=settings.dropout,
        ).to(device)
        result = train(
            model, x_train, y_train, settings, x_val=x_val, y_val=y_val, generator=torch_generator(seed),
            progress=progress, augment=augment, regression=regression, watch=watch,
        )
    return FittedNetwork(model, result, n_threads, time.perf_counter() - start)
