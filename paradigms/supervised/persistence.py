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
from .model import build_mlp, count_parameters

Classifier = TypeVar("Classifier")

FORMAT = "learning-paradigms/digit-classifier"
VERSION = 1
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "weights.pt"


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
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: no such file; is {folder} a model folder written by DigitClassifier.save?") from None
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: not readable JSON ({exc})") from None
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        raise DataError(f"{path}: not a saved DigitClassifier (format {config.get('format') if isinstance(config, dict) else None!r})")
    if config.get("version") != VERSION:
        raise DataError(f"{path}: format version {config.get('version')!r}; this toolkit reads version {VERSION}")
    return config


def load_classifier(
    make: Callable[..., Classifier], path: str | os.PathLike[str], *, device: str = "cpu"
) -> Classifier:
    """Read a folder written by :func:`save_classifier` into a fitted classifier.

    ``make(**params)`` builds the unfitted estimator from its saved parameters
    (``DigitClassifier`` passes itself); its learned attributes are then restored.
    """
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such model folder")
    config = _read_config(folder)
    weights_path = folder / WEIGHTS_FILE
    try:
        weights = weights_path.read_bytes()
    except OSError as exc:
        raise DataError(f"{weights_path}: cannot be read ({exc.strerror or exc})") from None
    if hashlib.sha256(weights).hexdigest() != config.get("weights_sha256"):
        raise DataError(f"{weights_path}: its SHA-256 does not match {folder / CONFIG_FILE}; the folder is damaged")
    try:
        params = dict(config["params"])
        params["hidden_sizes"] = tuple(int(w) for w in params["hidden_sizes"])
        params["device"] = device
        classifier: Any = make(**params)
        classifier.classes_ = np.asarray(config["classes"])
        classifier.n_features_in_ = int(config["n_features_in"])
        shape = config.get("image_shape")
        classifier.image_shape_ = tuple(shape) if shape else None
        classifier.pixel_mean_ = float(config["pixel_mean"])
        classifier.pixel_std_ = float(config["pixel_std"])
        training = config.get("training", {})
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{folder / CONFIG_FILE}: incomplete or invalid ({exc})") from None
    classifier.device_ = resolve_device(device)
    model = build_mlp(
        classifier.n_features_in_, params["hidden_sizes"], len(classifier.classes_),
        activation=params["activation"], dropout=float(params["dropout"]),
    )
    try:
        state = torch.load(io.BytesIO(weights), map_location="cpu", weights_only=True)
        model.load_state_dict(state)
    except Exception as exc:  # noqa: BLE001 - torch raises many kinds here
        raise DataError(f"{weights_path}: cannot be loaded into the network described by config.json ({exc})") from None
    classifier.model_ = model.to(classifier.device_).eval()
    classifier.n_parameters_ = count_parameters(model)
    classifier.best_epoch_ = int(training.get("best_epoch", 0))
    classifier.n_epochs_ = int(training.get("epochs_run", 0))
    classifier.stopped_early_ = bool(training.get("stopped_early", False))
    classifier.fit_seconds_ = float(training.get("fit_seconds") or 0.0)
    classifier.history_ = pd.DataFrame(training.get("history") or [])
    return classifier
