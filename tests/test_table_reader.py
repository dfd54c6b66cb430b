"""One reader for the user's tables: every paradigm sees the same columns, finds the same column
for a name and leaves out the same id column (``paradigms compare --data`` hands them one file)."""

import ast
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from paradigms.cli import main
from paradigms.datasets.column_names import detect_id_column, find_column, looks_like_id
from paradigms.datasets.table_features import prepare_table
from paradigms.datasets.table_files import inspect_file
from paradigms.datasets.tables import read_columns, read_table
from paradigms.errors import DataError
from paradigms.report import Comparison
from paradigms.unsupervised.features import load_customers

ROOT = Path(__file__).resolve().parents[1]


def labelled_rows(n: int = 60, seed: int = 0) -> pd.DataFrame:
    """Two classes apart in three numeric columns, and an id column named as many tables name one."""
    rng = np.random.default_rng(seed)
    label = np.array(["a", "b"] * (n // 2))
    shift = np.where(label == "a", 0.0, 3.0)
    return pd.DataFrame({"patient_id": np.arange(1000, 1000 + n), "height": rng.normal(shift, 1.0),
                         "weight": rng.normal(shift, 1.0), "age": rng.normal(-shift, 1.0), "label": label})


def test_compare_data_gives_both_paradigms_the_same_columns_and_id(tmp_path):
    path = tmp_path / "patients.csv"
    labelled_rows().to_csv(path, index=False)
    out = tmp_path / "out"
    assert main(["compare", "--data", str(path), "--target", "label", "--quick", "--jobs", "1", "--out", str(out),
                 "--no-progress", "--set", "unsupervised.k=2"]) == 0
    comparison = Comparison.load(out)
    supervised = comparison.evaluations_of("supervised")[0].metrics
    unsupervised = comparison.evaluations_of("unsupervised")[0].metrics
    assert supervised["id_column"] == "patient_id" and supervised["numeric_columns"] == 3
    # the id numbers the rows: no more a feature of the clustering than of the network
    assert sorted(unsupervised["features"]) == ["age", "height", "weight"]


def test_the_index_pandas_writes_into_a_csv_is_the_id_for_every_reader(tmp_path):
    path = tmp_path / "with_index.csv"
    labelled_rows().set_index("patient_id").to_csv(path, index=True, index_label="")  # header: ",height,..."
    spec = prepare_table(read_table(path).frame, source=str(path), target="label")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = load_customers(path, label_column="label")
    assert inspect_file(path).columns[0] == "Unnamed: 0" and spec.id_column == "Unnamed: 0"
    assert sorted(data.features.columns) == ["age", "height", "weight"]
    assert data.features.index[0] == "1000"  # the customers are named by it


def test_the_index_pandas_stores_in_a_parquet_file_is_not_a_column(tmp_path):
    frame = labelled_rows().drop(columns="patient_id")
    path = tmp_path / "kept.parquet"
    frame.sample(frac=1.0, random_state=0).to_parquet(path)  # shuffled, not a range: stored as __index_level_0__
    assert inspect_file(path).columns == ("height", "weight", "age", "label")
    data = load_customers(path, label_column="label")
    assert sorted(data.features.columns) == ["age", "height", "weight"]
    assert list(read_table(path).frame.columns) == ["height", "weight", "age", "label"]


def test_a_name_two_columns_match_is_refused_not_guessed():
    frame = pd.DataFrame({"x": np.arange(20.0), "Class": list("ab") * 10, "CLASS ": list("ba") * 10})
    with pytest.raises(DataError, match=r"t.csv: columns 'Class' and 'CLASS ' both match 'class'; rename one"):
        prepare_table(frame, source="t.csv", target="class")
    assert prepare_table(frame, source="t.csv", target="Class").target == "Class"  # an exact name is not ambiguous


def test_two_columns_of_one_name_are_refused_by_every_reader(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("x,x,label\n" + "".join(f"{i},{-i},{'ab'[i % 2]}\n" for i in range(20)))
    with pytest.raises(DataError, match=r"twice.csv: two columns are named 'x'; rename one"):
        read_table(path)  # pandas alone would rename the second one 'x.1' and learn from both
    with pytest.raises(DataError, match=r"twice.csv: two columns are named 'x'; rename one"):
        load_customers(path)


def test_one_id_rule():
    assert [looks_like_id(n) for n in ("id", "ID", "Unnamed: 0", "patient_id", "PassengerId", "clientID",
                                       "CustomerNo", "customer")] == [True] * 8
    assert not any(looks_like_id(n) for n in ("paid", "valid", "width", "grid", "AID"))
    distinct = {"id": False, "row_id": True, "label": True}
    assert detect_id_column(["id", "row_id", "label"], distinct.__getitem__) == "row_id"  # "id" repeats: data
    assert detect_id_column(["row_id"], distinct.__getitem__, exclude=["row_id"]) is None
    assert find_column(["Customer ID", "x"], "customer_id") == "Customer ID" and find_column(["x"], "?") is None


@pytest.mark.parametrize(
    "name, content",
    [
        ("semicolons.csv", "Id; Size ;Label\n1;1,5;yes\n2;2,0;no\n3;2,5;yes\n"),
        ("tabs.tsv", "\ufeffid\tsize\tlabel\n1\t1.5\tyes\n2\t2.0\tno\n3\t2.5\tyes\n"),
        ("latin.csv", "id,taille,étiquette\n1,1.5,oui\n2,2.0,non\n3,2.5,oui\n"),
    ],
)
def test_the_whole_table_and_its_columns_as_text_are_read_alike(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1" if name.startswith("latin") else "utf-8"))
    table_file = inspect_file(path)
    frame = read_table(table_file).frame
    texts, malformed = read_columns(table_file, list(table_file.columns))
    assert tuple(frame.columns) == table_file.columns == tuple(texts) and malformed.count == 0
    assert [str(v) for v in texts[table_file.columns[-1]].to_pylist()] == frame.iloc[:, -1].tolist()


def test_every_reader_reads_the_same_words_as_missing(tmp_path):
    """pandas (read_table), PyArrow (read_columns) and the unsupervised cleaning, whose NULL_WORDS
    DuckDB's SQL reads too, all start from the one list MISSING_WORDS."""
    from paradigms.datasets.tables import EXTRA_MISSING, MISSING_WORDS
    from paradigms.unsupervised.columns import NULL_WORDS, to_numbers

    assert set(MISSING_WORDS) <= set(NULL_WORDS) and "?" in NULL_WORDS and "?" in EXTRA_MISSING
    path = tmp_path / "words.csv"
    path.write_text("word,n\n" + "".join(f"{word},{i}\n" for i, word in enumerate(MISSING_WORDS)))
    table_file = inspect_file(path)
    frame = read_table(table_file).frame
    texts, _ = read_columns(table_file, ["word"], NULL_WORDS)
    assert len(frame) == len(MISSING_WORDS) and frame["word"].isna().all()
    assert texts["word"].null_count == len(MISSING_WORDS)
    assert to_numbers(pa.array([f" {word} " for word in NULL_WORDS])).missing.all()


def test_format_constants_are_written_once():
    """The gzip magic bytes, the Parquet suffixes and the deflate bound live in paradigms/untrusted.py only."""
    literals = {b"\x1f\x8b": [], ".pq": [], 1032: [], 1100: []}
    for path in sorted((ROOT / "paradigms").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and not isinstance(node.value, bool) and node.value in literals:
                literals[node.value].append(path.relative_to(ROOT).as_posix())
    assert literals == {b"\x1f\x8b": ["paradigms/untrusted.py"], ".pq": ["paradigms/untrusted.py"],
                        1032: ["paradigms/untrusted.py"], 1100: []}
