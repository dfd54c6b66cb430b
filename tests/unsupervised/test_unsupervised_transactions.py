import gzip

import numpy as np
import pandas as pd
import pytest

from paradigms.errors import ConfigError, DataError
from paradigms.unsupervised.columns import duplicate_rows, to_numbers
from paradigms.unsupervised.transactions import (
    match_columns,
    parse_column_mapping,
    parse_dates,
    read_transactions,
)


def test_messy_rows_are_counted_not_silently_dropped(messy_csv):
    log = read_transactions(messy_csv)
    q = log.quality
    assert q.rows_read == 13
    expected = {
        "malformed rows": 1,
        "duplicate rows": 1,
        "missing CustomerID": 1,
        "missing Quantity": 1,
        "non-numeric Quantity": 1,
        "unparseable InvoiceDate": 1,
        "zero or negative UnitPrice": 1,
        "missing UnitPrice": 1,
        "cancellations": 1,
    }
    for issue, rows in expected.items():
        assert q.count(issue) == rows, issue
    table = q.table()
    assert {"issue", "rows", "share", "action"} <= set(table.columns)
    assert table.loc[table.issue == "non-numeric Quantity", "example"].item() == "three"
    assert table.loc[table.issue == "unparseable InvoiceDate", "example"].item() == "not a date"
    # usable: four purchase rows and one return, from two customers ("17850.0" is "17850")
    assert log.n_rows == 5 and q.rows_used == 5
    assert sorted(log.customer_ids) == ["12583", "17850"]
    assert log.is_return.sum() == 1
    assert "duplicate rows: 1" in q.summary()


def test_dates_in_common_formats():
    import pyarrow as pa

    us = parse_dates(pa.array(["12/1/2010 8:26", "1/13/2011 17:05", None]))
    assert us.format == "%m/%d/%Y %H:%M" and us.missing.tolist() == [False, False, True]
    assert str(us.values[1]) == "2011-01-13T17:05:00"
    iso = parse_dates(pa.array(["2010-12-01 08:26:00", "2011-01-13T17:05:00"]))
    assert str(iso.values[0]) == "2010-12-01T08:26:00"
    day_first = parse_dates(pa.array(["13/01/2011 17:05", "01/12/2010 08:26"]))
    assert str(day_first.values[1]) == "2010-12-01T08:26:00"
    given = parse_dates(pa.array(["01.12.2010", "garbage"]), date_format="%d.%m.%Y")
    assert str(given.values[0]).startswith("2010-12-01") and given.unparseable.tolist() == [False, True]


def test_ambiguous_dates_are_read_month_first_with_a_note():
    import pyarrow as pa

    dates = parse_dates(pa.array(["01/02/2011 10:00", "03/04/2011 11:00"]))
    assert str(dates.values[0]).startswith("2011-01-02")
    assert "--date-format" in dates.note


def test_column_names_match_ignoring_case_and_punctuation():
    found = match_columns(["invoice_no", "Stock-Code", "QTY", "Invoice Date", "unit price", "Customer ID"])
    assert found == {
        "invoice": "invoice_no", "stock_code": "Stock-Code", "quantity": "QTY",
        "date": "Invoice Date", "price": "unit price", "customer": "Customer ID",
    }
    # the "Online Retail II" names work as they are
    found = match_columns(["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"])
    assert found["invoice"] == "Invoice" and found["price"] == "Price" and found["customer"] == "Customer ID"


