"""One labelled table seen without its labels: scikit-learn's bundled tables through the unsupervised paradigm.

The target is named with ``--label-column``: it never reaches the features and
only scores the segments afterwards (ARI, NMI, purity, the class-by-segment table).
Nothing is downloaded: the CSVs are written from scikit-learn's bundled data.
"""

import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine

import paradigms
from paradigms.cli import main
from paradigms.errors import ConfigError
from paradigms.unsupervised.features import load_customers


def labelled_csv(loader, path):
    """The bundled table as a CSV, the target column holding the class names."""
    bunch = loader(as_frame=True)
    frame = bunch.frame.copy()
    frame["target"] = [str(bunch.target_names[t]) for t in bunch.target]
    frame.to_csv(path, index=False)
    return bunch


@pytest.mark.parametrize(
    "loader, k, min_ari",
    [(load_wine, 3, 0.8), (load_breast_cancer, 2, 0.6)],
)
def test_a_labelled_table_runs_as_customers_scored_against_its_target(tmp_path, loader, k, min_ari):
    path = tmp_path / "table.csv"
    bunch = labelled_csv(loader, path)
    argv = ["run", "unsupervised", "--data", str(path), "--kind", "customers", "--label-column", "target",
            "--k", str(k), "--curve-points", "3", "--out", str(tmp_path / "out")]
    assert main(argv) == 0
    ev = paradigms.Evaluation.load(tmp_path / "out" / "unsupervised.json")
    assert ev.task == "group the rows of table.csv by their columns, without labels"  # not "customers"
    metrics = ev.metrics
    # the target is never a feature; every other column is
    assert "target" not in metrics["features"] and len(metrics["features"]) == len(bunch.feature_names)
    assert metrics["known_groups_source"] == "target" and metrics["known_groups"] == len(bunch.target_names)
    assert metrics["adjusted_rand_index"] >= min_ari and metrics["normalized_mutual_info"] > 0.5
    assert metrics["purity"] > 0.85
    # the class-by-segment table, with the class names, counts every row once
    table = pd.DataFrame(metrics["contingency"]["data"], columns=metrics["contingency"]["columns"])
    assert list(table.columns) == ["known group"] + [f"segment {s}" for s in range(k)]
    assert sorted(table["known group"]) == sorted(str(n) for n in bunch.target_names)
    assert int(table.drop(columns="known group").to_numpy().sum()) == len(bunch.frame)
    # the learning curve is scored against the target on held-out rows
    assert set(ev.curve["reference"]) == {"known groups (target)"}
    assert ev.curve["performance"].iloc[-1] > ev.curve["performance"].iloc[0]


def test_kind_auto_reads_a_labelled_table_as_customers(tmp_path):
    path = tmp_path / "wine.csv"
    labelled_csv(load_wine, path)
    data = load_customers(path, label_column="target")
    assert data.kind == "per-customer table" and "target" not in data.features.columns
    assert data.labels.value_counts().to_dict() == {"class_1": 71, "class_0": 59, "class_2": 48}


def test_the_label_column_is_never_a_feature(tmp_path):
    path = tmp_path / "wine.csv"
    labelled_csv(load_wine, path)
    with pytest.raises(ConfigError, match="'target' is the label column"):
        load_customers(path, label_column="target", features=("alcohol", "target"))


def test_a_continuous_target_is_scored_without_a_table_of_hundreds_of_rows(tmp_path):
    path = tmp_path / "diabetes.csv"
    load_diabetes(as_frame=True).frame.to_csv(path, index=False)
    ev = paradigms.run("unsupervised", data=str(path), kind="customers", label_column="target", k=3,
                       curve_points=2, progress=False)
    assert ev.metrics["known_groups"] > 50 and "contingency" not in ev.metrics
    assert any("too many for a class-by-segment table" in note for note in ev.metrics["notes"])
    assert -0.1 < ev.metrics["adjusted_rand_index"] < 0.1  # segments say little about a continuous number
