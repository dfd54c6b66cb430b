"""``paradigms lesson --handout``: the lesson on paper, for the student and for the teacher.

Two print-ready pages from the same steps (:data:`glossary.lesson.STEPS`):

* ``handout-student.html``: per step the idea (and the lesson's analogy), the
  question, a box to write the prediction in before the demo and one for what
  the demo showed; no answers.
* ``handout-teacher.html``: the same questions with what the demo found (its
  sentence, computed from the numbers of the run in front of the class, and a
  small copy of its figure) and the answer, with the lesson's wording checked
  where the numbers contradict it.

Each prints on at most :data:`MAX_PAGES` A4 pages (the browser test prints
both to PDF and counts). Like the lesson page: no network, no script, every
figure inline, every text escaped.
"""

from __future__ import annotations

from paradigms.report.html import escape_html, page_shell
from paradigms.report.style import CSS

from .lesson import STEPS, Step
from .lesson_material import (
    LESSON_TITLE,
    LessonMaterial,
    answer_text_html,
    demo_parts_html,
    step_heading,
)

#: The file of each version: teacher's (True) and student's (False).
HANDOUT_FILES = {False: "handout-student.html", True: "handout-teacher.html"}
#: The most A4 pages a handout may print on.
MAX_PAGES = 12

#: Paper first: A4 with its margins, compact type, boxes to write in; a student's step is never cut
#: across two pages, a teacher's only between its parts (never inside a figure or a paragraph).
HANDOUT_CSS = """
@page { size: A4; margin: 13mm 15mm 14mm; }
.page { max-width: 48rem; display: block; }
nav.toc { display: none; }
header.masthead { padding: 1.2rem 0 0.6rem; margin-bottom: 0.6rem; }
h1 { font-size: 1.7rem; }
.handout-step { break-inside: avoid; border-top: 1px solid var(--rule); padding-top: 0.3rem; margin-top: 0.5rem; }
.handout-step.with-answers { break-inside: auto; }
.handout-step.with-answers .found-demo, .handout-step.with-answers p { break-inside: avoid; }
.handout-step h2, .handout-step .label, .handout-step .question { break-after: avoid; }
.handout-step h2 { font-size: 1.1rem; margin: 0.3rem 0 0.2rem; padding: 0; }
.handout-step p { margin: 0.25rem 0; max-width: none; }
.analogy { font-style: italic; }
.question { font-family: var(--sans); font-weight: 600; }
.write { border: 1px solid #6b7280; border-radius: 3px; margin: 0.3rem 0 0.2rem; padding: 0.15rem 0.4rem;
         font: 0.75rem var(--sans); color: var(--muted); }
.write.prediction { height: 27mm; }
.write.observed { height: 17mm; }
.found { font-family: var(--sans); }
.found-demo { display: grid; grid-template-columns: 46% minmax(0, 1fr); gap: 0.8rem; align-items: start; }
.handout-step figure { margin: 0.2rem 0; }
.handout-step figure img { width: 100%; border: 0; }
.label { font: 700 0.78rem var(--sans); text-transform: uppercase; letter-spacing: 0.05em; color: var(--accent); }
.names { font: 0.95rem var(--sans); display: flex; gap: 2rem; margin: 0.4rem 0 0.2rem; }
.names span { flex: 1; border-bottom: 1px solid #6b7280; padding-bottom: 0.2rem; }
@media print {
  body { font-size: 10pt; line-height: 1.35; }
  footer { margin-top: 0.8rem; }
}
"""


def _student_step(number: int, step: Step) -> str:
    return (
        f'<section id="{escape_html(step.key)}" class="handout-step">{step_heading(number, step)}'
        f'<p class="question">{escape_html(step.question)}</p>'
        '<div class="write prediction">My prediction, before the demo:</div>'
        '<div class="write observed">What the demo showed:</div></section>'
    )


def _teacher_step(number: int, step: Step, material: LessonMaterial) -> str:
    found = ""
    demo = demo_parts_html(material, step)
    if demo is not None:
        figure, finding = demo
        found += (f'<p class="label">What the demo found</p><div class="found-demo"><figure>{figure}</figure>'
                  f'<p class="found">{finding}</p></div>')
    run = material.runs.get(step.paradigm or "")
    if run is not None:
        found += f'<p class="label">The {escape_html(run.evaluation.paradigm)} paradigm, a whole run</p>'
        found += f'<p class="found">{escape_html(run.finding)}</p>'
    return (
        f'<section id="{escape_html(step.key)}" class="handout-step with-answers">{step_heading(number, step)}'
        f'<p class="question">{escape_html(step.question)}</p>{found}'
        f'<p class="label">Answer</p>{answer_text_html(material, step)}</section>'
    )


def render_handout(material: LessonMaterial, *, teacher: bool, steps: tuple[Step, ...] = STEPS) -> str:
    """The student's handout (questions with room to answer) or, with ``teacher``, the teacher's (answers)."""
    if teacher:
        intro = (
            "<p>The teacher's copy: each question with what the demo found when this handout was written (the "
            "sentence is computed from the demo's numbers) and the answer.</p>"
        )
        body = "".join(_teacher_step(number, step, material) for number, step in enumerate(steps, start=1))
    else:
        intro = (
            '<p class="names"><span>Name:</span><span>Date:</span></p>'
            "<p>For each step: read the idea and the question, write your prediction <em>before</em> the demo is "
            "shown, then what the demo showed.</p>"
        )
        body = "".join(_student_step(number, step) for number, step in enumerate(steps, start=1))
    version = "teacher's copy, with answers" if teacher else "student's handout"
    return page_shell(
        title=f"{LESSON_TITLE} ({version})",
        subtitle="Predict first, then look: questions on machine learning, each answered by a small real demo",
        kicker="learning-paradigms · lesson · handout",
        main=intro + body,
        footer="Written by <code>paradigms lesson --handout</code>.",
        css=CSS + HANDOUT_CSS,
    )
