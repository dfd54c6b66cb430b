"""Files a user hands over are untrusted: one line for whatever goes wrong, and bounded memory.

* :func:`reading` turns what a library raises on a damaged or hostile file
  (PyArrow's ``ArrowInvalid`` or ``ArrowNotImplementedError``, a truncated
  stream, an overflow) into one :class:`~paradigms.errors.DataError` line that
  names the file, and the column when one is being converted.
* Every size a file claims is checked before anything is allocated:
  :func:`check_gzip_size` streams a gzip file once (nothing kept) and refuses
  one that unpacks beyond :func:`memory_limit`; :func:`check_parquet_claims`
  holds a Parquet file's metadata (column chunk sizes, decoded sizes) against
  the file's own size and the memory limit.

>>> with reading("shop.csv", "Quantity"):
...     int("three")
Traceback (most recent call last):
...
paradigms.errors.DataError: shop.csv: column Quantity: cannot be read (ValueError: invalid literal for int() with base 10: 'three')
"""

from __future__ import annotations

import csv
import gzip
import os
import re
import zlib
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import DataError, UserError

#: What a library may raise on a damaged or hostile file; :func:`reading` makes each one line.
READ_ERRORS = (pa.ArrowException, OSError, EOFError, ValueError, OverflowError, csv.Error, zlib.error, MemoryError)
#: The first two bytes of every gzip stream (RFC 1952): a file is told gzip by them, never by its name.
GZIP_MAGIC = b"\x1f\x8b"
#: The first (and last) four bytes of every Parquet file.
PARQUET_MAGIC = b"PAR1"
#: Suffixes that say "Parquet" (a file is read as Parquet when it has one, or starts with :data:`PARQUET_MAGIC`).
PARQUET_SUFFIXES = (".parquet", ".pq")
#: Deflate (the compression of gzip and of zip entries) cannot expand data more than 1032 times:
#: its longest copy is 258 bytes and costs at least 2 bits (a 1-bit length code and a 1-bit
#: distance code), 258 * 8 / 2 = 1032. A gzip header or a zip entry that promises more is lying,
#: and is refused before anything that size is allocated.
MAX_DEFLATE_RATIO = 1032
#: A gzipped CSV may unpack to at most this many times its size (text rarely compresses 20 times;
#: a policy for text, far below the physical :data:`MAX_DEFLATE_RATIO`)...
GZIP_RATIO = 200
#: ... once it has unpacked to more than this (small files may compress better).
GZIP_FREE = 64 << 20
#: Longest library message kept in an error line.
_MESSAGE_CHARS = 160
T = TypeVar("T")


_SURROGATE = re.compile("[\ud800-\udfff]")


def safe_text(text: str) -> str:
    """``text`` with every lone surrogate written out, so that it can be printed and written as UTF-8.

    A file name that is not valid UTF-8 reaches Python with each bad byte as a lone
    surrogate (``b"caf\\xe9"`` -> ``"caf\\udce9"``), and a JSON file may hold one
    (``"\\udce9"``); either makes the first write raise UnicodeEncodeError. Such a
    byte becomes ``\\xe9``, any other lone surrogate ``\\ud800``: distinct, visible, safe.

    >>> safe_text(b"caf\\xe9".decode("utf-8", "surrogateescape"))
    'caf\\\\xe9'
    """
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}" if 0xDC80 <= ord(m.group()) <= 0xDCFF
                          else f"\\u{ord(m.group()):04x}", text)


def safe_json(value: Any) -> Any:
    """``value`` (as ``json.loads`` gives it) with :func:`safe_text` applied to every key and string."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return [safe_json(item) for item in value]
    if isinstance(value, dict):
        return {safe_text(key): safe_json(item) for key, item in value.items()}
    return value


def repeated_names(names: Iterable[Hashable]) -> list[Any]:
    """The names given more than once, sorted: in one pass (a table of 50,000 columns
    checked with ``names.count`` in a loop took 25 s).

    >>> repeated_names(["a", "b", "a", "c", "b"])
    ['a', 'b']
    """
    return sorted(name for name, times in Counter(names).items() if times > 1)


def one_line(exc: BaseException) -> str:
    """A library exception as one short line: its type and the first line of its message."""
    text = str(exc).strip().splitlines()[0].strip() if str(exc).strip() else ""
    if len(text) > _MESSAGE_CHARS:
        text = text[: _MESSAGE_CHARS - 3] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@contextmanager
def reading(path: str | Path, column: str | None = None) -> Iterator[None]:
    """Turn whatever a library raises on a damaged file into one :class:`DataError` line.

    The line names the file, and ``column`` when one is being converted. A
    :class:`~paradigms.errors.UserError` (already one line) passes unchanged.
    """
    try:
        yield
    except UserError:
        raise
    except MemoryError:
        where = f"{path}: column {column}" if column else str(path)
        raise DataError(f"{where}: too large to read into this machine's memory") from None
    except READ_ERRORS as exc:
        where = f"{path}: column {column}" if column else str(path)
        raise DataError(f"{where}: cannot be read ({one_line(exc)})") from None


def machine_memory() -> int:
    """Bytes of physical memory (16 GiB where it cannot be told)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 16 << 30


def memory_limit() -> int:
    """Bytes a table may decode to: half the machine's memory (8 GiB where it cannot be told)."""
    return machine_memory() // 2


