"""``paradigms lesson --out DIR``: the lesson as one self-contained page for a projector.

The same steps as ``examples/lesson.ipynb`` (:data:`glossary.lesson.STEPS`),
one section each: the idea (with the lesson's analogy where it has one) and the
question to ask the class; then, folded so that reading the question does not
give the answer away, the demo's large figure with its sentence (computed from
the demo's numbers) and, where the lesson reaches a paradigm, that paradigm's
run with its own figures; then the answer, folded too. Every figure is at least
900 pixels wide with no label under 14 pixels (:mod:`glossary.lesson_figures`).
The numbers behind a figure are the developer's view (``paradigms glossary show
TERM``), not the student's page.

``--present`` adds ``present.html``, the same lesson as slides
(:mod:`glossary.lesson_present`); ``--handout`` adds the printable handouts,
student's and teacher's (:mod:`glossary.lesson_handout`).

The page uses the report's shell (:func:`paradigms.report.html.page_shell`):
no network (its Content-Security-Policy allows only inline styles and
``data:`` images), every figure inline, every piece of text escaped, and the
report's stylesheet plus a few rules for a projector.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from paradigms.files import write_atomic
from paradigms.report.html import escape_html, page_shell
from paradigms.report.style import CSS

from ._base import DemoResult, format_number
from ._runs import ParadigmRun
from .lesson import STEPS, Step, subtitle
from .lesson_handout import HANDOUT_FILES, render_handout
from .lesson_material import (
    LESSON_TITLE,
    LessonMaterial,
    answer_text_html,
    demo_figure_html,
    draw_material,
    missing_run_html,
    picture_html,
    question_html,
    rerun_html,
    run_heading,
    run_sentence_html,
    step_heading,
)
from .lesson_present import PRESENT_FILE, render_present
from .registry import get_term

PAGE_FILE = "lesson.html"

#: Projector-friendly additions to the report's stylesheet: one wide column, large figures and sentences.
LESSON_CSS = """
.page { max-width: 96rem; }
@media (min-width: 1180px) {
  .page { grid-template-columns: minmax(0, 1fr); } .toc { grid-row: auto; }
  nav.toc > div { position: static; } nav.toc ol { display: flex; border-left: 0; } nav.toc li { padding: 0; }
}
main p, main li { max-width: 60em; }
.idea { font-size: 1.15rem; }
.analogy { font: italic 1.1rem/1.5 var(--serif); border-left: 4px solid var(--faint); padding-left: 0.9rem; }
.question { font: 1.1rem/1.5 var(--sans); background: var(--note-bg); border-left: 4px solid var(--accent);
            padding: 0.6rem 0.9rem; border-radius: 4px; max-width: 60em; }
figure.lead img, figure.projected img { box-sizing: content-box; width: auto; max-width: calc(100% - 2px);
                                       min-width: min(900px, calc(100% - 2px)); }
.finding { font: 600 1.2rem/1.5 var(--sans); color: var(--ink); max-width: 60em; margin-top: 0.6rem; }
figure.lead figcaption.finding { font: 600 1.2rem/1.5 var(--sans); color: var(--ink); }
figure.projected figcaption { font-size: 1rem; }
details.reveal > summary, details.answer > summary { font-size: 1.05rem; font-weight: 600; }
details.answer p { font-size: 1.1rem; }
.lesson-check { border-left: 4px solid var(--warn); padding-left: 0.9rem; }
.rerun { font: 0.9rem var(--sans); color: var(--muted); }
"""


def run_html(run: ParadigmRun | None, paradigm: str, material: LessonMaterial) -> str:
    """A paradigm's run: its sentence, then its figures one under the other (or why there is none)."""
    if run is None:
        return missing_run_html(paradigm)
    figures = "".join(picture_html(p) for p in material.run_pictures.get(paradigm, ()))
    evaluation = run.evaluation
    measure = evaluation.measure
    numbers = {
        measure.name: measure.value, "what a trivial program scores": measure.baseline, "the best score": measure.best,
        "normalized score (0 = trivial, 1 = the best)": evaluation.normalized_score, "data": evaluation.dataset.name,
    }
    rows = "".join(
        f'<tr><th scope="row">{escape_html(key)}</th><td class="num">{escape_html(format_number(value))}</td></tr>'
        for key, value in numbers.items()
    )
    return (
        f"{run_heading(paradigm)}{run_sentence_html(run)}{figures}"
        f'<details><summary>Numbers</summary><div class="table-wrap"><table><tbody>{rows}</tbody></table></div></details>'
    )


