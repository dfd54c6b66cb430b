"""The lesson's other pages and what every page shares: the presenter's slides and its one
script, the handouts, figures a class reads from the back, the student's language, the
lesson's analogies and its wording checked against the numbers. (In a real browser:
tests/glossary/test_lesson_browser.py.)"""

import base64
import dataclasses
import hashlib
import html
import io
import re

import pytest
from student_language import developer_words, page_text

import paradigms
from glossary import get_term
from glossary._runs import ParadigmRun
from glossary.lesson import STEPS, Step, step_for
from glossary.lesson_checks import MORE_DATA_FACTOR, lesson_check, underfitting_more_data
from glossary.lesson_figures import (
    SMALLEST_TEXT,
    projected_png,
    projected_width,
    smallest_text_pixels,
)
from glossary.lesson_handout import render_handout
from glossary.lesson_material import draw_material
from glossary.lesson_page import render_lesson
from glossary.lesson_present import BACK_KEYS, NEXT_KEYS, present_script, render_present
from paradigms import Progress
from paradigms.cli import main
from paradigms.report.html import CONTENT_SECURITY_POLICY, content_security_policy, page_shell


@pytest.fixture(scope="module")
def results():
    """Three quick demos: the cost function, the learning rate, underfitting."""
    return {slug: get_term(slug).demo() for slug in ("cost-function", "learning-rate", "underfitting")}


def _steps(*keys: str) -> tuple[Step, ...]:
    return tuple(step for step in STEPS if step.key in keys)


THREE = _steps("cost-function", "learning-rate", "underfitting")


@pytest.fixture(scope="module")
def material(results):
    """The three demos' figures, drawn once for the pages."""
    return draw_material(results, {}, THREE)


# -- one inline script, allowed by its hash -------------------------------------------------------


def test_a_page_script_is_allowed_by_its_hash_and_nothing_else():
    script = "document.title = 'x';"
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = content_security_policy(script)
    assert policy == f"{CONTENT_SECURITY_POLICY}; script-src 'sha256-{digest}'"
    assert "unsafe-inline" not in policy.split("script-src")[1] and "default-src 'none'" in policy
    assert content_security_policy() == CONTENT_SECURITY_POLICY
    page = page_shell(title="t", main="<p>x</p>", script=script)
    assert page.count("<script>") == 1 and f"<script>{script}</script>" in page
    assert html.escape(policy, quote=True) in page
    with pytest.raises(ValueError, match="</script"):
        page_shell(title="t", main="", script="a = '</script>';")


def test_the_presenter_page_has_one_slide_per_step_with_its_script_hashed(results, material):
    page = render_present(material, steps=THREE)
    script = present_script()
    assert page.count("<script>") == 1 and f"<script>{script}</script>" in page
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src &#x27;sha256-{digest}&#x27;" in page
    slides = re.findall(r'<section id="([^"]+)" class="slide', page)
    assert slides == ["start", "cost-function", "underfitting", "learning-rate"]
    for key in ("NEXT", "BACK"):
        keys = NEXT_KEYS if key == "NEXT" else BACK_KEYS
        assert all(f'"{k}"' in script for k in keys)
    # The question comes first; then the demo's figure and sentence (stage 1), then the answer (stage 2).
    slide = page[page.index('<section id="learning-rate"'):]
    question = slide.index("Predict first")
    demo, answer = slide.index('<div data-stage="1" class="demo">'), slide.index('<div data-stage="2" class="answer">')
    assert question < demo < slide.index(html.escape(results["learning-rate"].finding[:30])) < answer


def _two_figures(evaluation):
    from matplotlib.figure import Figure

    figures = {}
    for name in ("first_figure", "second_figure"):
        figures[name] = Figure(figsize=(6, 3), layout="constrained")
        figures[name].add_subplot().plot([0, 1], [0, evaluation.measure.value])
    return figures


def test_a_paradigm_run_on_the_slides_shows_one_figure_per_press(coin_paradigm):
    paradigms.register(dataclasses.replace(coin_paradigm, figures=_two_figures), replace=True)
    run = ParadigmRun(coin_paradigm.run(coin_paradigm.settings(), 0, Progress.silent()))
    step = Step("coin", "A coin", "One. Two.", "Heads?", "Yes, about as often as the bias says.", paradigm="coin")
    page = render_present(draw_material({}, {"coin": run}, (step,)), steps=(step,))
    pictures = run.pictures()
    assert len(pictures) == 2
    stages = re.findall(r'<div data-stage="(\d+)" class="(\w+)">', page)
    assert stages == [(str(k), "run") for k in range(1, len(pictures) + 1)] + [(str(len(pictures) + 1), "answer")]


# -- the handouts ------------------------------------------------------------------------------


def test_the_students_handout_asks_and_leaves_room_the_teachers_answers(results, material):
    steps = _steps("cost-function", "learning-rate", "underfitting", "training-set")
    student, teacher = (render_handout(material, teacher=t, steps=steps) for t in (False, True))
    for step in steps:
        for page in (student, teacher):
            assert html.escape(step.question) in page
        assert html.escape(step.answer) not in student and html.escape(step.answer) in teacher
    assert student.count('class="write prediction"') == len(steps) and "write prediction" not in teacher
    for result in results.values():
        assert html.escape(result.finding) not in student and html.escape(result.finding) in teacher
    assert "<script" not in student + teacher and "@page { size: A4" in student


