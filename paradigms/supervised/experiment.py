"""One supervised run, from files to an :class:`~paradigms.evaluation.Evaluation`.

1. Load the digits (MNIST, or the 8x8 fallback; see :mod:`.data`).
2. Carve the validation slice from the training images with the seed; optionally
   keep a seeded subset of the rest (``train_size``).
3. Fit a :class:`~.estimator.DigitClassifier` (learning curve per epoch, early stopping).
4. Score it once on the test images: accuracy, per-class precision / recall / F1,
   the confusion matrix, the majority-class baseline, and the most confident
   mistakes (with their pixels, so the report can draw them).
"""

from __future__ import annotations

import dataclasses
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..evaluation import DatasetInfo, Evaluation, Measure, collect_manifest
from ..progress import Progress
from ..seeding import numpy_rng
from .data import DigitData, load_digit_data
from .paradigm import TASK, SupervisedSettings

CURVE_LABEL = "validation accuracy"


def split_training(
    data: DigitData, validation_size: int, seed: int, train_size: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    """(train images, train labels, validation images, validation labels, note).

    The validation slice is drawn at random with ``seed`` from the official training
    set. A slice larger than a fifth of the training images (as on the small 8x8
    fallback set) is shrunk to a fifth, with a warning, so that training keeps most.
    """
    n = len(data.train_labels)
    note = ""
    if validation_size > n // 5:
        note = f"validation slice shrunk from {validation_size} to {n // 5} images (a fifth of the training set)"
        if not data.info.fallback:  # the fallback has warned already; its small size is expected
            warnings.warn(
                f"validation_size = {validation_size} would take too much of the {n} training images: {note}",
                UserWarning, stacklevel=2,
            )
        validation_size = n // 5
    order = numpy_rng(seed).permutation(n)
    held, keep = order[:validation_size], order[validation_size:]
    if train_size is not None and train_size < len(keep):
        keep = keep[:train_size]
    keep, held = np.sort(keep), np.sort(held)
    return data.train_images[keep], data.train_labels[keep], data.train_images[held], data.train_labels[held], note


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> dict[str, Any]:
    """Accuracy, the confusion matrix (rows: true digit, columns: predicted) and
    per-class precision, recall and F1, with their macro averages."""
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


def make_classifier(settings: SupervisedSettings, seed: int):
    from .estimator import DigitClassifier

    return DigitClassifier(
        hidden_sizes=settings.hidden_sizes,
        activation=settings.activation,
        dropout=settings.dropout,
        optimizer=settings.optimizer,
        learning_rate=settings.learning_rate,
        schedule=settings.schedule,
        batch_size=settings.batch_size,
        epochs=settings.epochs,
        weight_decay=settings.weight_decay,
        label_smoothing=settings.label_smoothing,
        augment_shift=settings.augment_shift,
        patience=settings.patience,
        device=settings.device,
        threads=settings.threads,
        random_state=seed,
    )


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


def run_experiment(settings: SupervisedSettings, seed: int, progress: Progress) -> Evaluation:
    """The paradigm's ``run``: see the module docstring."""
    from .model import resolve_device

    device = resolve_device(settings.device)  # a bad --device fails before any work
    start = time.perf_counter()
    data = load_digit_data(settings.data_dir, download=settings.download, progress=progress)
    x_train, y_train, x_val, y_val, split_note = split_training(data, settings.validation_size, seed, settings.train_size)
    data_seconds = time.perf_counter() - start
    settings, fallback_note = adapt_to_small_images(settings, data, len(y_train))

    classifier = make_classifier(settings, seed)
    classifier.fit(x_train, y_train, validation_data=(x_val, y_val), progress=progress)

    start = time.perf_counter()
    proba = classifier.predict_proba(data.test_images)  # the one look at the test set
    evaluate_seconds = time.perf_counter() - start
    n_classes = 10
    y_test = data.test_labels.astype(np.int64)
    full_proba = np.zeros((len(y_test), n_classes), dtype=np.float64)
    full_proba[:, classifier.classes_.astype(np.int64)] = proba
    predicted = full_proba.argmax(axis=1)
    scores = classification_metrics(y_test, predicted, n_classes)
    test_loss = float(-np.log(np.clip(full_proba[np.arange(len(y_test)), y_test], 1e-12, None)).mean())
    majority = int(np.bincount(y_train, minlength=n_classes).argmax())

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
        "chance_accuracy": 1.0 / n_classes,
        "majority_class": majority,
        "majority_baseline_accuracy": float(np.mean(y_test == majority)),
        "best_epoch": classifier.best_epoch_,
        "epochs_run": classifier.n_epochs_,
        "stopped_early": classifier.stopped_early_,
        "best_validation_accuracy": float(history["val_accuracy"].max()),
        "n_parameters": classifier.n_parameters_,
        "layer_sizes": [classifier.n_features_in_, *settings.hidden_sizes, n_classes],
        "image_shape": list(data.image_shape),
        "examples_per_second": float(history["examples_seen"].iloc[-1] / max(history["seconds"].iloc[-1], 1e-9)),
        **{k: v for k, v in scores.items() if k != "accuracy"},
        "misclassified_count": int((predicted != y_test).sum()),
        "misclassified": confident_mistakes(data.test_images, y_test, full_proba, settings.misclassified),
    }
    import torch

    return Evaluation(
        paradigm="supervised",
        task=TASK,
        experience="epochs",
        measure=Measure(
            name="test accuracy", value=scores["accuracy"], baseline=1.0 / n_classes, best=1.0,
            curve_label=CURVE_LABEL,
        ),
        curve=curve,
        dataset=dataset,
        seed=seed,
        metrics=metrics,
        config=settings.to_dict(),
        timings={
            "data_load_seconds": data_seconds,
            "fit_seconds": classifier.fit_seconds_,
            "evaluate_seconds": evaluate_seconds,
        },
        manifest=collect_manifest(device=str(device), torch_threads=settings.threads or torch.get_num_threads()),
    )
