"""What a user's table file is, told once from its first bytes: format, gzip, encoding, delimiter, columns.

Core (:mod:`paradigms.datasets`): every reader of a user's table starts here,
:func:`~paradigms.datasets.tables.read_table` (the whole table as a DataFrame: the
supervised paradigm, the table guessing game), :func:`~paradigms.datasets.tables.read_columns`
(chosen columns as text: the unsupervised paradigm) and the DuckDB path
(:mod:`paradigms.unsupervised.log_features`, which reads the file itself from
these facts), so that all of them see the same columns in the same file.

* **Format**: Parquet by its suffix or its first bytes (``PAR1``); anything else is
  delimited text. **Gzip** is told by the first bytes (:data:`~paradigms.untrusted.GZIP_MAGIC`),
  never the name.
* **Encoding**: UTF-8 (a byte-order mark allowed) when the first 64 KiB decode as
  UTF-8, else Latin-1 (every byte is a Latin-1 character).
* **Delimiter**: comma, semicolon, tab or ``|``: the one that splits the first lines
  alike into the most fields (:func:`~paradigms.untrusted.sniff_delimiter`);
  :attr:`TableFile.aligned` says whether one did.
* **Columns**: the header line's names, trimmed; a blank one is named as pandas names
  it (``Unnamed: 0``: the index a DataFrame wrote); a Parquet file's columns without
  an unnamed index pandas stored; two columns of the same name are refused.

Untrusted input: a folder, a pipe or a device is refused before it is opened
(:func:`~paradigms.outputs.check_input_file`); only a gzip stream's first bytes are
unpacked here: each reader bounds the whole stream as it unpacks it (a damaged one or a
decompression bomb refused, :mod:`paradigms.untrusted`), so that it is unpacked once
for the check, not once more before; an Excel workbook, a zip, a
PDF or binary data is refused by its first bytes; a file that is not what it
claims (a ``.parquet`` that is not Parquet) is one line naming it; whatever a
library raises becomes one line naming the file (:func:`~paradigms.untrusted.reading`).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = path.write_text("id;size;label\\n1;1,5;yes\\n2;2,0;no\\n", encoding="latin-1")
>>> inspect_file(path)
TableFile(path=..., format='csv', columns=('id', 'size', 'label'), delimiter=';', gzipped=False, encoding='utf8', aligned=True)
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, DataError
from ..outputs import check_input_file
from ..untrusted import (
    GZIP_MAGIC,
    PARQUET_MAGIC,
    PARQUET_SUFFIXES,
    one_line,
    read_gzip_head,
    reading,
    refuse_binary,
    repeated_names,
    sniff_delimiter,
)
from .column_names import find_column

#: Suffixes that say "a table" when ``--data`` names a file (the run reads tables by content, not by name).
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".gz", ".csv.gz", ".tsv.gz", *PARQUET_SUFFIXES)
#: Bytes read (unpacked) to tell a text table's encoding, delimiter and header.
SAMPLE_BYTES = 64 * 1024
#: Lines of the sample the delimiter is told from.
SAMPLE_LINES = 50
_UNNAMED_INDEX = re.compile(r"__index_level_\d+__")


@dataclass(frozen=True)
class TableFile:
    """A table file that passed the first checks: its format, how its text is written, its columns."""

    path: Path
    format: str  # "csv" or "parquet"
    columns: tuple[str, ...]
    delimiter: str = ","
    gzipped: bool = False
    encoding: str = "utf8"  # PyArrow's and DuckDB's name: "utf8" or "latin1"
    aligned: bool = True  # the delimiter split every sampled line into the same number of fields

    def find(self, names: tuple[str, ...] | list[str]) -> dict[str, str]:
        """Map each wanted name to the file's column of that name (:func:`~.column_names.find_column`)."""
        found = {n: find_column(self.columns, n, self.path) for n in names}
        return {n: c for n, c in found.items() if c is not None}

    def require(self, name: str, option: str) -> str:
        """The file's column ``name`` names (:meth:`find`), or a one-line ConfigError naming the
        setting (``option``) and the columns there are."""
        found = self.find([name]).get(name)
        if found is None:
            raise ConfigError(f"{option} {name!r} is not a column of {self.path} (columns found: {self.describe_columns()})")
        return found

    def describe_columns(self, limit: int = 20) -> str:
        """The column names, the first ``limit`` of them, for an error line."""
        shown = ", ".join(self.columns[:limit])
        more = f", ... ({len(self.columns)} in all)" if len(self.columns) > limit else ""
        return shown + more


