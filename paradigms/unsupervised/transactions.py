"""Reading a transaction log (online-retail layout) into clean purchase and return rows.

The common layout, as in the UCI "Online Retail" data sets::

    InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country

Column names are matched case- and punctuation-insensitively, with the usual
synonyms (``Invoice``, ``Price``, ``Customer ID`` of "Online Retail II" work as
they are); other names are given with a mapping such as
``"customer=Client Ref, date=Order Date"`` (:func:`parse_column_mapping`).

Cleaning counts every problem in a :class:`~.quality.DataQuality` summary and
never drops a row silently:

* cancellations (invoice number starting with ``C``, or a negative quantity) are
  kept apart as *returns* (they feed the return rate), not counted as purchases;
* rows without a customer id cannot be attributed and are left out;
* exact duplicate rows are removed (the first copy is kept);
* missing values (``NA``, empty, ``null``...), non-numeric quantities or prices,
  unparseable dates, zero quantities and zero or negative prices are left out.

Dates are read in the common formats (``12/1/2010 8:26``, ISO ``2010-12-01
08:26:00``, day-first ``01/12/2010 08:26``, ...): the format that parses most of
the file is chosen, or the one given as ``date_format``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ..datasets.column_names import find_column, normalize_name
from ..datasets.table_files import TableFile, inspect_file
from ..datasets.tables import read_columns
from ..errors import ConfigError, DataError
from ..untrusted import convert_column
from .columns import NULL_WORDS, NumberColumn, duplicate_rows, text_codes, to_numbers
from .quality import DataQuality, QualityIssue

#: role -> accepted column names (the first is the online-retail name).
ROLES: dict[str, tuple[str, ...]] = {
    "invoice": ("InvoiceNo", "Invoice", "InvoiceNumber", "InvoiceID", "OrderID", "OrderNo", "OrderNumber", "TransactionID"),
    "stock_code": ("StockCode", "ProductID", "ProductCode", "SKU", "ItemID", "ItemCode"),
    "description": ("Description", "ProductName", "ItemName"),
    "quantity": ("Quantity", "Qty", "Units"),
    "date": ("InvoiceDate", "Date", "OrderDate", "TransactionDate", "DateTime", "Timestamp"),
    "price": ("UnitPrice", "Price", "UnitCost", "PricePerUnit"),
    "customer": ("CustomerID", "Customer", "CustomerNo", "CustomerNumber", "ClientID", "UserID"),
    "country": ("Country",),
}
#: The columns a transaction log must have.
REQUIRED_ROLES = ("invoice", "quantity", "date", "price", "customer")
#: The columns a log is read by, by either engine (a description and a country are matched, never read).
READ_ROLES = ("invoice", "stock_code", "quantity", "date", "price", "customer")

#: Date formats tried, in order of preference when several parse equally well.
DATE_FORMATS = (
    "ISO8601",
    "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y",
    "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y",
    "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y",
    "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y",
    "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d",
    "%m/%d/%y %H:%M", "%d/%m/%y %H:%M", "%Y%m%d",
)


def parse_column_mapping(mapping: str | Mapping[str, str] | None) -> dict[str, str]:
    """``"customer=Client Ref, date=Order Date"`` -> ``{"customer": "Client Ref", "date": "Order Date"}``.

    Keys are roles (``invoice, stock_code, description, quantity, date, price,
    customer, country``) or their online-retail names (``CustomerID=Client Ref``);
    pairs are separated by commas or semicolons.
    """
    if not mapping:
        return {}
    if isinstance(mapping, str):
        pairs = {}
        for item in mapping.replace(";", ",").split(","):
            if not item.strip():
                continue
            key, sep, value = item.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise ConfigError(f"columns: {item.strip()!r} should read ROLE=COLUMN, e.g. customer=Client Ref")
            pairs[key.strip()] = value.strip()
        mapping = pairs
    roles = {}
    for key, value in mapping.items():
        role = _role_of(key)
        if role is None:
            known = ", ".join(ROLES)
            raise ConfigError(f"columns: {key!r} is not a column role; use one of {known}")
        roles[role] = str(value)
    return roles


def _role_of(name: str) -> str | None:
    norm = normalize_name(name)
    for role, names in ROLES.items():
        if norm == normalize_name(role) or norm in {normalize_name(n) for n in names}:
            return role
    return None


def match_columns(
    columns: tuple[str, ...] | list[str], mapping: Mapping[str, str] | None = None, source: str | Path = "the file"
) -> dict[str, str]:
    """role -> the file's column for it: the user's mapping first, then the known names.

    Two columns that both match a name (``Customer ID`` and ``CustomerID``) are
    refused with a DataError naming ``source``, never one of them picked silently."""
    found: dict[str, str] = {}
    for role, wanted in (mapping or {}).items():
        column = find_column(columns, wanted, source)
        if column is None:
            close = difflib.get_close_matches(wanted, list(columns), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(
                f"columns: {role}={wanted!r} is not a column of the file{hint} (columns found: {', '.join(columns)})"
            )
        found[role] = column
    taken = set(found.values())
    for role, names in ROLES.items():
        if role in found:
            continue
        for name in names:
            column = find_column(columns, name, source)
            if column is not None and column not in taken:
                found[role] = column
                taken.add(column)
                break
    return found


def missing_columns_message(table_file: TableFile, found: Mapping[str, str]) -> str:
    """One line: which required columns are missing, and the columns the file has."""
    missing = [f"{ROLES[r][0]} ({r.replace('_', ' ')})" for r in REQUIRED_ROLES if r not in found]
    return (
        f"{table_file.path}: missing required columns {', '.join(missing)}; columns found: "
        f"{table_file.describe_columns()}. Name them with --columns, e.g. --columns 'customer=Client Ref,date=Order Date'"
    )


# -- dates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedDates:
    """Dates as ``datetime64[s]`` (NaT where missing or unparseable) and how they were read."""

    values: np.ndarray
    missing: np.ndarray
    unparseable: np.ndarray
    format: str
    example: str = ""
    note: str = ""


def parse_dates(array: pa.Array | pa.ChunkedArray, date_format: str | None = None) -> ParsedDates:
    """Parse a date column. Text is parsed once per distinct value (a log repeats
    each invoice's timestamp on every line), with ``date_format`` or the best of
    :data:`DATE_FORMATS`; timestamp columns (Parquet) are used as they are."""

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    if pa.types.is_timestamp(array.type) or pa.types.is_date(array.type):
        # to whole seconds: a Parquet timestamp in micro- or nanoseconds is truncated, not refused
        values = array.cast(pa.timestamp("s"), safe=False).to_numpy(zero_copy_only=False).astype("datetime64[s]")
        missing = np.isnat(values)
        return ParsedDates(values, missing, np.zeros(len(values), bool), "timestamp column")
    codes, uniques = text_codes(array)
    missing = codes < 0
    texts = pd.Index(uniques.astype(str))
    note = ""
    chosen = date_format
    if not chosen:
        chosen, note = choose_date_format(texts)
    per_unique = _to_seconds(texts, chosen)
    if not date_format and chosen != "ISO8601" and np.isnat(per_unique).any():
        retry = np.isnat(per_unique)
        per_unique[retry] = _to_seconds(texts[retry], "ISO8601")
    values = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[s]")
    values[~missing] = per_unique[codes[~missing]]
    unparseable = np.isnat(values) & ~missing
    example = str(uniques[codes[np.flatnonzero(unparseable)[0]]]) if unparseable.any() else ""
    return ParsedDates(values, missing, unparseable, chosen, example, note)


def _to_seconds(texts: pd.Index, fmt: str) -> np.ndarray:
    """Parse texts with one format; unparseable -> NaT; time zones converted to UTC."""
    if len(texts) == 0:
        return np.zeros(0, dtype="datetime64[s]")
    try:
        parsed = pd.to_datetime(texts, format=fmt, errors="coerce", utc=True)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"date_format {fmt!r} cannot be used ({exc})") from None
    return np.asarray(parsed.tz_convert(None).values).astype("datetime64[s]")


def choose_date_format(texts: pd.Index) -> tuple[str, str]:
    """The format that parses most of (a sample of) the distinct date texts."""
    if len(texts) == 0:
        return "ISO8601", ""
    sample = texts[np.linspace(0, len(texts) - 1, min(len(texts), 500)).astype(int)]
    scores = []
    for fmt in DATE_FORMATS:
        try:
            scores.append(int((~np.isnat(_to_seconds(sample, fmt))).sum()))
        except ConfigError:
            scores.append(0)
    best = int(np.argmax(scores))
    if scores[best] == 0:
        raise DataError(
            f"dates such as {sample[0]!r} are in no known format; give one with --date-format, e.g. '%d.%m.%Y %H:%M'"
        )
    chosen = DATE_FORMATS[best]
    note = ""
    if chosen.startswith("%m/%d"):
        twin = chosen.replace("%m/%d", "%d/%m")
        if twin in DATE_FORMATS and scores[DATE_FORMATS.index(twin)] == scores[best]:
            note = (f"dates such as {sample[0]!r} read month-first ({chosen}, the online-retail layout); "
                    f"if they are day-first, pass --date-format '{twin}'")
    return chosen, note


# -- the clean log ---------------------------------------------------------------------


@dataclass(frozen=True)
class TransactionLog:
    """The usable rows of a transaction log, as NumPy arrays, plus the quality summary.

    ``customer`` holds codes into ``customer_ids``; ``invoice`` holds invoice codes;
    ``is_return`` marks cancellation rows (their ``quantity`` is made positive).
    ``labels`` maps a customer id to the value of a user's label column, if any.
    """

    customer_ids: np.ndarray
    customer: np.ndarray
    invoice: np.ndarray
    quantity: np.ndarray
    price: np.ndarray
    seconds: np.ndarray
    is_return: np.ndarray
    quality: DataQuality
    labels: pd.Series | None = None

    @property
    def n_rows(self) -> int:
        return len(self.customer)


def read_transactions(
    path: str | Path | TableFile,
    *,
    columns: str | Mapping[str, str] | None = None,
    date_format: str | None = None,
    label_column: str | None = None,
) -> TransactionLog:
    """Read and clean a transaction log (CSV, gzipped CSV or Parquet); see the module docstring."""
    table_file = path if isinstance(path, TableFile) else inspect_file(path)
    roles = log_columns(table_file, match_columns(table_file.columns, parse_column_mapping(columns), table_file.path))
    label_name = table_file.require(label_column, "label_column") if label_column else None
    return read_matched_log(table_file, roles, date_format=date_format, label_name=label_name)


def log_columns(table_file: TableFile, found: Mapping[str, str]) -> dict[str, str]:
    """role -> column for the roles a log is read by (:data:`READ_ROLES`), from the columns
    :func:`match_columns` found; a DataError listing the missing ones unless every one of
    :data:`REQUIRED_ROLES` is there. Both engines read the columns this returns."""
    if any(role not in found for role in REQUIRED_ROLES):
        raise DataError(missing_columns_message(table_file, found))
    return {role: found[role] for role in READ_ROLES if role in found}


def read_matched_log(
    table_file: TableFile, roles: Mapping[str, str], *, date_format: str | None = None, label_name: str | None = None
) -> TransactionLog:
    """:func:`read_transactions` of a log whose columns are matched already (``roles``, from
    :func:`log_columns`) and whose label column, if any, is the file's column ``label_name``."""
    wanted = list(roles.values())
    if label_name is not None:
        wanted.append(label_name)
    raw, malformed = read_columns(table_file, wanted, NULL_WORDS)
    n = len(raw[wanted[0]])
    if n == 0:
        raise DataError(f"{table_file.path} has a header but no data rows")
    name = roles

    path = table_file.path
    quantity = convert_column(path, name["quantity"], to_numbers, raw[name["quantity"]])
    price = convert_column(path, name["price"], to_numbers, raw[name["price"]])
    for role, column in (("quantity", quantity), ("price", price)):
        _check_usable_numbers(table_file, name[role], column)
    dates = convert_column(path, name["date"], lambda a: parse_dates(a, date_format), raw[name["date"]])
    if dates.missing.all():
        raise DataError(f"{table_file.path}: column {name['date']} has no values (all missing)")
    if dates.unparseable.all() or (~np.isnat(dates.values)).sum() == 0:
        raise DataError(f"{table_file.path}: no date in column {name['date']} could be read (e.g. {dates.example!r}); give --date-format")
    invoice_codes, invoice_values = convert_column(path, name["invoice"], text_codes, raw[name["invoice"]])
    customer_codes, customer_values = convert_column(path, name["customer"], text_codes, raw[name["customer"]])
    if (customer_codes < 0).all():
        raise DataError(f"{table_file.path}: column {name['customer']} has no values (all missing): no customer can be told apart")
    stock_codes = np.zeros(n, np.int64)
    if "stock_code" in name:
        stock_codes = convert_column(path, name["stock_code"], text_codes, raw[name["stock_code"]])[0]

    duplicate = duplicate_rows(invoice_codes, stock_codes, quantity.values, dates.values, price.values, customer_codes)
    starts_with_c = np.char.startswith(np.char.upper(invoice_values.astype(str)), "C") if len(invoice_values) else np.zeros(0, bool)
    cancel_invoice = np.where(invoice_codes >= 0, starts_with_c[np.maximum(invoice_codes, 0)] if len(starts_with_c) else False, False)
    with np.errstate(invalid="ignore"):
        cancellation = cancel_invoice | (quantity.values < 0)
        zero_quantity = quantity.values == 0
        bad_price = price.values <= 0
    valid = (
        ~duplicate & (customer_codes >= 0) & (invoice_codes >= 0) & ~quantity.missing & ~quantity.non_numeric
        & ~price.missing & ~price.non_numeric & ~np.isnat(dates.values) & ~zero_quantity & ~bad_price
    )
    issues = (
        QualityIssue("malformed rows (wrong number of fields)", malformed.count, "skipped by the reader", malformed.example),
        QualityIssue("duplicate rows", int(duplicate.sum()), "removed (first copy kept)"),
        QualityIssue(f"missing {name['customer']}", int((customer_codes < 0).sum()), "left out: cannot be attributed to a customer"),
        QualityIssue(f"missing {name['invoice']}", int((invoice_codes < 0).sum()), "left out"),
        QualityIssue(f"missing {name['quantity']}", int(quantity.missing.sum()), "left out"),
        QualityIssue(f"non-numeric {name['quantity']}", int(quantity.non_numeric.sum()), "left out", quantity.example),
        QualityIssue(f"missing {name['price']}", int(price.missing.sum()), "left out"),
        QualityIssue(f"non-numeric {name['price']}", int(price.non_numeric.sum()), "left out", price.example),
        QualityIssue(f"missing {name['date']}", int(dates.missing.sum()), "left out"),
        QualityIssue(f"unparseable {name['date']}", int(dates.unparseable.sum()), "left out", dates.example),
        QualityIssue(f"zero {name['quantity']}", int(zero_quantity.sum()), "left out"),
        QualityIssue(f"zero or negative {name['price']}", int(bad_price.sum()), "left out (adjustments, free items)"),
        QualityIssue("cancellations (C invoices, negative quantities)", int(cancellation.sum()), "used as returns, not purchases"),
    )
    keep = np.flatnonzero(valid)
    used_customers = np.flatnonzero(np.bincount(customer_codes[keep], minlength=len(customer_values)) > 0)
    remap = np.full(len(customer_values), -1, dtype=np.int64)
    remap[used_customers] = np.arange(len(used_customers))
    labels = None
    if label_name is not None:
        labels = convert_column(
            path, label_name, lambda a: _labels_per_customer(a, customer_codes, customer_values), raw[label_name]
        )
    notes = tuple(note for note in (dates.note, f"dates read as {dates.format}") if note)
    quality = DataQuality(
        source=str(table_file.path), kind="transaction log", rows_read=n + malformed.count,
        rows_used=len(keep), customers=len(used_customers), issues=issues, notes=notes,
    )
    return TransactionLog(
        customer_ids=customer_values[used_customers].astype(str),
        customer=remap[customer_codes[keep]],
        invoice=invoice_codes[keep],
        quantity=np.abs(quantity.values[keep]),
        price=price.values[keep],
        seconds=dates.values[keep].astype(np.int64),
        is_return=cancellation[keep],
        quality=quality,
        labels=labels,
    )


def _check_usable_numbers(table_file: TableFile, column: str, numbers: NumberColumn) -> None:
    if numbers.missing.all():
        raise DataError(f"{table_file.path}: column {column} has no values (all missing)")
    if (numbers.missing | numbers.non_numeric).all():
        raise DataError(f"{table_file.path}: column {column} holds no numbers (e.g. {numbers.example!r}); is it the right column?")


def _labels_per_customer(array: pa.Array | pa.ChunkedArray, customer_codes: np.ndarray, customer_values: np.ndarray) -> pd.Series:
    """The first non-missing label of each customer."""
    label_codes, label_values = text_codes(array)
    rows = np.flatnonzero((label_codes >= 0) & (customer_codes >= 0))
    customers, first = np.unique(customer_codes[rows], return_index=True)
    return pd.Series(
        label_values[label_codes[rows[first]]].astype(str), index=customer_values[customers].astype(str), name="label"
    )
