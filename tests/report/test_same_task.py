"""One task, three kinds of feedback: the contract, the page's opening figure and sentence, the CLI's checks."""

from __future__ import annotations

import pandas as pd
import pytest
from report_helpers import make_evaluation

from paradigms.cli import main
from paradigms.errors import ConfigError
from paradigms.report import Comparison, build
from paradigms.report.same_task import (
    DIFFERENT_TASKS_CAVEAT,
    examples_to_reach,
    same_task_run_facts,
    what_the_feedback_bought,
)
from paradigms.same_task import (
    CURVE_KEY,
    EXAMPLES_SEEN,
    TEST_ACCURACY,
    accuracy_curve,
    same_task_curve,
    task_settings,
)

LABELS = ([512, 2048, 10240, 55000, 110000], [0.15, 0.49, 0.78, 0.94, 0.97])
REWARD = ([500, 2000, 10000, 60000, 180000], [0.10, 0.25, 0.62, 0.91, 0.955])
NOTHING = ([1000, 10000, 60000], [0.52, 0.55, 0.57])


def _run(paradigm: str, curve: tuple[list[int], list[float]], seed: int = 0, *, in_figure_data: bool = False):
    evaluation = make_evaluation(paradigm, seed, value=curve[1][-1])
    evaluation = evaluation.with_updates(metrics={**evaluation.metrics, TEST_ACCURACY: curve[1][-1]})
    if in_figure_data:
        return evaluation.with_updates(figure_data=same_task_curve(*curve))
    frame = pd.DataFrame({"experience": curve[0], "performance": curve[1], EXAMPLES_SEEN: curve[0],
                          TEST_ACCURACY: curve[1]})
    return evaluation.with_updates(curve=frame)


def test_the_contract_reads_a_curve_from_either_place():
    in_curve, kept = _run("reinforcement", REWARD), _run("supervised", LABELS, in_figure_data=True)
    assert list(accuracy_curve(in_curve)[EXAMPLES_SEEN]) == REWARD[0]
    assert list(accuracy_curve(kept)[TEST_ACCURACY]) == LABELS[1]
    assert kept.figure_data[CURVE_KEY][EXAMPLES_SEEN] == [float(x) for x in LABELS[0]]
    assert accuracy_curve(make_evaluation("supervised")) is None  # an ordinary run keeps none


def test_an_unknown_task_is_one_line_naming_the_known_ones():
    with pytest.raises(ConfigError, match="--task 'faces': unknown task; the tasks are: digits"):
        task_settings("faces")
    assert task_settings("digits")["unsupervised"] == {"kind": "digits"}


def test_examples_to_reach_reads_the_crossing_between_the_points_around_it():
    # 0.78 at 10,240 and 0.94 at 55,000: 0.9 is three quarters of the way, on the log axis
    assert examples_to_reach(LABELS, 0.9) == pytest.approx(10240 * (55000 / 10240) ** 0.75)
    assert examples_to_reach(LABELS, 0.1) == 512  # reached at the first point
    assert examples_to_reach(([100, 200], [0.5, 0.5]), 0.5) == 100
    assert examples_to_reach(NOTHING, 0.9) is None


def test_the_sentence_is_computed_from_the_curves():
    sentence = what_the_feedback_bought({"supervised": LABELS, "reinforcement": REWARD, "unsupervised": NOTHING},
                                        n_classes=10)
    # the highest bar both reach: 0.95 (labels 0.97 at 110,000; reward 0.955 at 180,000)
    assert sentence.startswith("To reach 95% test accuracy, the learner given labels needed 69,000")  # 69,296
    assert "needed 160,000 (2x as many)" in sentence  # 159,000 and more, to two figures
    assert "the clusters reached at best 57% (chance: 10%)" in sentence
    assert "3.3 bits" in sentence and "at most 1 bit" in sentence and "0 bits" in sentence
    weaker = what_the_feedback_bought({"supervised": LABELS, "reinforcement": (REWARD[0], [0.1, 0.2, 0.5, 0.7, 0.75])},
                                      n_classes=10)
    assert weaker.startswith("To reach 70% test accuracy")  # the bar falls to what both reached
    assert "needed 6,600 training examples" in weaker and "needed 60,000 (9x as many)" in weaker
    two_classes = what_the_feedback_bought({"unsupervised": NOTHING}, n_classes=2)
    assert "1.0 bits per example" in two_classes and "chance: 50%" in two_classes


