"""Read a user's labelled table: CSV (comma, semicolon, tab or |; UTF-8 or Latin-1; gzipped or not) or Parquet.

Core (:mod:`paradigms.datasets`): the supervised paradigm learns a table's rows from their
labels, the reinforcement paradigm's table guessing game from a reward.

The delimiter is found from the first lines (the one that splits every line
into the same number of fields, most of them), the encoding by trying UTF-8
(a byte-order mark allowed) and falling back to Latin-1, a decimal comma by the
look of a semicolon-separated file's numbers. Gzip is told by its first bytes,
not the name. Cells such as ``NA``, ``null``, ``?`` or empty are missing values.

Untrusted files: special files and folders are refused before they are opened
(:func:`~paradigms.outputs.check_input_file`), a gzip stream is measured (not
kept) before it is read, so a few kilobytes that unpack to gigabytes are
refused (:data:`MAX_TABLE_BYTES`), and whatever the parser raises becomes one
line naming the file.

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
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import ConfigError, DataError
from ..outputs import check_input_file
from ..untrusted import (
    check_parquet_claims,
    read_gzip,
    reading,
    refuse_binary,
    repeated_names,
    sniff_delimiter,
)

#: Suffixes read as Parquet; everything else is read as delimited text.
PARQUET_SUFFIXES = (".parquet", ".pq")
#: Suffixes that say "a table" when ``--data`` names a file (the run reads tables by content, not by name).
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".gz", ".csv.gz", ".tsv.gz", *PARQUET_SUFFIXES)
#: The most bytes a table may hold once decompressed (a gzip bomb is refused before it is read).
MAX_TABLE_BYTES = 2 * 1024**3
#: Texts read as "missing" besides pandas' own (``NA``, ``null``, empty, ...).
EXTRA_MISSING = ("?", "-", "n.a.", "missing")
_GZIP_START = b"\x1f\x8b"
_SAMPLE_BYTES = 64 * 1024
_DECIMAL_COMMA = re.compile(r"(?:^|;)\s*-?\d+,\d+\s*(?:;|$)")


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


def looks_like_table(path: Path) -> bool:
    """Whether ``--data PATH`` names a table file by its suffix (``.csv``, ``.csv.gz``, ``.parquet``, ...)."""
    name = path.name.lower()
    return any(name.endswith(suffix) for suffix in TABLE_SUFFIXES)


def _raw_bytes(path: Path) -> tuple[bytes, bool]:
    """The file's content (unpacked, once, when it is gzip, within the bounds every table the
    toolkit reads is held to: :func:`paradigms.untrusted.read_gzip`); a plain file is held
    to :data:`MAX_TABLE_BYTES`."""
    with path.open("rb") as fh:
        gzipped = fh.read(2) == _GZIP_START
    if gzipped:
        return read_gzip(path), True
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise DataError(f"{path}: {size:,} bytes is more than this tool reads ({MAX_TABLE_BYTES:,})")
    with reading(path):
        return path.read_bytes(), False


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without a byte-order mark), else Latin-1."""
    refuse_binary(path, raw[:_SAMPLE_BYTES])
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"


def _sniff(path: Path, sample: str) -> str:
    """The delimiter that splits the first lines alike (:func:`~paradigms.untrusted.sniff_delimiter`);
    a table whose lines no delimiter splits alike is refused."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if len(lines) > 1 and not sample.endswith("\n"):
        lines = lines[:-1]  # the sample may cut the last line short
    delimiter, alike = sniff_delimiter(lines)
    if not alike and len(lines) > 1:
        raise DataError(f"{path}: no delimiter (comma, semicolon, tab or |) splits its lines into columns alike")
    return delimiter


def read_table(path: str | os.PathLike[str]) -> Table:
    """Read a CSV / TSV (gzipped or not) or Parquet file into a DataFrame (see the module docstring)."""
    path = check_input_file(Path(path).expanduser(), what="table")
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return _read_parquet(path)
    raw, gzipped = _raw_bytes(path)
    if not raw.strip():
        raise DataError(f"{path}: the file is empty")
    text, encoding = _decode(path, raw)
    delimiter = _sniff(path, text[:_SAMPLE_BYTES])
    lines = text[:_SAMPLE_BYTES].splitlines()[1:50]
    decimal = "," if delimiter == ";" and any(_DECIMAL_COMMA.search(line) for line in lines) else "."
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, decimal=decimal, na_values=list(EXTRA_MISSING),
            skipinitialspace=True, low_memory=False,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        raise DataError(f"{path}: not a readable table ({' '.join(str(exc).split())})") from None
    if frame.empty:
        raise DataError(f"{path}: a header but no rows")
    _check_columns(path, frame)
    _refuse_repeated_header(path, frame)
    return Table(path, frame, "CSV" + (", gzipped" if gzipped else ""), delimiter, encoding, decimal)


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


def _read_parquet(path: Path) -> Table:
    import pyarrow.parquet as pq  # start-up time: PyArrow loads only when a Parquet file is read

    with reading(path):
        check_parquet_claims(path, list(pq.read_schema(path).names))
        frame = pq.read_table(path).to_pandas()
    if frame.empty:
        raise DataError(f"{path}: the table has no rows")
    _check_columns(path, frame)
    return Table(path, frame, "Parquet")


def _check_columns(path: Path, frame: pd.DataFrame) -> None:
    names = [str(c) for c in frame.columns]
    repeated = repeated_names(names)
    if repeated:
        raise DataError(f"{path}: column {repeated[0]!r} appears more than once; rename one")
    if len(names) < 2:
        raise ConfigError(f"{path}: one column only ({names[0]!r}); a labelled table needs a target and features")
    frame.columns = names