def check_gzip_size(path: Path, *, memory_bound: bool = True) -> None:
    """Unpack a gzip stream once without keeping it; refuse it when damaged or when it
    expands beyond plain sense: more than :data:`GZIP_RATIO` times its own size (past
    the first :data:`GZIP_FREE` bytes: a decompression bomb), or (``memory_bound``, for a
    reader that holds the text) more text than half of :func:`memory_limit` (reading CSV
    text takes about twice its size)."""
    _gunzip(path, keep=False, memory_bound=memory_bound)


def read_gzip(path: Path) -> bytes:
    """A gzip file's content, unpacked once within the bounds :func:`check_gzip_size` holds it to."""
    return _gunzip(path, keep=True)


def read_gzip_head(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of a gzip file's content (a sample: only that much is unpacked)."""
    try:
        with gzip.open(path, "rb") as fh:
            return fh.read(size)
    except (OSError, EOFError, zlib.error):
        raise DataError(_DAMAGED.format(path=path)) from None


#: What a gzip stream that cannot be unpacked is called, wherever it is found out.
_DAMAGED = "{path}: a damaged or truncated gzip file; unpack it or export the CSV again"


def _gunzip(path: Path, *, keep: bool, memory_bound: bool = True) -> bytes:
    limit, packed, size, chunks = memory_limit() // 2, path.stat().st_size, 0, []
    try:
        with gzip.open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                size += len(chunk)
                if size > GZIP_FREE and size > GZIP_RATIO * packed:
                    raise DataError(f"{path}: unpacks to more than {GZIP_RATIO} times its size (a decompression "
                                    "bomb?); unpack it yourself if it is a real table")
                if memory_bound and size > limit:
                    raise DataError(f"{path}: unpacks to more than {limit / 2**30:.1f} GiB, more than this machine "
                                    "can read into memory; give a smaller file or a Parquet file")
                if keep:
                    chunks.append(chunk)
    except (OSError, EOFError, zlib.error):
        raise DataError(_DAMAGED.format(path=path)) from None
    return b"".join(chunks)


def check_parquet_claims(path: Path, wanted: list[str]) -> None:
    """Refuse a Parquet file whose metadata claims more than it can hold or memory allows.

    Each column chunk's stored size must fit in the file; the decoded size of
    the wanted columns (their uncompressed pages, or 8 bytes a cell, whichever
    is larger) must fit in :func:`memory_limit`. Checked before any page is read.
    """
    metadata = pq.read_metadata(path)
    size, columns = path.stat().st_size, set(wanted)
    decoded = 0
    for g in range(metadata.num_row_groups):
        group = metadata.row_group(g)
        for c in range(group.num_columns):
            chunk = group.column(c)
            if chunk.path_in_schema.split(".")[0] not in columns:
                continue
            if chunk.total_compressed_size > size:
                raise DataError(f"{path}: column {chunk.path_in_schema} claims more data than the file holds; "
                                "the file is damaged")
            decoded += max(chunk.total_uncompressed_size, 8 * group.num_rows)
    limit = memory_limit()
    if decoded > limit:
        raise DataError(f"{path}: {metadata.num_rows:,} rows that decode to {decoded / 2**30:.1f} GiB, more than "
                        f"this machine can hold ({limit / 2**30:.1f} GiB); give a smaller file")


def convert_column(path: str | Path, column: str, convert: Callable[[Any], T], array: Any) -> T:
    """``convert(array)``, with what a library raises on the column's values made one line naming it."""
    with reading(path, column):
        return convert(array)


# -- delimited text ----------------------------------------------------------------------------

#: Delimiters a text table may use: comma, semicolon, tab or a vertical bar.
TEXT_DELIMITERS = (",", ";", "\t", "|")
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refuse_binary(path: str | Path, head: bytes) -> None:
    """A one-line DataError where the first bytes of a file that should be text say it is not:
    an Excel workbook (new or old) or a zip archive, a PDF, a PNG, or any NUL byte."""
    if head[:4] == _ZIP or head[:8] == _OLE:
        raise DataError(f"{path}: binary data: an Excel workbook or a zip archive, not a CSV file; "
                        "save the sheet as CSV first")
    if b"\x00" in head or head[:4] in (b"%PDF", b"\x89PNG"):
        raise DataError(f"{path}: binary data, not a CSV text file: give a CSV or Parquet file")


def sniff_delimiter(lines: list[str]) -> tuple[str, bool]:
    """The delimiter of a text table from its first (non-blank) lines, and whether it splits them alike.

    The one that splits every line into the same number of fields, more than one,
    the most of them; where none does (a stray line in the sample), the one found
    most often in the header line (a comma on a tie).

    >>> sniff_delimiter(["name;price", "tea, green;2,5", "milk;1"])
    (';', True)
    >>> sniff_delimiter(["a,b,c", "1,2,3", "4,5"])
    (',', False)
    """
    best, best_fields = "", 1
    for delimiter in TEXT_DELIMITERS:
        widths = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
        if len(widths) == 1 and (width := widths.pop()) > best_fields:
            best, best_fields = delimiter, width
    if best:
        return best, True
    header = lines[0] if lines else ""
    return max(TEXT_DELIMITERS, key=lambda d: (header.count(d), d == ",")), False
