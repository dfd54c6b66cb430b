"""From a labelled table to what a learner reads: the target, the task and the feature columns.

Core (:mod:`paradigms.datasets`), so that the supervised paradigm (its network) and the
reinforcement paradigm (the table guessing game) read a table's rows alike.

The **target** column (``--target``) says what to predict, and its values decide
the task (``--task auto``): text, yes/no, or a few whole numbers (at most
:data:`MAX_AUTO_CLASSES` of them) are classes, so the task is **classification**;
any other number is a quantity, so the task is **regression**.

Every other column is a candidate feature:

* numbers (and text that is nearly all numbers) are used as they are, then
  standardised (mean 0, spread 1 on the training rows);
* text with few distinct values (at most :data:`MAX_CATEGORIES`) is one-hot
  encoded: one 0/1 column per value;
* text with more values (names, free text, dates) is left out, with a warning;
* empty and constant columns are left out, and so is the id column
  (``--id-column``, or the one detected by the rule every paradigm follows,
  :func:`~.column_names.detect_id_column`: named like ``id`` / ``CustomerID`` and
  filled and distinct in every row): a row's number says nothing about its label.

Missing values are imputed (the training median for numbers, a "missing"
category for text) and counted in the notes. The encoder is fitted on the
training rows only, so nothing about the test set leaks into training.

>>> import pandas as pd
>>> frame = pd.DataFrame({"id": range(12), "size": [1.0, None, 3.0] * 4, "colour": list("rgb") * 4,
...                       "kind": list("ab") * 6})
>>> spec = prepare_table(frame, source="t.csv", target="Kind")
>>> spec.task, spec.class_names, spec.numeric, spec.categorical, spec.id_column
('classification', ('a', 'b'), ['size'], ['colour'], 'id')
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigError
from .column_names import detect_id_column, require_column

#: The fewest rows a class of a table's target may have (one to learn from, one to test on).
MIN_ROWS_PER_CLASS = 2
#: A numeric target with at most this many distinct whole numbers is read as classes.
MAX_AUTO_CLASSES = 20
#: Text columns with at most this many distinct values are one-hot encoded; others are left out.
MAX_CATEGORIES = 30
#: A text column is read as numbers when at least this share of its filled cells are numbers.
NUMERIC_SHARE = 0.95
#: The fewest rows with a target value a table may have.
MIN_ROWS = 10


@dataclass(frozen=True)
class TableSpec:
    """What to learn from a table: features, target values, the task, and what was done to get them."""

    features: pd.DataFrame
    target: str
    task: str
    y: np.ndarray  # class indices (classification) or float values (regression)
    class_names: tuple[str, ...] | None
    numeric: list[str]
    categorical: list[str]
    id_column: str | None
    left_out: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def n_rows(self) -> int:
        return len(self.y)


def _numbers(column: pd.Series) -> pd.Series | None:
    """The column as floats when it holds numbers (or text that is nearly all numbers), else None."""
    if pd.api.types.is_numeric_dtype(column):  # booleans too
        return column.astype(float)
    present = int(column.notna().sum())
    if present == 0:
        return None
    probe = pd.Series(column.dropna().unique()[:2000]).astype(str).str.strip()  # distinct values: fast on long columns
    if pd.to_numeric(probe, errors="coerce").notna().mean() < NUMERIC_SHARE:
        return None
    converted = pd.to_numeric(column.astype(str).str.strip().where(column.notna()), errors="coerce")
    return converted if converted.notna().sum() >= NUMERIC_SHARE * present else None


def _finite(numbers: pd.Series | None, name: str, source: str) -> pd.Series | None:
    """``numbers``, once known to hold no infinity (which no model can learn from: a library
    message about "Input X", or a loss that became nan, would say it later and worse)."""
    if numbers is None:
        return None
    infinite = np.isinf(numbers.to_numpy(dtype=np.float64, na_value=np.nan))
    if infinite.any():
        row = int(np.argmax(infinite))
        raise ConfigError(f"{source}: column {name!r} holds {int(infinite.sum()):,} infinite value(s) "
                          f"(first in data row {row + 1:,}: {numbers.iloc[row]}); replace or remove them")
    return numbers


def _task_of(values: pd.Series, numbers: pd.Series | None, task: str) -> str:
    if task != "auto":
        return task
    if numbers is None or pd.api.types.is_bool_dtype(values):
        return "classification"
    whole = bool(np.all(np.mod(numbers.to_numpy(), 1) == 0))
    distinct = max(numbers.nunique(), values.nunique())  # whole numbers above 2**53 differ only as written
    return "classification" if whole and distinct <= MAX_AUTO_CLASSES else "regression"


_WHOLE = re.compile(r"[+-]?\d+")


def _class_labels(values: pd.Series, numbers: pd.Series) -> pd.Series:
    """Each number of a class target as the text of its class, exactly: a whole number as its
    digits (above 2**63 too, where a float would make 300 classes one), another as the
    shortest text that reads back as the same float."""
    if pd.api.types.is_integer_dtype(values):
        return values.astype(str)

    def label(original: Any, number: float) -> str:
        if isinstance(original, (int, np.integer)) and not isinstance(original, (bool, np.bool_)):
            return str(int(original))
        if isinstance(original, str) and _WHOLE.fullmatch(original.strip()):
            return str(int(original.strip()))
        if np.isfinite(number) and float(number).is_integer() and abs(number) < 2**53:
            return str(int(number))
        return repr(float(number))

    return pd.Series(list(map(label, values, numbers)), index=values.index)


def _label_order(label: str) -> Any:
    """A numeric class's place: whole numbers compared exactly, others as floats."""
    return int(label) if _WHOLE.fullmatch(label) else float(label)