def _same_task_comparison(seeds: int = 1) -> Comparison:
    evaluations = [
        run for seed in range(seeds)
        for run in (_run("supervised", LABELS, seed, in_figure_data=True), _run("unsupervised", NOTHING, seed),
                    _run("reinforcement", REWARD, seed))
    ]
    return Comparison.create(evaluations, [], run={"seeds": list(range(seeds)), **same_task_run_facts("digits")})


@pytest.mark.parametrize("seeds", [1, 3])
def test_the_page_opens_with_the_three_feedbacks_figure(tmp_path, seeds):
    page = build(_same_task_comparison(seeds), tmp_path)
    html = page.read_text(encoding="utf-8")
    assert html.index("One task, three kinds of feedback") < html.index("What learning means here")
    assert "What the feedback bought:" in html
    assert "Hungarian method" in html and "never used to fit" in html
    assert (tmp_path / "figures" / "same-task-three-feedbacks.png").stat().st_size > 10_000
    assert DIFFERENT_TASKS_CAVEAT not in html  # the caveat is for three different tasks
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| labels (supervised) |" in markdown and "| a reward (reinforcement) |" in markdown
    assert "| nothing (unsupervised) |" in markdown


def test_three_different_tasks_say_their_scores_do_not_rank_the_paradigms(tmp_path):
    comparison = Comparison.create([make_evaluation("supervised"), make_evaluation("reinforcement", value=1.03)], [],
                                   run={"seeds": [0]})
    html = build(comparison, tmp_path).read_text(encoding="utf-8")
    assert "do not rank the" in html and "paradigms compare --task digits" in html


def test_task_is_refused_with_data_or_only_before_any_run(tmp_path, capsys):
    assert main(["compare", "--task", "digits", "--only", "supervised", "--out", str(tmp_path / "o")]) == 2
    assert "--task runs the three paradigms on one task" in capsys.readouterr().err
    assert main(["compare", "--task", "letters", "--out", str(tmp_path / "o")]) == 2
    assert "--task 'letters': unknown task" in capsys.readouterr().err
    assert not (tmp_path / "o" / "results.json").exists()


def test_compare_task_digits_measures_the_three_by_one_p_on_the_same_test_images(tmp_path, monkeypatch):
    """The whole command on the bundled 8x8 digits (MNIST hidden): three runs, one task, one P."""
    monkeypatch.delenv("LEARNING_PARADIGMS_DATA", raising=False)
    out = tmp_path / "out"
    argv = ["compare", "--task", "digits", "--quick", "--jobs", "1", "--out", str(out), "--no-progress",
            "--set", "reinforcement.total_steps=6000"]
    with pytest.warns(UserWarning, match="8x8"):
        assert main(argv) == 0
    comparison = Comparison.load(out)
    runs = {ev.paradigm: ev for ev in comparison.evaluations}
    assert sorted(runs) == ["reinforcement", "supervised", "unsupervised"]
    # the same test images: the same data set, the same test set size, the same checksums where kept
    assert {ev.dataset.sizes["test"] for ev in runs.values()} == {360}
    assert {ev.dataset.name for ev in runs.values()} == {"scikit-learn digits (8x8)"}
    # the same P: accuracy on those images against the same chance line, on one axis of examples seen
    assert {ev.measure.baseline for ev in runs.values()} == {0.1}
    for evaluation in runs.values():
        curve = accuracy_curve(evaluation)
        assert curve is not None and len(curve) >= 3
        if evaluation.paradigm != "reinforcement":  # the bandit's curve ends at its last periodic look
            assert curve[TEST_ACCURACY].iloc[-1] == pytest.approx(evaluation.metrics[TEST_ACCURACY], abs=1e-6)
        assert evaluation.metrics[TEST_ACCURACY] > 0.3  # far above chance, each from its own feedback
    assert runs["supervised"].measure.value == runs["supervised"].metrics[TEST_ACCURACY]
    assert runs["unsupervised"].measure.name == "clustering accuracy"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.index("One task, three kinds of feedback") < page.index("What learning means here")
    assert "paradigms compare --seed 0 --quick --task digits" in comparison.run["command"]


def test_a_curve_without_points_is_left_out_of_the_sentence():
    """A learner whose curve has no points (a run stopped before its first check) reaches no bar: the
    sentence speaks of the others (it formatted None and failed)."""
    sentence = what_the_feedback_bought({"supervised": LABELS, "reinforcement": ([], [])}, n_classes=10)
    assert sentence.startswith("To reach 95% test accuracy, the learner given labels needed")
    assert "right or wrong needed" not in sentence
