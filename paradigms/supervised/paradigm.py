"""One supervised run, from files to an :class:`~paradigms.evaluation.Evaluation`, and its registration.

1. Load the digits (MNIST, or the 8x8 fallback; see :mod:`.data`).
2. Carve the validation slice from the training images with the seed; optionally
   keep a seeded subset of the rest (``train_size``).
3. Fit a :class:`~.estimator.DigitClassifier` (learning curve per epoch, early stopping).
4. Score it once on the test images: accuracy, per-class precision / recall / F1,
   the confusion matrix, the majority-class baseline; and keep the most confident
   mistakes with their pixels (``figure_data["misclassified"]``) for the report.

Importing this module registers the paradigm and loads no PyTorch, so that
``paradigms list`` stays fast; the estimator is imported when a run starts.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import numpy as np
import pandas as pd

from ..devices import resolve_device
from ..evaluation import DatasetInfo, Evaluation, Measure, collect_manifest
from ..outputs import check_output_dir
from ..progress import Progress
from ..registry import ParadigmSpec, register
from .data import DigitData, load_digit_data, split_training
from .settings import (
    CURVE_LABEL,
    DESCRIPTION,
    EXPERIENCE,
    FEEDBACK,
    MEASURE,
    TASK,
    SupervisedSettings,
)

#: Digits 0-9, whatever labels the training subset happened to contain.
N_CLASSES = 10


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> dict[str, Any]:
    """Accuracy, the confusion matrix (rows: true digit, columns: predicted) and
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
    """The ``count`` wrong answers the model was surest of, with their pixels (uint8 lists)."""
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


def adapt_to_small_images(
    settings: SupervisedSettings, data: DigitData, n_train: int
) -> tuple[SupervisedSettings, str]:
    """On the small 8x8 fallback set, keep the recipe meaningful: scale the random
    shift to the image size (1 MNIST pixel is 0.3 of an 8x8 pixel: no shift) and cap
    the batch size so that an epoch still has 20 gradient steps. Real MNIST is untouched."""
    if not data.info.fallback:
        return settings, ""
    shift = int(settings.augment_shift * data.image_shape[0] / 28)
    batch = max(1, min(settings.batch_size, n_train // 20))
    if (shift, batch) == (settings.augment_shift, settings.batch_size):
        return settings, ""
    note = (
        f"adapted to the small {data.image_shape[0]}x{data.image_shape[1]} images: batch size "
        f"{settings.batch_size} -> {batch}, augment shift {settings.augment_shift} -> {shift}"
    )
    return dataclasses.replace(settings, batch_size=batch, augment_shift=shift), note


def run(settings: SupervisedSettings, seed: int, progress: Progress) -> Evaluation:
    """Load the digits, train the MLP, score it once on the test set (see the module docstring)."""
    # Start-up time: PyTorch and scikit-learn load when a run starts, not when the paradigm registers.
    from .estimator import DigitClassifier

    resolve_device(settings.device)  # a bad --device fails before any work
    if settings.save_model is not None:  # and so does a --save-model that cannot be written
        check_output_dir(settings.save_model, option="--save-model")
    start = time.perf_counter()
    data = load_digit_data(settings.data_dir, download=settings.download, progress=progress)
    x_train, y_train, x_val, y_val, split_note = split_training(data, settings.validation_size, seed, settings.train_size)
    data_seconds = time.perf_counter() - start
    settings, fallback_note = adapt_to_small_images(settings, data, len(y_train))

    classifier = DigitClassifier.from_settings(settings, random_state=seed)
    classifier.fit(x_train, y_train, validation_data=(x_val, y_val), progress=progress)

    start = time.perf_counter()
    proba = classifier.predict_proba(data.test_images)  # the one look at the test set
    evaluate_seconds = time.perf_counter() - start
    y_test = data.test_labels.astype(np.int64)
    full_proba = np.zeros((len(y_test), N_CLASSES), dtype=np.float64)
    full_proba[:, classifier.classes_.astype(np.int64)] = proba
    predicted = full_proba.argmax(axis=1)
    scores = classification_metrics(y_test, predicted, N_CLASSES)
    test_loss = float(-np.log(np.clip(full_proba[np.arange(len(y_test)), y_test], 1e-12, None)).mean())
    majority = int(np.bincount(y_train, minlength=N_CLASSES).argmax())

    if settings.save_model is not None:
        classifier.save(settings.save_model)

    history = classifier.history_
    curve = pd.DataFrame(
        {
            "experience": history["epoch"],
            "performance": history["val_accuracy"],
            "examples_seen": history["examples_seen"],
            "train_loss": history["train_loss"],
            "val_loss": history["val_loss"],
            "learning_rate": history["learning_rate"],
            "epoch_seconds": history["epoch_seconds"],
            "seconds": history["seconds"],
        }
    )
    info = data.info
    dataset = DatasetInfo(
        name=info.name,
        source=info.source,
        sizes={**info.sizes, "train_used": len(y_train), "validation": len(y_val)},
        checksums=info.checksums,
        fallback=info.fallback,
        notes="; ".join(n for n in (info.notes, split_note, fallback_note) if n),
    )
    metrics = {
        "test_accuracy": scores["accuracy"],
        "test_loss": test_loss,
        "chance_accuracy": 1.0 / N_CLASSES,
        "majority_class": majority,
        "majority_baseline_accuracy": float(np.mean(y_test == majority)),
        "best_epoch": classifier.best_epoch_,
        "epochs_run": classifier.n_epochs_,
        "updates_per_epoch": -(-len(y_train) // settings.batch_size),  # gradient steps: one per batch
        "stopped_early": classifier.stopped_early_,
        "best_validation_accuracy": float(history["val_accuracy"].max()),
        "n_parameters": classifier.n_parameters_,
        "layer_sizes": [classifier.n_features_in_, *settings.hidden_sizes, N_CLASSES],
        "image_shape": list(data.image_shape),
        "examples_per_second": float(history["examples_seen"].iloc[-1] / max(history["seconds"].iloc[-1], 1e-9)),
        **{k: v for k, v in scores.items() if k != "accuracy"},
        "misclassified_count": int((predicted != y_test).sum()),
    }
    return Evaluation(
        paradigm="supervised",
        task=TASK,
        experience="epochs",
        measure=Measure(
            name="test accuracy", value=scores["accuracy"], baseline=1.0 / N_CLASSES, best=1.0,
            curve_label=CURVE_LABEL,
        ),
        curve=curve,
        dataset=dataset,
        seed=seed,
        metrics=metrics,
        figure_data={"misclassified": confident_mistakes(data.test_images, y_test, full_proba, settings.misclassified)},
        config=settings.to_dict(),
        timings={
            "data_load_seconds": data_seconds,
            "fit_seconds": classifier.fit_seconds_,
            "evaluate_seconds": evaluate_seconds,
        },
        manifest=collect_manifest(device=str(classifier.device_), torch_threads=classifier.n_threads_),
    )


def figures(evaluation: Evaluation) -> dict[str, Any]:
    """The report's figures: learning curves, confusion matrix, misclassified digits."""
    # Start-up time: matplotlib loads only when a figure is drawn.
    from .plots import figures as draw

    return draw(evaluation)


SPEC = register(
    ParadigmSpec(
        name="supervised",
        task=TASK,
        measure=MEASURE,
        experience=EXPERIENCE,
        feedback=FEEDBACK,
        settings=SupervisedSettings,
        run=run,
        description=DESCRIPTION,
        figures=figures,
        selection_metric="curve",  # a sweep chooses on validation accuracy, never on the test set
    ),
    replace=True,
)
