"""Property-based tests of the CSV and Parquet readers: whatever the bytes, a result or one line.

Random bytes, truncations and mutations of small valid files (a transaction
log and a per-customer table, as CSV, gzipped CSV and Parquet) must end in
per-customer features or a :class:`~paradigms.errors.UserError` of one line,
never another exception, each within the deadline.
"""

import gzip
import io
import tempfile
import warnings
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paradigms.errors import UserError
from paradigms.unsupervised.features import CustomerData, load_customers

#: An exception printed instead of raised (PyArrow calling back into Python) fails the test too.
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")

LOG = """\
InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,6,12/1/2010 8:26,2.55,17850,United Kingdom
536366,22633,6,12/1/2010 8:28,1.85,17850,United Kingdom
536367,84879,32,12/1/2010 8:34,1.69,13047,United Kingdom
C536379,D,-1,12/1/2010 9:41,27.5,17850,United Kingdom
536380,22961,12,12/2/2010 10:00,1.45,12583,France
536381,22962,12,12/3/2010 10:00,1.45,13047,United Kingdom
"""
TABLE = "CustomerID,Age,Income,Score,Group\n" + "".join(
    f"{i},{20 + i},{15 + 3 * i},{(7 * i) % 100},{'ab'[i % 2]}\n" for i in range(12)
)


def parquet_bytes(text: str) -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(pd.read_csv(io.StringIO(text)), preserve_index=False), sink)
    return sink.getvalue()


VALID = {
    "log.csv": LOG.encode(),
    "table.csv": TABLE.encode(),
    "log.csv.gz": gzip.compress(LOG.encode(), mtime=0),
    "log.parquet": parquet_bytes(LOG),
    "table.parquet": parquet_bytes(TABLE),
}
FUZZ = settings(max_examples=60, deadline=timedelta(seconds=3), database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


def read(name: str, content: bytes, **kwargs) -> None:
    """Write ``content`` as ``name`` and read it: features or one line of UserError, nothing else."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # text columns left out, ...: warnings are allowed
            try:
                data = load_customers(path, **kwargs)
            except UserError as error:
                assert "\n" not in str(error) and str(error), repr(error)
                return
    assert isinstance(data, CustomerData)
    assert data.features.index.is_unique and pd.api.types.is_float_dtype(data.features.dtypes.iloc[0])


names = st.sampled_from(sorted(VALID))


@FUZZ
@given(suffix=st.sampled_from([".csv", ".parquet", ".csv.gz"]), content=st.binary(max_size=600))
def test_random_bytes(suffix, content):
    read("data" + suffix, content)


@FUZZ
@given(suffix=st.sampled_from([".csv", ".parquet"]), content=st.binary(max_size=200))
def test_random_bytes_behind_a_parquet_or_gzip_signature(suffix, content):
    read("data" + suffix, b"PAR1" + content + b"PAR1")
    read("data.csv", b"\x1f\x8b" + content)


@FUZZ
@given(name=names, data=st.data())
def test_truncations(name, data):
    valid = VALID[name]
    cut = data.draw(st.integers(0, len(valid)), label="cut")
    read(name, valid[:cut])
    read(name, valid[cut:])


@FUZZ
@given(name=names, data=st.data())
def test_mutations(name, data):
    content = bytearray(VALID[name])
    for _ in range(data.draw(st.integers(1, 8), label="mutations")):
        at = data.draw(st.integers(0, len(content) - 1), label="at")
        action = data.draw(st.sampled_from(["replace", "insert", "delete"]), label="action")
        byte = data.draw(st.integers(0, 255), label="byte")
        if action == "replace":
            content[at] = byte
        elif action == "insert":
            content.insert(at, byte)
        elif len(content) > 1:
            del content[at]
    read(name, bytes(content))


@FUZZ
@given(cells=st.lists(st.text(max_size=12), min_size=4, max_size=40))
def test_csv_cells_of_any_text(cells):
    """A well-formed CSV whose cells hold anything (huge numbers, quotes, formulas, NUL-free unicode)."""
    cells = [c.replace("\x00", "") for c in cells]
    frame = pd.DataFrame({"CustomerID": range(len(cells)), "x": cells, "y": list(reversed(cells))})
    read("cells.csv", frame.to_csv(index=False).encode("utf-8"))
    read("cells.csv", frame.to_csv(index=False).encode("utf-8"), kind="customers", features=("x", "y"))


@FUZZ
@given(numbers=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=3, max_size=30))
def test_parquet_numbers_of_any_size(numbers):
    """Parquet float columns with NaN, infinities and values near 1e308, in a log and in a table."""
    n = len(numbers)
    table = pa.table({"CustomerID": list(range(n)), "a": numbers, "b": list(reversed(numbers))})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    read("numbers.parquet", sink.getvalue())
    log = pd.read_csv(io.StringIO(LOG)).sample(n, replace=True, random_state=0).reset_index(drop=True)
    log["Quantity"], log["UnitPrice"] = numbers, list(reversed(numbers))
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(log, preserve_index=False), sink)
    read("log.parquet", sink.getvalue())


@FUZZ
@given(name=st.sampled_from(["log.csv", "log.csv.gz", "log.parquet"]), data=st.data())
def test_mutations_and_truncations_read_by_duckdb(name, data):
    """The streaming reader keeps the same promise: features or one line."""
    content = bytearray(VALID[name])
    cut = data.draw(st.integers(0, len(content)), label="cut")
    at = data.draw(st.integers(0, len(content) - 1), label="at")
    content[at] = data.draw(st.integers(0, 255), label="byte")
    read(name, bytes(content[:cut] if data.draw(st.booleans(), label="truncate") else content), engine="duckdb")
