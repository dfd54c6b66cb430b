"""Read a user's table: CSV (comma, semicolon, tab or |; UTF-8 or Latin-1; gzipped or not) or Parquet.

Core (:mod:`paradigms.datasets`): the one reader of a user's table. The file is
told once by :func:`~.table_files.inspect_file` (format, gzip, encoding, delimiter,
columns, and the checks an untrusted file needs), then read one of two ways:

* :func:`read_table`: the whole table as a pandas DataFrame (the supervised paradigm
  learns its rows from their labels, the reinforcement paradigm's table guessing
  game from a reward). Numbers are typed by pandas; a decimal comma is told by the
  look of a semicolon-separated file's numbers; cells such as ``NA``, ``null``, ``?``
  or empty are missing values; a line that repeats the header is refused.
* :func:`read_columns`: chosen columns as text, with PyArrow's multi-threaded CSV
  reader (the unsupervised paradigm turns them into numbers itself, counting what
  does not convert); rows with the wrong number of fields are skipped and counted.

Both see the columns :func:`~.table_files.inspect_file` named, so every paradigm
finds the same column for a name (:func:`~.column_names.find_column`) and leaves
out the same id column (:func:`~.column_names.detect_id_column`).

Memory stays bounded by what the file truly holds: a gzipped CSV is measured
(streamed, not kept) before its text is held, a plain one is held to
:data:`MAX_TABLE_BYTES`, and a Parquet file's claims (rows, decoded sizes) are
checked against its own size and the machine's memory before anything is allocated.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = path.write_text("a;b;label\\n1,5;x;yes\\n2,0;y;no\\n", encoding="latin-1")
>>> table = read_table(path)
>>> table.frame["a"].tolist(), table.delimiter, table.decimal
([1.5, 2.0], ';', ',')
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError, DataError
from ..untrusted import check_gzip_size, check_parquet_claims, read_gzip, reading
from .table_files import SAMPLE_BYTES, SAMPLE_LINES, TableFile, inspect_file

#: The most bytes a table read whole (:func:`read_table`) may hold once decompressed.
MAX_TABLE_BYTES = 2 * 1024**3
#: Texts every reader of a user's table reads as "missing": pandas' default words (empty, ``NA``,
#: ``null``, ``NaN``, ``None``, ``#N/A``, ...), written once here, so that :func:`read_table` and the
#: unsupervised readers (PyArrow and DuckDB: :data:`paradigms.unsupervised.columns.NULL_WORDS`) read the
#: same ones, whatever pandas' version.
MISSING_WORDS = (
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
)
#: Texts :func:`read_table` reads as "missing" besides :data:`MISSING_WORDS`.
EXTRA_MISSING = ("?", "-", "n.a.", "missing")
_DECIMAL_COMMA = re.compile(r"(?:^|;)\s*-?\d+,\d+\s*(?:;|$)")
_ENCODING_NAMES = {"utf8": "UTF-8", "latin1": "Latin-1"}


@dataclass(frozen=True)
class Table:
    """A table read from ``path``, with how it was read (for the data-quality notes)."""

    path: Path
    frame: pd.DataFrame
    file_format: str
    delimiter: str | None = None
    encoding: str | None = None
    decimal: str = "."

    def describe(self) -> str:
        """How the file was read, in a few words: ``CSV (';', UTF-8, decimal comma)``."""
        if self.file_format == "Parquet":
            return "Parquet"
        parts = [repr(self.delimiter).replace("'\\t'", "tab"), self.encoding or ""]
        if self.decimal == ",":
            parts.append("decimal comma")
        return f"{self.file_format} ({', '.join(p for p in parts if p)})"


# -- the whole table, as a DataFrame -----------------------------------------------------------


def read_table(path: str | os.PathLike[str] | TableFile) -> Table:
    """Read a CSV / TSV (gzipped or not) or Parquet file into a DataFrame (see the module docstring)."""
    table_file = path if isinstance(path, TableFile) else inspect_file(path)
    if len(table_file.columns) < 2:
        raise ConfigError(f"{table_file.path}: one column only ({table_file.columns[0]!r}); a labelled table "
                          "needs a target and features")
    if table_file.format == "parquet":
        return _read_parquet(table_file)
    path = table_file.path
    text, encoding = _decode(_raw_bytes(table_file), table_file.encoding)
    sample = text[:SAMPLE_BYTES].splitlines()[:SAMPLE_LINES]  # the lines the delimiter was told from
    if not table_file.aligned and len([line for line in sample if line.strip()]) > 1:
        raise DataError(f"{path}: no delimiter (comma, semicolon, tab or |) splits its lines into columns alike")
    delimiter = table_file.delimiter
    decimal = "," if delimiter == ";" and any(_DECIMAL_COMMA.search(line) for line in sample[1:]) else "."
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, decimal=decimal,
            na_values=[*MISSING_WORDS, *EXTRA_MISSING], keep_default_na=False,
            skipinitialspace=True, low_memory=False, header=0, names=list(table_file.columns),
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        raise DataError(f"{path}: not a readable table ({' '.join(str(exc).split())})") from None
    if frame.empty:
        raise DataError(f"{path}: a header but no rows")
    _refuse_repeated_header(path, frame)
    return Table(path, frame, "CSV" + (", gzipped" if table_file.gzipped else ""), delimiter, encoding, decimal)


def _raw_bytes(table_file: TableFile) -> bytes:
    """The file's content (unpacked, once, when it is gzip, within the bounds every table the
    toolkit reads is held to: :func:`paradigms.untrusted.read_gzip`); a plain file is held
    to :data:`MAX_TABLE_BYTES`."""
    path = table_file.path
    if table_file.gzipped:
        return read_gzip(path)
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise DataError(f"{path}: {size:,} bytes is more than this tool reads ({MAX_TABLE_BYTES:,})")
    with reading(path):
        return path.read_bytes()


def _decode(raw: bytes, encoding: str) -> tuple[str, str]:
    """(text, encoding's name): as :func:`~.table_files.inspect_file` found it from the first bytes,
    UTF-8 (with or without a byte-order mark), else Latin-1; a later byte that is not UTF-8 makes it Latin-1."""
    if encoding == "utf8":
        try:
            return raw.decode("utf-8-sig"), _ENCODING_NAMES["utf8"]
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1"), _ENCODING_NAMES["latin1"]


def _refuse_repeated_header(path: Path, frame: pd.DataFrame) -> None:
    """A row that repeats the header line (files joined with ``cat``) would be one more class,
    silently: refused, naming its line."""
    first = frame.columns[0]
    column = frame[first]
    if not (column.dtype == object or pd.api.types.is_string_dtype(column)):
        return  # numbers only: no header text among them
    candidates = column.astype(str).str.strip() == str(first)
    if not candidates.any():
        return
    rows = frame.loc[candidates]
    same = (rows.astype(str).apply(lambda c: c.str.strip()) == [str(c) for c in frame.columns]).all(axis=1)
    if same.any():
        line = int(same.idxmax()) + 2  # the header is line 1
        raise DataError(f"{path}: line {line:,} repeats the header line ({len(frame.columns)} column names); "
                        "were two files joined? Remove the repeated header lines")


def _read_parquet(table_file: TableFile) -> Table:
    import pyarrow.parquet as pq  # start-up time: PyArrow's Parquet reader loads when a Parquet file is read

    path = table_file.path
    with reading(path):
        check_parquet_claims(path, list(table_file.columns))
        frame = pq.read_table(path).to_pandas()
    named_index = [name for name in frame.index.names if name is not None and str(name) in table_file.columns]
    if named_index:  # a named index is a column, as the other readers see it
        frame = frame.reset_index(level=named_index)[list(table_file.columns)]
    if frame.empty:
        raise DataError(f"{path}: the table has no rows")
    frame.columns = [str(c) for c in frame.columns]
    return Table(path, frame, "Parquet")


# -- chosen columns, as text -------------------------------------------------------------------


@dataclass
class MalformedRows:
    """Rows the CSV parser skipped because they had the wrong number of fields."""

    count: int = 0
    example: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, row: object) -> str:
        with self._lock:
            self.count += 1
            if not self.example:
                fields = getattr(row, "actual_columns", "?")
                expected = getattr(row, "expected_columns", "?")
                number = getattr(row, "number", None)
                where = f"line {number}" if number not in (None, -1) else "a line"
                self.example = f"{where} has {fields} fields, expected {expected}"
        return "skip"


def read_columns(
    table_file: TableFile, columns: list[str], null_words: tuple[str, ...] = ()
) -> tuple[dict[str, Any], MalformedRows]:
    """Read the named columns; CSV columns come back as text (PyArrow string arrays, ``null_words``
    and empty cells null), Parquet columns in their stored types. Rows with the wrong number of
    fields are skipped and counted in the returned :class:`MalformedRows`."""
    import pyarrow as pa  # start-up time: loaded when columns are read
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    malformed = MalformedRows()
    wanted = list(dict.fromkeys(columns))
    if table_file.format == "parquet":
        with reading(table_file.path):
            check_parquet_claims(table_file.path, wanted)
            table = pq.read_table(table_file.path, columns=wanted)
        return {c: table.column(c) for c in wanted}, malformed

    if table_file.gzipped:
        with reading(table_file.path):
            check_gzip_size(table_file.path)  # the text is held in memory: it must fit

    def attempt(encoding: str) -> Any:
        source = pa.input_stream(str(table_file.path), compression="gzip" if table_file.gzipped else None)
        return pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(
                column_names=list(table_file.columns), skip_rows=1, encoding=encoding, block_size=1 << 24
            ),
            parse_options=pacsv.ParseOptions(delimiter=table_file.delimiter, invalid_row_handler=malformed),
            convert_options=pacsv.ConvertOptions(
                include_columns=wanted, default_column_type=pa.string(), null_values=["", *null_words],
                strings_can_be_null=True, quoted_strings_can_be_null=True,
            ),
        )

    with reading(table_file.path):
        try:
            with _handler_failures() as failures:
                table = attempt(table_file.encoding)
        except pa.ArrowInvalid as exc:
            if table_file.encoding != "utf8" or ("utf8" not in str(exc).lower() and not failures):
                raise
            malformed.count, malformed.example = 0, ""
            table = attempt("latin1")  # every byte is a Latin-1 character
    return {c: table.column(c) for c in wanted}, malformed


@contextmanager
def _handler_failures() -> Iterator[list[BaseException]]:
    """Failures of the malformed-row handler, recorded instead of printed.

    PyArrow hands the handler a bad row's text; when that text is not valid
    UTF-8 the call fails inside PyArrow, which prints the exception (several
    lines on stderr) and fails the read. Recorded, the read is retried as Latin-1.
    """
    failures: list[BaseException] = []
    previous = sys.unraisablehook

    def record(unraisable: Any) -> None:
        if unraisable.exc_value is not None:
            failures.append(unraisable.exc_value)

    sys.unraisablehook = record
    try:
        yield failures
    finally:
        sys.unraisablehook = previous


__all__ = ["EXTRA_MISSING", "MAX_TABLE_BYTES", "MISSING_WORDS", "MalformedRows", "Table", "read_columns", "read_table"]
