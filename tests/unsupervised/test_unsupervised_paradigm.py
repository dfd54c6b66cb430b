import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from sklearn.datasets import make_blobs

import paradigms
from paradigms.cli import main
from paradigms.unsupervised import CustomerSegmenter, load_customers
from paradigms.unsupervised.generator import PERSONAS
from paradigms.unsupervised.plots import figures
from paradigms.unsupervised.settings import UnsupervisedSettings


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """``paradigms run unsupervised --quick`` through the CLI, with files written, and the warnings it gave."""
    out = tmp_path_factory.mktemp("quick")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main(["run", "unsupervised", "--quick", "--out", str(out), "--output-dir", str(out), "--seed", "2"])
    return code, out, [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def test_quick_run_writes_json_segments_and_profiles(quick_run):
    code, out, _ = quick_run
    assert code == 0
    ev = paradigms.Evaluation.load(out / "unsupervised.json")
    assert 0.3 < ev.measure.value <= 1 and ev.measure.value == ev.metrics["silhouette"]
    assert ev.metrics["silhouette_random_labels"] < 0.05
    assert ev.metrics["n_segments"] == len(PERSONAS) and ev.metrics["adjusted_rand_index"] >= 0.9
    assert ev.metrics["normalized_mutual_info"] >= 0.85 and ev.metrics["purity"] >= 0.9
    assert ev.metrics["calinski_harabasz"] > 0 and ev.metrics["davies_bouldin"] > 0
    assert sum(ev.metrics["segment_sizes"]) == 600 and ev.metrics["known_groups"] == len(PERSONAS)
    assert ev.metrics["data_quality"]["issues"][1]["issue"] == "duplicate rows"
    assert ev.metrics["data_quality"]["source"] == str(out / "generated_transactions.csv")  # not the staging folder
    # the figures' raw material is kept apart from the numbers the report lists
    assert set(ev.figure_data) == {"projection", "profile_z", "k_selection", "profiles"}
    assert not set(ev.figure_data) & set(ev.metrics)
    segments = pd.read_csv(out / "customer_segments.csv", dtype={"customer_id": str})
    assert list(segments.columns) == ["customer_id", "segment"] and len(segments) == 600
    assert segments["segment"].nunique() == ev.metrics["n_segments"]
    profiles = pd.read_csv(out / "segment_profiles.csv")
    assert profiles["customers"].sum() == 600 and profiles["description"].str.len().min() > 3
    assert (out / "generated_transactions.csv").exists() and (out / "generated_personas.csv").exists()
    assert sorted(ev.metrics["files"]) == sorted(str(out / name) for name in (
        "customer_segments.csv", "segment_profiles.csv", "generated_transactions.csv", "generated_personas.csv",
        "unsupervised-segmenter"))
    assert not list(out.glob(".staging-*"))  # the staged files were moved into place


def test_the_run_saves_its_segmenter_which_loads_back_to_the_same_segments(quick_run):
    """``--out`` keeps the fitted segmenter, as it keeps the reinforcement agent: it places the
    customers of the log, read again, in the segments the run wrote."""
    _, out, _ = quick_run
    segmenter = CustomerSegmenter.load(out / "unsupervised-segmenter")
    customers = load_customers(out / "generated_transactions.csv")
    segments = pd.read_csv(out / "customer_segments.csv", dtype={"customer_id": str}).set_index("customer_id")
    predicted = segmenter.predict(customers.features)
    assert (predicted == segments["segment"].reindex(customers.features.index.astype(str)).to_numpy()).all()


def test_the_learning_curve_shows_what_more_customers_buy(quick_run):
    _, out, _ = quick_run
    ev = paradigms.Evaluation.load(out / "unsupervised.json")
    curve = ev.curve
    # E: customers seen, from k up to all but the held-out fifth; P on the curve: ARI with the personas
    held_out = ev.metrics["learning_curve"]["held_out_customers"]
    assert held_out == 120 and curve["experience"].iloc[0] == ev.metrics["n_segments"]
    assert curve["experience"].is_monotonic_increasing and curve["experience"].iloc[-1] == 600 - held_out
    assert set(curve["reference"]) == {"known groups (generator personas)"}
    assert ev.metrics["learning_curve"]["reference"] == "known groups (generator personas)"
    assert "ARI" in ev.measure.curve_label and "120 held-out customers" in ev.measure.curve_label
    # a few customers give rough segments, many give the personas; the rise is far beyond the draws' spread
    first, last = curve.iloc[0], curve.iloc[-1]
    assert first["performance"] < 0.85 and last["performance"] > 0.9
    assert last["performance"] - first["performance"] > 2 * first["std"]
    assert (curve["draws"].iloc[:-1] == 3).all() and curve["draws"].iloc[-1] == 1
    assert curve["std"].iloc[:-1].notna().all() and np.isnan(curve["std"].iloc[-1])
    # the silhouette is kept beside it
    assert curve["silhouette"].between(-1, 1).all()
def test_a_close_call_on_k_warns_and_the_result_keeps_the_warning(quick_run):
    _, out, caught = quick_run
    ev = paradigms.Evaluation.load(out / "unsupervised.json")
    kept = [m for m in ev.metrics["warnings"] if "no clear choice of k" in m]
    assert kept and set(kept) <= set(caught)
    assert ev.metrics["k_choice"]["clear"] is False


def test_figures_draw_from_the_json_alone(quick_run):
    _, out, _ = quick_run
    ev = paradigms.Evaluation.load(out / "unsupervised.json")
    projection = ev.figure_data["projection"]
    assert len(projection["x"]) == len(projection["segment"]) == len(projection["truth"]) == 600
    drawn = figures(ev)
    assert set(drawn) == {"segments", "k_selection", "profiles"}
    assert all(isinstance(figure, Figure) for figure in drawn.values())
    assert paradigms.get("unsupervised").figures is figures


def test_same_seed_same_numbers():
    settings = UnsupervisedSettings(customers=250, k_max=7, curve_points=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = paradigms.run("unsupervised", settings, seed=11)
        b = paradigms.run("unsupervised", settings, seed=11)
        c = paradigms.run("unsupervised", settings, seed=12)
    assert a.measure == b.measure
    pd.testing.assert_frame_equal(a.curve, b.curve)
    assert a.metrics == b.metrics and a.figure_data == b.figure_data
    assert a.measure.value != c.measure.value  # another seed: another shop, another score
    assert a.dataset.checksums == b.dataset.checksums != c.dataset.checksums


def test_a_users_table_with_a_label_column(tmp_path, capsys):
    X, y = make_blobs(400, n_features=3, centers=3, random_state=0)
    frame = pd.DataFrame(X * 10 + 200, columns=["Fresh", "Milk", "Grocery"])
    frame.insert(0, "Customer ID", [f"c{i}" for i in range(len(frame))])
    frame["group"] = np.array(["x", "y", "z"])[y]
    path = tmp_path / "table.csv"
    frame.to_csv(path, index=False)
    argv = ["run", "unsupervised", "--data", str(path), "--label-column", "group", "--algorithm", "gmm",
            "--k", "3", "--out", str(tmp_path), "--output-dir", str(tmp_path)]
    assert main(argv) == 0
    ev = paradigms.Evaluation.load(tmp_path / "unsupervised.json")
    assert ev.dataset.name == "table.csv" and ev.metrics["known_groups_source"] == "group"
    assert ev.experience == "rows seen" and "customers" not in ev.task  # a table's rows, not customers
    assert ev.metrics["adjusted_rand_index"] > 0.9 and "group" not in ev.metrics["features"]
    assert "k_selection" not in ev.figure_data and "k_selection" not in figures(ev)
    segments = pd.read_csv(tmp_path / "customer_segments.csv")
    assert segments["customer_id"].iloc[0] == "c0"


def test_a_users_transaction_log(generated, tmp_path):
    _, path, _, _ = generated
    assert main(["run", "unsupervised", "--data", str(path), "--k", "6", "--out", str(tmp_path)]) == 0
    ev = paradigms.Evaluation.load(tmp_path / "unsupervised.json")
    assert ev.dataset.source == str(path) and ev.metrics["n_segments"] == 6
    assert "adjusted_rand_index" not in ev.metrics  # nothing is known about a user's customers
    # so the curve measures agreement with the segments of all the data
    assert set(ev.curve["reference"]) == {f"segments of all {ev.dataset.sizes['customers']:,} customers"}
    assert ev.curve["performance"].iloc[-1] > 0.9 > ev.curve["performance"].iloc[0]


@pytest.mark.parametrize(
    "content, extra, code, message",
    [
        ("InvoiceNo,Quantity,CustomerID\n1,2,3\n", [], 1, "missing required columns InvoiceDate (date), UnitPrice (price); columns found: InvoiceNo, Quantity, CustomerID"),
        ("", [], 1, "is empty"),
        (b"PK\x03\x04 a zip file", [], 1, "not a CSV file"),
        ("id,x,y\n1,1,2\n2,3,4\n3,5,1\n", ["--k", "5"], 1, "3 customers cannot form 5 segments"),
        ("id,x,y\n1,,\n2,,\n", [], 1, "column x has no values"),
        ("InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\n1,x,12/1/2010 8:26,1,5\n", [], 1, "column Quantity holds no numbers"),
        (None, [], 2, "no such file"),
        ("id,x\n1,2\n", ["--k-min", "5", "--k-max", "3"], 2, "k_min = 5 is above k_max = 3"),
        ("id,x\n1,2\n", ["--criterion", "bic"], 2, "needs --algorithm gmm"),
        ("id,x\n1,2\n", ["--algorithm", "dbscan"], 2, "choose one of kmeans, gmm, agglomerative"),
        ("id,x,y\n" + "".join(f"{i},1,1\n" for i in range(30)), [], 1, "every feature is constant (x, y)"),
    ],
)
def test_bad_input_is_one_line_and_a_nonzero_exit(tmp_path, capsys, content, extra, code, message):
    path = tmp_path / ("data.xlsx" if isinstance(content, bytes) else "data.csv")
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    assert main(["run", "unsupervised", "--data", str(path), "--out", str(tmp_path), *extra]) == code
    err = capsys.readouterr().err.strip()
    assert message in err and "Traceback" not in err
    assert len(err.splitlines()) == 1, err


def test_importing_the_paradigm_is_light():
    code = "import sys, paradigms.unsupervised.paradigm; print(sorted(m for m in ('sklearn', 'matplotlib', 'scipy') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
