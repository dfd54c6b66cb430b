"""Per-customer behaviour features, from a transaction log or a ready table.

From a clean :class:`~.transactions.TransactionLog`, one row per customer who
bought something, with the classic RFM triple and basket behaviour:

============================  ==========================================================
``recency_days``              days from the last purchase to the day after the log ends
``frequency``                 number of distinct purchase invoices
``monetary``                  total spent (quantity x unit price, purchases only)
``avg_basket_value``          spend per invoice
``items_per_invoice``         units bought per invoice
``avg_unit_price``            spend per unit: cheap or premium taste
``tenure_days``               days from the first purchase to the day after the log ends
``return_rate``               value sent back / value bought (cancellations), 0 .. 1
============================  ==========================================================

All sums are ``np.bincount`` over integer customer codes, so millions of rows
take well under a second. :func:`load_customers` is the one entry point for a
file: it decides whether the file is a transaction log or a ready per-customer
table (one row per customer, numeric columns, an optional id column, such as
the wholesale-customers or mall-customers tables) and returns the same
:class:`CustomerData` either way.
"""

from __future__ import annotations

import resource
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..datasets.column_names import detect_id_column, looks_like_id
from ..datasets.table_files import TableFile, inspect_file
from ..datasets.tables import read_columns
from ..errors import ConfigError, DataError
from ..progress import Progress
from ..untrusted import convert_column, reading
from .columns import NULL_WORDS, text_values, to_numbers
from .log_features import LogSums, estimated_rows, features_from_sums, parquet_parts, read_log_sums
from .quality import DataQuality, QualityIssue
from .settings import ENGINES, MEMORY_ENGINE_BYTES_PER_ROW, duckdb_memory_limit
from .transactions import (
    REQUIRED_ROLES,
    TransactionLog,
    log_columns,
    match_columns,
    parse_column_mapping,
    read_matched_log,
)

#: The features computed from a transaction log, in order.
FEATURES = (
    "recency_days",
    "frequency",
    "monetary",
    "avg_basket_value",
    "items_per_invoice",
    "avg_unit_price",
    "tenure_days",
    "return_rate",
)


@dataclass(frozen=True)
class CustomerData:
    """Per-customer features (index: customer id as text), optional known labels, the quality summary,
    and for a transaction log which engine read it with the process's peak memory (``reader``)."""

    features: pd.DataFrame
    quality: DataQuality
    kind: str
    labels: pd.Series | None = None
    reader: str = ""

    @property
    def n_customers(self) -> int:
        return len(self.features)


def customer_features(log: TransactionLog) -> pd.DataFrame:
    """The :data:`FEATURES` of every customer with at least one purchase, from a log read into
    memory: its per-customer sums (:func:`transaction_sums`) through the one definition of each
    feature, :func:`~.log_features.features_from_sums` (which DuckDB's sums go through too).

    Numbers too large to add up (near 1e308) become infinite here, silently;
    :func:`load_customers` then names the feature in one line."""
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        return features_from_sums(transaction_sums(log))


def transaction_sums(log: TransactionLog) -> pd.DataFrame:
    """One row per customer of ``log``: distinct purchase invoices (``frequency``), spend
    (``monetary``), units, first and last purchase (seconds), value returned, rows used.
    All sums are ``np.bincount`` over integer customer codes."""
    n = len(log.customer_ids)
    buy = ~log.is_return
    customer, spend = log.customer[buy], (log.quantity * log.price)[buy]
    seconds = log.seconds[buy]
    last = np.full(n, np.iinfo(np.int64).min)
    first = np.full(n, np.iinfo(np.int64).max)
    np.maximum.at(last, customer, seconds)
    np.minimum.at(first, customer, seconds)
    back = log.is_return
    return pd.DataFrame(
        {
            "frequency": _invoices_per_customer(customer, log.invoice[buy], n),
            "monetary": np.bincount(customer, weights=spend, minlength=n),
            "units": np.bincount(customer, weights=log.quantity[buy], minlength=n),
            "first": first,
            "last": last,
            "returned": np.bincount(log.customer[back], weights=(log.quantity * log.price)[back], minlength=n),
            "used_rows": np.bincount(log.customer, minlength=n),
        },
        index=pd.Index(log.customer_ids, name="customer_id"),
    )


