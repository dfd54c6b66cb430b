"""One supervised run on a labelled table: classification or regression of its ``--target`` column.

The lesson's pair on real data. When the target holds classes the task is
**classification**: P is the accuracy on the test set, and the trivial program
always answers the majority class of the training rows. When it holds a number
the task is **regression**: P is R² on the test set, the share of the target's
variance the predictions explain (1 = perfect; 0 = no better than always
answering the training rows' mean, the trivial program; below 0 = worse), with
the mean absolute error beside it in the target's own unit.

1. Read the table (:mod:`paradigms.datasets.tables`), choose the task and the features
   (:mod:`paradigms.datasets.table_features`).
2. Hold out the test set (``test_size``, stratified by class, seeded), then a
   validation slice of the rest for the learning curve and early stopping.
3. Fit the encoder (imputation, standardisation, one-hot) on the training rows only.
4. Train the same MLP as for images (:mod:`..model`, :mod:`..training`), its recipe
   adapted to the table's size where left at its defaults (:mod:`..recipes`).
5. Score it once on the test rows (a classifier as an image run's is: :mod:`..scoring`),
   beside a linear model (logistic or ridge regression) fitted on the same rows: does
   the network earn its extra cost?
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import numpy as np
import pandas as pd

from ...datasets.splits import split_indices
from ...datasets.table_features import TableSpec, make_encoder, prepare_table
from ...datasets.tables import Table, read_table
from ...devices import resolve_device
from ...errors import ConfigError
from ...evaluation import DatasetInfo, Evaluation, Measure
from ...files import sha256_of
from ...progress import Progress
from ..metrics import regression_metrics
from ..recipes import adapt_to_data
from ..scoring import score_classifier, supervised_evaluation, training_metrics, watched_figure
from ..settings import TABLE_EXPERIENCE, SupervisedSettings
from ..validation import validation_split

#: Test rows whose true and predicted values are kept for the regression figure.
PREDICTIONS_KEPT = 500
#: What a linear model is called in the result, by task.
LINEAR_MODELS = {"classification": "logistic regression", "regression": "ridge regression"}


@dataclasses.dataclass(frozen=True)
class EncodedTable:
    """A table ready to learn from: encoded rows ``x``, targets ``y``, and which rows are which."""

    spec: TableSpec
    x: np.ndarray
    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray
    split_note: str

    @property
    def learning(self) -> np.ndarray:
        """Every row the models may learn from (training and validation), for the linear model."""
        return np.sort(np.concatenate([self.train, self.validation]))


def encode_table(table: Table, settings: SupervisedSettings, seed: int) -> EncodedTable:
    """Choose task and features, split test / validation / training rows, and encode all rows with
    an encoder fitted on the training rows only."""
    spec = prepare_table(table.frame, source=str(table.path), target=str(settings.target), task=settings.task,
                         id_column=settings.id_column)
    labels = spec.y if spec.task == "classification" else None
    rest, test = split_indices(labels, settings.test_size, seed, n=spec.n_rows)
    inner, held, note = validation_split(labels[rest] if labels is not None else None, len(rest),
                                         settings.validation_size, seed, train_size=settings.train_size,
                                         source="table")
    train, validation = rest[inner], rest[held]
    if len(train) == 0 or len(validation) == 0:
        classes = f"{len(spec.class_names):,} classes in " if spec.class_names else ""
        raise ConfigError(f"{table.path}: {classes}{spec.n_rows:,} rows leave no rows to train on once the test "
                          "and validation rows are held out (each class needs 3+ rows); give more rows per class, "
                          "or a target with fewer classes")
    encoder = make_encoder(spec).fit(spec.features.iloc[train])
    x = np.ascontiguousarray(encoder.transform(spec.features), dtype=np.float32)
    return EncodedTable(spec, x, train, validation, test, note)


class NetworkRegressor:
    """The MLP with one output, trained on standardised targets (mean squared error), answering in
    the target's own unit."""

    # set by fit (:meth:`~..training.FittedNetwork.keep_on`), as on a DigitClassifier
    model_: Any
    history_: pd.DataFrame
    best_epoch_: int
    n_epochs_: int
    stopped_early_: bool
    n_threads_: int
    fit_seconds_: float

    def __init__(self, settings: SupervisedSettings, seed: int) -> None:
        self.settings, self.seed = settings, seed

    def fit(self, x: np.ndarray, y: np.ndarray, x_val: np.ndarray, y_val: np.ndarray,
            progress: Progress | None = None) -> NetworkRegressor:
        # Start-up time: PyTorch loads when a network is trained.
        import torch

        from ..training import fit_network

        self.device_ = resolve_device(self.settings.device)
        self.mean_, self.std_ = float(y.mean()), float(y.std()) or 1.0

        def tensor(values: np.ndarray) -> torch.Tensor:
            return torch.from_numpy(np.ascontiguousarray(values, dtype=np.float32)).to(self.device_)

        has_val = len(y_val) > 0
        fitted = fit_network(
            self.settings, tensor(x), tensor((y - self.mean_) / self.std_), 1, seed=self.seed, device=self.device_,
            x_val=tensor(x_val) if has_val else None,
            y_val=tensor((y_val - self.mean_) / self.std_) if has_val else None,
            progress=progress, regression=True,
        )
        fitted.keep_on(self)  # what DigitClassifier says of its training too
        return self

    def predict(self, x: np.ndarray) -> np.ndarray:
        import torch

        from ..training import predict_logits

        outputs = predict_logits(self.model_, torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)).to(self.device_))
        return outputs[:, 0].double().cpu().numpy() * self.std_ + self.mean_


