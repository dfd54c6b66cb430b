"""Files a user hands over are untrusted: each problem is one line naming the file (and column), memory stays bounded."""

import gzip
import os
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from paradigms import untrusted
from paradigms.cli import main
from paradigms.errors import ConfigError, DataError
from paradigms.unsupervised.columns import to_numbers
from paradigms.unsupervised.estimator import CustomerSegmenter
from paradigms.unsupervised.features import load_customers


def one_line_error(error, path, **kwargs):
    """Load ``path`` and return the one-line message of the ``error`` it raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(error) as info:
            load_customers(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message, message
    return message


def run_cli(path, tmp_path, capsys, *extra):
    """``paradigms run unsupervised --data path``: the exit code and the one line it printed."""
    code = main(["run", "unsupervised", "--data", str(path), "--out", str(tmp_path / "out"), *extra])
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return code, err


# -- special files, folders, empty and binary files -------------------------------------------


def test_a_fifo_a_device_and_a_folder_are_refused_before_reading(tmp_path, capsys):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    for path, words in ((fifo, "special file"), (tmp_path, "is a folder"), ("/dev/zero", "special file")):
        code, err = run_cli(path, tmp_path, capsys)
        assert code == 2 and words in err and str(path) in err


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"\n \n\t\n", "is empty"),
        (b"\xef\xbb\xbf", "is empty"),  # a byte-order mark alone
        (b"id,x,y\n", "has a header but no data rows"),
        (b"\x00\x01\x02binary\x00" * 10, "not a CSV text file"),
        (gzip.compress(b""), "empty once unpacked"),
    ],
)
def test_empty_and_binary_files(tmp_path, content, message):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    assert message in one_line_error(DataError, path)


# -- corrupt, truncated, unsupported ----------------------------------------------------------


def test_a_malformed_row_that_is_not_utf8_is_skipped_and_counted_quietly(tmp_path, capfd):
    path = tmp_path / "data.csv"
    path.write_bytes(b"id,x,y\n1,2,3\n2,3,4\n3,4,5,\xbb\n")
    data = load_customers(path)
    assert list(data.features.index) == ["1", "2"] and data.quality.count("malformed rows") == 1
    assert capfd.readouterr().err == ""  # PyArrow's failed call of the row handler is not printed


def test_truncated_gzip_is_one_line(tmp_path, messy_csv):
    packed = gzip.compress(messy_csv.read_bytes() * 50)
    path = tmp_path / "log.csv.gz"
    path.write_bytes(packed[: len(packed) // 2])
    assert "damaged or truncated gzip" in one_line_error(DataError, path)


def test_a_gzip_bomb_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(untrusted, "GZIP_FREE", 1 << 20)  # small, so that the test stays fast
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(b"id,x\n" + b"1,2\n" * 1_000_000, compresslevel=9))
    assert "a decompression bomb" in one_line_error(DataError, path)


def test_corrupt_and_truncated_parquet_are_one_line(tmp_path):
    good = tmp_path / "good.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "x": [1.0, 2.0, 3.0]}), good)
    data = good.read_bytes()
    for name, content in (("cut.parquet", data[:-20]), ("noise.parquet", b"PAR1" + bytes(range(256)) * 3),
                          ("head.parquet", data[:40] + data[-8:])):
        path = tmp_path / name
        path.write_bytes(content)
        message = one_line_error(DataError, path)
        assert str(path) in message and "Parquet" in message


def test_arrow_not_implemented_becomes_one_line_naming_the_column(tmp_path):
    path = tmp_path / "nested.parquet"
    table = pa.table({"CustomerID": pa.array([[1], [2], [3]]), "x": [1.0, 2.0, 3.0]})  # a list-typed id column
    pq.write_table(table, path)
    message = one_line_error(DataError, path)
    assert f"{path}: column CustomerID: cannot be read (ArrowNotImplementedError" in message


def test_a_parquet_file_claiming_more_than_memory_allows_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"id": np.arange(10_000), "x": np.zeros(10_000)}), path)
    monkeypatch.setattr(untrusted, "memory_limit", lambda: 50_000)
    assert "more than this machine can hold" in one_line_error(DataError, path)


# -- columns ---------------------------------------------------------------------------------


def test_two_columns_of_the_same_name_are_refused_never_one_dropped(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("id,x,x\n1,2,3\n2,3,4\n")
    assert "two columns are named 'x'" in one_line_error(DataError, path)
    parquet = tmp_path / "twice.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array([1, 2]), pa.array([1.0, 2.0]), pa.array([3.0, 4.0])],
                                        names=["id", "x", "x"]), parquet)
    assert "two columns are named 'x'" in one_line_error(DataError, parquet)


def test_two_columns_that_both_match_a_role_are_refused(tmp_path, messy_csv):
    path = tmp_path / "log.csv"
    header, *rows = messy_csv.read_text().splitlines()
    header = header.replace("CustomerID", "Customer ID") + ",customer_id"  # neither is spelled CustomerID
    path.write_text("\n".join([header] + [row + ",1" for row in rows[:3]]) + "\n")
    message = one_line_error(DataError, path)
    assert "columns 'Customer ID' and 'customer_id' both match 'CustomerID'; rename one" in message


# -- numbers too large --------------------------------------------------------------------------


def test_infinite_cells_are_not_numbers():
    column = to_numbers(pa.array(["1.5", "inf", "1e999", "-Infinity", "2", None]))
    assert column.non_numeric.tolist() == [False, True, True, True, False, False]
    assert np.isfinite(column.values[~column.non_numeric & ~column.missing]).all()
    floats = to_numbers(pa.array([1.0, np.inf, None]))
    assert floats.non_numeric.tolist() == [False, True, False] and floats.missing.tolist() == [False, False, True]


def test_values_near_1e308_in_a_table_are_one_line_naming_the_column(tmp_path, capsys):
    path = tmp_path / "huge.csv"
    path.write_text("id,balance,visits\n" + "".join(
        f"{i},{(-1) ** i * 1.7e308},{i % 7}\n" for i in range(30)))
    code, err = run_cli(path, tmp_path, capsys, "--k", "2")
    assert code == 1 and "feature 'balance' has values too large to scale" in err


def test_values_near_1e308_in_a_log_overflow_to_one_line_naming_the_feature(tmp_path, messy_csv):
    path = tmp_path / "log.csv"
    path.write_text(messy_csv.read_text().replace("536380,22961,JAM JAR,12,", "536380,22961,JAM JAR,1e308,")
                    .replace("12/2/2010 10:00,1.45,", "12/2/2010 10:00,1e308,"))
    message = one_line_error(DataError, path)
    assert "feature monetary overflows to infinity (e.g. customer 12583)" in message


def test_the_segmenter_names_a_feature_too_large_to_scale():
    X = pd.DataFrame({"fine": np.arange(10.0), "huge": [(-1) ** i * 1.5e308 for i in range(10)]})
    with pytest.raises(DataError, match="feature 'huge' has values too large to scale"):
        CustomerSegmenter(n_clusters=2).fit(X)


def test_a_customer_id_longer_than_any_integer_is_sorted_as_a_number(tmp_path, messy_csv):
    path = tmp_path / "log.csv"
    long_id = "123456789012345678901234567890"
    path.write_text(messy_csv.read_text().replace(",17850,", f",{long_id},", 3))  # usable rows of a new customer
    data = load_customers(path)
    # in numeric order (as text it would sort first), with no overflow on the way
    assert list(data.features.index) == ["12583", "17850", long_id]
    assert isinstance(data.features.index[0], str)


def test_a_missing_file_is_exit_2_and_names_it(tmp_path, capsys):
    code, err = run_cli(tmp_path / "absent.csv", tmp_path, capsys)
    assert code == 2 and "absent.csv: no such file" in err


def test_refused_files_raise_config_errors_in_the_api(tmp_path):
    with pytest.raises(ConfigError, match="is a folder"):
        load_customers(tmp_path)