def looks_like_table(path: Path) -> bool:
    """Whether ``--data PATH`` names a table file by its suffix (``.csv``, ``.csv.gz``, ``.parquet``, ...)."""
    name = path.name.lower()
    return any(name.endswith(suffix) for suffix in TABLE_SUFFIXES)


def inspect_file(path: str | os.PathLike[str]) -> TableFile:
    """Check that ``path`` is a readable CSV (gzipped or not) or Parquet table and read its header
    (see the module docstring): a ConfigError for a path that is not a regular file, a one-line
    DataError naming the file for one that cannot be used."""
    path = check_input_file(Path(path).expanduser(), what="file")
    with reading(path):
        table_file = _inspect(path)
    repeated = repeated_names(table_file.columns)
    if repeated:
        raise DataError(f"{path}: two columns are named {repeated[0]!r}; rename one (no column is dropped silently)")
    return table_file


def _inspect(path: Path) -> TableFile:
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    if not head.strip():
        raise DataError(f"{path}: the file is empty; expected a CSV or Parquet table with a header row")
    if path.suffix.lower() in PARQUET_SUFFIXES or head[:4] == PARQUET_MAGIC:
        return _inspect_parquet(path)
    gzipped = head[:2] == GZIP_MAGIC
    if gzipped:
        head = read_gzip_head(path, SAMPLE_BYTES)
        if not head.strip():
            raise DataError(f"{path}: the file is empty once unpacked; expected a CSV table with a header row")
    refuse_binary(path, head)
    cut = len(head) == SAMPLE_BYTES  # the sample may end inside a character, and inside a line
    encoding = "utf8"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not cut or exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            encoding = "latin1"
        text = head.decode("latin-1") if encoding == "latin1" else head.decode("utf-8", errors="ignore")
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    if not lines:
        raise DataError(f"{path}: the file is empty; expected a CSV or Parquet table with a header row")
    if cut and len(lines) > 1:
        lines = lines[:-1]
    delimiter, aligned = sniff_delimiter(lines[:SAMPLE_LINES])
    columns = tuple(name.strip() for name in next(csv.reader(lines[:1], delimiter=delimiter, skipinitialspace=True)))
    if len(columns) < 2 and len(lines) > 1 and len(lines[1]) > 200:
        raise DataError(f"{path}: does not look like a CSV table (no delimiter in its first line)")
    if all(not c for c in columns):
        raise DataError(f"{path}: the first line is not a header row; add one with the column names")
    columns = tuple(c or f"Unnamed: {i}" for i, c in enumerate(columns))
    return TableFile(path, "csv", columns, delimiter=delimiter, gzipped=gzipped, encoding=encoding, aligned=aligned)


def _inspect_parquet(path: Path) -> TableFile:
    """A Parquet file's columns from its footer (no page read), less the unnamed index pandas may store
    beside them (``__index_level_0__``: row labels, never data; a named index is a column like any other)."""
    import pyarrow.parquet as pq  # start-up time: PyArrow's Parquet reader loads when a Parquet file is read

    try:
        schema = pq.read_schema(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure means: not what the file claims to be
        raise DataError(f"{path}: not a readable Parquet file ({one_line(exc)}); give a CSV or Parquet file") from None
    return TableFile(path, "parquet", tuple(n for n in schema.names if not _UNNAMED_INDEX.fullmatch(n)))


__all__ = ["SAMPLE_BYTES", "TABLE_SUFFIXES", "TableFile", "inspect_file", "looks_like_table"]
