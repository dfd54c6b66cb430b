"""The lesson: its order and coverage, the notebook written from it, its page, and its text against the demos."""

import dataclasses
import html
import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from glossary import all_terms, get_term
from glossary._runs import ParadigmRun, describe_run, load_runs
from glossary.lesson import STEPS, Step, step_for
from glossary.lesson_checks import CHECKS
from glossary.lesson_notebook import notebook, notebook_text
from glossary.lesson_page import render_lesson
from paradigms import DatasetInfo, Evaluation, Measure, Progress
from paradigms.cli import main
from paradigms.errors import ConfigError

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "lesson.ipynb"

#: The lesson's order, as the teacher gives it (issue 15).
ORDER = [
    "neuron", "neural-network", "mnist-network", "deep", "backpropagation", "mitchell",
    "supervised-learning", "unsupervised-learning", "reinforcement-learning", "cost-function",
    "overfitting", "underfitting", "classification", "regression",
    "training-set", "validation-set", "test-set", "batch-size", "epoch", "learning-rate",
]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text.strip()) if s]


def test_the_steps_follow_the_lesson_and_cover_all_nineteen_terms():
    assert [step.term or step.key for step in STEPS] == ORDER
    terms = [step.term for step in STEPS if step.term]
    assert sorted(terms) == sorted(t.slug for t in all_terms()) and len(terms) == 19
    assert [step.paradigm for step in STEPS if step.paradigm] == ["supervised", "unsupervised", "reinforcement"]


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.key)
def test_each_step_has_an_idea_in_two_sentences_a_question_and_an_answer(step):
    assert len(_sentences(step.idea)) == 2, step.idea
    assert step.question.rstrip().endswith("?")
    assert len(step.answer) > 60 and step.answer.rstrip().endswith(".")


def test_the_committed_notebook_is_the_one_the_lesson_writes():
    assert NOTEBOOK.read_text(encoding="utf-8") == notebook_text(), (
        "examples/lesson.ipynb is out of date: python -m glossary.lesson_notebook examples/lesson.ipynb"
    )


def test_the_notebook_has_no_developer_cells():
    cells = notebook()["cells"]
    code = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    assert len(code) == 19 + 3 + len(CHECKS)  # a demo per term, a run per paradigm, a check of the lesson's words
    for source in code:
        assert "assert" not in source and "try" not in source and "print" not in source
        assert source.count("\n") <= 2
    markdown = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]
    assert sum("**Predict first.**" in text for text in markdown) == len(STEPS)
    assert sum("<summary><b>Answer</b>" in text for text in markdown) == len(STEPS)
    json.dumps(notebook())  # plain JSON


# -- the lesson's words match what the demos do by default -------------------------------------------


def _defaults(term: str):
    return get_term(term).settings()


def test_the_questions_and_answers_quote_the_demos_defaults():
    """The lesson's words are checked against the settings the demos really run with."""
    epoch = _defaults("epoch")
    fraction = {0.2: "a fifth", 0.1: "a tenth", 0.25: "a quarter"}[epoch.label_noise]
    assert f"{epoch.epochs} epochs on {epoch.train_size} digits, {fraction}" in step_for("epoch").question
    splits = _defaults("test-set")
    new_data = 1797 - splits.train_size - splits.validation_size - splits.test_size
    assert f"{splits.candidates} candidates is fitted on {splits.train_size} training images" in step_for("training-set").question
    assert f"{new_data:,} new ones" in step_for("training-set").question
    assert f"validation set of {splits.validation_size} images" in step_for("validation-set").question
    assert f"over {splits.repeats} random splits" in step_for("validation-set").answer
    batch = _defaults("batch-size")
    small, large = min(batch.batch_sizes), max(batch.batch_sizes)
    steps = {b: math.ceil(batch.train_size / b) for b in (small, large)}
    question = step_for("batch-size").question
    assert f"{small} and of {large} examples" in question and f"in {batch.epochs} epochs" in question
    assert f"in {batch.updates} updates" in question
    answer = step_for("batch-size").answer
    assert f"{steps[small]} updates per epoch against {steps[large]}" in answer
    def examples_read(b):  # over the equal-updates budget: whole epochs of N, then the batches of the last one
        whole, rest = divmod(batch.updates, steps[b])
        return whole * batch.train_size + min(rest * b, batch.train_size)

    assert f"{examples_read(large) / examples_read(small):.3g} times more examples" in answer  # 62.5, not 64
    rates = _defaults("learning-rate").rates
    assert ", ".join(f"{r:g}" for r in rates[:-1]) + f" and {rates[-1]:g}" in step_for("learning-rate").question
    assert f"{_defaults('reinforcement-learning').steps:,} steps" in step_for("reinforcement-learning").question
    depth = {10: "ten"}[_defaults("deep").depth]
    assert f"A {depth}-layer network" in step_for("deep").question


