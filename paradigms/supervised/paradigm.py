"""One supervised run, from files to an :class:`~paradigms.evaluation.Evaluation`, and its registration.

What is learned follows ``--data``:

* nothing: MNIST (or another IDX set in ``--data-dir``: Fashion-MNIST, KMNIST),
  else scikit-learn's 8x8 digits (see :mod:`.sources.mnist`);
* a folder: labelled images, one sub-folder per class (:mod:`.sources.folders`);
* a table file with ``--target``: classification or regression of a column
  (:mod:`.sources.tables`, which follows the same steps with a table's encoding).

For images:

1. Load them and carve the validation slice from the training images with the
   seed; optionally keep a seeded subset of the rest (``train_size``).
2. Fit a :class:`~.estimator.DigitClassifier` (learning curve per epoch, early stopping).
3. Score it once on the test images (:mod:`.scoring`, as a table's run is scored):
   accuracy, per-class precision / recall / F1, the confusion matrix (class names in
   ``metrics["class_names"]``), the majority-class baseline; and keep the most confident mistakes with their
   pixels (``figure_data["misclassified"]``) for the report.

With ``output_dir`` set (the CLI's ``--out``), an image run keeps its trained classifier in
``output_dir/supervised-classifier`` (:data:`CLASSIFIER_DIR`), as the other paradigms keep their
models under ``output_dir``; ``paradigms.run`` stages it and moves it into place only when the run
succeeds. ``save_model`` (``--save-model DIR``) still writes it into ``DIR`` itself, with a
FutureWarning: Python shows that kind to a script's user by default, where it hides a
DeprecationWarning raised inside a library.

Importing this module registers the paradigm and loads no PyTorch, so that
``paradigms list`` stays fast; the estimator is imported when a run starts.

>>> own_data_kind(SupervisedSettings()) is None      # no --data: MNIST
True
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ..datasets.digits import DigitData, load_digit_data
from ..datasets.idx_sets import DIGIT_NAMES
from ..datasets.table_files import looks_like_table
from ..devices import resolve_device
from ..errors import ConfigError
from ..evaluation import DatasetInfo, Evaluation
from ..outputs import check_output_dir
from ..progress import Progress
from ..registry import ParadigmSpec, register
from .metrics import classification_metrics, confident_mistakes
from .recipes import adapt_to_data
from .scoring import score_classifier, supervised_evaluation, training_metrics, watched_figure
from .settings import (
    DESCRIPTION,
    EXPERIENCE,
    FEEDBACK,
    MEASURE,
    NAME,
    TASK,
    SupervisedSettings,
)
from .sources.folders import load_image_folder
from .sources.mnist import split_training
from .sources.tables import run_table
from .validation import validation_split

__all__ = ["CLASSIFIER_DIR", "SPEC", "classification_metrics", "confident_mistakes", "own_data_kind", "run"]

#: The trained classifier's folder under ``output_dir`` (``--out``), as the agent's is ``reinforcement-agent/``
#: and the segmenter's ``unsupervised-segmenter/``; ``paradigms classify`` and ``DigitClassifier.load`` read it.
CLASSIFIER_DIR = "supervised-classifier"
SAVE_MODEL_DEPRECATED = ("save_model (--save-model DIR) is deprecated: give output_dir (--out DIR) and the "
                         f"classifier is saved in DIR/{CLASSIFIER_DIR}")


def own_data_kind(settings: SupervisedSettings) -> str | None:
    """``"folder"``, ``"table"`` or None (MNIST) for ``--data``; a ConfigError, before any work,
    when the path and ``--target`` do not go together."""
    if settings.data is None:
        return None
    path = Path(settings.data).expanduser()
    if not path.exists():
        raise ConfigError(f"--data {path}: no such file or folder")
    if path.is_dir():
        if settings.target is not None:
            raise ConfigError(f"--data {path}: is a folder of images; --target {settings.target!r} is for a table file")
        return "folder"
    if settings.target is None:
        if looks_like_table(path):
            raise ConfigError(f"--data {path}: is a table; name the column to predict with --target COLUMN")
        raise ConfigError(f"--data {path}: is a file, not a folder of labelled images (a table needs --target)")
    return "table"


def load_images(settings: SupervisedSettings, seed: int, progress: Progress) -> DigitData:
    """The images a run learns from: a folder of labelled images, else MNIST-format IDX files."""
    if settings.data is not None:
        data = load_image_folder(settings.data, image_size=settings.image_size, test_size=settings.test_size,
                                 seed=seed, progress=progress)
        progress.note(data.quality.summary())
        if data.quality.files_skipped:
            warnings.warn(f"{data.quality.files_skipped:,} files in {settings.data} are not usable images and were "
                          f"skipped: {'; '.join(data.quality.skipped_reasons())}", UserWarning, stacklevel=2)
        return data
    return load_digit_data(settings.data_dir, download=settings.download, progress=progress,
                           class_names=settings.class_names)


def class_labels(names: tuple[str, ...], indices: np.ndarray) -> np.ndarray:
    """What the classifier learns to answer: the digits as numbers, any other classes by name."""
    if names == DIGIT_NAMES[: len(names)]:
        return indices
    return np.asarray(names, dtype=object)[indices].astype(str)


def task_in_words(data: DigitData) -> str:
    """T for this data: MNIST's own words, or what the images show and their classes."""
    names = data.class_names
    if data.subject == "handwritten digits" and names == DIGIT_NAMES and data.image_shape == (28, 28):
        return TASK
    shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
    height, width = data.image_shape
    return f"classify {height}x{width} {data.subject} ({data.info.name}) as one of {len(names)} classes: {shown}"


