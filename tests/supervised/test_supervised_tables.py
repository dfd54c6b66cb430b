"""Labelled tables: `paradigms run supervised --data table.csv --target COLUMN`, classification and regression.

The tables are scikit-learn's bundled ones (wine, breast cancer, diabetes), written to
CSV or Parquet in a temporary folder: nothing is downloaded.
"""

import gzip

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine

import paradigms
from paradigms.cli import main
from paradigms.datasets.table_features import MAX_CATEGORIES, prepare_table
from paradigms.datasets.tables import read_table
from paradigms.errors import ConfigError, DataError
from paradigms.supervised.plots import figures
from paradigms.supervised.settings import SupervisedSettings
from paradigms.supervised.sources.tables import encode_table


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("tables")
    load_wine(as_frame=True).frame.to_csv(root / "wine.csv", index=False)
    load_diabetes(as_frame=True).frame.to_parquet(root / "diabetes.parquet")
    cancer = load_breast_cancer(as_frame=True).frame
    cancer["diagnosis"] = np.where(cancer.pop("target") == 1, "benign", "malignant")
    with gzip.open(root / "cancer.csv.gz", "wt", encoding="utf-8") as fh:
        cancer.to_csv(fh, index=False, sep="\t")
    return root


@pytest.fixture(scope="module")
def wine(folder):
    return paradigms.run("supervised", data=str(folder / "wine.csv"), target="target", seed=0, threads=1)


@pytest.fixture(scope="module")
def diabetes(folder):
    return paradigms.run("supervised", data=str(folder / "diabetes.parquet"), target="target", seed=0, threads=1)


def run_cli(*argv):
    try:
        return main(["run", "supervised", "--no-progress", *argv])
    except SystemExit as exc:
        return exc.code


def test_classes_make_a_classification_scored_against_the_majority_and_a_linear_model(wine):
    m = wine.metrics
    assert m["task"] == "classification" and m["class_names"] == ["0", "1", "2"]
    assert wine.measure.name == "test accuracy" and wine.measure.value == m["test_accuracy"]
    assert wine.measure.baseline == m["majority_baseline_accuracy"] < 0.5  # the majority class, not 1/3
    assert m["majority_class"] == "1"  # by name, as the digits' run gives it: wine's commonest cultivar
    confusion = np.array(m["confusion_matrix"])
    assert confusion.shape == (3, 3) and confusion.sum() == wine.dataset.sizes["test"] == 36
    assert m["linear_model"] == "logistic regression" and 0.8 < m["linear_test_accuracy"] <= 1
    assert wine.measure.value >= m["linear_test_accuracy"] - 0.06 and wine.measure.value > 0.85
    assert m["network_minus_linear"] == pytest.approx(wine.measure.value - m["linear_test_accuracy"])
    assert "classification" in wine.task and "3 classes" in wine.task
    assert list(figures(wine)) == ["learning_curves", "confusion_matrix"]  # no pixels: no mistakes to draw


def test_a_number_makes_a_regression_scored_by_r2_beside_ridge(diabetes):
    m = diabetes.metrics
    assert m["task"] == "regression" and diabetes.measure.name == "test R²"
    assert diabetes.measure.baseline == 0.0 and diabetes.measure.curve_label == "validation R²"
    assert abs(m["mean_baseline_r2"]) < 0.05  # always answering the training mean scores about 0
    assert 0.3 < diabetes.measure.value < 0.7 and m["test_mae"] < m["mean_baseline_mae"]
    assert m["linear_model"] == "ridge regression" and diabetes.measure.value > m["linear_test_r2"] - 0.1
    assert "share of its variance" in diabetes.task  # R² explained in words where it appears
    assert diabetes.curve["performance"].notna().all()  # the curve is validation R²
    drawn = figures(paradigms.Evaluation.from_json(diabetes.to_json()))
    assert list(drawn) == ["learning_curves", "predictions"]
    assert diabetes.dataset.checksums and diabetes.dataset.sizes["features"] == 10


def test_same_seed_same_numbers(folder, wine):
    again = paradigms.run("supervised", data=str(folder / "wine.csv"), target="target", seed=0, threads=1)
    learned = ["performance", "train_loss", "val_loss"]  # the seconds differ, what was learned does not
    assert again.measure.value == wine.measure.value and again.curve[learned].equals(wine.curve[learned])


