"""What the lesson's pages show, drawn once, and the pieces of HTML they share.

``paradigms lesson`` writes up to four pages from one run of the demos: the
lesson page (:mod:`glossary.lesson_page`), the presenter's slides
(:mod:`glossary.lesson_present`) and the student's and teacher's handouts
(:mod:`glossary.lesson_handout`). :func:`draw_material` draws every figure
once, at a size a class reads from the back of the room
(:mod:`glossary.lesson_figures`), and runs the checks of the lesson's own
wording (:mod:`glossary.lesson_checks`); the pages only arrange it.

Everything a student reads here is in plain words: no class names, no module
paths, no keys of ``result.numbers``. Those belong to the developer's view:
``paradigms glossary show TERM`` prints a demo's numbers, table and settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from paradigms.report.html import data_url, escape_html

from ._base import DemoResult
from ._runs import ParadigmRun, Picture
from .lesson import Step
from .lesson_checks import CHECKS, lesson_check
from .lesson_figures import projected_png

#: The lesson's title: the page's, the handouts' (with their version) and the slides' (with theirs).
LESSON_TITLE = "How machines learn: the lesson"
#: A paradigm's figures that speak the developer's language, left to the report: the choice of k
#: compares clustering scores by their inventors' names (Calinski-Harabasz, Davies-Bouldin).
DEVELOPER_FIGURES: dict[str, tuple[str, ...]] = {"unsupervised": ("k_selection",)}


@dataclass(frozen=True)
class LessonMaterial:
    """The demos' results and the paradigms' runs, with their figures drawn for a projector.

    ``figures`` holds each demo's PNG by term slug; ``run_pictures`` each run's pictures by
    paradigm name; ``checks`` the paragraph that checks the lesson's wording, by step key.
    """

    results: Mapping[str, DemoResult]
    runs: Mapping[str, ParadigmRun]
    figures: Mapping[str, bytes] = field(default_factory=dict)
    run_pictures: Mapping[str, list[Picture]] = field(default_factory=dict)
    checks: Mapping[str, str] = field(default_factory=dict)


def draw_material(
    results: Mapping[str, DemoResult], runs: Mapping[str, ParadigmRun], steps: tuple[Step, ...], *, seed: int = 0
) -> LessonMaterial:
    """Draw every figure the ``steps`` show (once) and run their checks of the lesson's wording."""
    figures = {}
    for step in steps:
        if step.term is not None and step.term in results and step.term not in figures:
            figures[step.term] = projected_png(results[step.term].plot())
    pictures = {
        step.paradigm: runs[step.paradigm].pictures(render=projected_png, leave_out=DEVELOPER_FIGURES.get(step.paradigm, ()))
        for step in steps
        if step.paradigm is not None and step.paradigm in runs
    }
    checks = {step.key: lesson_check(step.key, seed) for step in steps if step.key in CHECKS and step.lesson_says}
    return LessonMaterial(results=results, runs=runs, figures=figures, run_pictures=pictures, checks=checks)


def image_html(data: bytes, alt: str, mime: str = "image/png") -> str:
    """An ``<img>`` with the picture inline (a ``data:`` URL, the only kind the pages' policy allows)."""
    return f'<img src="{data_url(data, mime)}" alt="{escape_html(alt)}">'


def step_heading(number: int, step: Step, tag: str = "h2") -> str:
    """The numbered title, the idea and (where the lesson has one) its analogy."""
    analogy = f'<p class="analogy">{escape_html(step.analogy)}</p>' if step.analogy else ""
    return (
        f"<{tag}>{number}. {escape_html(step.title)}</{tag}>"
        f'<p class="idea">{escape_html(step.idea)}</p>{analogy}'
    )


def question_html(step: Step) -> str:
    return f'<p class="question"><strong>Predict first:</strong> {escape_html(step.question)}</p>'


def demo_parts_html(material: LessonMaterial, step: Step) -> tuple[str, str] | None:
    """The step's demo as the pages show it: its figure (an ``<img>``) and its sentence (computed
    from its numbers, escaped), each page arranging the two its own way; ``None`` without a demo."""
    if step.term is None or step.term not in material.results:
        return None
    result = material.results[step.term]
    return image_html(material.figures[step.term], f"{result.term.name}: the demo's figure"), escape_html(result.finding)


def demo_figure_html(material: LessonMaterial, step: Step) -> str:
    """The demo's large figure with its sentence under it; empty without a demo."""
    parts = demo_parts_html(material, step)
    if parts is None:
        return ""
    figure, finding = parts
    return f'<figure class="lead">{figure}<figcaption class="finding">{finding}</figcaption></figure>'


def run_heading(paradigm: str) -> str:
    return f"<h3>The {escape_html(paradigm)} paradigm, a whole run</h3>"


def missing_run_html(paradigm: str) -> str:
    """What stands where a paradigm's run was not included, and how to include it."""
    return (
        f"{run_heading(paradigm)}<p>No run of this paradigm was included: run <code>paradigms lesson</code> without "
        "<code>--no-runs</code>, or give <code>--results DIR</code> from <code>paradigms compare</code>.</p>"
    )


def run_sentence_html(run: ParadigmRun) -> str:
    return f'<p class="finding">{escape_html(run.finding)}</p>'


def picture_html(picture: Picture) -> str:
    """One of a run's pictures, full width, with its title under it."""
    return (
        f'<figure class="projected">{image_html(picture.data, picture.title, picture.mime)}'
        f"<figcaption>{escape_html(picture.title)}</figcaption></figure>"
    )


def answer_text_html(material: LessonMaterial, step: Step) -> str:
    """The answer, and where the lesson's wording disagrees with the numbers, what they say."""
    check = material.checks.get(step.key)
    checked = f'<p class="lesson-check"><strong>The lesson\'s words, checked:</strong> {escape_html(check)}</p>' if check else ""
    return f"<p>{escape_html(step.answer)}</p>{checked}"


def rerun_html(step: Step) -> str:
    """Where the numbers behind a demo are (the developer's view), for the teacher who wants them."""
    if step.term is None:
        return ""
    return (
        f'<p class="rerun">Every number behind this figure, and other settings to try: '
        f"<code>paradigms glossary show {escape_html(step.term)}</code></p>"
    )