def run(settings: SupervisedSettings, seed: int, progress: Progress) -> Evaluation:
    """Load the data, train the MLP, score it once on the test set (see the module docstring)."""
    # Start-up time: PyTorch and scikit-learn load when a run starts, not when the paradigm registers.
    from .estimator import DigitClassifier

    resolve_device(settings.device)  # a bad --device fails before any work
    kind = own_data_kind(settings)  # and so does a --data that is not what --target says
    if settings.save_model is not None:  # and so does a --save-model that cannot be written
        warnings.warn(SAVE_MODEL_DEPRECATED, FutureWarning, stacklevel=2)
        if kind == "table":
            raise ConfigError("--save-model keeps image models only: a table model would need its column "
                              "encoding saved too, which is not done yet")
        check_output_dir(settings.save_model, option="--save-model")
    if kind == "table":
        return run_table(settings, seed, progress)
    start = time.perf_counter()
    data = load_images(settings, seed, progress)
    names, n_classes = data.class_names, len(data.class_names)
    if kind == "folder":
        keep, held, split_note = validation_split(data.train_labels, len(data.train_labels), settings.validation_size,
                                                  seed, source="folder", train_size=settings.train_size)
        x_train, y_train = data.train_images[keep], data.train_labels[keep]
        x_val, y_val = data.train_images[held], data.train_labels[held]
        settings, recipe_note = adapt_to_data(settings, n_train=len(y_train), side=data.image_shape[0])
    else:
        x_train, y_train, x_val, y_val, split_note = split_training(
            data, settings.validation_size, seed, settings.train_size
        )
        recipe_note = ""
        if data.info.fallback:  # the 8x8 stand-in; the real MNIST keeps the recipe tuned for it
            settings, recipe_note = adapt_to_data(settings, n_train=len(y_train), side=data.image_shape[0],
                                                  keep_length=True)
    data_seconds = time.perf_counter() - start

    classifier = DigitClassifier.from_settings(settings, random_state=seed, file_preparation=data.preparation)
    watched = (data.test_images, class_labels(names, data.test_labels)) if settings.test_curve else None
    classifier.fit(x_train, class_labels(names, y_train), validation_data=(x_val, class_labels(names, y_val)),
                   progress=progress, watch_data=watched)

    y_test = data.test_labels.astype(np.int64)
    scores = score_classifier(classifier, data.test_images, y_test, y_train=y_train, n_classes=n_classes,
                              answers=names, class_names=names)

    if settings.save_model is not None:
        classifier.save(settings.save_model)
    files = [] if settings.output_dir is None else [str(classifier.save(Path(settings.output_dir) / CLASSIFIER_DIR))]

    history = classifier.history_
    info = data.info
    dataset = DatasetInfo(
        name=info.name,
        source=info.source,
        sizes={**info.sizes, "train_used": len(y_train), "validation": len(y_val)},
        checksums=info.checksums,
        fallback=info.fallback,
        notes="; ".join(n for n in (info.notes, split_note, recipe_note) if n),
    )
    metrics = {
        **scores.metrics,
        **training_metrics(classifier, n_train=len(y_train), batch_size=settings.batch_size),
        "best_validation_accuracy": float(history["val_accuracy"].max()),
        "n_parameters": classifier.n_parameters_,
        "layer_sizes": [classifier.n_features_in_, *settings.hidden_sizes, n_classes],
        "image_shape": list(data.image_shape),
        "class_names": list(names),
        "examples_per_second": float(history["examples_seen"].iloc[-1] / max(history["seconds"].iloc[-1], 1e-9)),
        **scores.per_class,
        "misclassified_count": int((scores.predicted != y_test).sum()),
        **({"files": files} if files else {}),
    }
    if data.quality is not None:
        metrics["data_quality"] = data.quality.to_dict()
    return supervised_evaluation(
        classifier, settings, seed,
        task=task_in_words(data),
        # MNIST's ten classes are balanced, so P's floor is chance, 1/10, as the lesson says
        measure=scores.measure(baseline="chance"),
        performance="val_accuracy",
        metrics=metrics,
        dataset=dataset,
        figure_data={
            "misclassified": confident_mistakes(data.test_images, y_test, scores.proba, settings.misclassified),
            **watched_figure(classifier, settings),
        },
        data_seconds=data_seconds,
        timings={"evaluate_seconds": scores.seconds},
    )


def figures(evaluation: Evaluation) -> dict[str, Any]:
    """The report's figures: learning curves, confusion matrix, misclassified digits."""
    # Start-up time: matplotlib loads only when a figure is drawn.
    from .plots import figures as draw

    return draw(evaluation)


SPEC = register(
    ParadigmSpec(
        name=NAME,
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
