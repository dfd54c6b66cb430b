"""The two readers of a transaction log, DuckDB (streaming, bounded memory) and in memory, agree.

Same features to floating-point tolerance, same quality counts, same customers, on
hand-made edge cases, the generated shop and the file kinds a log comes in; the
DuckDB reader also takes folders and globs of Parquet parts, honours a memory
limit by spilling to disk, and removes its spill folder however the read ends.
"""

import gzip
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from log_samples import MESSY_LOG

from paradigms.errors import ConfigError, DataError
from paradigms.unsupervised.features import load_customers
from paradigms.unsupervised.settings import UnsupervisedSettings, duckdb_memory_limit

#: Edge cases beside MESSY_LOG: spaces around cells, NA words, "17850.0", a guest's repeated line,
#: a digit group ("1_000"), ISO dates with a time zone, a negative quantity on an ordinary invoice,
#: a customer with returns only, decimal commas in quotes, an infinite price.
EDGES = """\
Invoice,StockCode,Quantity,InvoiceDate,Price,Customer ID,Country
 A1 ,S1, 2 ,2011-03-01 10:00:00+02:00,1.5, 17850 ,UK
A1,S2,3,2011-03-01T08:00:00,"2,5",17850.0,UK
A2,S1,1_000,2011-03-02 09:00:00,1.5,17850,UK
A3,S3,4,2011-03-02 09:30:00,inf,12583,FR
A3,S4,NULL,2011-03-02 09:30:00,2,12583,FR
A4,S1,5,2011-03-03 12:00:00,3,,UK
A4,S1,5,2011-03-03 12:00:00,3,,UK
A5,S5,-2,2011-03-04 12:00:00,4,12583,FR
A6,S6,6,2011-03-05 12:00:00,1.25,12583,FR
A6,S6,6,2011-03-05 12:00:00,1.25,12583,FR
C7,S1,-1,2011-03-06 12:00:00,1.5,99999,UK
A8,S7,2,n/a,1.5,12583,FR
A9,S8,7,2011-03-07 12:00:00,0,12583,FR
"""


def both(path, **kwargs):
    """The log read by DuckDB and in memory."""
    return (load_customers(path, engine="duckdb", **kwargs), load_customers(path, engine="memory", **kwargs))


def assert_same(duck, memory):
    assert list(duck.features.index) == list(memory.features.index)
    assert list(duck.features.columns) == list(memory.features.columns)
    np.testing.assert_allclose(duck.features.to_numpy(), memory.features.to_numpy(), rtol=1e-9, atol=1e-9)
    dq, mq = duck.quality, memory.quality
    assert (dq.rows_read, dq.rows_used, dq.customers) == (mq.rows_read, mq.rows_used, mq.customers)
    assert [(i.name, i.rows) for i in dq.issues] == [(i.name, i.rows) for i in mq.issues]
    for d, m in zip(dq.issues, mq.issues, strict=True):
        if d.rows == 1 and not d.name.startswith("malformed"):  # one example only: the same one
            assert d.example == m.example, d.name
    assert [n for n in dq.notes if not n.startswith("read ")] == [n for n in mq.notes if not n.startswith("read ")]
    assert any(n.startswith("read by DuckDB") for n in dq.notes) and any(n.startswith("read in memory") for n in mq.notes)
    if memory.labels is not None:
        pd.testing.assert_series_equal(duck.labels, memory.labels)


def test_the_engines_agree_on_the_messy_log_and_its_other_file_kinds(messy_csv, tmp_path):
    assert_same(*both(messy_csv))
    gz = tmp_path / "messy.csv.gz"
    gz.write_bytes(gzip.compress(messy_csv.read_bytes()))
    semicolon = tmp_path / "messy_eu.csv"
    semicolon.write_text(messy_csv.read_text().replace(",", ";").replace("2.55", "2,55"))
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(MESSY_LOG.replace("HAND WARMER", "CAFÉ WARMER").encode("latin-1"))
    parquet = tmp_path / "messy.parquet"
    pd.read_csv(messy_csv, dtype=str, on_bad_lines="skip", keep_default_na=False).to_parquet(parquet)
    for path in (gz, semicolon, latin1, parquet):
        assert_same(*both(path))


