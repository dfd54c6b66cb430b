"""One table with its labels and without: `paradigms compare --data TABLE --target COLUMN` and its page."""

import pandas as pd
import pytest
from sklearn.datasets import load_wine

from paradigms.cli import main
from paradigms.report import Comparison, rebuild
from paradigms.report.table_comparison import side_by_side_figure, what_the_labels_bought


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """A quick comparison of scikit-learn's wine table (written to CSV here), run once for the module."""
    root = tmp_path_factory.mktemp("compare")
    load_wine(as_frame=True).frame.to_csv(root / "wine.csv", index=False)
    out = root / "out"
    code = main(["compare", "--data", str(root / "wine.csv"), "--target", "target", "--quick", "--jobs", "1",
                 "--out", str(out), "--no-progress"])
    return code, out


def test_the_page_puts_the_three_kinds_of_feedback_side_by_side(compared):
    code, out = compared
    assert code == 0
    comparison = Comparison.load(out)
    assert sorted(ev.paradigm for ev in comparison.evaluations) == ["reinforcement", "supervised", "unsupervised"]
    assert comparison.run["table"]["target"] == "target"
    unsupervised = comparison.evaluations_of("unsupervised")[0]
    assert unsupervised.config["label_column"] == "target" and unsupervised.config["kind"] == "customers"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "One table, with labels and without" in page and "What the labels bought:" in page
    # the same rows from a reward: a guessing game over the table, measured on the supervised run's test rows
    bandit, supervised = comparison.evaluations_of("reinforcement")[0], comparison.evaluations_of("supervised")[0]
    assert bandit.config["env"] == "paradigms/TableGuess-v0" and bandit.measure.name == "test accuracy"
    assert bandit.dataset.sizes["test"] == supervised.dataset.sizes["test"]
    assert page.index("One task, three kinds of feedback") < page.index("One table, with labels and without")
    assert "same-task-three-feedbacks.png" in (out / "report.md").read_text(encoding="utf-8")
    assert "customers" not in unsupervised.experience  # wine rows are not customers
    assert "table-with-and-without-labels.png" in (out / "report.md").read_text(encoding="utf-8")
    assert "predict the class of &#x27;target&#x27;" in page or "predict the class of 'target'" in page  # T as it ran


def test_the_sentence_follows_the_numbers_on_the_page(compared):
    _, out = compared
    comparison = Comparison.load(out)
    s = comparison.evaluations_of("supervised")[0].metrics
    u = comparison.evaluations_of("unsupervised")[0].metrics
    sentence = what_the_labels_bought(s, u)
    assert f"{s['test_accuracy']:.0%} of the test rows" in sentence and f"ARI {u['adjusted_rand_index']:.2f}" in sentence
    assert sentence.replace("'", "&#x27;") in (out / "index.html").read_text(encoding="utf-8")


def test_the_page_rebuilds_from_results_json_alone(compared, tmp_path):
    _, out = compared
    page = rebuild(out, tmp_path / "again")
    assert "One table, with labels and without" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "ari, words",
    [(0.93, "found the classes almost by themselves"), (0.6, "in large part"), (0.3, "only loosely"),
     (0.02, "nearly unrelated")],
)
def test_what_the_labels_bought_is_computed_from_the_numbers(ari, words):
    sentence = what_the_labels_bought({"test_accuracy": 0.9, "majority_baseline_accuracy": 0.5, "majority_class": "b"},
                                      {"adjusted_rand_index": ari})
    assert words in sentence and "90%" in sentence and "50%" in sentence and f"{ari:.2f}" in sentence
    assert "majority class, 'b': 50%" in sentence  # the class by name


def test_a_numeric_target_says_the_two_scores_differ_in_kind():
    sentence = what_the_labels_bought({"test_r2": 0.41}, {"adjusted_rand_index": 0.01})
    assert "regression" in sentence and "0.41" in sentence and "cannot be scored against classes" in sentence


def test_the_figure_needs_both_tables():
    from paradigms.evaluation import DatasetInfo, Evaluation, Measure

    def evaluation(paradigm, metrics):
        return Evaluation(paradigm=paradigm, task="t", experience="e",
                          measure=Measure(name="m", value=0.5, baseline=0.0, best=1.0),
                          curve=pd.DataFrame({"experience": [1], "performance": [0.5]}),
                          dataset=DatasetInfo(name="d", source="s"), seed=0, metrics=metrics)

    supervised = evaluation("supervised", {"confusion_matrix": [[3, 1], [0, 4]], "class_names": ["a", "b"]})
    contingency = {"columns": ["known group", "segment 0", "segment 1"], "data": [["b", 1, 3], ["a", 4, 0]]}
    figure = side_by_side_figure(supervised, evaluation("unsupervised", {"contingency": contingency}))
    right = figure.axes[1]
    assert [t.get_text() for t in right.get_yticklabels()] == ["a", "b"]  # the classes in the same order on both
    assert side_by_side_figure(supervised, evaluation("unsupervised", {})) is None


def test_a_target_no_bandit_can_guess_is_said_on_the_page_not_dropped(tmp_path):
    frame = load_wine(as_frame=True).frame
    frame.to_csv(tmp_path / "wine.csv", index=False)
    out = tmp_path / "out"
    assert main(["compare", "--data", str(tmp_path / "wine.csv"), "--target", "alcohol", "--quick", "--jobs", "1",
                 "--out", str(out), "--no-progress", "--set", "unsupervised.k=3"]) == 0
    comparison = Comparison.load(out)
    assert "reinforcement" not in comparison.names
    why = comparison.run["same_task"]["left_out"]["reinforcement"]
    assert "regression target" in why and len(why.splitlines()) == 1
    assert "Not on this figure: reinforcement." in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--data", "x.csv"], "--data and --target go together"),
        (["--target", "y"], "--data and --target go together"),
        (["--data", "missing.csv", "--target", "y"], "missing.csv: no such table"),
        (["--data", "x.csv", "--target", "y", "--only", "supervised"], "--only does not go with --data"),
    ],
)
def test_bad_table_comparisons_stop_before_any_run(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.csv").write_text("a,y\n1,2\n")
    assert main(["compare", *argv, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "results.json").exists()


@pytest.mark.parametrize("target, message", [
    ("nope", "no column 'nope' (--target)"),
    ("label", "holds one class"),
])
def test_compare_data_with_a_target_that_cannot_be_learned_exits_2_with_nothing_written(tmp_path, capsys, target,
                                                                                      message):
    table = tmp_path / "t.csv"
    table.write_text("x,z,label\n" + "\n".join(f"{i},{i % 3},same" for i in range(40)) + "\n")
    out = tmp_path / "out"
    assert main(["compare", "--data", str(table), "--target", target, "--quick", "--jobs", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not out.exists()
