"""``paradigms lesson --out DIR``: the lesson as one self-contained page for a projector.

The same steps as ``examples/lesson.ipynb`` (:data:`glossary.lesson.STEPS`),
one section each: the idea and the question to ask the class, then a large
figure with its sentence (computed from the demo's numbers), the answer folded
until the class has guessed, and the numbers and table folded away. Where the
lesson reaches a paradigm, that paradigm's run follows with its own figures: a
quick run of each, or the results ``paradigms compare`` left in a folder.

The page uses the report's shell (:func:`paradigms.report.html.page_shell`):
no network (its Content-Security-Policy allows only inline styles and
``data:`` images), every figure inline, every piece of text escaped, and the
report's stylesheet plus a few rules for a projector.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from paradigms.files import write_atomic
from paradigms.report.html import data_url, escape_html, page_shell
from paradigms.report.style import CSS

from ._base import SHOWN_ROWS, DemoResult, figure_to_png, format_number
from ._runs import ParadigmRun
from .lesson import STEPS, Step, subtitle
from .registry import get_term

PAGE_FILE = "lesson.html"
TITLE = "How machines learn: the lesson"

#: Projector-friendly additions to the report's stylesheet: wider page, large figures and sentences.
LESSON_CSS = """
.page { max-width: 96rem; }
main p, main li { max-width: 60em; }
.idea { font-size: 1.15rem; }
.question { font: 1.1rem/1.5 var(--sans); background: var(--note-bg); border-left: 4px solid var(--accent);
            padding: 0.6rem 0.9rem; border-radius: 4px; max-width: 60em; }
figure.lead img { width: 100%; max-width: 80rem; }
.finding { font: 600 1.2rem/1.5 var(--sans); color: var(--ink); max-width: 60em; margin-top: 0.6rem; }
figure.lead figcaption.finding { font: 600 1.2rem/1.5 var(--sans); color: var(--ink); }
details.answer summary { font-size: 1.05rem; font-weight: 600; }
details.answer p { font-size: 1.1rem; }
.run-figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(26rem, 1fr)); gap: 1rem; }
"""


def _image(data: bytes, alt: str, mime: str = "image/png") -> str:
    return f'<img src="{data_url(data, mime)}" alt="{escape_html(alt)}">'


def _numbers_table(numbers: Mapping[str, object]) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape_html(key)}</th><td class="num">{escape_html(format_number(value))}</td></tr>'
        for key, value in numbers.items()
    )
    return f'<div class="table-wrap"><table><tbody>{rows}</tbody></table></div>'


def _data_table(table: pd.DataFrame) -> str:
    shown = table.head(SHOWN_ROWS).to_html(index=False, float_format=format_number, border=0, escape=True)
    more = f"<p>{len(table)} rows in all; the first {SHOWN_ROWS} shown.</p>" if len(table) > SHOWN_ROWS else ""
    return f'<div class="table-wrap">{shown}</div>{more}'


def demo_html(result: DemoResult) -> str:
    """The large figure and its sentence, then the numbers and table folded away."""
    figure = _image(figure_to_png(result.plot(), dpi=110), f"{result.term.name}: the demo's figure")
    settings = ", ".join(f"{name}={value}" for name, value in vars(result.settings).items())
    return (
        f'<figure class="lead">{figure}<figcaption class="finding">{escape_html(result.finding)}</figcaption></figure>'
        f"<details><summary>Numbers and table</summary>{_numbers_table(result.numbers)}"
        f"{_data_table(result.table)}<p>Settings: {escape_html(settings)}; seed {result.seed}. "
        f"Rerun: <code>paradigms glossary show {escape_html(result.term.slug)}</code></p></details>"
    )


def run_html(run: ParadigmRun | None, paradigm: str) -> str:
    """A paradigm's run: its sentence, then its figures (or why there is none)."""
    heading = f"<h3>The {escape_html(paradigm)} paradigm, a whole run</h3>"
    if run is None:
        return (
            f"{heading}<p>No run of this paradigm was included: run <code>paradigms lesson</code> without "
            "<code>--no-runs</code>, or give <code>--results DIR</code> from <code>paradigms compare</code>.</p>"
        )
    pictures = run.pictures()
    figures = "".join(
        f'<figure>{_image(p.data, p.title, p.mime)}<figcaption>{escape_html(p.title)}</figcaption></figure>'
        for p in pictures
    )
    evaluation = run.evaluation
    measure = evaluation.measure
    numbers = {
        measure.name: measure.value, "baseline": measure.baseline, "best": measure.best,
        "normalized score": evaluation.normalized_score, "data": evaluation.dataset.name,
        "seed": evaluation.seed,
    }
    return (
        f'{heading}<p class="finding">{escape_html(run.finding)}</p><div class="run-figures">{figures}</div>'
        f"<details><summary>Numbers</summary>{_numbers_table(numbers)}</details>"
    )


def step_html(number: int, step: Step, result: DemoResult | None, run: ParadigmRun | None) -> str:
    parts = [
        f"<h2>{number}. {escape_html(step.title)}</h2>",
        f'<p class="idea">{escape_html(step.idea)}</p>',
        f'<p class="question"><strong>Predict first:</strong> {escape_html(step.question)}</p>',
    ]
    if result is not None:
        parts.append(demo_html(result))
    if step.paradigm is not None:
        parts.append(run_html(run, step.paradigm))
    parts.append(f'<details class="answer"><summary>Answer</summary><p>{escape_html(step.answer)}</p></details>')
    return f'<section id="{escape_html(step.key)}" class="lesson-step">' + "".join(parts) + "</section>"


def render_lesson(
    results: Mapping[str, DemoResult],
    runs: Mapping[str, ParadigmRun],
    *,
    steps: tuple[Step, ...] = STEPS,
    note: str = "",
) -> str:
    """The whole page as one string: ``results`` by term slug, ``runs`` by paradigm name."""
    sections = [
        step_html(number, step, results.get(step.term) if step.term else None, runs.get(step.paradigm or ""))
        for number, step in enumerate(steps, start=1)
    ]
    intro = (
        '<p class="idea">Each section: the idea, a question for the class to answer <em>before</em> looking, then '
        "the demo's figure with one sentence computed from its numbers, and the answer, folded until you open it. "
        "The numbers are folded underneath.</p>"
    )
    if note:
        intro += f'<div class="callout note" role="note"><p>{escape_html(note)}</p></div>'
    footer = (
        "Written by <code>paradigms lesson</code>. The same lesson runs in Jupyter: "
        "<code>examples/lesson.ipynb</code>."
    )
    return page_shell(
        title=TITLE,
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


def write_lesson(folder: str | Path, results: Mapping[str, DemoResult], runs: Mapping[str, ParadigmRun],
                 *, note: str = "") -> Path:
    """Render the page and write it into ``folder`` (atomically); returns its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return write_atomic(folder / PAGE_FILE, render_lesson(results, runs, note=note))
