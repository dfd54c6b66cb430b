"""A scikit-learn digit classifier: a PyTorch MLP behind ``fit`` / ``predict``.

Usable on its own, without the rest of the toolkit:

>>> from sklearn.datasets import load_digits
>>> X, y = load_digits(return_X_y=True)
>>> clf = DigitClassifier(hidden_sizes=(64,), batch_size=64, epochs=10, validation_size=0, threads=1,
...                       random_state=0)
>>> clf.fit(X[:1500], y[:1500]).score(X[1500:], y[1500:]) > 0.85
True

Its parameters are the training recipe of
:class:`~paradigms.supervised.settings.SupervisedSettings`, with the same
defaults and the same checks (``DigitClassifier()`` is the paradigm's default
recipe: 784-256-128-10, 4 epochs, batches of 512), plus ``validation_size`` (a
count, a fraction or 0) and ``random_state``. ``DigitClassifier(random_state=s)``
fitted on MNIST's 60,000 training images holds out the same 5,000 validation
images as ``paradigms run supervised --seed s``, and learns the same weights.

Images may be given as ``(n, 784)`` rows or ``(n, 28, 28)`` arrays (any size the
model was trained on). Integer pixels are read as 0-255; floats are used as they
are. Either way the inputs are then standardized with the mean and spread of the
training pixels (``pixel_mean_``, ``pixel_std_``). Other feature tables work too:
augmentation (``augment_shift``) only applies to images.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from ..devices import resolve_device
from ..errors import ConfigError, DataError
from ..parameters import ParameterMap
from ..progress import Progress
from .augment import RandomShift
from .model import count_parameters
from .persistence import load_classifier, save_classifier
from .settings import DEFAULTS, SupervisedSettings
from .sources.framing import Framing
from .sources.images import PREPARATIONS, read_image
from .training import fit_network, predict_logits
from .validation import holdout

#: Parameters of the estimator's own; every other one is a setting of the recipe.
OWN_PARAMETERS = ("validation_size", "file_preparation", "random_state")
#: Rows of a square number of pixels count as images from this side length on (scikit-learn's 8x8 digits).
MIN_IMAGE_SIDE = 8


def image_shape_for(n_features: int) -> tuple[int, int] | None:
    """``(side, side)`` when rows of ``n_features`` are square images of at least 8 x 8 pixels, else None.

    >>> image_shape_for(784), image_shape_for(64), image_shape_for(16), image_shape_for(100 * 7)
    ((28, 28), (8, 8), None, None)
    """
    side = math.isqrt(n_features)
    return (side, side) if side * side == n_features and side >= MIN_IMAGE_SIDE else None


def _flatten_images(X: Any) -> tuple[Any, tuple[int, int] | None]:
    """``(n, height, width)`` image stacks -> ``(n, height * width)`` rows, and the image shape.

    Anything else (rows, tables, sparse matrices, nonsense) passes unchanged, for
    scikit-learn's ``validate_data`` to check and name.
    """
    if sparse.issparse(X) or hasattr(X, "columns"):
        return X, None
    try:
        array = np.asarray(X)
    except (TypeError, ValueError):
        return X, None
    if array.ndim == 3:
        return array.reshape(len(array), -1), (array.shape[1], array.shape[2])
    return X, None


def _seed(random_state: int | np.random.RandomState | None) -> int:
    """An int seed: an int as it is; from None (NumPy's global generator) or a RandomState, one draw."""
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return int(random_state)
    return int(check_random_state(random_state).randint(2**31 - 1))


def _pixels(X: np.ndarray) -> np.ndarray:
    """A fresh float32 copy of validated rows, integers read as 0-255 pixel values."""
    rows = X.astype(np.float32)  # always a copy: later steps standardize in place
    if X.dtype.kind in "iu":
        rows *= np.float32(1 / 255)
    if not np.isfinite(rows).all():
        raise ValueError("X has values too large for 32-bit floats")
    return rows


class DigitClassifier(ClassifierMixin, BaseEstimator):
    """Multilayer perceptron classifier trained by mini-batch backpropagation.

    Parameters (all keyword-only; defaults from
    :class:`~paradigms.supervised.settings.SupervisedSettings`)
    ----------------------------------------------------------------
    hidden_sizes : widths of the hidden layers; ``(64,) * 10`` is a ten-layered network.
    activation : ``relu``, ``gelu``, ``silu``, ``leaky_relu``, ``tanh`` or ``sigmoid``.
    dropout : fraction of hidden neurons silenced at random during training.
    optimizer : ``adam``, ``adamw``, ``sgd`` (Nesterov momentum 0.9) or ``rmsprop``.
    learning_rate : the peak learning rate (``onecycle``) or the starting one.
    schedule : ``onecycle`` (warm up, then anneal), ``cosine`` or ``constant``.
    batch_size, epochs, weight_decay, label_smoothing : as in any PyTorch loop.
    augment_shift : data augmentation: move each training image by up to this many
        pixels at random, every time it is seen (0 = off). Applies to images:
        ``(n, h, w)`` arrays, or rows of a square number (at least 8 x 8) of pixels;
        other feature rows are used as they are.
    patience : early stopping: epochs without a better validation loss (0 = never stop).
    validation_size : examples held out of ``X`` for the learning curve and early
        stopping: a count (shrunk, with a warning, to a fifth of ``X`` when larger),
        a fraction (a float below 1), or 0 for none. Ignored when ``fit`` gets
        ``validation_data``.
    device : ``auto`` (CUDA when present, else CPU), ``cpu`` or ``cuda``.
    threads : CPU threads for PyTorch during ``fit`` (None: the cores no other program keeps busy).
    file_preparation : how :meth:`predict_files` reads a picture: ``"frame"`` fits its ink
        into the box the training images' ink fills and centres it by mass, as MNIST was
        made (see ``sources/framing.py``); ``"resize"`` scales the whole picture, as a folder of
        labelled images was read for training.
    random_state : seed for initial weights, dropout, batch order, shifts and the validation split.

    Attributes (after ``fit``)
    --------------------------
    model_ : the trained ``torch.nn.Sequential``.  classes_ : the labels.
    history_ : DataFrame, one row per epoch (losses, validation accuracy, seconds).
    best_epoch_, n_epochs_, stopped_early_, n_features_in_, image_shape_ (None for
    feature rows), framing_ (where the training images put their ink, for
    :meth:`predict_files`), pixel_mean_, pixel_std_, n_parameters_, n_train_examples_,
    n_validation_examples_, device_, n_threads_, fit_seconds_.
    """

    def __init__(
        self,
        *,
        hidden_sizes: Sequence[int] = DEFAULTS.hidden_sizes,
        activation: str = DEFAULTS.activation,
        dropout: float = DEFAULTS.dropout,
        optimizer: str = DEFAULTS.optimizer,
        learning_rate: float = DEFAULTS.learning_rate,
        schedule: str = DEFAULTS.schedule,
        batch_size: int = DEFAULTS.batch_size,
        epochs: int = DEFAULTS.epochs,
        weight_decay: float = DEFAULTS.weight_decay,
        label_smoothing: float = DEFAULTS.label_smoothing,
        augment_shift: int = DEFAULTS.augment_shift,
        patience: int = DEFAULTS.patience,
        validation_size: int | float = DEFAULTS.validation_size,
        device: str = DEFAULTS.device,
        threads: int | None = DEFAULTS.threads,
        file_preparation: str = "frame",
        random_state: int | np.random.RandomState | None = None,
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
        self.file_preparation = file_preparation
        self.random_state = random_state

    @classmethod
    def from_settings(
        cls, settings: SupervisedSettings, *, random_state: int | None = None, file_preparation: str = "frame"
    ) -> DigitClassifier:
        """The estimator that trains as the paradigm run with ``settings`` does (by those very settings)."""
        classifier = cls(**RECIPE.from_settings(settings), validation_size=settings.validation_size,
                         file_preparation=file_preparation, random_state=random_state)
        RECIPE.remember(classifier, settings)
        return classifier

    def recipe(self) -> SupervisedSettings:
        """The parameters as validated settings: a ConfigError (a ValueError) names any out of range.
        Those the estimator was made from, while its parameters still hold their values."""
        return RECIPE.settings_of(self)

    # -- input --------------------------------------------------------------------

    def _rows(self, X: Any, *, reset: bool) -> tuple[np.ndarray, tuple[int, ...] | None]:
        """Validated float32 rows in the pixel scale, and the image shape of 3-D input."""
        X, shape = _flatten_images(X)
        return _pixels(validate_data(self, X, reset=reset, dtype="numeric")), shape

    def _tensor(self, rows: np.ndarray) -> torch.Tensor:
        """Standardized float32 tensor on the model's device (modifies ``rows``, a fresh array)."""
        x = torch.from_numpy(np.ascontiguousarray(rows)).to(self.device_)
        return x.sub_(self.pixel_mean_).div_(self.pixel_std_)

    def _labels(self, y: Any, n: int) -> np.ndarray:
        """Class indices of the validation labels ``y``, each a label seen in training."""
        y = column_or_1d(y)
        index = np.minimum(np.searchsorted(self.classes_, y), len(self.classes_) - 1)
        if len(y) != n or np.any(self.classes_[index] != y):
            raise ValueError("validation_data needs one label per image, each a label seen in y")
        return index

    # -- learning -------------------------------------------------------------------

    def fit(
        self,
        X: Any,
        y: Any,
        *,
        validation_data: tuple[Any, Any] | None = None,
        progress: Progress | None = None,
        watch_data: tuple[Any, Any] | None = None,
    ) -> DigitClassifier:
        """Learn from labelled images ``X`` with labels ``y``; returns ``self``.

        ``watch_data`` (images, labels) is only looked at: its accuracy as training goes lands in
        ``watch_curve_`` (examples seen, accuracy), nothing is chosen on it and the weights are
        the same without it.
        """
        settings = self.recipe()
        if self.file_preparation not in PREPARATIONS:
            raise ConfigError(f"file_preparation = {self.file_preparation!r}: choose one of {', '.join(PREPARATIONS)}")
        X, shape = _flatten_images(X)
        X, y = validate_data(self, X, y, dtype="numeric")
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"y has 1 class ({self.classes_[0]}): a classifier needs at least 2 classes to learn from")
        rows = _pixels(X)
        seed = _seed(self.random_state)
        if validation_data is not None:
            val_rows, _ = self._rows(validation_data[0], reset=False)
            val_index = self._labels(validation_data[1], len(val_rows))
            train_rows, train_index = rows, y_index
        else:
            keep, held, _ = holdout(len(rows), self.validation_size, seed)
            train_rows, train_index = rows[keep], y_index[keep]
            val_rows, val_index = rows[held], y_index[held]

        self.image_shape_ = shape or image_shape_for(self.n_features_in_)
        self.framing_ = None
        if self.image_shape_ is not None:
            self.framing_ = Framing.measure(train_rows.reshape(-1, *self.image_shape_))
        self.pixel_mean_ = float(train_rows.mean(dtype=np.float64))
        self.pixel_std_ = float(train_rows.std(dtype=np.float64)) or 1.0
        self.device_ = resolve_device(settings.device)
        augment = None
        if settings.augment_shift and self.image_shape_ is not None:
            fill = (0.0 - self.pixel_mean_) / self.pixel_std_  # where a blank pixel lands after standardizing
            augment = RandomShift(self.image_shape_, settings.augment_shift, fill)
        has_val = len(val_rows) > 0
        fitted = fit_network(
            settings,
            self._tensor(train_rows),
            torch.from_numpy(train_index.astype(np.int64)).to(self.device_),
            len(self.classes_),
            seed=seed,
            device=self.device_,
            x_val=self._tensor(val_rows) if has_val else None,
            y_val=torch.from_numpy(val_index.astype(np.int64)).to(self.device_) if has_val else None,
            progress=progress,
            augment=augment,
            watch=self._watched(watch_data),
        )
        fitted.keep_on(self)
        self.watch_curve_ = pd.DataFrame(fitted.result.watched, columns=["examples_seen", "accuracy"])
        self.n_parameters_ = count_parameters(self.model_)
        self.n_train_examples_ = len(train_rows)
        self.n_validation_examples_ = len(val_rows)
        return self

    def _watched(self, watch_data: tuple[Any, Any] | None) -> tuple[torch.Tensor, torch.Tensor] | None:
        """``watch_data`` as tensors on the model's device, its labels as class indices; labels the
        training never saw make the pair unusable (they could never be guessed)."""
        if watch_data is None:
            return None
        rows, _ = self._rows(watch_data[0], reset=False)
        index = self._labels(watch_data[1], len(rows))
        return self._tensor(rows), torch.from_numpy(index.astype(np.int64)).to(self.device_)

    # -- predicting -------------------------------------------------------------------

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probability of each class (columns in the order of ``classes_``) for each image."""
        check_is_fitted(self)
        rows, _ = self._rows(X, reset=False)
        logits = predict_logits(self.model_, self._tensor(rows))
        proba = torch.softmax(logits.float(), dim=1).cpu().numpy()
        if not np.isfinite(proba).all():  # never answer "0 (nan% sure)"
            raise DataError("the model's answer is not a number for some inputs: its weights or standardization "
                            "overflow; retrain it or load another")
        return proba

    def predict(self, X: Any) -> np.ndarray:
        """The most probable label of each image."""
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def prepare_files(self, paths: Sequence[str | os.PathLike[str]], *, invert: bool | str = "auto") -> np.ndarray:
        """The ``(n, height, width)`` uint8 images the model sees for image files (PNG, JPEG, ...):
        greyscale, light ink on dark (``invert="auto"`` inverts dark-on-light drawings), then
        framed like the training images or resized (``file_preparation``; see ``sources/images.py``)."""
        check_is_fitted(self)
        if self.image_shape_ is None:
            raise ValueError("this model was trained on feature rows, not images: it cannot read image files")
        if not paths:
            raise ValueError("no image files given")
        framing = self.framing_ or Framing.mnist_like(self.image_shape_)
        return np.stack([
            read_image(path, size=self.image_shape_, invert=invert, preparation=self.file_preparation, framing=framing)
            for path in paths
        ])

    def predict_files(self, paths: Sequence[str | os.PathLike[str]], *, invert: bool | str = "auto") -> np.ndarray:
        """Labels of image files, read as :meth:`prepare_files` says: a digit drawn small, off-centre,
        thick or thin is framed like an MNIST digit first."""
        return self.predict(self.prepare_files(paths, invert=invert))

    # -- saving -------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the trained model to the folder ``path`` (weights + JSON settings)."""
        return save_classifier(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, device: str = "cpu") -> DigitClassifier:
        """Read a model written by :meth:`save` (never unpickles arbitrary objects)."""
        return load_classifier(cls, path, device=device)


#: The settings that are the training recipe: every parameter but the estimator's own, each a setting
#: of the same name. ``validation_size`` is taken from the settings too, but it is the estimator's own:
#: it also takes a fraction or 0.
RECIPE: ParameterMap[SupervisedSettings] = ParameterMap(
    SupervisedSettings, [name for name in DigitClassifier._get_param_names() if name not in OWN_PARAMETERS]
)