def test_the_regression_question_quotes_the_data():
    from glossary.regression import diabetes

    _, y, _ = diabetes()
    assert f"a score from {y.min():.0f} to {y.max():.0f}" in step_for("regression").question


def test_the_network_answer_is_the_demos_count():
    widths = (784, *_defaults("neural-network").hidden, 10)
    count = sum((a + 1) * b for a, b in zip(widths[:-1], widths[1:], strict=False))
    assert " -> ".join(map(str, widths)) in step_for("neural-network").question
    assert f"{count:,} parameters" in step_for("neural-network").answer


# -- the page ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cost_result():
    return get_term("cost-function").demo()


def test_the_page_escapes_text_and_needs_no_network(cost_result):
    hostile = dataclasses.replace(
        cost_result,
        finding="<script>alert(1)</script> & friends",
        table=pd.DataFrame({"<b>column</b>": [1.23456789012345]}),
    )
    step = Step("x<y", "Title <i>", "One. Two.", "Why <b>?", "Because </details>.", term="cost-function",
                analogy="Like <em>this</em>.")
    page = render_lesson({"cost-function": hostile}, {}, steps=(step,))
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in page
    assert "Title &lt;i&gt;" in page and "Because &lt;/details&gt;." in page and "Like &lt;em&gt;this&lt;/em&gt;." in page
    assert "&lt;b&gt;column" not in page, "a demo's table is the developer's view, not the student's page"
    assert 'http-equiv="Content-Security-Policy"' in page and "default-src 'none'" in html.unescape(page)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_each_section_folds_the_figure_and_finding_under_the_question_then_the_answer(cost_result):
    """Reading the question does not give the answer away: the figure, its sentence and the answer are folded."""
    page = render_lesson({"cost-function": cost_result}, {}, steps=(step_for("cost-function"),))
    section = page[page.index('<section id="cost-function"'):page.index("</section>")]
    question, reveal = section.index("Predict first"), section.index('<details class="reveal">')
    figure, finding = section.index("data:image/png;base64,"), section.index(html.escape(cost_result.finding[:40]))
    reveal_end = section.index("</details>", finding)
    answer = section.index('<details class="answer">')
    assert question < reveal < figure < finding < reveal_end < answer
    assert "<summary>Numbers and table" not in section, "the numbers are the developer's view (paradigms glossary show)"
    assert "paradigms glossary show cost-function" in section


def test_a_paradigm_step_without_a_run_says_how_to_get_one():
    page = render_lesson({}, {}, steps=(step_for("unsupervised-learning"),))
    assert "No run of this paradigm was included" in page


def test_a_paradigm_run_is_shown_with_its_sentence_and_figures(coin_paradigm):
    run = ParadigmRun(coin_paradigm.run(coin_paradigm.settings(), 0, Progress.silent()))
    step = Step("coin", "A coin", "One. Two.", "Heads?", "Yes, about as often as the bias says.", paradigm="coin")
    page = render_lesson({}, {"coin": run}, steps=(step,))
    assert run.finding in page.replace("&#x27;", "'") and "The coin paradigm, a whole run" in page


def _evaluation(value: float) -> Evaluation:
    return Evaluation(
        paradigm="reinforcement", task="keep the pole up", experience="environment steps",
        measure=Measure(name="mean return", value=value, baseline=20.0, best=475.0),
        curve=pd.DataFrame({"experience": [0, 1000], "performance": [20.0, value]}),
        dataset=DatasetInfo(name="CartPole-v1", source="Gymnasium"), seed=0,
    )


def test_the_run_sentence_says_what_a_normalized_score_above_one_means():
    assert "above 1" in describe_run(_evaluation(500.0)) and "went from 20 to 500" in describe_run(_evaluation(500.0))
    assert "above 1" not in describe_run(_evaluation(300.0))


def test_results_folder_is_read_by_paradigm_name(tmp_path):
    _evaluation(300.0).save(tmp_path / "reinforcement.seed0.json")
    runs = load_runs(tmp_path)
    assert list(runs) == ["reinforcement"] and runs["reinforcement"].evaluation.measure.value == 300.0
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigError, match="no supervised.json"):
        load_runs(empty)


def test_lesson_command_refuses_a_results_folder_without_results(tmp_path, capsys):
    (tmp_path / "results").mkdir()
    code = main(["lesson", "--out", str(tmp_path / "page"), "--results", str(tmp_path / "results")])
    assert code == 2 and "no supervised.json" in capsys.readouterr().err
    assert not (tmp_path / "page").exists()
