"""How a supervised model is scored on its test set: classification and regression alike.

* :func:`classification_metrics`: accuracy, the confusion matrix (rows: the true
  class, columns: the predicted one), per-class precision, recall and F1;
* :func:`confident_mistakes`: the wrong answers the model was surest of, with
  their pixels, for the report to draw;
* :func:`regression_metrics`: R² (the share of the target's variance the
  predictions explain: 1 is perfect, 0 is what always answering the training
  mean scores, below 0 worse than that), the mean absolute error beside it, and
  the same two for that always-the-mean baseline.

>>> m = regression_metrics(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]), train_mean=2.0)
>>> round(m["r2"], 3), round(m["mae"], 3), round(m["baseline_mae"], 3)
(0.5, 0.333, 0.667)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> dict[str, Any]:
    """Accuracy, the confusion matrix (rows: true class, columns: predicted) and
    per-class precision, recall and F1, with their macro averages.

    >>> m = classification_metrics(np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1]), 2)
    >>> m["accuracy"], m["confusion_matrix"], m["per_class"]["recall"]
    (0.75, [[1, 1], [0, 2]], [0.5, 1.0])
    """
    confusion = np.bincount(y_true * n_classes + y_pred, minlength=n_classes * n_classes).reshape(n_classes, n_classes)
    correct = np.diag(confusion).astype(float)
    predicted, actual = confusion.sum(axis=0), confusion.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, correct / predicted, 0.0)
        recall = np.where(actual > 0, correct / actual, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    return {
        "accuracy": float(correct.sum() / max(len(y_true), 1)),
        "confusion_matrix": confusion.tolist(),
        "per_class": {
            "class": list(range(n_classes)),
            "precision": precision.tolist(),
            "recall": recall.tolist(),
            "f1": f1.tolist(),
            "support": actual.tolist(),
        },
        "macro_precision": float(precision.mean()),
        "macro_recall": float(recall.mean()),
        "macro_f1": float(f1.mean()),
    }


def confident_mistakes(images: np.ndarray, y_true: np.ndarray, proba: np.ndarray, count: int) -> list[dict[str, Any]]:
    """The ``count`` wrong answers the model was surest of, with their pixels (uint8 lists).
    ``true`` and ``predicted`` are class indices (names in the metrics' ``class_names``)."""
    predicted = proba.argmax(axis=1)
    wrong = np.flatnonzero(predicted != y_true)
    confidence = proba[wrong, predicted[wrong]]
    chosen = wrong[np.argsort(-confidence, kind="stable")[:count]]
    return [
        {
            "index": int(i),
            "true": int(y_true[i]),
            "predicted": int(predicted[i]),
            "confidence": float(proba[i, predicted[i]]),
            "pixels": images[i].astype(np.uint8).tolist(),
        }
        for i in chosen
    ]


def r2_score(y_true: np.ndarray, y_pred: np.ndarray, reference: float | None = None) -> float:
    """1 - (squared error of the predictions) / (squared error of always answering ``reference``,
    by default the mean of ``y_true``)."""
    reference = float(np.mean(y_true)) if reference is None else reference
    spread = float(np.sum((y_true - reference) ** 2))
    return 1.0 - float(np.sum((y_true - y_pred) ** 2)) / spread if spread > 0 else 0.0


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray, *, train_mean: float) -> dict[str, float]:
    """R², mean absolute error and root mean squared error of ``y_pred``, and of the baseline that
    always answers ``train_mean`` (the training targets' mean: R² about 0)."""
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    baseline = np.full_like(y_true, train_mean)
    return {
        "r2": r2_score(y_true, y_pred),
        "mae": float(np.mean(np.abs(y_true - y_pred))),
        "rmse": float(np.sqrt(np.mean((y_true - y_pred) ** 2))),
        "baseline_r2": r2_score(y_true, baseline),
        "baseline_mae": float(np.mean(np.abs(y_true - baseline))),
    }


def learning_curve(history: pd.DataFrame, performance: str) -> pd.DataFrame:
    """The Evaluation's curve from a fitted model's ``history_``: E (epochs), P (the ``performance``
    column: validation accuracy or R²), and the losses, learning rate and seconds beside them."""
    return pd.DataFrame(
        {
            "experience": history["epoch"],
            "performance": history[performance],
            "examples_seen": history["examples_seen"],
            "train_loss": history["train_loss"],
            "val_loss": history["val_loss"],
            "learning_rate": history["learning_rate"],
            "epoch_seconds": history["epoch_seconds"],
            "seconds": history["seconds"],
        }
    )
