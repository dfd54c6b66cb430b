"""Save a trained :class:`~paradigms.supervised.estimator.DigitClassifier` and load it back.

A saved model is a folder of two files:

* ``weights.pt``: the network's tensors (a ``state_dict``), read back with
  ``torch.load(..., weights_only=True)``, which refuses arbitrary pickled objects;
* ``config.json``: everything else, readable by people: the estimator's
  parameters, the classes, the input size and standardization, a training
  summary, and the SHA-256 of ``weights.pt`` (so a mismatched pair is caught).

Both are written atomically, weights first, so a crash never leaves a folder
whose ``config.json`` points at missing or half-written weights.

This module knows the folder's format, not the estimator's class: the
estimator imports it (``DigitClassifier.save`` / ``.load``) and hands its class
to :func:`load_classifier`, so the two files never import each other.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import torch
from sklearn.utils.validation import check_is_fitted

from ..devices import resolve_device
from ..errors import ConfigError, DataError
from ..evaluation import to_jsonable, write_atomic
from ..outputs import check_input_file, read_saved_header
from ..untrusted import one_line
from .model import build_mlp, count_parameters
from .sources.framing import Framing

Classifier = TypeVar("Classifier")

FORMAT = "learning-paradigms/digit-classifier"
VERSION = 1
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "weights.pt"
#: Bounds on what a saved model's files may claim (the default model: 1 MB of weights, 30 kB of config).
MAX_CONFIG_BYTES = 16 << 20
MAX_WEIGHTS_BYTES = 1 << 30
MAX_FEATURES = 1 << 22
#: Trained weights are small numbers (MNIST's: below 1); larger ones are damage, and overflow into NaN answers.
MAX_ABS_WEIGHT = 1e6


def save_classifier(classifier: Any, path: str | os.PathLike[str]) -> Path:
    """Write ``classifier`` (fitted) into the folder ``path``; returns the folder."""
    check_is_fitted(classifier, "model_")
    folder = Path(path).expanduser()
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder}: is a file; give a folder to save the model into")
    state = {name: tensor.detach().cpu().contiguous() for name, tensor in classifier.model_.state_dict().items()}
    buffer = io.BytesIO()
    torch.save(state, buffer)
    weights = buffer.getvalue()
    params = classifier.get_params()
    params["hidden_sizes"] = [int(w) for w in params["hidden_sizes"]]
    history = classifier.history_
    config = {
        "format": FORMAT,
        "version": VERSION,
        "params": params,
        "classes": classifier.classes_.tolist(),
        "n_features_in": int(classifier.n_features_in_),
        "image_shape": list(classifier.image_shape_) if classifier.image_shape_ else None,
        "framing": classifier.framing_.to_dict() if getattr(classifier, "framing_", None) else None,
        "pixel_mean": classifier.pixel_mean_,
        "pixel_std": classifier.pixel_std_,
        "weights_sha256": hashlib.sha256(weights).hexdigest(),
        "training": {
            "epochs_run": int(classifier.n_epochs_),
            "best_epoch": int(classifier.best_epoch_),
            "stopped_early": bool(classifier.stopped_early_),
            "n_parameters": int(classifier.n_parameters_),
            "fit_seconds": classifier.fit_seconds_,
            "final_val_accuracy": history["val_accuracy"].iloc[-1] if len(history) else None,
            "history": history.to_dict(orient="records"),
        },
    }
    write_atomic(folder / WEIGHTS_FILE, weights)
    write_atomic(folder / CONFIG_FILE, json.dumps(to_jsonable(config), indent=2, allow_nan=False))
    return folder


def _read_config(folder: Path) -> dict[str, Any]:
    path = folder / CONFIG_FILE
    if not path.exists() and not path.is_symlink():
        raise DataError(f"{path}: no such file; is {folder} a model folder written by DigitClassifier.save?")
    config = read_saved_header(path, file_format=FORMAT, version=VERSION, what="DigitClassifier",
                               max_bytes=MAX_CONFIG_BYTES)
    return config


def _finite(value: Any, name: str) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} is {value!r}, not a finite number")
    return number


def _described_network(config: dict[str, Any], weights_size: int) -> dict[str, Any]:
    """The network and standardization ``config`` describes, checked before anything is allocated.

    Every size is bounded by plain sense and the network's parameter count by
    the size of ``weights.pt`` (at least two bytes a weight), so a config that
    promises a huge hidden layer is refused before the layer is built. A
    standardization that cannot work (a spread of 0, NaN or infinity) is refused
    too: it would turn every answer into NaN.
    """
    params = dict(config["params"])
    params["hidden_sizes"] = tuple(int(w) for w in params["hidden_sizes"])
    classes = list(config["classes"])
    if not all(isinstance(c, (str, int, float)) and not isinstance(c, bool) for c in classes):
        raise ValueError("classes must be numbers or words")
    if len(classes) < 2 or len(set(classes)) != len(classes):
        raise ValueError(f"classes {classes!r:.80}: a classifier needs at least 2 different classes")
    n_features = int(config["n_features_in"])
    if not 1 <= n_features <= MAX_FEATURES:
        raise ValueError(f"n_features_in = {n_features} is outside 1..{MAX_FEATURES:,}")
    shape = config.get("image_shape")
    shape = tuple(int(side) for side in shape) if shape else None
    if shape is not None and (len(shape) != 2 or math.prod(shape) != n_features):
        raise ValueError(f"image_shape {list(shape)} does not hold n_features_in = {n_features} pixels")
    pixel_mean = _finite(config["pixel_mean"], "pixel_mean")
    pixel_std = _finite(config["pixel_std"], "pixel_std")
    if pixel_std <= 0:
        raise ValueError(f"pixel_std is {pixel_std:g}: the inputs cannot be standardized by a spread that is not positive")
    widths = [n_features, *params["hidden_sizes"], len(classes)]
    if min(widths) < 1:
        raise ValueError(f"layer sizes {widths} must all be at least 1")
    n_weights = sum((a + 1) * b for a, b in zip(widths, widths[1:], strict=False))
    if n_weights * 2 > weights_size:
        raise ValueError(
            f"it describes a network of {n_weights:,} weights (layers {widths}) but {WEIGHTS_FILE} holds "
            f"only {weights_size:,} bytes"
        )
    training = config.get("training") or {}
    if not isinstance(training, dict):
        raise ValueError("training must be an object")
    return {"params": params, "classes": classes, "n_features": n_features, "shape": shape,
            "pixel_mean": pixel_mean, "pixel_std": pixel_std, "training": training}


def _framing(config: dict[str, Any], shape: tuple[int, int] | None) -> Framing | None:
    """Where the training images put their ink (for reading new pictures), checked; None for feature rows.
    A model saved before framings were recorded gets MNIST's, scaled to its image size."""
    if shape is None:
        return None
    if not config.get("framing"):
        return Framing.mnist_like(shape)
    framing = Framing.from_dict(config["framing"])
    numbers = [framing.box, *framing.centre]
    if framing.size != shape or not all(math.isfinite(v) for v in numbers) or not 0 < framing.box <= max(shape):
        raise ValueError(f"framing {config['framing']!r:.80} does not fit the {shape} images")
    return framing


