import warnings

import numpy as np
import pytest

from paradigms.errors import ConfigError, DataError
from paradigms.unsupervised.features import FEATURES, customer_features, load_customers
from paradigms.unsupervised.transactions import read_transactions


def test_features_of_a_hand_made_log(messy_csv):
    table = customer_features(read_transactions(messy_csv))
    assert list(table.columns) == list(FEATURES)
    a, b = table.loc["17850"], table.loc["12583"]
    # 17850 bought 6 x 2.55 + 6 x 3.39 on invoice 536365 and 6 x 1.85 on 536366; sent back 1 x 27.50
    assert a.frequency == 2
    assert a.monetary == pytest.approx(46.74)
    assert a.avg_basket_value == pytest.approx(23.37)
    assert a.items_per_invoice == pytest.approx(9.0)
    assert a.avg_unit_price == pytest.approx(46.74 / 18)
    assert a.return_rate == pytest.approx(27.5 / 46.74)
    # the log's last purchase is on 2 Dec 2010, so "now" is 3 Dec 00:00
    assert a.recency_days == pytest.approx(1 + (24 * 60 - (8 * 60 + 28)) / 1440)
    assert a.tenure_days == pytest.approx(1 + (24 * 60 - (8 * 60 + 26)) / 1440)
    assert b.frequency == 1 and b.monetary == pytest.approx(17.4)
    assert b.recency_days == pytest.approx(14 / 24) and b.return_rate == 0


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_logs_columns_are_matched_once_whichever_engine_reads_it(messy_csv, monkeypatch, engine):
    from paradigms.unsupervised import transactions

    calls = []
    match = transactions.match_columns
    monkeypatch.setattr(transactions, "match_columns", lambda *a, **k: calls.append(a) or match(*a, **k))
    monkeypatch.setattr("paradigms.unsupervised.features.match_columns", transactions.match_columns)
    data = load_customers(messy_csv, engine=engine)
    assert len(calls) == 1 and data.features.loc["17850"].frequency == 2


def test_generated_log_gives_one_row_per_customer_with_sane_values(generated):
    log, _, data, truth = generated
    features = data.features
    assert data.kind == "transaction log"
    assert features.index.is_unique and truth.notna().all()
    assert len(features) == len(log.personas)
    assert (features["frequency"] >= 1).all() and (features["monetary"] > 0).all()
    assert features["return_rate"].between(0, 1).all()
    assert (features["tenure_days"] >= features["recency_days"]).all()
    # the personas differ the way they were built to
    medians = features.groupby(truth).median()
    assert medians.loc["loyal regulars", "frequency"] > 3 * medians.loc["lapsed customers", "frequency"]
    assert medians.loc["big-ticket occasionals", "avg_unit_price"] > 4 * medians.loc["bargain hunters", "avg_unit_price"]
    assert medians.loc["lapsed customers", "recency_days"] > 150 > medians.loc["new customers", "tenure_days"]


def test_a_per_customer_table_is_recognised(tmp_path):
    path = tmp_path / "mall.csv"
    rows = ["CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100),Segment"]
    rng = np.random.default_rng(0)
    for i in range(40):
        rows.append(f"{i + 1},{'Male' if i % 2 else 'Female'},{20 + i},{rng.integers(15, 140)},{rng.integers(1, 100)},{'ab'[i % 2]}")
    rows.append("41,Female,NA,50,50,a")  # a missing value
    rows.append("42,Male,33,lots,50,b")  # a non-numeric value
    path.write_text("\n".join(rows) + "\n")
    with pytest.warns(UserWarning, match="text columns Gender"):
        data = load_customers(path, label_column="Segment")
    assert data.kind == "per-customer table"
    assert list(data.features.columns) == ["Age", "Annual Income (k$)", "Spending Score (1-100)"]
    assert data.features.index[0] == "1" and len(data.features) == 40
    assert data.labels is not None and set(data.labels) == {"a", "b"}
    assert data.quality.count("rows with missing values") == 1
    assert data.quality.count("rows with non-numeric values") == 1
    chosen = load_customers(path, features=("Annual Income (k$)", "spending score (1-100)"))
    assert chosen.features.shape == (41, 2)


def test_a_table_without_id_column_numbers_the_rows(tmp_path):
    path = tmp_path / "wholesale.csv"
    path.write_text("Fresh,Milk,Grocery\n12669,9656,7561\n7057,9810,9568\n6353,8808,7684\n")
    data = load_customers(path)
    assert list(data.features.index) == ["1", "2", "3"]
    assert any("numbered by row" in note for note in data.quality.notes)


@pytest.mark.parametrize(
    "content, kwargs, error, message",
    [
        ("id,x,y\n1,,\n2,,\n", {}, DataError, "column x has no values (all missing)"),
        ("id,name\n1,ann\n2,bob\n", {}, DataError, "no numeric columns to cluster"),
        ("id,x,name\n1,2,ann\n2,3,bob\n", {"features": ("name",)}, DataError, "column name is not numeric (e.g. 'ann')"),
        ("id,x\n1,2\n", {"features": ("z",)}, ConfigError, "features 'z' not in"),
        ("id,x\n1,2\n1,3\n", {"label_column": "truth"}, ConfigError, "label_column 'truth' is not a column"),
        ("id,x\n1,2\n", {"kind": "transactions"}, DataError, "missing required columns"),
    ],
)
def test_bad_tables_fail_with_one_line(tmp_path, content, kwargs, error, message):
    path = tmp_path / "table.csv"
    path.write_text(content)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(error) as info:
            load_customers(path, **kwargs)
    assert message in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    "name, content, error, message",
    [
        ("empty.csv", b"", DataError, "is empty"),
        ("book.xlsx", b"PK\x03\x04rest of a zip", DataError, "Excel workbook"),
        ("noise.csv", bytes(range(256)) * 4, DataError, "not a CSV text file"),
        ("folder", None, ConfigError, "is a folder"),
        ("absent.csv", "absent", ConfigError, "no such file"),
    ],
)
def test_files_that_are_not_tables(tmp_path, name, content, error, message):
    path = tmp_path / name
    if content is None:
        path.mkdir()
    elif content != "absent":
        path.write_bytes(content)
    with pytest.raises(error, match=message):
        load_customers(path)