def test_the_lesson_command_writes_the_slides_and_handouts_on_request(tmp_path, monkeypatch, results, material, capsys):
    import glossary.cli
    import glossary.lesson_page

    monkeypatch.setattr(glossary.cli, "run_lesson", lambda **kwargs: (results, {}))
    monkeypatch.setattr(glossary.lesson_page, "draw_material", lambda *args, **kwargs: material)  # drawn once above
    assert main(["lesson", "--out", str(tmp_path), "--no-runs"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.html"]
    assert main(["lesson", "--out", str(tmp_path), "--no-runs", "--present", "--handout"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["handout-student.html", "handout-teacher.html", "lesson.html", "present.html"]
    out = capsys.readouterr().out
    assert all(f"wrote {tmp_path / name}" in out for name in names)


# -- figures for the back of the room ----------------------------------------------------------


def _png_width(data: bytes) -> int:
    from PIL import Image

    return Image.open(io.BytesIO(data)).size[0]


def test_a_wide_figure_with_small_labels_is_drawn_with_none_under_14_pixels():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(13.0, 3.0), layout="constrained")
    for ax in fig.subplots(1, 3):
        ax.plot([0, 1000, 2000], [1, 2, 3], label="a line")
        ax.set_xlabel("experience", fontsize=6)
        ax.tick_params(labelsize=5)  # tick labels are made only when the figure is drawn
        ax.legend(fontsize=6)
    fig.suptitle("tiny", fontsize=7)
    assert smallest_text_pixels(fig, projected_width(fig)) < SMALLEST_TEXT
    data = projected_png(fig)
    width = _png_width(data)
    assert width == projected_width(fig) >= 1000
    fig.draw_without_rendering()  # the ticks as drawn
    assert smallest_text_pixels(fig, width) >= SMALLEST_TEXT


def test_every_demo_figure_on_the_page_is_projected(results, material):
    for slug, data in material.figures.items():
        fig = results[slug].plot()
        assert _png_width(data) == projected_width(fig) >= 1000, slug


# -- the student's language, the analogies, the lesson's words checked -------------------------------


def test_the_pages_speak_the_students_language(results, material):
    steps = THREE
    pages = {
        "lesson": render_lesson(results, {}, steps=steps, material=material),
        "slides": render_present(material, steps=steps),
        **{f"handout {t}": render_handout(material, teacher=t, steps=steps) for t in (False, True)},
    }
    for name, page in pages.items():
        assert developer_words(page_text(page)) == [], name
    # The checker finds what it is for (so the test above can fail).
    assert len(developer_words("Used in: paradigms.supervised.DigitClassifier; best_epoch, eigenvalue, std")) >= 5


def test_a_demo_in_jupyter_leaves_the_code_paths_to_the_developer(results):
    shown = results["cost-function"]._repr_html_()
    assert "Used in" not in shown and "paradigms." not in shown and "For developers" in shown


def test_the_sets_are_taught_with_the_lessons_analogies():
    analogies = {"training-set": "the lecture", "validation-set": "the sample exam questions", "test-set": "the exam itself"}
    for key, words in analogies.items():
        assert words in step_for(key).analogy
    page = render_lesson({}, {}, steps=_steps(*analogies))
    for key, words in analogies.items():
        section = page[page.index(f'<section id="{key}"'):]
        assert section.index(words) < section.index("Predict first")


def test_the_lessons_underfitting_wording_is_checked_against_the_numbers():
    text = underfitting_more_data(seed=0)
    term = get_term("underfitting")
    base, more = term.demo(seed=0), term.demo(seed=0, train_points=MORE_DATA_FACTOR * 20)
    # Independently: more data leaves the straight line far above the noise; the best degree does not.
    noise = base.numbers["noise_level"]
    assert more.numbers["validation_error_simple"] > 2 * noise >= base.numbers["validation_error_at_best"]
    assert text.startswith("The numbers say otherwise.") and "more capacity does" in text
    assert f"{base.numbers['validation_error_simple']:.3f} to {more.numbers['validation_error_simple']:.3f}" in text
    assert lesson_check("underfitting").startswith(step_for("underfitting").lesson_says)
    with pytest.raises(KeyError, match="no lesson check"):
        lesson_check("epoch")


def test_the_lesson_page_says_where_the_numbers_contradict_the_lesson(results, material):
    page = render_lesson(results, {}, steps=_steps("underfitting"), material=material)
    section = page[page.index('<section id="underfitting"'):]
    answer = section[section.index('<details class="answer">'):]
    assert "hungry for more data" in html.unescape(answer) and "more capacity does" in answer


@pytest.mark.slow
def test_every_figure_of_the_lesson_is_readable_from_the_back_and_in_plain_words():
    """Every demo's figure and every paradigm figure the lesson shows: drawn 1,000 px wide or
    more, no text under 14 px at that width, and no developer's word in its text."""
    from glossary._runs import run_paradigm
    from glossary.lesson_figures import visible_texts
    from glossary.lesson_material import DEVELOPER_FIGURES
    from glossary.lesson_page import run_lesson
    from paradigms.registry import get

    results, runs = run_lesson(run_paradigms=lambda name: run_paradigm(name))
    figures = {slug: result.plot() for slug, result in results.items()}
    for name, run in runs.items():
        drawn = get(name).figures(run.evaluation)
        figures.update({f"{name}: {key}": fig for key, fig in drawn.items() if key not in DEVELOPER_FIGURES.get(name, ())})
    assert len(figures) >= 19 + 6
    for name, fig in figures.items():
        width = _png_width(projected_png(fig))
        assert width == projected_width(fig) >= 1000, name
        fig.draw_without_rendering()
        assert smallest_text_pixels(fig, width) >= SMALLEST_TEXT, name
        assert developer_words(" | ".join(text.get_text() for text in visible_texts(fig))) == [], name
