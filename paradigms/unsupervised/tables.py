"""Reading a user's table file: CSV (plain or gzipped) or Parquet, checked before use.

This is the plumbing under :mod:`.transactions` and :mod:`.features`: it opens
a file, says clearly what is wrong when it cannot be used (missing, empty, an
Excel workbook, binary data), finds the delimiter, reads only the wanted columns
*as text* with PyArrow's multi-threaded CSV reader (so one stray word in a
numeric column cannot abort the read), and turns text columns into numbers
while counting what did not convert.

Errors are one line: :class:`~paradigms.errors.ConfigError` for a path that
does not exist or is not a regular file (a folder, a FIFO, a device: refused
before they are opened), :class:`~paradigms.errors.DataError` for a file that
exists but cannot be used. Whatever a library raises while reading (PyArrow's
``ArrowInvalid`` or ``ArrowNotImplementedError``, a truncated gzip stream, ...)
becomes one line naming the file, and the column when one is being converted
(:func:`~.untrusted.reading`). Two columns of the same name are refused, never one dropped.

Memory stays bounded by what the file truly holds: a gzipped CSV is measured
(streamed, not kept) before it is read, and a Parquet file's claims (rows,
decoded sizes) are checked against its own size and the machine's memory
before anything is allocated.
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..errors import DataError
from ..outputs import check_input_file
from ..untrusted import (
    check_gzip_size,
    check_parquet_claims,
    one_line,
    reading,
    refuse_binary,
    repeated_names,
    sniff_delimiter,
)
from .columns import NULL_WORDS

PARQUET_SUFFIXES = (".parquet", ".pq")


def normalize_name(name: str) -> str:
    """Column names compared case- and punctuation-insensitively: ``"Customer ID"`` -> ``"customerid"``."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def find_column(columns: tuple[str, ...] | list[str], name: str, source: str | Path = "the file") -> str | None:
    """The column called ``name`` (case and punctuation ignored), or None.

    An exact match wins; two columns that both match otherwise are refused
    (``"Customer ID"`` and ``"CustomerID"``): guessing would silently drop one.
    """
    if name in columns:
        return name
    matches = [c for c in columns if normalize_name(c) == normalize_name(name)]
    if len(matches) > 1:
        shown = " and ".join(repr(c) for c in matches[:3])
        raise DataError(f"{source}: columns {shown} both match {name!r}; rename one of them")
    return matches[0] if matches else None


@dataclass(frozen=True)
class TableFile:
    """A table file that passed the first checks, with its column names."""

    path: Path
    format: str  # "csv" or "parquet"
    columns: tuple[str, ...]
    delimiter: str = ","
    gzipped: bool = False
    encoding: str = "utf8"

    def find(self, names: tuple[str, ...] | list[str]) -> dict[str, str]:
        """Map each wanted name to the file's column with the same normalized name."""
        found = {n: find_column(self.columns, n, self.path) for n in names}
        return {n: c for n, c in found.items() if c is not None}

    def describe_columns(self, limit: int = 20) -> str:
        shown = ", ".join(self.columns[:limit])
        more = f", ... ({len(self.columns)} in all)" if len(self.columns) > limit else ""
        return shown + more


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


def inspect_file(path: str | Path) -> TableFile:
    """Check that ``path`` is a readable CSV or Parquet table and read its header."""
    path = check_input_file(Path(path).expanduser(), what="file")
    with reading(path):
        table_file = _inspect(path)
    repeated = repeated_names(table_file.columns)
    if repeated:
        raise DataError(
            f"{path}: two columns are named {repeated[0]!r}; rename one (no column is dropped silently)"
        )
    return table_file


def _inspect(path: Path) -> TableFile:
    if path.stat().st_size == 0:
        raise DataError(f"{path} is empty: expected a CSV file with a header row")
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if path.suffix.lower() in PARQUET_SUFFIXES or head[:4] == b"PAR1":
        return _inspect_parquet(path)
    gzipped = head[:2] == b"\x1f\x8b"
    if gzipped:
        check_gzip_size(path, memory_bound=False)  # a bomb; the memory bound is the reader's (read_columns)
        with gzip.open(path, "rb") as fh:
            head = fh.read(65536)
        if not head:
            raise DataError(f"{path} is empty once unpacked: expected a CSV file with a header row")
    refuse_binary(path, head)
    encoding = "utf8"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            encoding = "latin1"
        text = head.decode("latin-1" if encoding == "latin1" else "utf-8", errors="ignore")
    text = text.lstrip("\ufeff")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise DataError(f"{path} is empty: expected a CSV file with a header row")
    first = lines[0]
    sample = lines[:-1] if len(lines) > 1 and not text.endswith(("\n", "\r")) else lines  # a cut last line
    delimiter, _ = sniff_delimiter(sample[:50])  # lines split unlike the header are counted as malformed later
    header = next(csv.reader([first], delimiter=delimiter))
    columns = tuple(name.strip() for name in header)
    if len(columns) < 2 and len(lines) > 1 and len(lines[1]) > 200:
        raise DataError(f"{path} does not look like a CSV table (no delimiter in its first line)")
    if any(not c for c in columns):
        blank = [str(i + 1) for i, c in enumerate(columns) if not c]
        if len(blank) == len(columns):
            raise DataError(f"{path}: the first line is not a header row; add one with the column names")
        columns = tuple(c or f"column_{i + 1}" for i, c in enumerate(columns))
    return TableFile(path, "csv", columns, delimiter=delimiter, gzipped=gzipped, encoding=encoding)


def _inspect_parquet(path: Path) -> TableFile:
    try:
        metadata = pq.read_metadata(path)
        names = tuple(metadata.schema.to_arrow_schema().names)
    except Exception as exc:  # noqa: BLE001 - any reader failure means: not usable
        raise DataError(f"{path} is not a readable Parquet file ({one_line(exc)}); give a CSV or Parquet file") from None
    return TableFile(path, "parquet", names)


def read_columns(table_file: TableFile, columns: list[str]) -> tuple[dict[str, pa.ChunkedArray], MalformedRows]:
    """Read the named columns; CSV columns come back as text (PyArrow string arrays),
    Parquet columns in their stored types. Rows with the wrong number of fields are
    skipped and counted in the returned :class:`MalformedRows`."""

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

    def attempt(encoding: str) -> pa.Table:
        source = pa.input_stream(str(table_file.path), compression="gzip" if table_file.gzipped else None)
        return pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(
                column_names=list(table_file.columns), skip_rows=1, encoding=encoding, block_size=1 << 24
            ),
            parse_options=pacsv.ParseOptions(delimiter=table_file.delimiter, invalid_row_handler=malformed),
            convert_options=pacsv.ConvertOptions(
                include_columns=wanted, default_column_type=pa.string(), null_values=list(NULL_WORDS),
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
def _handler_failures() -> Iterator[list[BaseException | None]]:
    """Failures of the malformed-row handler, recorded instead of printed.

    PyArrow hands the handler a bad row's text; when that text is not valid
    UTF-8 the call fails inside PyArrow, which prints the exception (several
    lines on stderr) and fails the read. Recorded, the read is retried as Latin-1.
    """
    failures: list[BaseException | None] = []
    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: failures.append(unraisable.exc_value)
    try:
        yield failures
    finally:
        sys.unraisablehook = previous


__all__ = [
    "MalformedRows",
    "TableFile",
    "find_column",
    "inspect_file",
    "normalize_name",
    "read_columns",
]
