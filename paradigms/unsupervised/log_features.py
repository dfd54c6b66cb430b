"""Per-customer features of a transaction log, computed by DuckDB in bounded memory.

A year of a mid-sized shop is a hundred million lines, more than memory holds
once parsed; its customers are few (hundreds of thousands to millions). So the
lines never come into Python: DuckDB streams the file (CSV, gzipped CSV, one
Parquet file, a folder or glob of Parquet parts), cleans each line in SQL, and
sums it into one row per customer, spilling its hash tables to disk under a
memory limit (:func:`~.settings.duckdb_memory_limit`), in a temporary folder that is
removed when the read ends, however it ends (success, error, Ctrl-C).

The cleaning is the one :mod:`.transactions` documents, line for line:

* ids (invoice, stock code, customer) are trimmed text, ``NA`` words are
  missing, ``17850.0`` is ``17850``; numbers understand decimal commas, and
  infinities are not numbers; dates are read with the format that parses most
  of a sample of them (:func:`~.transactions.choose_date_format`); an id column
  that is typed (integers, or floats such as ``17850.0`` in Parquet) is grouped
  in its own type, fixed-width, and only the customers' ids are made text, after
  grouping (the text of a finite number is one-to-one with it: same groups);
* exact repeats of a line (in the converted values) are counted and used once:
  the first pass groups equal lines, the second sums them per invoice, the
  third per customer, which gives the distinct invoices without a DISTINCT;
* a log whose lines need more memory than the limit (:data:`BYTES_PER_LINE`) is
  read in parts, by a hash of the customer, one query a part: every line of a
  customer is in one part, so each part's customers are complete, and a part's
  lines and invoices are grouped in memory (a 100-million-line log ran out of
  memory in one query, even spilling). A CSV read in parts is parsed once, into
  Parquet in the spill folder, and the parts read from that copy;
* every check of :class:`~.quality.DataQuality` is counted in the same passes, with as few
  aggregates as the counts allow (an aggregate costs on every one of the ~10^7 line groups):
  the first pass counts only the lines and the missing cells; an unreadable value is a line
  group whose value is NULL without being missing, a missing customer or invoice a NULL key,
  and the duplicates are the lines less the line groups;
* a label column gives each customer one label: the first non-missing one in
  memory, the smallest here (lines have no order once streamed in parallel);
  the two agree wherever a customer has one label, as known groups do.

It costs more than a bare aggregate: every cell is cleaned and the first pass
groups every line, which is what makes exact repeats countable (a bare grouping
of the lines alone costs about 1.4 times the floor's whole query in CPU time at
10 million lines; ``benchmarks/bench_logs.py`` measures the path against the floor).

Amounts and units are summed with compensation (:func:`_compensated_sum`): DuckDB's threads add
the lines in no fixed order, and a plain sum of doubles depends on the order in its last bits,
so the same log gave other features from one read to the next.

The features themselves are ratios of those sums (:func:`features_from_sums`),
the one definition of each.
"""

from __future__ import annotations

import glob as globbing
import gzip
import os
import resource
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..datasets.table_files import TableFile
from ..errors import ConfigError, DataError
from ..progress import Progress
from ..untrusted import PARQUET_SUFFIXES, check_gzip_size, one_line, reading
from .columns import NULL_WORDS
from .quality import DataQuality, QualityIssue
from .settings import duckdb_memory_limit
from .transactions import choose_date_format

if TYPE_CHECKING:
    import duckdb


#: DuckDB's memory for one line of a log while it is grouped (its line and its invoice's share), as
#: measured on the benchmark's logs (about 130 bytes at 10 million lines), with a margin: a log is
#: read in as many parts as its lines need of the memory limit (:func:`part_count`).
BYTES_PER_LINE = 160
#: Lines sampled to choose the date format (its distinct values, at most 500 of them are tried).
DATE_SAMPLE_LINES = 200_000
_DAY = 86400
_SPACE = " \t\n\r\x0b\x0c"


@dataclass(frozen=True)
class LogSums:
    """One row per customer with the sums the features are made of, the quality summary (its notes
    name the engine) and ``engine_note``: the engine and the process's peak memory, a measurement
    like a timing (kept out of the quality summary, which the same seed reproduces exactly)."""

    sums: pd.DataFrame
    quality: DataQuality
    labels: pd.Series | None
    engine_note: str


# -- memory, spill folder, the connection -------------------------------------------------------