def test_the_engines_agree_on_edge_cases(tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text(EDGES)
    duck, memory = both(path)
    assert_same(duck, memory)
    assert list(duck.features.index) == ["12583", "17850"]  # 99999 only sent something back
    assert duck.quality.count("duplicate rows") == 2 and duck.quality.count("non-numeric Price") == 1
    assert any("returns but no purchase" in note for note in duck.quality.notes)


def test_the_engines_agree_on_typed_parquet_columns(tmp_path):
    times = pd.to_datetime(["2010-12-01 08:26:00.250", "2010-12-01 09:01:30.999", "2010-12-02 10:00:00.5",
                            None, "2010-12-03 11:00:00.0"], format="ISO8601")
    frame = pd.DataFrame({
        "InvoiceNo": [536365, 536366, 536367, 536368, 536369],
        "StockCode": ["A", "B", "A", "C", "D"],
        "Quantity": [2, 1, 5, 3, -1],
        "InvoiceDate": times,
        "UnitPrice": [2.5, np.nan, 3.0, 1.0, 2.0],
        "CustomerID": [17850.0, 17850.0, 13047.0, 13047.0, np.nan],  # ids stored as floats
        "Segment": ["a", "a", "b", "b", None],
    })
    path = tmp_path / "typed.parquet"
    frame.to_parquet(path)
    duck, memory = both(path, label_column="Segment")
    assert_same(duck, memory)
    assert list(duck.features.index) == ["13047", "17850"] and list(duck.labels) == ["b", "a"]


def test_the_engines_agree_on_the_generated_shop(generated, tmp_path):
    log, path, _, truth = generated
    duck, memory = both(path)
    assert_same(duck, memory)
    parquet = log.write(tmp_path / "log.parquet")
    assert_same(*both(parquet))
    assert duck.features.index.equals(truth.index)


@pytest.mark.parametrize("parts", [2, 5])
def test_a_log_read_in_parts_by_customer_gives_the_same_features_and_counts(parts, messy_csv, generated, tmp_path,
                                                                           monkeypatch):
    from paradigms.unsupervised import log_features

    monkeypatch.setattr(log_features, "part_count", lambda rows, limit: parts)
    edges = tmp_path / "edges.csv"
    edges.write_text(EDGES)
    latin1 = tmp_path / "latin1.csv"  # read again as Latin-1 once UTF-8 fails: staged again
    latin1.write_bytes(MESSY_LOG.replace("HAND WARMER", "CAFÉ WARMER").encode("latin-1"))
    for path in (messy_csv, edges, latin1, generated[1]):
        assert_same(*both(path))
    frame = pd.DataFrame({"Invoice": ["1", "2", "3", "4"], "StockCode": ["A", "B", "A", "A"], "Quantity": [2, 1, 5, 5],
                          "InvoiceDate": ["2011-01-02 10:00"] * 4, "Price": [2.5, 1.0, np.inf, 3.0],
                          "CustomerID": [17850.0, 13047.0, 13047.0, np.nan], "Segment": ["a", "b", "b", None]})
    typed = tmp_path / "typed.parquet"
    frame.to_parquet(typed)
    duck, memory = both(typed, label_column="Segment")
    assert_same(duck, memory)
    assert list(duck.labels) == ["b", "a"]


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")  # an error in the polling thread
def test_the_progress_bar_counts_the_parts(generated, monkeypatch, capsys):
    from paradigms.progress import Progress
    from paradigms.unsupervised import log_features

    monkeypatch.setattr(log_features, "part_count", lambda rows, limit: 3)
    monkeypatch.setattr(log_features.threading.Event, "wait", lambda self, timeout=None: self.is_set())  # poll always
    data = load_customers(generated[1], engine="duckdb", progress=Progress(enabled=True))
    err = capsys.readouterr().err
    assert "reading the log" in err and "Traceback" not in err and "Error" not in err
    assert data.features.index.equals(generated[2].features.index)


def test_the_parts_grow_with_the_lines_and_one_part_holds_a_small_log():
    from paradigms.unsupervised.log_features import BYTES_PER_LINE, part_count

    limit = 2 << 30
    assert part_count(0, limit) == part_count(1_000_000, limit) == 1
    assert BYTES_PER_LINE == 160  # the figures below follow from it: 100 million lines take 16 GB grouped
    assert part_count(10_000_000, limit) == 1 and part_count(30_000_000, limit) == 3
    assert part_count(100_000_000, limit) == 8  # 16 GB in parts of at most 2 GiB


def test_auto_reads_logs_in_memory_when_they_fit_under_the_limit(messy_csv, monkeypatch):
    from paradigms.unsupervised import features

    assert any(n.startswith("read in memory") for n in load_customers(messy_csv).quality.notes)
    monkeypatch.setattr(features, "MEMORY_ENGINE_BYTES_PER_ROW", {"csv": 10 << 20, "parquet": 10 << 20})
    assert any(n.startswith("read by DuckDB") for n in load_customers(messy_csv, memory_limit="64MB").quality.notes)


# -- Parquet parts ------------------------------------------------------------------------------


def test_a_folder_and_a_glob_of_parquet_parts_read_as_one_log(generated, tmp_path):
    log, _, _, _ = generated
    table = log.transactions
    whole = tmp_path / "whole.parquet"
    pq.write_table(table, whole)
    folder = tmp_path / "lake"
    third = table.num_rows // 3
    for i, start in enumerate((0, third, 2 * third)):
        part = folder / f"month={i}" / f"part-{i}.parquet"
        part.parent.mkdir(parents=True)
        pq.write_table(table.slice(start, third if i < 2 else None), part)
    reference = load_customers(whole, engine="duckdb")
    for source in (folder, str(folder / "*" / "*.parquet")):
        parts = load_customers(source)
        pd.testing.assert_frame_equal(parts.features, reference.features, rtol=1e-9)
        assert parts.quality.rows_read == reference.quality.rows_read
        assert "3 Parquet files" in parts.quality.source


def test_parquet_parts_that_do_not_match_are_one_line(tmp_path):
    folder = tmp_path / "lake"
    folder.mkdir()
    pq.write_table(pa.table({"InvoiceNo": ["1"], "Quantity": [1], "InvoiceDate": ["2011-01-01"],
                             "UnitPrice": [1.0], "CustomerID": ["7"]}), folder / "a.parquet")
    pq.write_table(pa.table({"InvoiceNo": ["2"], "Qty": [1]}), folder / "b.parquet")
    with pytest.raises(DataError, match="b.parquet: columns InvoiceNo, Qty differ from those of"):
        load_customers(folder)
    with pytest.raises(ConfigError, match="no file matches"):
        load_customers(str(tmp_path / "nothing" / "*.parquet"))


# -- memory limit and the spill folder ---------------------------------------------------------


def test_memory_limit_settings_are_checked_once():
    assert duckdb_memory_limit("512MB") == 512 << 20 and duckdb_memory_limit("2 GiB") == 2 << 30
    assert duckdb_memory_limit() >= 1 << 30
    for bad in ("lots", "1KB", "0%", "150%"):
        with pytest.raises(ConfigError, match="memory_limit"):
            UnsupervisedSettings(memory_limit=bad)


def test_the_spill_folder_is_removed_after_success_and_after_a_failure(messy_csv, tmp_path):
    stage = tmp_path / "stage"
    load_customers(messy_csv, engine="duckdb", spill_dir=stage)
    assert list(stage.iterdir()) == []
    bad = tmp_path / "bad.csv"
    bad.write_text("InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\n1,1,someday,1,5\n2,1,someday,1,5\n")
    with pytest.raises(DataError, match="date"):
        load_customers(bad, engine="duckdb", spill_dir=stage)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1" + b"\x00" * 64 + b"PAR1")
    with pytest.raises(DataError):
        load_customers(broken, engine="duckdb", spill_dir=stage)
    assert list(stage.iterdir()) == []


def test_the_same_log_gives_the_same_features_on_every_read(tmp_path):
    """DuckDB's threads add a customer's lines in no fixed order; the sums must not depend on it (a
    double's sum did, in its last bits: the same log gave other features from one read to the next)."""
    rng = np.random.default_rng(0)
    lines = 60_000
    frame = pd.DataFrame({
        "Invoice": (rng.integers(0, 3, lines) + 536365).astype(str),
        "StockCode": rng.integers(0, 10**9, lines).astype(str),  # no two lines alike
        "Quantity": rng.integers(1, 50, lines),
        "InvoiceDate": "12/1/2010 8:26",
        "Price": np.round(10.0 ** rng.uniform(-2, 7, lines), 7),  # magnitudes that round differently by order
        "Customer ID": 17850,
    })
    path = tmp_path / "one_customer.parquet"
    frame.to_parquet(path, row_group_size=2_000)  # many row groups: the threads share the lines
    reads = [load_customers(path, engine="duckdb").features for _ in range(4)]
    for other in reads[1:]:
        pd.testing.assert_frame_equal(other, reads[0], check_exact=True)
    memory = load_customers(path, engine="memory").features
    np.testing.assert_allclose(reads[0].to_numpy(), memory.to_numpy(), rtol=1e-12)


@pytest.mark.slow
def test_a_small_memory_limit_spills_to_disk_and_gives_the_same_features(tmp_path):
    from paradigms.unsupervised.generator import generate_transactions

    path = generate_transactions(6000, seed=5).write(tmp_path / "log.parquet")  # about 570,000 rows
    roomy = load_customers(path, engine="duckdb")
    tight = load_customers(path, engine="duckdb", memory_limit="64MB", spill_dir=tmp_path / "stage")
    pd.testing.assert_frame_equal(tight.features, roomy.features, rtol=1e-9)
    assert any("0.1 GiB memory limit" in note for note in tight.quality.notes)
    assert list((tmp_path / "stage").iterdir()) == []


CHILD = """
import sys
from paradigms.unsupervised.features import load_customers
from paradigms.unsupervised.generator import generate_transactions
path = generate_transactions(6000, seed=5).write(sys.argv[1])
print("ready", flush=True)
load_customers(path, engine="duckdb", memory_limit="64MB", spill_dir=sys.argv[2])
print("finished", flush=True)
"""


@pytest.mark.slow
def test_the_spill_folder_is_removed_after_ctrl_c(tmp_path):
    stage = tmp_path / "stage"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(CHILD), str(tmp_path / "log.parquet"), str(stage)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert child.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 60
    while not (stage.exists() and any(stage.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert any(stage.iterdir()), "the read never made its spill folder"
    time.sleep(0.3)  # inside DuckDB's query
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode != 0 and "finished" not in out and "KeyboardInterrupt" in err
    assert list(stage.iterdir()) == []


def test_a_gzip_bomb_is_refused_before_duckdb_reads_it(tmp_path, monkeypatch):
    from paradigms import untrusted

    monkeypatch.setattr(untrusted, "GZIP_FREE", 1 << 20)  # small, so that the test stays fast
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(MESSY_LOG.encode() + b"536365,85123A,X,6,12/1/2010 8:26,2.55,17850,UK\n" * 200_000,
                                   compresslevel=9))
    with pytest.raises(DataError, match="a decompression bomb"):
        load_customers(path, engine="duckdb")


def test_a_run_names_the_engine_and_leaves_no_spill_folder(generated, tmp_path, capsys):
    import paradigms
    from paradigms.cli import main

    _, path, _, _ = generated
    out = tmp_path / "out"
    assert main(["run", "unsupervised", "--data", str(path), "--k", "6", "--engine", "duckdb",
                 "--memory-limit", "1GB", "--out", str(out)]) == 0
    ev = paradigms.Evaluation.load(out / "unsupervised.json")
    assert "read by DuckDB under a 1.0 GiB memory limit" in ev.dataset.notes and "peak memory" in ev.dataset.notes
    assert ev.config["engine"] == "duckdb" and ev.config["memory_limit"] == "1GB"
    assert not [p for p in out.rglob("*") if "duckdb" in p.name]
    capsys.readouterr()
    assert main(["run", "unsupervised", "--data", str(path), "--memory-limit", "lots", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "memory_limit 'lots'" in err