def test_a_gzipped_tab_separated_table_with_text_classes(folder):
    ev = paradigms.run("supervised", data=str(folder / "cancer.csv.gz"), target="diagnosis", seed=0, threads=1,
                       epochs=6)
    assert ev.metrics["class_names"] == ["benign", "malignant"] and ev.measure.value > 0.9
    assert "gzipped" in ev.dataset.source and "tab" in ev.dataset.source


def test_semicolons_latin1_and_decimal_commas_are_read(tmp_path):
    path = tmp_path / "café.csv"
    path.write_bytes("ville;température;pluie\nSèvres;12,5;oui\nNîmes;18,0;non\n".encode("latin-1"))
    table = read_table(path)
    assert table.frame["température"].tolist() == [12.5, 18.0]
    assert table.frame["ville"].tolist() == ["Sèvres", "Nîmes"]
    assert table.describe() == "CSV (';', Latin-1, decimal comma)"


def test_a_pipe_separated_table_with_commas_inside_its_cells_is_read(tmp_path):
    # the delimiter is the one that splits every line alike, not the commonest character
    path = tmp_path / "orders.txt"
    path.write_text("item|price|label\ntea, green|2.5|yes\nmilk, oat|1.0|no\nbread|3.0|yes\n", encoding="utf-8")
    table = read_table(path)
    assert table.delimiter == "|" and list(table.frame.columns) == ["item", "price", "label"]
    assert table.frame["item"].tolist() == ["tea, green", "milk, oat", "bread"]


def test_columns_become_features_as_they_should():
    rng = np.random.default_rng(0)
    n = 60
    frame = pd.DataFrame({
        "CustomerID": np.arange(1000, 1000 + n),  # an id: distinct in every row
        "age": rng.integers(18, 80, n).astype(float),
        "city": rng.choice(["Lyon", "Paris", "Nice"], n),  # few values: one-hot
        "name": [f"person {i}" for i in range(n)],  # free text: left out
        "country": ["FR"] * n,  # one value: left out
        "income": rng.normal(3000, 500, n).round(2).astype(str),  # numbers written as text
        "bought": rng.choice(["yes", "no"], n),
    })
    frame.loc[:4, "age"] = np.nan
    frame.loc[7, "income"] = "unknown"
    assert frame["name"].nunique() > MAX_CATEGORIES  # the premise: too many names to one-hot encode
    with pytest.warns(UserWarning, match="left out 1 text column.*'name'"):
        spec = prepare_table(frame, source="t.csv", target="bought")
    assert spec.task == "classification" and spec.class_names == ("no", "yes")
    assert spec.id_column == "CustomerID" and spec.numeric == ["age", "income"] and spec.categorical == ["city"]
    assert spec.left_out == {"name": f"text with {n} different values", "country": "one value in every row"}
    notes = " ".join(spec.notes)
    assert "'age': 5 missing values imputed with the training median" in notes
    assert "'income': 1 cells that are not numbers" in notes


@pytest.mark.parametrize(
    "values, task",
    [([1, 2, 3] * 10, "classification"), (list(np.linspace(0, 1, 30)), "regression"),
     (list(range(30)), "regression"), ([True, False] * 15, "classification")],
)
def test_the_task_follows_the_target(values, task):
    frame = pd.DataFrame({"x": np.arange(len(values)) % 7, "y": values})
    assert prepare_table(frame, source="t", target="y").task == task
    forced = "regression" if task == "classification" and not isinstance(values[0], bool) else None
    if forced:
        assert prepare_table(frame, source="t", target="y", task=forced).task == forced


def test_the_encoder_learns_from_the_training_rows_only(folder):
    settings = SupervisedSettings(data=folder / "wine.csv", target="target")
    data = encode_table(read_table(folder / "wine.csv"), settings, seed=0)
    assert np.allclose(data.x[data.train].mean(axis=0), 0, atol=1e-5)  # standardised on the training rows
    assert not np.allclose(data.x[data.test].mean(axis=0), 0, atol=1e-3)  # the test rows were not looked at
    assert len(set(data.train) | set(data.validation) | set(data.test)) == 178
    assert np.bincount(data.spec.y[data.test]).min() >= 1  # stratified: every class tested