def _linear(task: str, x: np.ndarray, y: np.ndarray) -> Any:
    # Start-up time: scikit-learn loads when the linear model is fitted.
    from sklearn.linear_model import LogisticRegression, Ridge

    model = LogisticRegression(max_iter=2000) if task == "classification" else Ridge(alpha=1.0)
    return model.fit(x, y)


def task_in_words(spec: TableSpec, table: Table) -> str:
    """T for this table, in a sentence; R² explained where it is the measure."""
    n = len(spec.numeric) + len(spec.categorical)
    if spec.task == "classification":
        names = spec.class_names or ()
        shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
        return (f"classification: predict the class of {spec.target!r} ({len(names)} classes: {shown}) "
                f"from {n} other columns of {table.path.name}")
    return (f"regression: predict {spec.target!r}, a number, from {n} other columns of {table.path.name}; "
            "P is R², the share of its variance the predictions explain (1 = perfect, 0 = no better than "
            "always answering the training mean)")


def run_table(settings: SupervisedSettings, seed: int, progress: Progress) -> Evaluation:
    """Read, encode, train, score (see the module docstring)."""
    # Start-up time: PyTorch loads when a run starts.
    from ..estimator import DigitClassifier

    start = time.perf_counter()
    assert settings.data is not None  # the paradigm runs a table only when one is given
    table = read_table(settings.data)
    data = encode_table(table, settings, seed)
    spec, x = data.spec, data.x
    classification = spec.task == "classification"
    settings, recipe_note = adapt_to_data(dataclasses.replace(settings, augment_shift=0), n_train=len(data.train),
                                          side=None)
    data_seconds = time.perf_counter() - start
    y_train, y_val, y_test = spec.y[data.train], spec.y[data.validation], spec.y[data.test]

    model: DigitClassifier | NetworkRegressor
    if classification:
        classifier = DigitClassifier.from_settings(settings, random_state=seed)
        watched = (x[data.test], y_test) if settings.test_curve else None
        model = classifier.fit(x[data.train], y_train, validation_data=(x[data.validation], y_val), progress=progress,
                               watch_data=watched)
    else:
        model = NetworkRegressor(settings, seed).fit(x[data.train], y_train, x[data.validation], y_val, progress)

    start = time.perf_counter()
    linear = _linear(spec.task, x[data.learning], spec.y[data.learning])
    linear_seconds = time.perf_counter() - start
    start = time.perf_counter()
    if classification:
        assert isinstance(model, DigitClassifier)  # made above for a classification
        names = list(spec.class_names or ())
        scores = score_classifier(model, x[data.test], y_test, y_train=y_train, n_classes=len(names),
                                  class_names=names)
        linear_score = float(linear.score(x[data.test], y_test))
        value = scores.metrics["test_accuracy"]
        metrics: dict[str, Any] = {
            **scores.metrics,
            "linear_model": LINEAR_MODELS[spec.task],
            "linear_test_accuracy": linear_score,
            "network_minus_linear": value - linear_score,
            **scores.per_class,
            "class_names": names,
        }
        # a table's classes are often unbalanced: the trivial program answers the majority class
        measure = scores.measure(baseline="majority")
        figure_data: dict[str, Any] = watched_figure(model, settings)
        performance = "val_accuracy"
    else:
        predicted = model.predict(x[data.test])
        linear_predicted = linear.predict(x[data.test])
        regression = regression_metrics(y_test, predicted, train_mean=float(y_train.mean()))
        linear_scores = regression_metrics(y_test, linear_predicted, train_mean=float(y_train.mean()))
        value = regression["r2"]
        metrics = {
            "test_r2": value,
            "test_mae": regression["mae"],
            "test_rmse": regression["rmse"],
            "mean_baseline_r2": regression["baseline_r2"],
            "mean_baseline_mae": regression["baseline_mae"],
            "linear_model": LINEAR_MODELS[spec.task],
            "linear_test_r2": linear_scores["r2"],
            "linear_test_mae": linear_scores["mae"],
            "network_minus_linear": value - linear_scores["r2"],
            "r2_meaning": "share of the target's variance explained: 1 perfect, 0 = always the training mean",
        }
        measure = Measure(name="test R²", value=value, baseline=0.0, best=1.0, curve_label="validation R²")
        kept = slice(0, PREDICTIONS_KEPT)
        figure_data = {"predictions": {"true": y_test[kept].tolist(), "predicted": predicted[kept].tolist(),
                                       "linear": linear_predicted[kept].tolist(), "target": spec.target}}
        performance = "val_r2"
    evaluate_seconds = time.perf_counter() - start

    metrics.update({
        "task": spec.task,
        "target": spec.target,
        **training_metrics(model, n_train=len(data.train), batch_size=settings.batch_size),
        "layer_sizes": [int(x.shape[1]), *settings.hidden_sizes, (len(spec.class_names or ()) if classification else 1)],
        "numeric_columns": len(spec.numeric),
        "one_hot_columns": len(spec.categorical),
        "left_out_columns": sorted(spec.left_out),
        "id_column": spec.id_column or "",
        "data_quality": {"source": str(table.path), "read_as": table.describe(), "rows_read": len(table.frame),
                         "rows_used": spec.n_rows, "left_out": spec.left_out, "notes": list(spec.notes)},
    })
    dataset = DatasetInfo(
        name=table.path.name,
        source=f"{table.path} ({table.describe()})",
        sizes={"rows": spec.n_rows, "train": len(data.train), "validation": len(data.validation),
               "test": len(data.test), "features": int(x.shape[1])},
        checksums={f"{table.path.name} (sha256)": sha256_of(table.path)},
        notes="; ".join([*spec.notes, data.split_note, f"test set: {settings.test_size:.0%} of the rows, "
                         f"drawn with seed {seed}" + (", stratified by class" if classification else ""),
                         *([recipe_note] if recipe_note else [])]),
    )
    return supervised_evaluation(
        model, settings, seed,
        task=task_in_words(spec, table),
        measure=measure,
        performance=performance,
        metrics=metrics,
        dataset=dataset,
        figure_data=figure_data,
        data_seconds=data_seconds,
        experience=TABLE_EXPERIENCE,
        timings={"linear_fit_seconds": linear_seconds, "evaluate_seconds": evaluate_seconds},
    )
