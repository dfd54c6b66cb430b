"""Columns of a table turned into what the features need: numbers, text codes, repeated rows.

Each works on a whole column at once (PyArrow compute or NumPy), so five
million rows take about a second: :func:`to_numbers` counts missing cells apart
from non-numeric ones and understands decimal commas, :func:`text_codes` gives
each distinct cleaned text a code, and :func:`duplicate_rows` finds rows equal
to an earlier one in every given column.

>>> import pyarrow as pa
>>> column = to_numbers(pa.array(["1", "2,5", "NA", "abc"]))
>>> column.values[:2].tolist(), int(column.missing.sum()), int(column.non_numeric.sum())
([1.0, 2.5], 1, 1)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..datasets.tables import MISSING_WORDS

#: Texts read as "missing" in any column of a log or a per-customer table, by the in-memory reader and
#: DuckDB's alike: every reader's :data:`~paradigms.datasets.tables.MISSING_WORDS`, plus ``none`` and ``?``.
NULL_WORDS = (*MISSING_WORDS, "none", "?")
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_DECIMAL_COMMA = r"^[-+]?\d+,\d+$"


@dataclass(frozen=True)
class NumberColumn:
    """A column turned into float64, with what could not be: missing and non-numeric cells."""

    values: np.ndarray
    missing: np.ndarray
    non_numeric: np.ndarray
    example: str = ""


def to_numbers(array: pa.Array | pa.ChunkedArray) -> NumberColumn:
    """Convert a PyArrow column (text or numeric) to float64, counting missing cells
    (NA, empty, ...) apart from non-numeric ones ("abc"). Decimal commas ("2,55")
    are understood. Fast path: one vectorized cast when every cell is a number."""

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    n = len(array)
    if pa.types.is_dictionary(array.type):
        array = array.cast(array.type.value_type)
    if pa.types.is_integer(array.type) or pa.types.is_floating(array.type) or pa.types.is_decimal(array.type):
        values = pc.cast(array, pa.float64(), safe=False).to_numpy(zero_copy_only=False)
        return _finite(values, np.isnan(values))
    if pa.types.is_boolean(array.type):
        values = pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False)
        return NumberColumn(values, np.isnan(values), np.zeros(n, dtype=bool))
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        missing = array.is_null().to_numpy(zero_copy_only=False)
        return NumberColumn(np.full(n, np.nan), missing, ~missing, example=str(array[0]) if n else "")
    text = pc.utf8_trim_whitespace(array)
    text = pc.if_else(pc.is_in(text, value_set=pa.array(NULL_WORDS)), pa.scalar(None, pa.string()), text)
    missing = text.is_null().to_numpy(zero_copy_only=False)
    try:
        values = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
        return _finite(values, missing)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    comma = pc.fill_null(pc.match_substring_regex(text, _DECIMAL_COMMA), False)
    text = pc.if_else(comma, pc.replace_substring(text, ",", "."), text)
    good = pc.fill_null(pc.match_substring_regex(text, _NUMBER.pattern), False)
    values = pc.cast(pc.if_else(good, text, pa.scalar(None, pa.string())), pa.float64()).to_numpy(zero_copy_only=False)
    good_np = good.to_numpy(zero_copy_only=False)
    non_numeric = (~good_np | ~np.isfinite(values)) & ~missing
    example = ""
    if non_numeric.any():
        example = str(text[int(np.flatnonzero(non_numeric)[0])].as_py())
    return NumberColumn(np.where(non_numeric, np.nan, values), missing, non_numeric, example)


def _finite(values: np.ndarray, missing: np.ndarray) -> NumberColumn:
    """Numbers with infinities (``inf``, ``1e999``) counted as non-numeric, never used."""
    infinite = np.isinf(values)
    if not infinite.any():
        return NumberColumn(values, missing, np.zeros(len(values), dtype=bool))
    example = str(values[np.flatnonzero(infinite)[0]])
    return NumberColumn(np.where(infinite, np.nan, values), missing, infinite, example)


def _normalized_text(array: pa.Array) -> pa.Array:
    """Trimmed text; NA words become null; ``17850.0`` becomes ``17850`` (ids stored as floats)."""

    if pa.types.is_floating(array.type):
        values = array.to_numpy(zero_copy_only=False)
        finite = np.isfinite(values)
        if np.all(values[finite] == np.round(values[finite])):
            array = pa.array(np.where(finite, values, 0).astype(np.int64), mask=~finite)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = pc.cast(array, pa.string())
    text = pc.utf8_trim_whitespace(array)
    text = pc.replace_substring_regex(text, r"^([-+]?\d+)\.0+$", r"\1")
    return pc.if_else(pc.is_in(text, value_set=pa.array(NULL_WORDS)), pa.scalar(None, pa.string()), text)


def text_codes(array: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (``-1`` where missing) and the distinct values of a column read as text.

    The column is dictionary-encoded first and only its distinct values are
    cleaned (trimmed, ``NA`` words made missing, ``17850.0`` made ``17850``),
    which is what makes millions of rows cheap: a log repeats each invoice
    number, customer id and timestamp on every line.
    """

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    encoded = array if pa.types.is_dictionary(array.type) else pc.dictionary_encode(array)
    raw_missing = encoded.is_null().to_numpy(zero_copy_only=False)
    raw_codes = pc.fill_null(encoded.indices, 0).to_numpy(zero_copy_only=False)
    cleaned = pc.dictionary_encode(_normalized_text(encoded.dictionary))
    mapping = pc.fill_null(cleaned.indices, 0).to_numpy(zero_copy_only=False).astype(np.int64)
    mapping[cleaned.is_null().to_numpy(zero_copy_only=False)] = -1
    if len(mapping) == 0:
        return np.full(len(raw_codes), -1, dtype=np.int64), np.zeros(0, dtype=object)
    codes = mapping[raw_codes]
    codes[raw_missing] = -1
    return codes, np.asarray(cleaned.dictionary.to_pylist(), dtype=object)