@pytest.mark.parametrize(
    "frame, argv, message",
    [
        (pd.DataFrame({"colour": list("abab") * 5, "weight": range(20)}), ["--target", "color"],
         "no column 'color' (--target); did you mean 'colour'"),
        (pd.DataFrame({"label": ["x"] * 20, "weight": range(20)}), ["--target", "label"],
         "target column 'label' holds one class ('x'"),
        (pd.DataFrame({"label": [None] * 20, "weight": range(20)}), ["--target", "label"],
         "target column 'label' is empty"),
        (pd.DataFrame({"id": range(20), "label": list("ab") * 10, "note": [""] * 20}), ["--target", "label"],
         "no usable feature column besides the target 'label'"),
        (pd.DataFrame({"label": list("ab") * 10, "weight": range(20)}), ["--target", "label", "--id-column", "ident"],
         "no column 'ident' (--id-column)"),
    ],
)
def test_bad_tables_are_one_line_errors_naming_the_column(tmp_path, capsys, frame, argv, message):
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "out"
    assert run_cli("--data", str(path), *argv, "--out", str(out)) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "t.csv" in err and len(err.splitlines()) == 1
    assert not any(p.is_file() for p in out.rglob("*"))  # nothing written


def test_files_that_are_not_tables(tmp_path):
    (tmp_path / "book.csv").write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(DataError, match="book.csv: binary data"):
        read_table(tmp_path / "book.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match="empty.csv: the file is empty"):
        read_table(tmp_path / "empty.csv")
    (tmp_path / "bad.csv.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(DataError, match="bad.csv.gz: a damaged or truncated gzip"):
        read_table(tmp_path / "bad.csv.gz")
    with pytest.raises(ConfigError, match="no such file"):
        read_table(tmp_path / "missing.csv")


def test_a_table_without_target_or_with_save_model(tmp_path, capsys, folder):
    assert run_cli("--data", str(folder / "wine.csv")) == 2
    assert "is a table; name the column to predict with --target" in capsys.readouterr().err
    assert run_cli("--data", str(folder / "wine.csv"), "--target", "target", "--save-model", str(tmp_path / "m")) == 2
    assert "--save-model keeps image models only" in capsys.readouterr().err


def test_whole_number_classes_above_two_to_the_63_stay_distinct():
    big = [2**70 + i for i in range(3)]  # 1.18059e+21 as floats: one class
    frame = pd.DataFrame({"x": np.arange(30, dtype=float), "label": [big[i % 3] for i in range(30)]})
    spec = prepare_table(frame, source="t.csv", target="label", task="classification")
    assert spec.class_names == tuple(str(v) for v in big)
    assert sorted(np.bincount(spec.y.astype(int))) == [10, 10, 10]
    assert prepare_table(frame, source="t.csv", target="label").task == "classification"
    wide = pd.DataFrame({"x": np.arange(30, dtype=float), "label": [1_000_001 + i % 3 for i in range(30)]})
    assert prepare_table(wide, source="t.csv", target="label").class_names == ("1000001", "1000002", "1000003")


def test_a_header_line_repeated_inside_the_data_is_refused_naming_its_line(tmp_path):
    rows = "\n".join(f"{i},{i % 2}" for i in range(20))
    path = tmp_path / "joined.csv"
    path.write_text(f"x,label\n{rows}\nx,label\n{rows}\n")
    with pytest.raises(DataError, match=r"joined.csv: line 22 repeats the header line"):
        read_table(path)


@pytest.mark.parametrize("column", ["x", "label"])
def test_infinities_in_a_feature_or_the_target_are_one_line_naming_the_column(column):
    frame = pd.DataFrame({"x": np.arange(40, dtype=float), "label": np.arange(40, dtype=float) * 1.5})
    frame.loc[3, column] = np.inf
    with pytest.raises(ConfigError, match=rf"t.csv: column '{column}' holds 1 infinite value\(s\) \(first in data row 4: inf\)"):
        prepare_table(frame, source="t.csv", target="label")


def test_a_date_target_says_its_values_are_not_classes():
    frame = pd.DataFrame({"x": np.arange(40, dtype=float),
                          "when": pd.date_range("2024-01-01", periods=40).astype(str)})
    with pytest.raises(ConfigError, match=r"'when' holds 40 different values in 40 rows \(e.g. '2024-01-0\d'\), "
                                          r"none in \d+\+ rows: not classes \(dates, ids, free text\?\)"):
        prepare_table(frame, source="t.csv", target="when", task="classification")


def test_a_target_of_thousands_of_tiny_classes_is_one_line_not_a_library_message(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("x,z,label\n" + "\n".join(f"{i * 0.1},{i % 7},c{i % 3000}" for i in range(6000)) + "\n")
    settings = SupervisedSettings.from_overrides({"data": str(path), "target": "label"}, quick=True)
    with pytest.raises(ConfigError, match=r"many.csv: 3,000 classes in 6,000 rows leave no rows to train on"):
        encode_table(read_table(path), settings, 0)
