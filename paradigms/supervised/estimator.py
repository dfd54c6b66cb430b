"""A scikit-learn-style digit classifier: a PyTorch MLP behind ``fit`` / ``predict``.

Usable on its own, without the rest of the toolkit:

>>> from sklearn.datasets import load_digits
>>> X, y = load_digits(return_X_y=True)
>>> clf = DigitClassifier(hidden_sizes=(64,), batch_size=64, epochs=10, augment_shift=0,
...                       validation_size=0, random_state=0)
>>> clf.fit(X[:1500], y[:1500]).score(X[1500:], y[1500:]) > 0.85
True

Images may be given as ``(n, 784)`` rows or ``(n, 28, 28)`` arrays (any square or
rectangular size the model was trained on). Integer pixels are read as 0-255;
floats are used as they are. Either way the inputs are then standardized with
the mean and spread of the training pixels (``pixel_mean_``, ``pixel_std_``).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from ..progress import Progress
from ..seeding import numpy_rng, torch_generator
from .augment import RandomShift
from .images import read_digit_images
from .model import build_mlp, count_parameters, resolve_device
from .train import TrainConfig, predict_logits, train

DEFAULT_HIDDEN_SIZES = (256, 128)


def _image_shape_for(n_features: int) -> tuple[int, int] | None:
    side = math.isqrt(n_features)
    return (side, side) if side * side == n_features else None


class DigitClassifier(ClassifierMixin, BaseEstimator):
    """Multilayer perceptron classifier trained by mini-batch backpropagation.

    Parameters (all keyword-only)
    -----------------------------
    hidden_sizes : widths of the hidden layers; ``(64,) * 10`` is a ten-layered network.
    activation : ``relu``, ``gelu``, ``silu``, ``leaky_relu``, ``tanh`` or ``sigmoid``.
    dropout : fraction of hidden neurons silenced at random during training.
    optimizer : ``adam``, ``adamw``, ``sgd`` (Nesterov momentum 0.9) or ``rmsprop``.
    learning_rate : the peak learning rate (``onecycle``) or the starting one.
    schedule : ``onecycle`` (warm up, then anneal), ``cosine`` or ``constant``.
    batch_size, epochs, weight_decay, label_smoothing : as in any PyTorch loop.
    augment_shift : data augmentation: move each training image by up to this many
        pixels at random, every time it is seen (0 = off). Needs images: ``(n, h, w)``
        arrays or rows of a square number of pixels; use 0 for other feature rows.
    patience : early stopping: epochs without a better validation loss (0 = never stop).
    validation_size : examples held out of ``X`` for the learning curve and early
        stopping: a count (int), a fraction (float below 1), or 0 for none.
        Ignored when ``fit`` gets ``validation_data``.
    device : ``auto`` (CUDA when present, else CPU), ``cpu`` or ``cuda``.
    threads : CPU threads for PyTorch during ``fit`` (None: PyTorch's default, all cores).
    random_state : seed for initial weights, dropout, batch order and the validation split.

    Attributes (after ``fit``)
    --------------------------
    model_ : the trained ``torch.nn.Sequential``.  classes_ : the labels.
    history_ : DataFrame, one row per epoch (losses, validation accuracy, seconds).
    best_epoch_, n_epochs_, stopped_early_, n_features_in_, image_shape_,
    pixel_mean_, pixel_std_, n_parameters_, device_, fit_seconds_.
    """

    def __init__(
        self,
        *,
        hidden_sizes: Sequence[int] = DEFAULT_HIDDEN_SIZES,
        activation: str = "relu",
        dropout: float = 0.0,
        optimizer: str = "adam",
        learning_rate: float = 8e-3,
        schedule: str = "onecycle",
        batch_size: int = 512,
        epochs: int = 4,
        weight_decay: float = 0.0,
        label_smoothing: float = 0.0,
        augment_shift: int = 1,
        patience: int = 3,
        validation_size: int | float = 0.1,
        device: str = "auto",
        threads: int | None = None,
        random_state: int | None = None,
    ) -> None:
        self.hidden_sizes = hidden_sizes
        self.activation = activation
        self.dropout = dropout
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.schedule = schedule
        self.batch_size = batch_size
        self.epochs = epochs
        self.weight_decay = weight_decay
        self.label_smoothing = label_smoothing
        self.augment_shift = augment_shift
        self.patience = patience
        self.validation_size = validation_size
        self.device = device
        self.threads = threads
        self.random_state = random_state

    # -- input --------------------------------------------------------------------

    @staticmethod
    def _as_rows(X: np.ndarray) -> tuple[np.ndarray, tuple[int, ...] | None]:
        """Rows of float32 features in the pixel scale (integers / 255), and the image shape."""
        X = np.asarray(X)
        if X.dtype.kind not in "biuf":
            raise ValueError(f"images must be numbers, got an array of {X.dtype}")
        if X.ndim == 3:
            shape = tuple(X.shape[1:])
            X = X.reshape(len(X), -1)
        elif X.ndim == 2:
            shape = None
        else:
            raise ValueError(
                f"expected images as (n, height, width) or rows as (n, features), got shape {X.shape}"
            )
        rows = X.astype(np.float32)  # always a fresh array: later steps work in place
        if X.dtype.kind in "iu":
            rows *= np.float32(1 / 255)
        if not np.isfinite(rows).all():
            raise ValueError("images contain NaN or infinite values")
        return rows, shape

    def _tensor(self, rows: np.ndarray) -> torch.Tensor:
        """Standardized float32 tensor on the model's device (modifies ``rows``, a fresh array)."""
        x = torch.from_numpy(np.ascontiguousarray(rows)).to(self.device_)
        return x.sub_(self.pixel_mean_).div_(self.pixel_std_)

    def _check_features(self, rows: np.ndarray) -> None:
        if rows.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {rows.shape[1]} features per image, but this DigitClassifier was trained on "
                f"{self.n_features_in_} (images of {self.image_shape_})"
            )

    def _validation_split(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        size = self.validation_size or 0
        if isinstance(size, float) and 0 < size < 1:
            size = int(round(size * n))
        size = int(size)
        if size < 0 or size >= n:
            raise ValueError(f"validation_size = {self.validation_size} must leave training examples out of {n}")
        order = numpy_rng(self._seed).permutation(n)
        return order[size:], order[:size]

    # -- learning -------------------------------------------------------------------

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        validation_data: tuple[np.ndarray, np.ndarray] | None = None,
        progress: Progress | None = None,
    ) -> DigitClassifier:
        """Learn from labelled images ``X`` with labels ``y``; returns ``self``."""
        config = TrainConfig(
            epochs=int(self.epochs), batch_size=int(self.batch_size), learning_rate=float(self.learning_rate),
            optimizer=self.optimizer, schedule=self.schedule, weight_decay=float(self.weight_decay),
            label_smoothing=float(self.label_smoothing), patience=int(self.patience),
        )
        rows, shape = self._as_rows(X)
        y = np.asarray(y)
        if y.ndim != 1 or len(y) != len(rows):
            raise ValueError(f"y must be one label per image: {len(rows)} images, y of shape {y.shape}")
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"need at least 2 classes to learn from, got {list(self.classes_)}")
        self._seed = (
            int(self.random_state) if self.random_state is not None
            else int(np.random.SeedSequence().entropy % 2**32)
        )
        if validation_data is not None:
            val_rows, _ = self._as_rows(validation_data[0])
            val_labels = np.asarray(validation_data[1])
            val_index = np.searchsorted(self.classes_, val_labels)
            clipped = np.minimum(val_index, len(self.classes_) - 1)
            if len(val_labels) != len(val_rows) or np.any(self.classes_[clipped] != val_labels):
                raise ValueError("validation_data needs one label per image, each a label seen in y")
            train_rows, train_index = rows, y_index
        else:
            keep, held = self._validation_split(len(rows))
            train_rows, train_index = rows[keep], y_index[keep]
            val_rows, val_index = rows[held], y_index[held]

        self.n_features_in_ = rows.shape[1]
        self.image_shape_ = shape or _image_shape_for(self.n_features_in_)
        self.pixel_mean_ = float(train_rows.mean(dtype=np.float64))
        self.pixel_std_ = float(train_rows.std(dtype=np.float64)) or 1.0
        self.device_ = resolve_device(self.device)
        if val_rows.shape[1:] != train_rows.shape[1:]:
            raise ValueError(f"validation images have {val_rows.shape[1]} features, training images {rows.shape[1]}")

        augment = None
        if self.augment_shift:
            if self.image_shape_ is None or int(self.augment_shift) < 0:
                raise ValueError(
                    f"augment_shift = {self.augment_shift} needs images: give X as (n, height, width) "
                    "or rows of a square number of pixels, or set augment_shift=0"
                )
            fill = (0.0 - self.pixel_mean_) / self.pixel_std_  # where a blank pixel lands after standardizing
            augment = RandomShift(self.image_shape_, int(self.augment_shift), fill)
        cuda = [self.device_.index or 0] if self.device_.type == "cuda" else []
        old_threads = torch.get_num_threads()
        start = time.perf_counter()
        try:
            if self.threads:
                torch.set_num_threads(int(self.threads))
            with torch.random.fork_rng(devices=cuda):
                torch.manual_seed(self._seed)
                self.model_ = build_mlp(
                    self.n_features_in_, tuple(self.hidden_sizes), len(self.classes_),
                    activation=self.activation, dropout=float(self.dropout),
                ).to(self.device_)
                x_val = self._tensor(val_rows) if len(val_rows) else None
                y_val = torch.from_numpy(val_index.astype(np.int64)).to(self.device_) if len(val_rows) else None
                result = train(
                    self.model_,
                    self._tensor(train_rows),
                    torch.from_numpy(train_index.astype(np.int64)).to(self.device_),
                    config,
                    x_val=x_val,
                    y_val=y_val,
                    generator=torch_generator(self._seed),
                    progress=progress,
                    augment=augment,
                )
        finally:
            torch.set_num_threads(old_threads)
        self.fit_seconds_ = time.perf_counter() - start
        self.history_ = pd.DataFrame(result.as_rows())
        self.best_epoch_ = result.best_epoch
        self.n_epochs_ = len(result.history)
        self.stopped_early_ = result.stopped_early
        self.n_parameters_ = count_parameters(self.model_)
        self.n_train_examples_ = len(train_rows)
        self.n_validation_examples_ = len(val_rows)
        return self

    # -- predicting -------------------------------------------------------------------

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability of each class (columns in the order of ``classes_``) for each image."""
        check_is_fitted(self, "model_")
        rows, _ = self._as_rows(X)
        self._check_features(rows)
        logits = predict_logits(self.model_, self._tensor(rows))
        return torch.softmax(logits.float(), dim=1).cpu().numpy()

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The most probable label of each image."""
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def predict_files(self, paths: Sequence[str | os.PathLike[str]], *, invert: bool | str = "auto") -> np.ndarray:
        """Labels of image files (PNG, JPEG, ...), converted like MNIST (see ``images.py``)."""
        check_is_fitted(self, "model_")
        if self.image_shape_ is None:
            raise ValueError("this model was trained on feature rows, not images: it cannot read image files")
        return self.predict(read_digit_images(paths, size=self.image_shape_, invert=invert))

    # -- saving -------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the trained model to the folder ``path`` (weights + JSON settings)."""
        from .persistence import save_classifier

        return save_classifier(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, device: str = "cpu") -> DigitClassifier:
        """Read a model written by :meth:`save` (never unpickles arbitrary objects)."""
        from .persistence import load_classifier

        return load_classifier(path, device=device)