@contextmanager
def duckdb_connection(memory_limit: int, spill_parent: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection under ``memory_limit`` bytes that spills into a fresh folder inside
    ``spill_parent`` (a temporary folder without one); the folder is removed when the block
    ends, whether it succeeds, fails or is interrupted."""
    import duckdb  # loaded on the first log read, not when `paradigms --help` starts

    if spill_parent is not None:
        Path(spill_parent).mkdir(parents=True, exist_ok=True)
    spill = Path(tempfile.mkdtemp(prefix=".duckdb-spill-", dir=spill_parent))
    con = None
    try:
        con = duckdb.connect(config={"memory_limit": f"{memory_limit // (1 << 20)}MB", "temp_directory": str(spill),
                                     "preserve_insertion_order": False})
        con.execute("SET enable_progress_bar = true; SET enable_progress_bar_print = false; SET TimeZone = 'UTC'")
        yield con
    finally:
        if con is not None:
            con.close()
        shutil.rmtree(spill, ignore_errors=True)


# -- the source: which files, and each role's column as SQL ---------------------------------------


def parquet_parts(path: str | Path) -> list[Path] | None:
    """The Parquet files of a folder (searched below it) or a glob pattern, sorted; None when
    ``path`` is neither (a single file is read as a :class:`TableFile`)."""
    text = str(path)
    if any(ch in text for ch in "*?["):
        return sorted(Path(p) for p in globbing.glob(os.path.expanduser(text), recursive=True) if Path(p).is_file())
    folder = Path(text).expanduser()
    if folder.is_dir():
        return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in PARQUET_SUFFIXES)
    return None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def source_sql(table_file: TableFile, parts: list[Path] | None, encoding: str) -> str:
    """The ``FROM`` of the log: ``read_parquet`` of its file(s), or ``read_csv`` of every column as text."""
    if table_file.format == "parquet":
        files = parts or [table_file.path]
        return "read_parquet([" + ", ".join(_literal(str(p)) for p in files) + "])"
    columns = "{" + ", ".join(f"{_literal(c)}: 'VARCHAR'" for c in table_file.columns) + "}"
    return (
        f"read_csv({_literal(str(table_file.path))}, columns={columns}, header=true, auto_detect=false, "
        f"delim={_literal(table_file.delimiter)}, quote='\"', escape='\"', ignore_errors=true, "
        f"store_rejects=true, strict_mode=true, null_padding=false, nullstr='', "
        f"compression={_literal('gzip' if table_file.gzipped else 'none')}, encoding={_literal(encoding)})"
    )


_DECIMAL_COMMA = "[-+]?[0-9]+,[0-9]+"
_NUMERIC_TYPES = ("BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                  "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE")


def _trimmed(column: str, kind: str) -> str:
    """A column as trimmed text (``NULL`` where a float is not finite). Only a value that starts or
    ends with a space is trimmed: DuckDB's trim of several characters is slow. The first byte is
    tested by comparing the text with ``'!'`` (bytewise: below it are the empty text and the bytes
    up to the space), which costs less than taking the character out."""
    c = _quote(column)
    if kind in ("FLOAT", "DOUBLE"):
        return f"CASE WHEN isfinite({c}) THEN CAST({c} AS VARCHAR) END"
    if kind != "VARCHAR":
        return f"CAST({c} AS VARCHAR)"  # an integer as text needs no trimming
    return f"CASE WHEN {c} < '!' OR ascii({c}[-1]) <= 32 THEN trim({c}, {_literal(_SPACE)}) ELSE {c} END"


def _missing_words(t: str) -> str:
    """Trimmed text with the ``NA`` words of :data:`~.columns.NULL_WORDS` (and empty cells) missing.
    Every such word holds an ``N``, an ``n`` or is ``?``: only those values are looked up (in a list,
    not with ``IN``, which DuckDB plans as a join)."""
    words = "[" + ", ".join(_literal(w) for w in NULL_WORDS if w) + "]"
    assert all("N" in w or "n" in w or w in ("", "?") for w in NULL_WORDS)
    longest = max(len(w) for w in NULL_WORDS)
    return (f"CASE WHEN {t} = '' OR (length({t}) <= {longest} AND (contains({t}, 'N') OR contains({t}, 'n') "
            f"OR {t} = '?') AND list_contains({words}, {t})) THEN NULL ELSE {t} END")


def _id_text(t: str) -> str:
    """Stage 2 of an id: ``17850.0`` (an id stored as a number) is ``17850``."""
    return (f"CASE WHEN ends_with({t}, '0') AND contains({t}, '.') "
            f"THEN regexp_replace({t}, '^([-+]?[0-9]+)[.]0+$', '\\1') ELSE {t} END")


def _is_numeric(kind: str) -> bool:
    return kind in _NUMERIC_TYPES or kind.startswith("DECIMAL")


def _number_stages(column: str, kind: str, name: str) -> tuple[str, str, str, str, str]:
    """A quantity or price column in three projections: (stage 1 from the column, stage 2 from
    ``{name}_t``, value from ``{name}_u``, missing, non-numeric). Text reads decimal commas; an
    infinity (``inf``, ``1e999``) or a word is not a number."""
    t, u = f"{name}_t", f"{name}_u"
    if _is_numeric(kind):
        return (f"CAST({_quote(column)} AS DOUBLE)", t, u,
                f"({t} IS NULL OR isnan({t}))", f"coalesce(isinf({t}), false)")
    if kind != "VARCHAR":
        raise DataError(f"column {column} holds {kind} values, not numbers")
    comma = (f"CASE WHEN contains({t}, ',') AND regexp_full_match({t}, {_literal(_DECIMAL_COMMA)}) "
             f"THEN replace({t}, ',', '.') WHEN contains({t}, '_') THEN NULL ELSE {t} END")
    value = f"TRY_CAST({u} AS DOUBLE)"
    return _missing_words(_trimmed(column, kind)), comma, value, f"({t} IS NULL)", f"({t} IS NOT NULL AND {name} IS NULL)"


def _date_stages(column: str, kind: str, fmt: str | None, fallback_iso: bool, alias: str) -> tuple[str, str, str]:
    """(stage 1, stage 2 seconds since 1970, missing) of the date column: text parsed with ``fmt``
    (``ISO8601`` is DuckDB's own reading, time zones converted to UTC), timestamps used as they are."""
    if kind.startswith(("TIMESTAMP", "DATE")):
        return f"CAST({_quote(column)} AS TIMESTAMP)", f"epoch(date_trunc('second', {alias}))::BIGINT", f"({alias} IS NULL)"
    if kind != "VARCHAR":
        raise DataError(f"column {column} holds {kind} values, not dates")
    iso = f"CAST(TRY_CAST({alias} AS TIMESTAMPTZ) AS TIMESTAMP)"
    parsed = iso if fmt == "ISO8601" else f"CAST(try_strptime({alias}, {_literal(fmt or '')}) AS TIMESTAMP)"
    if fallback_iso and fmt != "ISO8601":
        parsed = f"coalesce({parsed}, {iso})"
    return _missing_words(_trimmed(column, kind)), f"epoch(date_trunc('second', {parsed}))::BIGINT", f"({alias} IS NULL)"


# -- the query ------------------------------------------------------------------------------------

#: The quality counts of the result, one row per customer (summed into the quality summary).
_COUNTS = ("n", "duplicates", "missing_customer", "missing_invoice", "missing_quantity", "bad_quantity",
           "missing_price", "bad_price_text", "missing_date", "bad_date", "zero_quantity", "bad_price", "cancellations")
#: The counts summed per line in the invoice pass (the others are told from its keys or line counts).
_LINE_COUNTS = tuple(c for c in _COUNTS if c not in ("duplicates", "missing_customer", "missing_invoice"))
_EXAMPLES = ("quantity_example", "price_example", "date_example")
_SUMS = ("frequency", "monetary", "units", "first", "last", "returned", "used_rows")


def _id_key(column: str, kind: str) -> tuple[str, str]:
    """(per line, stage 1) an id column as a grouping key: text is cleaned on every line (trimmed,
    ``NA`` words missing); a typed column (an integer, a float id such as ``17850.0``) is kept in
    its own type, fixed-width and cheaper to group, and turned into text only after grouping
    (:func:`_id_from_key`): the text of a finite number is one-to-one with the number, so the
    groups are the same."""
    if kind == "VARCHAR":
        return _missing_words(_trimmed(column, kind)), "text"
    c = _quote(column)
    return (f"CASE WHEN isfinite({c}) THEN {c} END" if kind in ("FLOAT", "DOUBLE") else c), "typed"


def _id_from_key(key: str, how: str) -> str:
    """A key of :func:`_id_key` as the id's text (stage 2 for text, the whole conversion for a typed key)."""
    if how == "text":
        return _id_text(key)
    return _id_text(_missing_words(f"CAST({key} AS VARCHAR)"))


def _compensated_sum(value: str, name: str, where: str | None = None) -> str:
    """``{name}``: the sum of ``value`` (over the rows ``where`` holds, if given), compensated
    (Kahan-Babuska, DuckDB's ``fsum``): DuckDB's threads add the rows in no fixed order, and a
    plain sum of doubles depends on the order in its last bits (the same log gave other features
    from one read to the next); the compensated sum carries the rounding error along and is
    accurate to about the last bit whatever the order, so reads agree (save where the exact sum
    lies on the edge between two doubles). Measured on a 30-million-line log against ``sum``:
    about 12% more CPU time and 230 MB more peak memory; decimals, exact in every case, cost
    about a fifth more CPU time and 200 MB more at 10 million lines."""
    return f"fsum({value})" + (f" FILTER ({where})" if where else "") + f" AS {name}"


def _part_filter(customer: str, part: tuple[int, int]) -> str:
    """``WHERE`` the lines of customers in part ``i`` of ``n`` (by a hash of the customer's key, its
    cleaned text for a text column, so that each customer falls in one part; all lines when ``n`` is 1)."""
    i, n = part
    return "" if n == 1 else f" WHERE hash({customer}) % {n} = {i}"


def features_query(source: str, roles: Mapping[str, str], kinds: Mapping[str, str], fmt: str | None,
                   fallback_iso: bool, label: str | None, label_kind: str | None, part: tuple[int, int] = (0, 1),
                   *, lines_only: bool = False) -> str:
    """Cleaning in a few projections, then three grouped passes: equal lines, (customer, invoice),
    customer; see the module docstring. Typed ids are grouped in their own type and the customer
    id turned into text on the customers' rows only; ``part`` (``i``, ``n``) keeps the lines of the
    customers of part ``i`` of ``n`` (:func:`part_count`). ``lines_only``: the cleaning alone, its
    cleaned lines the CTE ``line``, for the look-ups that follow the grouped passes."""
    qty1, qty2, qty, qty_missing, qty_bad = _number_stages(roles["quantity"], kinds["quantity"], "qty")
    price1, price2, price, price_missing, price_bad = _number_stages(roles["price"], kinds["price"], "price")
    date1, ts, date_missing = _date_stages(roles["date"], kinds["date"], fmt, fallback_iso, "date_t")
    customer1, customer_how = _id_key(roles["customer"], kinds["customer"])
    invoice1, invoice_how = _id_key(roles["invoice"], kinds["invoice"])
    stock1, stock_how = (_id_key(roles["stock_code"], kinds["stock_code"]) if "stock_code" in roles
                         else ("NULL::VARCHAR", "typed"))
    label0 = _missing_words(_trimmed(label, label_kind or "VARCHAR")) if label else "NULL::VARCHAR"
    # text ids: stage 2 (``17850.0`` is ``17850``) per line; typed ones stay as they are
    customer2 = _id_text("customer_t") if customer_how == "text" else "customer_t"
    invoice2 = _id_text("invoice_t") if invoice_how == "text" else "invoice_t"
    stock2 = _id_text("stock_t") if stock_how == "text" else "stock_t"
    # a cancellation is a C invoice (text only: a number never starts with C) or a negative quantity
    c_invoice = "coalesce(ascii(invoice) IN (67, 99), false)" if invoice_how == "text" else "false"
    lines = f"""
WITH known AS (
  SELECT {customer1} AS customer_t, {invoice1} AS invoice_t, {stock1} AS stock_t, {label0} AS label_t,
         {qty1} AS qty_t, {price1} AS price_t, {date1} AS date_t
  FROM {source}{_part_filter(_id_text(customer1) if customer_how == "text" else customer1, part)}
), prepared AS (
  SELECT {customer2} AS customer, {invoice2} AS invoice, {stock2} AS stock,
         {qty2} AS qty_u, {price2} AS price_u, {ts} AS ts, {date_missing} AS date_missing,
         qty_t, price_t, CAST(date_t AS VARCHAR) AS date_raw, {_id_text('label_t')} AS label
  FROM known
), valued AS (
  SELECT *, {qty} AS qty_d, {price} AS price_d FROM prepared
), finite AS (
  SELECT *, CASE WHEN isfinite(qty_d) THEN qty_d END AS qty, CASE WHEN isfinite(price_d) THEN price_d END AS price
  FROM valued
), line AS (
  SELECT customer, invoice, stock, qty, price, ts, date_missing, date_raw, label,
         {qty_missing} AS qty_missing, {qty_bad} AS qty_bad, {price_missing} AS price_missing, {price_bad} AS price_bad,
         CAST(qty_t AS VARCHAR) AS qty_raw, CAST(price_t AS VARCHAR) AS price_raw
  FROM finite
)"""
    if lines_only:
        return lines
    return lines + f""", distinct_line AS (
  SELECT customer, invoice, stock, qty, price, ts, count(*) AS n, count(*) FILTER (qty_missing) AS missing_quantity,
         count(*) FILTER (price_missing) AS missing_price, count(*) FILTER (date_missing) AS missing_date
  FROM line GROUP BY customer, invoice, stock, qty, price, ts
), flagged AS (
  SELECT *, {c_invoice} OR coalesce(qty < 0, false) AS cancel,
         customer IS NOT NULL AND invoice IS NOT NULL AND qty IS NOT NULL AND price IS NOT NULL
           AND ts IS NOT NULL AND qty <> 0 AND price > 0 AS valid
  FROM distinct_line
), invoice AS (
  SELECT customer, invoice, sum(n) AS n, count(*) AS lines, sum(missing_quantity) AS missing_quantity,
         sum(n - missing_quantity) FILTER (qty IS NULL) AS bad_quantity, sum(missing_price) AS missing_price,
         sum(n - missing_price) FILTER (price IS NULL) AS bad_price_text, sum(missing_date) AS missing_date,
         sum(n - missing_date) FILTER (ts IS NULL) AS bad_date, sum(n) FILTER (qty = 0) AS zero_quantity,
         sum(n) FILTER (price <= 0) AS bad_price, sum(n) FILTER (cancel) AS cancellations,
         {_compensated_sum('abs(qty) * price', 'monetary', 'valid AND NOT cancel')},
         {_compensated_sum('abs(qty)', 'units', 'valid AND NOT cancel')},
         min(ts) FILTER (valid AND NOT cancel) AS first, max(ts) FILTER (valid AND NOT cancel) AS last,
         {_compensated_sum('abs(qty) * price', 'returned', 'valid AND cancel')}, count(*) FILTER (valid) AS used_rows
  FROM flagged GROUP BY customer, invoice
), per_customer AS (
  SELECT customer, {', '.join(f'coalesce(sum({c}), 0)::BIGINT AS {c}' for c in _LINE_COUNTS)},
         (sum(n) - sum(lines))::BIGINT AS duplicates, coalesce(sum(n) FILTER (customer IS NULL), 0)::BIGINT AS missing_customer,
         coalesce(sum(n) FILTER (invoice IS NULL), 0)::BIGINT AS missing_invoice,
         count(*) FILTER (first IS NOT NULL) AS frequency, {_compensated_sum('monetary', 'monetary')}, {_compensated_sum('units', 'units')},
         min(first) AS first, max(last) AS last, {_compensated_sum('returned', 'returned')}, sum(used_rows) AS used_rows
  FROM invoice GROUP BY customer
)
SELECT {_id_from_key('customer', customer_how)} AS customer, * EXCLUDE (customer) FROM per_customer
"""


# -- reading ---------------------------------------------------------------------------------------


def read_log_sums(
    table_file: TableFile,
    roles: Mapping[str, str],
    *,
    parts: list[Path] | None = None,
    date_format: str | None = None,
    label_name: str | None = None,
    memory_limit: str | None = None,
    spill_parent: Path | None = None,
    progress: Progress | None = None,
) -> LogSums:
    """The per-customer sums of a transaction log and its data-quality summary (see the module docstring).

    ``roles`` maps each role (``invoice``, ``quantity``, ...) to the file's column."""
    import duckdb

    limit = duckdb_memory_limit(memory_limit)
    progress = progress or Progress.silent()
    shown = table_file.path if not parts else f"{table_file.path} ({len(parts)} Parquet files)"
    if table_file.gzipped:  # DuckDB unpacks without a bound: a damaged stream or a bomb is refused first
        with reading(table_file.path):
            check_gzip_size(table_file.path, memory_bound=False)  # the text is streamed, not held
    with duckdb_connection(limit, spill_parent) as con:
        try:
            encoding = "latin-1" if table_file.encoding == "latin1" else "utf-8"
            frame, malformed = _run(con, table_file, roles, parts, encoding, date_format, label_name, progress, limit)
            if malformed is not None and malformed[2] and encoding == "utf-8":  # not UTF-8: read as Latin-1
                frame, malformed = _run(con, table_file, roles, parts, "latin-1", date_format, label_name, progress, limit)
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except RuntimeError as exc:  # DuckDB stops a query on SIGINT with RuntimeError("Query interrupted")
            if "interrupted" in str(exc).lower():
                raise KeyboardInterrupt from None
            raise
        except duckdb.Error as exc:
            if isinstance(exc, duckdb.OutOfMemoryException):
                raise DataError(f"{shown}: needs more memory than the limit of {limit / 2**30:.1f} GiB "
                                "even when spilling to disk; raise --memory-limit") from None
            raise DataError(f"{shown}: cannot be read ({one_line(exc)})") from None
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return _summarize(table_file, shown, roles, frame, malformed, label_name, limit, peak)


def _run(con: duckdb.DuckDBPyConnection, table_file: TableFile, roles: Mapping[str, str], parts: list[Path] | None, encoding: str,
         date_format: str | None, label_name: str | None, progress: Progress, limit: int
         ) -> tuple[pd.DataFrame, tuple[int, str, bool] | None]:
    source = source_sql(table_file, parts, encoding)
    types = {row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    kinds = {role: types[column] for role, column in roles.items()}
    fmt, note = date_format, ""
    if kinds["date"] == "VARCHAR" and not date_format:
        column = _quote(roles["date"])
        sample = con.execute(
            f"SELECT DISTINCT t FROM (SELECT {_missing_words(_trimmed(roles['date'], 'VARCHAR'))} AS t "
            f"FROM (SELECT {column} FROM {source} LIMIT {DATE_SAMPLE_LINES})) WHERE t IS NOT NULL ORDER BY t LIMIT 5000"
        ).fetchall()
        fmt, note = choose_date_format(pd.Index([row[0] for row in sample]))
    elif kinds["date"] != "VARCHAR":
        fmt = "timestamp column"
    if date_format:
        try:
            con.execute(f"SELECT try_strptime('2000-01-01', {_literal(date_format)})").fetchall()
        except Exception as exc:  # noqa: BLE001 - DuckDB's words for a format it cannot use
            raise ConfigError(f"date_format {date_format!r} cannot be used ({one_line(exc)})") from None
    estimate = estimated_rows(table_file, parts)
    count = part_count(estimate, limit)

    def query_of(part: tuple[int, int], *, lines_only: bool = False) -> str:
        return features_query(source, roles, kinds, fmt if fmt != "timestamp column" else None,
                              not date_format, label_name, types.get(label_name) if label_name else None, part,
                              lines_only=lines_only)

    try:
        query_of((0, 1))  # built before any reading: a column of a type that holds no numbers is one line now
    except DataError as exc:  # a column of a type that holds no numbers or dates
        raise DataError(f"{table_file.path}: {exc}") from None
    staged = table_file.format == "csv" and count > 1
    steps_done = [0]  # steps finished, for the progress bar
    with _progress_bar(con, progress, estimate, steps_done, count + staged):
        if staged:  # a CSV is parsed once, into Parquet in the spill folder, and its parts read from there
            source = _staged_lines(con, source, [*roles.values(), *([label_name] if label_name else [])])
            steps_done[0] = 1
        frames = []
        for i in range(count):
            frames.append(con.execute(query_of((i, count))).fetch_df())
            steps_done[0] = i + 1 + staged
    frame = frames[0] if count == 1 else pd.concat(frames, ignore_index=True)
    frame.attrs["date_format"], frame.attrs["date_note"] = fmt, note
    # Texts and labels are not carried through the grouped passes: DuckDB cannot spill text aggregates,
    # so they are looked up apart, and only when needed (a bad cell counted; a label column named).
    lines = query_of((0, 1), lines_only=True)  # the whole log's lines (from the staged copy, if any)
    customer_how = _id_key(roles["customer"], kinds["customer"])[1]
    frame.attrs["examples"] = dict.fromkeys(_EXAMPLES, "")
    if frame[["bad_quantity", "bad_price_text", "bad_date"]].to_numpy().sum():
        found = con.execute(f"{lines} SELECT min(qty_raw) FILTER (qty_bad), min(price_raw) FILTER (price_bad), "
                            "min(date_raw) FILTER (ts IS NULL AND NOT date_missing) FROM line").fetchone()
        assert found is not None  # an aggregate without GROUP BY gives one row
        frame.attrs["examples"] = {c: v or "" for c, v in zip(_EXAMPLES, found, strict=True)}
    if label_name:
        frame.attrs["labels"] = con.execute(
            f"{lines} SELECT {_id_from_key('customer', customer_how)} AS customer, label FROM (SELECT customer, "
            "min(label) AS label FROM line WHERE customer IS NOT NULL AND label IS NOT NULL GROUP BY customer)").fetch_df()
    malformed = None
    if table_file.format == "csv":
        rows = con.execute(
            "SELECT count(DISTINCT line), min(line), "
            "count(*) FILTER (error_type = 'INVALID ENCODING' OR error_type = 'INVALID UNICODE') FROM reject_errors"
        ).fetchone()
        assert rows is not None  # an aggregate without GROUP BY gives one row
        example = ""
        if rows[0]:
            found = con.execute(
                "SELECT min(TRY_CAST(regexp_extract(error_message, 'Found: ([0-9]+)', 1) AS INTEGER)), "
                f"min(regexp_extract(error_message, 'Expected Number of Columns: ([0-9]+)', 1)) FROM reject_errors "
                f"WHERE line = {int(rows[1])}"
            ).fetchone()
            assert found is not None  # an aggregate without GROUP BY gives one row
            example = f"line {rows[1]} has {found[0] if found[0] is not None else '?'} fields, expected {found[1] or '?'}"
        malformed = (int(rows[0]), example, bool(rows[2]))
        con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    return frame, malformed


def estimated_rows(table_file: TableFile, parts: list[Path] | None = None) -> int:
    """Rows the log holds: Parquet metadata's count, or a CSV's size over its first lines' length."""
    if table_file.format == "parquet":
        import pyarrow.parquet as pq

        try:
            return sum(pq.read_metadata(p).num_rows for p in (parts or [table_file.path]))
        except Exception:  # noqa: BLE001 - only an estimate; the read says what is wrong
            return 0
    size = table_file.path.stat().st_size
    with (gzip.open if table_file.gzipped else open)(table_file.path, "rb") as fh:
        head = fh.read(1 << 16)
    lines = max(head.count(b"\n"), 1)
    ratio = 5 if table_file.gzipped else 1  # text compresses about five times
    return int(size * ratio / max(len(head) / lines, 1))


def _staged_lines(con: duckdb.DuckDBPyConnection, source: str, columns: list[str]) -> str:
    """The columns the features need, copied from ``source`` into a Parquet file in the connection's
    spill folder (removed with it), as the ``FROM`` of that file."""
    row = con.execute("SELECT current_setting('temp_directory')").fetchone()
    assert row is not None  # a SELECT without FROM gives one row
    folder = Path(row[0])
    staged = folder / "lines.parquet"
    staged.unlink(missing_ok=True)
    names = ", ".join(_quote(c) for c in dict.fromkeys(columns))
    con.execute(f"COPY (SELECT {names} FROM {source}) TO {_literal(str(staged))} (FORMAT parquet)")
    return f"read_parquet({_literal(str(staged))})"


def part_count(rows: int, limit: int) -> int:
    """In how many parts (by customer) a log of about ``rows`` lines is read under ``limit`` bytes:
    each part's lines and invoices must fit in memory (:data:`BYTES_PER_LINE`), as spilling costs
    more than reading the file again (and a log larger than memory ran out of it even spilling)."""
    return max(1, -(-rows * BYTES_PER_LINE // limit))


@contextmanager
def _progress_bar(con: duckdb.DuckDBPyConnection, progress: Progress, estimate: int | None, steps_done: list[int] | None = None,
                  steps: int = 1) -> Iterator[None]:
    """Rows read / estimated, from DuckDB's progress of the running query (the step after
    ``steps_done[0]`` of ``steps``: the parts, and the CSV's copy), polled from a thread."""
    if not progress.enabled:
        yield
        return
    done = threading.Event()

    def poll() -> None:
        with progress.bar(total=estimate, desc="reading the log", unit="rows", unit_scale=True) as bar:
            while not done.wait(0.5):
                share = con.query_progress()
                if share >= 0 and estimate:
                    finished = steps_done[0] if steps_done else 0
                    bar.n = int(min((finished + min(share, 100.0) / 100) / steps, 1.0) * estimate)
                    bar.refresh()

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _summarize(table_file: TableFile, shown: object, roles: Mapping[str, str], frame: pd.DataFrame,
               malformed: tuple[int, str, bool] | None, label_name: str | None, limit: int, peak_mb: float) -> LogSums:
    total = {c: int(frame[c].sum()) for c in _COUNTS}
    example = frame.attrs["examples"]
    n = total["n"]
    if n == 0:
        raise DataError(f"{shown} has a header but no data rows")
    for role, missing, bad in (("quantity", "missing_quantity", "bad_quantity"), ("price", "missing_price", "bad_price_text")):
        if total[missing] == n:
            raise DataError(f"{shown}: column {roles[role]} has no values (all missing)")
        if total[missing] + total[bad] == n:
            raise DataError(f"{shown}: column {roles[role]} holds no numbers (e.g. {example[f'{role}_example']!r}); "
                            "is it the right column?")
    if total["missing_date"] == n:
        raise DataError(f"{shown}: column {roles['date']} has no values (all missing)")
    if total["missing_date"] + total["bad_date"] == n:
        raise DataError(f"{shown}: no date in column {roles['date']} could be read (e.g. {example['date_example']!r}); "
                        "give --date-format")
    if total["missing_customer"] == n:
        raise DataError(f"{shown}: column {roles['customer']} has no values (all missing): no customer can be told apart")
    count, malformed_example = (malformed[0], malformed[1]) if malformed else (0, "")
    issues = (
        QualityIssue("malformed rows (wrong number of fields)", count, "skipped by the reader", malformed_example),
        QualityIssue("duplicate rows", total["duplicates"], "removed (first copy kept)"),
        QualityIssue(f"missing {roles['customer']}", total["missing_customer"], "left out: cannot be attributed to a customer"),
        QualityIssue(f"missing {roles['invoice']}", total["missing_invoice"], "left out"),
        QualityIssue(f"missing {roles['quantity']}", total["missing_quantity"], "left out"),
        QualityIssue(f"non-numeric {roles['quantity']}", total["bad_quantity"], "left out", example["quantity_example"]),
        QualityIssue(f"missing {roles['price']}", total["missing_price"], "left out"),
        QualityIssue(f"non-numeric {roles['price']}", total["bad_price_text"], "left out", example["price_example"]),
        QualityIssue(f"missing {roles['date']}", total["missing_date"], "left out"),
        QualityIssue(f"unparseable {roles['date']}", total["bad_date"], "left out", example["date_example"]),
        QualityIssue(f"zero {roles['quantity']}", total["zero_quantity"], "left out"),
        QualityIssue(f"zero or negative {roles['price']}", total["bad_price"], "left out (adjustments, free items)"),
        QualityIssue("cancellations (C invoices, negative quantities)", total["cancellations"], "used as returns, not purchases"),
    )
    used = frame[frame["customer"].notna() & (frame["used_rows"] > 0)]
    fmt, note = frame.attrs.get("date_format"), frame.attrs.get("date_note", "")
    engine = f"read by DuckDB under a {limit / 2**30:.1f} GiB memory limit (spilling to disk past it)"
    notes = tuple(x for x in (note, f"dates read as {fmt}" if fmt else "", engine) if x)
    quality = DataQuality(
        source=str(shown), kind="transaction log", rows_read=n + count, rows_used=int(used["used_rows"].sum()),
        customers=len(used), issues=issues, notes=notes,
    )
    sums = used.set_index(pd.Index(used["customer"].astype(str).to_numpy(), name="customer_id"))[list(_SUMS)]
    labels = None
    if label_name is not None:
        labelled = frame.attrs["labels"]
        labels = pd.Series(labelled["label"].astype(str).to_numpy(), index=labelled["customer"].astype(str).to_numpy(),
                           name="label")
    return LogSums(sums=sums, quality=quality, labels=labels,
                   engine_note=f"{engine}; peak memory of the process {peak_mb:,.0f} MB")


def features_from_sums(sums: pd.DataFrame) -> pd.DataFrame:
    """The :data:`~.features.FEATURES` of each customer who bought something, from the per-customer
    sums (``frequency``: distinct purchase invoices; ``monetary``, ``units``, ``returned``: spent,
    bought and sent back; ``first``, ``last``: purchase times in seconds), sorted by customer id
    (numerically when every id is a number). "Now" is the day after the log's last purchase."""
    bought = sums[sums["frequency"] > 0]
    frequency = bought["frequency"].to_numpy(np.float64)
    monetary = bought["monetary"].to_numpy(np.float64)
    units = bought["units"].to_numpy(np.float64)
    returned = bought["returned"].fillna(0).to_numpy(np.float64)
    last, first = bought["last"].to_numpy(np.int64), bought["first"].to_numpy(np.int64)
    end = (int(last.max()) if len(last) else 0) // _DAY * _DAY + _DAY
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "recency_days": (end - last) / _DAY,
                "frequency": frequency,
                "monetary": monetary,
                "avg_basket_value": monetary / frequency,
                "items_per_invoice": units / frequency,
                "avg_unit_price": monetary / units,
                "tenure_days": (end - first) / _DAY,
                "return_rate": np.clip(returned / monetary, 0.0, 1.0),
            },
            index=pd.Index(bought.index.astype(str), name="customer_id"),
        )
    ids = table.index.to_numpy().astype(str)
    if len(ids) and np.char.isdigit(ids).all():  # numeric order, for ids of any length: by digits, then text
        digits = np.char.lstrip(ids, "0")
        order = np.lexsort((digits, np.char.str_len(digits)))
    else:
        order = np.argsort(ids, kind="stable")
    return table.iloc[order]


__all__ = [
    "LogSums",
    "duckdb_connection",
    "estimated_rows",
    "features_from_sums",
    "features_query",
    "part_count",
    "parquet_parts",
    "read_log_sums",
]