def _invoices_per_customer(customer: np.ndarray, invoice: np.ndarray, n: int) -> np.ndarray:
    """Distinct invoices of each customer. Fast path (O(n) scatters) when every
    invoice belongs to one customer, as it should; exact pair counting otherwise."""
    if len(invoice) == 0:
        return np.zeros(n)
    owner = np.full(int(invoice.max()) + 1, -1, dtype=np.int64)
    owner[invoice] = customer
    if np.array_equal(owner[invoice], customer):
        return np.bincount(owner[owner >= 0], minlength=n).astype(float)
    pairs = np.unique(customer.astype(np.int64) * (len(owner)) + invoice)
    return np.bincount(pairs // len(owner), minlength=n).astype(float)


def read_customer_table(
    path: str | Path | TableFile,
    *,
    id_column: str | None = None,
    label_column: str | None = None,
    features: tuple[str, ...] | None = None,
) -> CustomerData:
    """Read a ready per-customer table: one row per customer, numeric feature columns.

    Text columns (``Gender``) are left out with a warning unless named in
    ``features``; rows with missing or non-numeric values are left out and
    counted; a column with no values at all, or no numbers, is an error.
    """
    table_file = path if isinstance(path, TableFile) else inspect_file(path)
    columns = list(table_file.columns)
    id_name = _named_id_column(table_file, id_column)
    label_name = None
    if label_column:
        label_name = table_file.require(label_column, "label_column")
    if features:
        lookup = table_file.find(list(features))
        unknown = [f for f in features if f not in lookup]
        if unknown:
            raise ConfigError(f"features {', '.join(map(repr, unknown))} not in {table_file.path} (columns found: {table_file.describe_columns()})")
        candidates = list(dict.fromkeys(lookup[f] for f in features))
        if label_name in candidates:
            raise ConfigError(f"{label_name!r} is the label column: it scores the segments and is never a feature; "
                              "leave it out of --features")
    else:
        candidates = [c for c in columns if c not in (id_name, label_name)]
    # without --id-column, the id is told by the rule every paradigm follows (named like one, filled and
    # distinct in every row): the columns named like one are read, and the first that qualifies is it
    if not candidates:
        raise DataError(f"{table_file.path}: no feature columns besides the id (columns found: {table_file.describe_columns()})")
    id_like = [] if id_column else [c for c in columns if c != label_name and looks_like_id(c)]
    wanted = list(dict.fromkeys(candidates + id_like + [c for c in (id_name, label_name) if c]))
    raw, malformed = read_columns(table_file, wanted, NULL_WORDS)
    n = len(raw[wanted[0]])
    if n == 0:
        raise DataError(f"{table_file.path} has a header but no data rows")
    id_texts: dict[str, np.ndarray] = {}  # the id-like columns as text, converted once

    def text_of(column: str) -> np.ndarray:
        if column not in id_texts:
            id_texts[column] = convert_column(table_file.path, column, text_values, raw[column])
        return id_texts[column]

    if not id_column:
        id_name = detect_id_column(id_like, lambda c: _is_row_key(text_of(c)))
        if not features:
            candidates = [c for c in candidates if c != id_name]
    if not candidates:
        raise DataError(f"{table_file.path}: no feature columns besides the id (columns found: {table_file.describe_columns()})")

    numbers, text_columns = {}, []
    bad_rows = np.zeros(n, dtype=bool)
    missing_rows = np.zeros(n, dtype=bool)
    examples: dict[str, str] = {}
    for column in candidates:
        converted = convert_column(table_file.path, column, to_numbers, raw[column])
        if converted.missing.all():
            raise DataError(f"{table_file.path}: column {column} has no values (all missing); leave it out with --features")
        if (converted.missing | converted.non_numeric).all():
            if features:
                raise DataError(f"{table_file.path}: column {column} is not numeric (e.g. {converted.example!r}); clustering needs numbers")
            text_columns.append(column)
            continue
        numbers[column] = converted.values
        bad_rows |= converted.non_numeric
        missing_rows |= converted.missing
        if converted.non_numeric.any():
            examples.setdefault("non_numeric", f"{column}={converted.example!r}")
    if not numbers:
        raise DataError(
            f"{table_file.path}: no numeric columns to cluster (columns found: {table_file.describe_columns()}); "
            "for a transaction log the columns InvoiceNo, Quantity, InvoiceDate, UnitPrice, CustomerID are needed"
        )
    if text_columns:
        warnings.warn(
            f"{table_file.path}: text columns {', '.join(text_columns)} left out of the features; "
            "clustering needs numbers (encode them, or choose columns with --features)",
            UserWarning, stacklevel=2,
        )
    ids = text_of(id_name) if id_name else None
    if ids is None:
        ids = np.arange(1, n + 1).astype(str).astype(object)
    missing_id = pd.isna(ids)
    duplicate_id = pd.Series(ids).duplicated(keep="first").to_numpy() & ~missing_id
    keep = ~bad_rows & ~missing_rows & ~missing_id & ~duplicate_id
    table = pd.DataFrame({c: v[keep] for c, v in numbers.items()}, index=pd.Index(ids[keep].astype(str), name="customer_id"))
    labels = None
    if label_name:
        label_text = convert_column(table_file.path, label_name, text_values, raw[label_name])
        labels = pd.Series(label_text[keep], index=table.index, name="label")
    issues = (
        QualityIssue("malformed rows (wrong number of fields)", malformed.count, "skipped by the reader", malformed.example),
        QualityIssue("rows with missing values", int(missing_rows.sum()), "left out"),
        QualityIssue("rows with non-numeric values", int(bad_rows.sum()), "left out", examples.get("non_numeric", "")),
        QualityIssue(f"missing {id_name}" if id_name else "missing id", int(missing_id.sum()), "left out"),
        QualityIssue(f"repeated {id_name}" if id_name else "repeated id", int(duplicate_id.sum()), "left out (first row kept)"),
    )
    notes = [f"text columns left out: {', '.join(text_columns)}"] if text_columns else []
    if not id_name:
        notes.append("no id column found: customers are numbered by row (name one with --id-column)")
    quality = DataQuality(
        source=str(table_file.path), kind="per-customer table", rows_read=n + malformed.count,
        rows_used=int(keep.sum()), customers=int(keep.sum()), issues=issues, notes=tuple(notes),
    )
    return CustomerData(features=table, quality=quality, kind="per-customer table", labels=labels)


def _named_id_column(table_file: TableFile, id_column: str | None) -> str | None:
    """The column ``--id-column`` names (its repeated or missing values are then left out and counted)."""
    if not id_column:
        return None
    return table_file.require(id_column, "id_column")


def _is_row_key(texts: np.ndarray) -> bool:
    """Whether a column's values (as text) are filled in every row and never repeated."""
    values = pd.Series(texts)
    return bool(values.notna().all() and values.is_unique)


def load_customers(
    path: str | Path,
    *,
    kind: str = "auto",
    columns: str | Mapping[str, str] | None = None,
    date_format: str | None = None,
    id_column: str | None = None,
    label_column: str | None = None,
    features: tuple[str, ...] | None = None,
    engine: str = "auto",
    memory_limit: str | None = None,
    spill_dir: str | Path | None = None,
    progress: Progress | None = None,
) -> CustomerData:
    """Per-customer features from a file: a transaction log or a per-customer table.

    ``kind="auto"`` reads a file as a transaction log when at least three of
    its required columns (invoice, quantity, date, price, customer) are there,
    and then insists on all five, listing the missing ones; otherwise as a
    per-customer table. A transaction log may also be a folder or a glob of
    Parquet files with the same columns.

    ``engine`` says what reads a log: ``"duckdb"`` streams it under
    ``memory_limit`` (e.g. ``"2GB"``; by default a share of the machine's
    memory), spilling into a temporary folder inside ``spill_dir`` that is
    removed when the read ends (:mod:`.log_features`); ``"memory"`` reads it
    whole with PyArrow and NumPy (:mod:`.transactions`), faster on small logs;
    ``"auto"`` picks memory when the log fits under the memory limit
    (:func:`choose_engine`), DuckDB otherwise. Both give the same features and
    the same quality counts.
    """
    if engine not in ENGINES:
        raise ConfigError(f"engine {engine!r}: choose {', '.join(ENGINES)}")
    if kind not in ("auto", "transactions", "customers"):
        raise ConfigError(f"input kind {kind!r}: choose auto, transactions or customers")
    parts = parquet_parts(path)
    table_file = _inspect_parts(path, parts) if parts is not None else inspect_file(path)
    with reading(table_file.path):
        data = _load(table_file, parts, kind, columns, date_format, id_column, label_column, features,
                     engine, memory_limit, spill_dir, progress)
    _check_finite(table_file, data.features)
    return data


def _inspect_parts(path: str | Path, parts: list[Path]) -> TableFile:
    """A folder or glob of Parquet files as one table: each part checked, all with the same columns."""
    if not parts:
        if Path(path).expanduser().is_dir():
            raise ConfigError(f"{path}: is a folder with no Parquet files in it; give a CSV or Parquet file, "
                              "or a folder of Parquet parts")
        raise ConfigError(f"{path}: no file matches this pattern")
    first = inspect_file(parts[0])
    for part in parts[1:]:
        table_file = inspect_file(part)
        if table_file.format != "parquet":
            raise DataError(f"{part}: not a Parquet file; a folder or pattern must hold Parquet parts only")
        if table_file.columns != first.columns:
            raise DataError(f"{part}: columns {table_file.describe_columns()} differ from those of {parts[0]} "
                            f"({first.describe_columns()}); every part needs the same columns")
    return TableFile(Path(path), "parquet", first.columns)


def choose_engine(table_file: TableFile, parts: list[Path] | None, memory_limit: str | None = None) -> str:
    """``"memory"`` when the log's lines, at :data:`~.settings.MEMORY_ENGINE_BYTES_PER_ROW`, fit under
    the memory limit (the in-memory engine is faster), ``"duckdb"`` otherwise and for Parquet parts.
    Told before reading: from Parquet metadata, or a CSV's size over its first lines' length."""
    if parts is not None:
        return "duckdb"
    footprint = estimated_rows(table_file) * MEMORY_ENGINE_BYTES_PER_ROW[table_file.format]
    return "memory" if footprint < duckdb_memory_limit(memory_limit) else "duckdb"


def _load(
    table_file: TableFile, parts: list[Path] | None, kind: str, columns: str | Mapping[str, str] | None,
    date_format: str | None, id_column: str | None, label_column: str | None, features: tuple[str, ...] | None,
    engine: str, memory_limit: str | None, spill_dir: str | Path | None, progress: Progress | None,
) -> CustomerData:
    found = match_columns(table_file.columns, parse_column_mapping(columns), table_file.path)
    required_found = sum(role in found for role in REQUIRED_ROLES)
    if kind == "transactions" or (kind == "auto" and (required_found >= 3 or columns)):
        roles = log_columns(table_file, found)
        label_name = table_file.require(label_column, "label_column") if label_column else None
        if features:
            unknown = [f for f in features if f not in FEATURES]
            if unknown:
                raise ConfigError(f"features {', '.join(map(repr, unknown))}: a transaction log gives {', '.join(FEATURES)}")
        if engine == "auto":
            engine = choose_engine(table_file, parts, memory_limit)
        if engine == "memory" and parts is None:
            start = time.perf_counter()
            read = read_matched_log(table_file, roles, date_format=date_format, label_name=label_name)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            note = "read in memory (PyArrow and NumPy)"
            sums = transaction_sums(read) if read.n_rows else pd.DataFrame({"used_rows": []})
            log = LogSums(sums=sums, quality=replace(read.quality, notes=(*read.quality.notes, note)),
                          labels=read.labels, engine_note=f"{note} in {time.perf_counter() - start:.1f} s; "
                                                          f"peak memory of the process {peak:,.0f} MB")
        else:
            log = read_log_sums(table_file, roles, parts=parts, date_format=date_format, label_name=label_name,
                                memory_limit=memory_limit, spill_parent=Path(spill_dir) if spill_dir else None,
                                progress=progress)
        if log.quality.rows_used == 0:
            raise DataError(f"{table_file.path}: no usable rows after cleaning\n{log.quality.summary()}".replace("\n", "; "))
        table = features_from_sums(log.sums)
        return_only = log.quality.customers - len(table)
        quality = _with_customers(log.quality, len(table), return_only)
        if features:
            table = table[list(features)]
        labels = log.labels.reindex(table.index) if log.labels is not None else None
        return CustomerData(features=table, quality=quality, kind="transaction log", labels=labels,
                            reader=log.engine_note)
    if parts is not None:
        raise DataError(f"{table_file.path}: a folder or pattern of Parquet parts is read as a transaction log only; "
                        "its columns do not make one (name them with --columns)")
    return read_customer_table(table_file, id_column=id_column, label_column=label_column, features=features)


def _check_finite(table_file: TableFile, features: pd.DataFrame) -> None:
    """A feature that overflowed to infinity (sums or products of values near 1e308) is named in one line."""
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(features.to_numpy(dtype=np.float64))
    if finite.all():
        return
    j = int(np.flatnonzero(~finite.all(axis=0))[0])
    customer = features.index[int(np.flatnonzero(~finite[:, j])[0])]
    raise DataError(
        f"{table_file.path}: feature {features.columns[j]} overflows to infinity (e.g. customer {customer}): "
        "the file holds numbers too large to add up (near 1e308); check its quantities and prices"
    )


def _with_customers(quality: DataQuality, customers: int, return_only: int) -> DataQuality:

    notes = quality.notes
    if return_only:
        notes = (*notes, f"{return_only:,} customers with returns but no purchase left out")
    return replace(quality, customers=customers, notes=notes)


__all__ = [
    "FEATURES",
    "CustomerData",
    "choose_engine",
    "customer_features",
    "load_customers",
    "read_customer_table",
    "transaction_sums",
]