def test_a_mapping_names_other_columns(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("Order,Units,When,Cost,Client Ref\nA1,2,2011-03-01 10:00,1.5,c1\nA2,1,2011-03-02 10:00,4.0,c2\n")
    mapping = parse_column_mapping("invoice=Order; quantity=Units, date=When, price=Cost, CustomerID=Client Ref")
    assert mapping["customer"] == "Client Ref"
    log = read_transactions(path, columns=mapping)
    assert sorted(log.customer_ids) == ["c1", "c2"] and log.n_rows == 2


@pytest.mark.parametrize(
    "mapping, message",
    [
        ("customer", "should read ROLE=COLUMN"),
        ("shoe=Size", "not a column role"),
        ("customer=Client Reff", "did you mean 'Client Ref'"),
    ],
)
def test_bad_mappings_say_what_is_wrong(tmp_path, mapping, message):
    path = tmp_path / "orders.csv"
    path.write_text("Order,Units,When,Cost,Client Ref\nA1,2,2011-03-01,1.5,c1\n")
    with pytest.raises(ConfigError, match=message):
        read_transactions(path, columns=mapping)


def test_parquet_gzip_and_semicolon_files_read_like_the_csv(messy_csv, tmp_path):
    reference = read_transactions(messy_csv)
    frame = pd.read_csv(messy_csv, dtype=str, on_bad_lines="skip", keep_default_na=False)
    parquet = tmp_path / "messy.parquet"
    frame.to_parquet(parquet)
    gz = tmp_path / "messy.csv.gz"
    gz.write_bytes(gzip.compress(messy_csv.read_bytes()))
    semicolon = tmp_path / "messy_eu.csv"
    semicolon.write_text(messy_csv.read_text().replace(",", ";").replace("2.55", "2,55"))
    for path in (parquet, gz, semicolon):
        log = read_transactions(path)
        assert sorted(log.customer_ids) == sorted(reference.customer_ids), path
        assert np.isclose(log.price.sum(), reference.price.sum()), path


def test_latin1_files_are_read(tmp_path, messy_csv):
    path = tmp_path / "latin1.csv"
    path.write_bytes(messy_csv.read_text().replace("HAND WARMER", "CAFÉ WARMER").encode("latin-1"))
    assert read_transactions(path).n_rows == 5


def test_numbers_with_decimal_commas_and_stray_words():
    import pyarrow as pa

    numbers = to_numbers(pa.array(["1.5", "2,25", " 3 ", "NA", "", "abc", None]))
    assert np.allclose(numbers.values[:3], [1.5, 2.25, 3.0])
    assert numbers.missing.tolist() == [False, False, False, True, True, False, True]
    assert numbers.non_numeric.tolist() == [False, False, False, False, False, True, False]
    assert numbers.example == "abc"


def test_duplicate_rows_agrees_with_pandas():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.integers(0, 5, 3000), "b": rng.integers(0, 4, 3000), "c": rng.choice([0.5, np.nan], 3000)})
    assert np.array_equal(duplicate_rows(*(frame[c].to_numpy() for c in frame)), frame.duplicated().to_numpy())


@pytest.mark.parametrize(
    "content, message",
    [
        ("InvoiceNo,Quantity,CustomerID\n1,2,3\n", "missing required columns InvoiceDate (date), UnitPrice (price); columns found: InvoiceNo, Quantity, CustomerID"),
        ("InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\n", "has a header but no data rows"),
        ("InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\n1,x,12/1/2010 8:26,1,5\n2,y,12/1/2010 8:26,1,6\n", "column Quantity holds no numbers (e.g. 'x')"),
        ("InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\n1,1,12/1/2010 8:26,,5\n2,2,12/1/2010 8:26,NA,6\n", "column UnitPrice has no values"),
        ("InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\n1,1,someday,1,5\n", "give one with --date-format"),
    ],
)
def test_unusable_logs_fail_with_one_line(tmp_path, content, message):
    path = tmp_path / "log.csv"
    path.write_text(content)
    with pytest.raises(DataError) as info:
        read_transactions(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_parquet_timestamps_finer_than_a_second_are_read(tmp_path):
    # a Parquet log keeps datetimes to the microsecond: they are cut to seconds, not refused
    times = pd.to_datetime(["2010-12-01 08:26:00.250", "2010-12-01 09:01:30.999", "2010-12-02 10:00:00.5"])
    frame = pd.DataFrame({"InvoiceNo": ["1", "2", "3"], "StockCode": ["A", "B", "A"], "Quantity": [2, 1, 5],
                          "InvoiceDate": times, "UnitPrice": [2.5, 1.0, 3.0], "CustomerID": ["7", "8", "7"]})
    frame.to_parquet(tmp_path / "fine.parquet")
    log = read_transactions(tmp_path / "fine.parquet")
    assert log.n_rows == 3
    seconds = sorted(log.seconds - log.seconds.min())
    assert seconds == [0, 35 * 60 + 30, 24 * 3600 + 94 * 60]  # 08:26:00, 09:01:30, next day 10:00:00