def load_classifier(
    make: Callable[..., Classifier], path: str | os.PathLike[str], *, device: str = "cpu"
) -> Classifier:
    """Read a folder written by :func:`save_classifier` into a fitted classifier.

    ``make(**params)`` builds the unfitted estimator from its saved parameters
    (``DigitClassifier`` passes itself); its learned attributes are then restored.
    Nothing is allocated before the sizes in ``config.json`` are checked against
    ``weights.pt``; every failure is a one-line error that names the file.
    """
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such model folder")
    config_path, weights_path = folder / CONFIG_FILE, folder / WEIGHTS_FILE
    config = _read_config(folder)
    check_input_file(weights_path, what="model weights file")
    weights_size = weights_path.stat().st_size
    if weights_size > MAX_WEIGHTS_BYTES:
        raise DataError(f"{weights_path}: {weights_size:,} bytes, more than the {MAX_WEIGHTS_BYTES:,} a digit model takes")
    try:
        described = _described_network(config, weights_size)
        framing = _framing(config, described["shape"])
        params = {**described["params"], "device": device}
        classifier: Any = make(**params)
        classifier.recipe()  # the saved recipe passes the settings' checks (a ConfigError otherwise)
        training = described["training"]
        history = pd.DataFrame(training.get("history") or [])
        counters = {name: int(training.get(key) or 0) for name, key in
                    (("best_epoch_", "best_epoch"), ("n_epochs_", "epochs_run"))}
        fit_seconds = _finite(training.get("fit_seconds") or 0.0, "fit_seconds")
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        reason = f"missing {exc}" if isinstance(exc, KeyError) else one_line(exc)
        raise DataError(f"{config_path}: incomplete or invalid ({reason})") from None
    try:
        weights = weights_path.read_bytes()
    except OSError as exc:
        raise DataError(f"{weights_path}: cannot be read ({exc.strerror or exc})") from None
    if hashlib.sha256(weights).hexdigest() != config.get("weights_sha256"):
        raise DataError(f"{weights_path}: its SHA-256 does not match {config_path}; the folder is damaged")
    model = build_mlp(
        described["n_features"], params["hidden_sizes"], len(described["classes"]),
        activation=params["activation"], dropout=float(params["dropout"]),
    )
    try:
        state = torch.load(io.BytesIO(weights), map_location="cpu", weights_only=True)
        model.load_state_dict(state)
    except Exception as exc:  # noqa: BLE001 - torch raises many kinds here, over many lines
        raise DataError(
            f"{weights_path}: cannot be loaded into the network described by {CONFIG_FILE} ({one_line(exc)})"
        ) from None
    if not all(bool(torch.isfinite(p).all()) for p in model.parameters()):
        raise DataError(f"{weights_path}: holds NaN or infinite weights; the model cannot answer with them")
    largest = max(float(p.detach().abs().max()) for p in model.parameters())
    if largest > MAX_ABS_WEIGHT:
        raise DataError(f"{weights_path}: holds a weight of {largest:.3g}; a trained network's weights are small "
                        f"numbers (at most {MAX_ABS_WEIGHT:g} here): the file is damaged")
    classifier.classes_ = np.asarray(described["classes"])
    classifier.n_features_in_ = described["n_features"]
    classifier.image_shape_ = described["shape"]
    classifier.framing_ = framing
    classifier.pixel_mean_ = described["pixel_mean"]
    classifier.pixel_std_ = described["pixel_std"]
    classifier.device_ = resolve_device(device)
    classifier.model_ = model.to(classifier.device_).eval()
    classifier.n_parameters_ = count_parameters(model)
    classifier.best_epoch_, classifier.n_epochs_ = counters["best_epoch_"], counters["n_epochs_"]
    classifier.stopped_early_ = bool(training.get("stopped_early", False))
    classifier.fit_seconds_ = fit_seconds
    classifier.history_ = history
    return classifier