def _target(frame: pd.DataFrame, target: str, task: str, source: str) -> tuple[str, np.ndarray, tuple | None, list]:
    """(task, y, class names, notes) for the target column, after dropping rows where it is missing."""
    values = frame[target]
    notes: list[str] = []
    numbers = None if pd.api.types.is_bool_dtype(values) else _finite(_numbers(values), target, source)
    task = _task_of(values, numbers, task)
    if task == "regression":
        if numbers is None:
            example = values.dropna().astype(str).iloc[0]
            raise ConfigError(f"{source}: target column {target!r} holds text (e.g. {example!r}), not numbers to "
                              "predict by regression; use --task classification")
        if numbers.nunique() < 2:
            raise ConfigError(f"{source}: target column {target!r} holds one value ({numbers.iloc[0]:g}) in every "
                              "row; there is nothing to predict")
        return task, numbers.to_numpy(dtype=np.float64), None, notes
    text = values.astype(str) if numbers is None else _class_labels(values, numbers)
    counts = text.value_counts()
    rare = counts[counts < MIN_ROWS_PER_CLASS]
    if len(counts) - len(rare) < 2 and len(counts) > 2 and counts.iloc[0] < MIN_ROWS_PER_CLASS:
        raise ConfigError(f"{source}: target column {target!r} holds {len(counts):,} different values in "
                          f"{int(counts.sum()):,} rows (e.g. {counts.index[0]!r}), none in {MIN_ROWS_PER_CLASS}+ rows: "
                          "not classes (dates, ids, free text?); choose another --target")
    if len(counts) - len(rare) < 2:
        only = counts.index[0]
        raise ConfigError(f"{source}: target column {target!r} holds {'one class' if len(counts) == 1 else 'one class with enough rows'} "
                          f"({only!r}, {counts.iloc[0]:,} rows); a classifier needs at least two classes of "
                          f"{MIN_ROWS_PER_CLASS}+ rows")
    if len(rare):
        notes.append(f"classes with fewer than {MIN_ROWS_PER_CLASS} rows left out: "
                     f"{', '.join(map(repr, rare.index[:5]))}{' ...' if len(rare) > 5 else ''}")
    kept = set(counts.index) - set(rare.index)
    names = sorted(kept, key=_label_order) if numbers is not None else sorted(kept, key=lambda v: (v.lower(), v))
    index = {name: i for i, name in enumerate(names)}
    y = text.map(index).to_numpy(dtype=float)  # NaN for the rare classes' rows
    return task, y, tuple(names), notes


