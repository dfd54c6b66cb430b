import numpy as np
import pandas as pd

from paradigms.unsupervised.generator import COLUMNS, PERSONAS, generate_transactions


def test_same_seed_same_log_and_another_seed_another_log():
    a = generate_transactions(150, seed=5)
    b = generate_transactions(150, seed=5)
    c = generate_transactions(150, seed=6)
    assert a.transactions.equals(b.transactions)
    assert a.personas.equals(b.personas)
    assert not a.transactions.equals(c.transactions)


def test_written_csv_has_the_online_retail_layout_and_no_personas(tmp_path):
    log = generate_transactions(120, seed=1)
    path = log.write(tmp_path / "log.csv")
    lines = path.read_text().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    frame = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str})
    assert len(frame) == log.n_rows
    assert "persona" not in " ".join(frame.columns).lower()
    # dates as in the UCI file: month/day/year hour:minute, no zero padding
    assert frame["InvoiceDate"].str.fullmatch(r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}").all()


def test_the_log_carries_the_dirt_of_real_logs():
    frame = generate_transactions(400, seed=2).to_pandas()
    cancelled = frame["InvoiceNo"].str.startswith("C")
    assert cancelled.any() and (frame.loc[cancelled, "Quantity"] < 0).all()
    assert frame["CustomerID"].isna().mean() > 0.02  # guest orders
    assert frame.duplicated().sum() > 0
    assert frame["Description"].isna().any()
    assert (frame["UnitPrice"] == 0).any()
    clean = generate_transactions(400, seed=2, messy=False).to_pandas()
    assert clean["CustomerID"].notna().all() and (clean["UnitPrice"] > 0).all()


def test_every_persona_is_present_in_its_share():
    log = generate_transactions(3000, seed=0)
    shares = log.personas["persona"].value_counts(normalize=True)
    for persona in PERSONAS:
        assert abs(shares[persona.name] - persona.share) < 0.04
    assert log.personas["customer_id"].is_unique


def test_parquet_output_round_trips(tmp_path):
    log = generate_transactions(60, seed=4)
    path = log.write(tmp_path / "log.parquet")
    back = pd.read_parquet(path)
    assert list(back.columns) == list(COLUMNS)
    assert np.array_equal(back["Quantity"].to_numpy(), log.to_pandas()["Quantity"].to_numpy())