def step_html(number: int, step: Step, material: LessonMaterial) -> str:
    """One section: idea and question; the demo's figure and finding folded; the answer folded."""
    shown = demo_figure_html(material, step)
    if step.paradigm is not None:
        shown += run_html(material.runs.get(step.paradigm), step.paradigm, material)
    parts = [step_heading(number, step), question_html(step)]
    if shown:
        parts.append(
            '<details class="reveal"><summary>Show what the demo found (after the class has answered)</summary>'
            f"{shown}</details>"
        )
    parts.append(f'<details class="answer"><summary>Answer</summary>{answer_text_html(material, step)}</details>')
    parts.append(rerun_html(step))
    return f'<section id="{escape_html(step.key)}" class="lesson-step">' + "".join(parts) + "</section>"


def render_lesson(
    results: Mapping[str, DemoResult],
    runs: Mapping[str, ParadigmRun],
    *,
    steps: tuple[Step, ...] = STEPS,
    note: str = "",
    material: LessonMaterial | None = None,
    seed: int = 0,
) -> str:
    """The whole page as one string: ``results`` by term slug, ``runs`` by paradigm name
    (or ``material`` already drawn from them, see :func:`glossary.lesson_material.draw_material`)."""
    material = material or draw_material(results, runs, steps, seed=seed)
    sections = [step_html(number, step, material) for number, step in enumerate(steps, start=1)]
    intro = (
        '<p class="idea">Each section: the idea, a question for the class to answer <em>before</em> looking, then, '
        "folded until you open it, the demo's figure with one sentence computed from its numbers, and the answer.</p>"
    )
    if note:
        intro += f'<div class="callout note" role="note"><p>{escape_html(note)}</p></div>'
    footer = (
        "Written by <code>paradigms lesson</code>. The same lesson runs in Jupyter: "
        "<code>examples/lesson.ipynb</code>; as slides: <code>paradigms lesson --present</code>; on paper: "
        "<code>paradigms lesson --handout</code>."
    )
    return page_shell(
        title=LESSON_TITLE,
        subtitle=subtitle(steps),
        kicker="learning-paradigms · lesson",
        main=intro + "\n".join(sections),
        contents=[(step.key, f"{number}. {step.title}") for number, step in enumerate(steps, start=1)],
        footer=footer,
        css=CSS + LESSON_CSS,
    )


def run_lesson(
    *,
    seed: int = 0,
    runs: Mapping[str, ParadigmRun] | None = None,
    run_paradigms: Callable[[str], ParadigmRun] | None = None,
    steps: tuple[Step, ...] = STEPS,
    report: Callable[[str], None] = lambda line: None,
) -> tuple[dict[str, DemoResult], dict[str, ParadigmRun]]:
    """Run every step's demo (and, with ``run_paradigms``, each paradigm the lesson reaches)."""
    results: dict[str, DemoResult] = {}
    found = dict(runs or {})
    for number, step in enumerate(steps, start=1):
        report(f"[{number}/{len(steps)}] {step.title}")
        if step.term is not None:
            results[step.term] = get_term(step.term).demo(seed=seed)
        if step.paradigm is not None and step.paradigm not in found and run_paradigms is not None:
            found[step.paradigm] = run_paradigms(step.paradigm)
    return results, found


def write_lesson(
    folder: str | Path,
    results: Mapping[str, DemoResult],
    runs: Mapping[str, ParadigmRun],
    *,
    note: str = "",
    present: bool = False,
    handout: bool = False,
    seed: int = 0,
    steps: tuple[Step, ...] = STEPS,
) -> list[Path]:
    """Write the lesson page into ``folder`` (and with ``present`` the slides, with ``handout``
    the student's and teacher's handouts), each atomically; returns their paths.
    The figures are drawn once for all of them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    material = draw_material(results, runs, steps, seed=seed)
    pages = {PAGE_FILE: render_lesson(results, runs, steps=steps, note=note, material=material)}
    if present:
        pages[PRESENT_FILE] = render_present(material, steps=steps, note=note)
    if handout:
        for teacher, name in HANDOUT_FILES.items():
            pages[name] = render_handout(material, teacher=teacher, steps=steps)
    return [write_atomic(folder / name, text) for name, text in pages.items()]
