"""The one look at the test set, and the :class:`~paradigms.evaluation.Evaluation` of a supervised run.

Every source ends the same way, images (:mod:`.paradigm`) and tables
(:mod:`.sources.tables`) alike:

* :func:`score_classifier`: a fitted classifier scored once on the test
  examples: accuracy, the test loss (the cross-entropy of the true class), the
  chance and majority-class baselines, per-class precision / recall / F1 and the
  confusion matrix (:func:`~.metrics.classification_metrics`);
* :func:`training_metrics`: how its training went: the best and last epochs,
  whether it stopped early, the gradient steps of one epoch;
* :func:`supervised_evaluation`: the Evaluation itself: E (epochs), the learning
  curve of the validation score, the settings, the timings and the manifest.

Importing this module loads no PyTorch (the paradigm registers without it).

>>> training_metrics(type("Fitted", (), {"best_epoch_": 3, "n_epochs_": 4, "stopped_early_": False})(),
...                  n_train=1000, batch_size=128)
{'best_epoch': 3, 'epochs_run': 4, 'updates_per_epoch': 8, 'stopped_early': False}
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd

from ..evaluation import DatasetInfo, Evaluation, Measure, collect_manifest
from ..same_task import same_task_curve
from .metrics import classification_metrics, learning_curve
from .settings import CURVE_LABEL, EXPERIENCE, NAME, SupervisedSettings

#: The smallest probability the test loss takes the log of: one confident wrong answer
#: costs log(1e12), about 28, instead of making the mean loss infinite.
PROBABILITY_FLOOR = 1e-12


class TrainedNetwork(Protocol):
    """What a fitted supervised network says of its training:
    :class:`~.estimator.DigitClassifier` and the table regressor alike."""

    history_: pd.DataFrame
    best_epoch_: int
    n_epochs_: int
    stopped_early_: bool
    fit_seconds_: float
    device_: Any
    n_threads_: int


class Classifier(TrainedNetwork, Protocol):
    """A fitted classifier: its classes, and probabilities for them."""

    classes_: np.ndarray

    def predict_proba(self, X: Any) -> np.ndarray: ...


@dataclass(frozen=True)
class ClassifierScores:
    """A classifier's scores on the test set: ``proba`` has a column for every class (in the
    order of ``class_names``), ``predicted`` is the class index with the highest;
    ``metrics`` the headline numbers, ``per_class`` the confusion matrix and per-class scores."""

    proba: np.ndarray
    predicted: np.ndarray
    metrics: dict[str, Any]
    per_class: dict[str, Any]
    seconds: float

    def measure(self, baseline: Literal["chance", "majority"]) -> Measure:
        """P: the test accuracy, against ``baseline``, the trivial program it must beat."""
        floor = self.metrics["chance_accuracy" if baseline == "chance" else "majority_baseline_accuracy"]
        return Measure(name="test accuracy", value=self.metrics["test_accuracy"], baseline=floor, best=1.0,
                       curve_label=CURVE_LABEL)


def score_classifier(
    classifier: Classifier,
    x_test: Any,
    y_test: np.ndarray,
    *,
    y_train: np.ndarray,
    n_classes: int,
    answers: Sequence[Any] | None = None,
    class_names: Sequence[str] | None = None,
) -> ClassifierScores:
    """Score ``classifier`` once on the test examples ``x_test`` (class indices ``y_test``).

    ``answers`` is what the classifier was taught for each class index (the digits as
    numbers, or class names; by default the indices themselves); a class it never saw
    in training gets probability 0. ``y_train`` (class indices) names the majority
    class, whose share of the test set is the score of always answering it; it is reported
    by its name in ``class_names`` (the index as text without them), as every run names it.
    """
    start = time.perf_counter()
    proba = classifier.predict_proba(x_test)  # the one look at the test set
    seconds = time.perf_counter() - start
    y_test = np.asarray(y_test).astype(np.int64)
    position = {str(answer): i for i, answer in enumerate(range(n_classes) if answers is None else answers)}
    full = np.zeros((len(y_test), n_classes), dtype=np.float64)
    full[:, [position[str(c)] for c in classifier.classes_]] = proba
    predicted = full.argmax(axis=1)
    scores = classification_metrics(y_test, predicted, n_classes)
    majority = int(np.bincount(y_train, minlength=n_classes).argmax())
    metrics = {
        "test_accuracy": scores.pop("accuracy"),
        "test_loss": float(-np.log(np.clip(full[np.arange(len(y_test)), y_test], PROBABILITY_FLOOR, None)).mean()),
        "chance_accuracy": 1.0 / n_classes,
        "majority_class": str(class_names[majority] if class_names is not None else majority),
        "majority_baseline_accuracy": float(np.mean(y_test == majority)),
    }
    return ClassifierScores(full, predicted, metrics, scores, seconds)


def watched_figure(classifier: Any, settings: SupervisedSettings) -> dict[str, Any]:
    """With ``--test-curve``, the test accuracy watched as training went (the same-task figure)."""
    if not settings.test_curve:
        return {}
    return same_task_curve(classifier.watch_curve_["examples_seen"], classifier.watch_curve_["accuracy"])


def training_metrics(model: TrainedNetwork, *, n_train: int, batch_size: int) -> dict[str, Any]:
    """The best epoch (the weights kept), the epochs run, the gradient steps of one epoch
    (one per batch) and whether early stopping ended the training."""
    return {
        "best_epoch": model.best_epoch_,
        "epochs_run": model.n_epochs_,
        "updates_per_epoch": -(-n_train // batch_size),
        "stopped_early": model.stopped_early_,
    }


def supervised_evaluation(
    model: TrainedNetwork,
    settings: SupervisedSettings,
    seed: int,
    *,
    task: str,
    measure: Measure,
    performance: str,
    metrics: dict[str, Any],
    dataset: DatasetInfo,
    figure_data: dict[str, Any],
    data_seconds: float,
    timings: dict[str, float],
    experience: str = EXPERIENCE,
) -> Evaluation:
    """The Evaluation of a supervised run: E is ``experience`` (epochs over the training images,
    or rows: a constant of :mod:`.settings`), the curve is the ``performance`` column
    of the model's history (validation accuracy or R²); the timings are reading the data
    (``data_seconds``), the fit's own, then ``timings`` (scoring, any other model)."""
    return Evaluation(
        paradigm=NAME,
        task=task,
        experience=experience,
        measure=measure,
        curve=learning_curve(model.history_, performance),
        dataset=dataset,
        seed=seed,
        metrics=metrics,
        figure_data=figure_data,
        config=settings.to_dict(),
        timings={"data_load_seconds": data_seconds, "fit_seconds": model.fit_seconds_, **timings},
        manifest=collect_manifest(device=str(model.device_), torch_threads=model.n_threads_),
    )