def text_values(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A text column as an object array of cleaned strings (``None`` where missing)."""
    codes, values = text_codes(array)
    out = np.full(len(codes), None, dtype=object)
    out[codes >= 0] = values[codes[codes >= 0]]
    return out


def duplicate_rows(*columns: np.ndarray) -> np.ndarray:
    """True for each row equal, in every given column, to an earlier row.

    Rows are hashed (64 bits, all columns mixed), and each row
    whose hash repeats is compared column by column with the first row of that
    hash, so a row is only ever flagged when it truly repeats. O(n) on NumPy
    arrays: well under a second for five million rows.
    """
    n = len(columns[0])
    if n == 0:
        return np.zeros(0, dtype=bool)
    words = []
    for column in columns:
        column = np.ascontiguousarray(column)
        if column.dtype.kind == "f":
            column = np.where(np.isnan(column), np.nan, column + 0.0).astype(np.float64)  # one NaN, no -0.0
        elif column.dtype.kind == "M":
            column = column.astype("datetime64[s]")
        else:
            column = column.astype(np.int64)
        words.append(column.view(np.uint64))
    h = np.full(n, 0xCBF29CE484222325, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for word in words:  # FNV-style mixing per column, then the splitmix64 finalizer once
            h ^= word
            h *= np.uint64(0x100000001B3)
            h ^= h >> np.uint64(29)
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
    codes, uniques = pd.factorize(h)  # one hash table pass; codes in order of first appearance
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(n - 1, -1, -1)  # the last write wins: each hash's first row
    firsts = first[codes]
    rows = np.flatnonzero(firsts != np.arange(n))
    firsts = firsts[rows]
    equal = np.ones(len(rows), dtype=bool)
    for word in words:
        equal &= word[rows] == word[firsts]
    duplicate = np.zeros(n, dtype=bool)
    duplicate[rows[equal]] = True
    return duplicate