def prepare_table(
    frame: pd.DataFrame, *, source: str, target: str, task: str = "auto", id_column: str | None = None
) -> TableSpec:
    """Choose the task and the feature columns of ``frame`` (see the module docstring); ConfigError names
    the column when the table cannot be learned from."""
    columns = [str(c) for c in frame.columns]
    frame = frame.set_axis(columns, axis=1)
    target = require_column(columns, target, source=source, option="--target")
    notes: list[str] = []
    missing_target = frame[target].isna()
    if missing_target.all():
        raise ConfigError(f"{source}: target column {target!r} is empty (all {len(frame):,} values missing)")
    if missing_target.any():
        notes.append(f"{int(missing_target.sum()):,} rows without a {target!r} value left out")
        frame = frame.loc[~missing_target].reset_index(drop=True)
    task, y, class_names, target_notes = _target(frame, target, task, source)
    notes += target_notes
    keep = ~np.isnan(y)
    if not keep.all():
        frame, y = frame.loc[keep].reset_index(drop=True), y[keep]
    if len(y) < MIN_ROWS:
        raise ConfigError(f"{source}: {len(y)} rows with a {target!r} value; at least {MIN_ROWS} are needed "
                          "to learn from some and test on others")
    if id_column is not None:
        id_column = require_column(columns, id_column, source=source, option="--id-column")
    else:
        id_column = detect_id_column(columns, lambda c: bool(frame[c].notna().all() and frame[c].is_unique),
                                     exclude=[target])
        if id_column is not None:
            notes.append(f"{id_column!r} looks like a row id (distinct in every row): not used as a feature")
    numeric, categorical, left_out, features = [], [], {}, {}
    for name in columns:
        if name in (target, id_column):
            continue
        column = frame[name]
        filled = int(column.notna().sum())
        if filled == 0:
            left_out[name] = "empty"
            continue
        numbers = _finite(_numbers(column), name, source)
        distinct = (numbers if numbers is not None else column).nunique()
        if distinct < 2:
            left_out[name] = "one value in every row"
        elif numbers is not None:
            numeric.append(name)
            features[name] = numbers
            unreadable = int(numbers.isna().sum()) - (len(column) - filled)
            if unreadable:
                notes.append(f"{name!r}: {unreadable:,} cells that are not numbers read as missing")
        elif distinct <= MAX_CATEGORIES:
            categorical.append(name)
            features[name] = column.astype(str).where(column.notna())
        else:
            left_out[name] = f"text with {distinct:,} different values"
        if name in features and features[name].isna().any():
            count = int(features[name].isna().sum())
            how = "the training median" if name in numeric else "a 'missing' category"
            notes.append(f"{name!r}: {count:,} missing values imputed with {how}")
    texts = [f"{name!r} ({why})" for name, why in left_out.items() if why.startswith("text")]
    if texts:
        warnings.warn(
            f"{source}: left out {len(texts)} text column(s) with too many different values to one-hot encode "
            f"(more than {MAX_CATEGORIES}): {', '.join(texts[:5])}",
            UserWarning, stacklevel=2,
        )
    if not features:
        why = "; ".join(f"{n!r}: {r}" for n, r in list(left_out.items())[:5]) or "no other columns"
        raise ConfigError(f"{source}: no usable feature column besides the target {target!r} ({why})")
    return TableSpec(pd.DataFrame(features), target, task, y if task == "regression" else y.astype(np.int64),
                     class_names, numeric, categorical, id_column, left_out, tuple(notes))


def make_encoder(spec: TableSpec):
    """A scikit-learn transformer (fit it on the training rows): impute and standardise the numbers,
    impute and one-hot encode the text."""
    # Start-up time: scikit-learn loads when a table is encoded, not with the package.
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    parts = []
    if spec.numeric:
        parts.append(("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), spec.numeric))
    if spec.categorical:
        parts.append(("text", make_pipeline(
            SimpleImputer(strategy="constant", fill_value="(missing)"),
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
        ), spec.categorical))
    return ColumnTransformer(parts, sparse_threshold=0.0)
