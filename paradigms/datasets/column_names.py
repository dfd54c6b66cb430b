"""A table's columns by name: one column finder and one id rule, for every paradigm that reads a table.

Core (:mod:`paradigms.datasets`): ``paradigms compare --data TABLE --target COLUMN``
hands the same file to the supervised run, the unsupervised run and the table
guessing game, so each must find the same column for a name and leave out the
same id column.

* :func:`find_column`: a name matches a column exactly, else ignoring case and
  punctuation (``"customer id"`` finds ``CustomerID``); two columns that both match
  loosely are refused (guessing would silently learn from one of them).
* :func:`detect_id_column`: a row id is a column **named** like one
  (:func:`looks_like_id`: ``id``, ``index``, ``Unnamed: 0``, ``patient_id``,
  ``CustomerID``, ``Customer``, ...) whose values are **filled in every row and
  never repeat**; a row's number says nothing about it, so it is never a feature.
  A column named like an id whose values repeat (``store_id``) is data, not an id.

>>> find_column(["Customer ID", "Age"], "customer_id")
'Customer ID'
>>> [looks_like_id(name) for name in ("id", "patient_id", "CustomerNo", "Unnamed: 0", "width", "paid")]
[True, True, True, True, False, False]
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..errors import ConfigError, DataError

#: Names (compared by :func:`normalize_name`) that say "this column numbers or names the rows".
ID_NAMES = frozenset({
    "id", "index", "rowid", "row", "rownumber", "unnamed0", "",  # a row number; pandas' index written to a CSV
    "customer", "customerid", "customerno", "customernumber", "clientid", "userid",  # a per-customer table's key
})
#: ... and any name that ends in an "id" of its own: ``patient_id``, ``order-ID``, ``PassengerId``, ``clientID``
#: (not ``paid`` nor ``valid``).
_ID_SUFFIX = re.compile(r"[_\s\-.](?i:id)$|[a-z](?:ID|Id)$")


def normalize_name(name: object) -> str:
    """A column name compared case- and punctuation-insensitively: ``"Customer ID"`` -> ``"customerid"``."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def find_column(columns: Sequence[str], name: str, source: str | Path = "the file") -> str | None:
    """The column called ``name`` (exactly, else ignoring case and punctuation), or None.

    Two columns that both match loosely (``"Customer ID"`` and ``"CustomerID"``) are a
    one-line :class:`~paradigms.errors.DataError` naming ``source``: picking one would
    silently learn from the wrong column."""
    if name in columns:
        return name
    key = normalize_name(name)
    if not key:
        return None
    matches = [c for c in columns if normalize_name(c) == key]
    if len(matches) > 1:
        shown = " and ".join(repr(c) for c in matches[:3])
        raise DataError(f"{source}: columns {shown} both match {name!r}; rename one of them")
    return matches[0] if matches else None


def require_column(columns: Sequence[str], name: str, *, source: str | Path, option: str) -> str:
    """:func:`find_column`, or a one-line ConfigError naming the option and the closest columns."""
    found = find_column(columns, name, source)
    if found is not None:
        return found
    close = difflib.get_close_matches(name, list(columns), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else f"columns: {', '.join(columns[:12])}"
    raise ConfigError(f"{source}: no column {name!r} ({option}); {hint}")


def looks_like_id(name: str) -> bool:
    """Whether a column's name says it numbers or names the rows (see the module docstring)."""
    name = str(name)
    if normalize_name(name) in ID_NAMES:
        return True
    return bool(_ID_SUFFIX.search(name))


def detect_id_column(
    columns: Iterable[str], is_row_key: Callable[[str], bool], exclude: Iterable[str | None] = ()
) -> str | None:
    """The first column (in the file's order, ``exclude`` left aside) named like an id whose values
    ``is_row_key`` finds filled in every row and never repeated; None when there is none.

    ``is_row_key`` looks at the values the way the caller holds them (a DataFrame's column,
    a PyArrow one): the rule is the same for both."""
    left_aside = set(exclude)
    for name in columns:
        if name not in left_aside and looks_like_id(name) and is_row_key(name):
            return name
    return None


__all__ = ["ID_NAMES", "detect_id_column", "find_column", "looks_like_id", "normalize_name", "require_column"]
