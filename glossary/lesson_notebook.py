"""Write the lesson as a Jupyter notebook: ``examples/lesson.ipynb``.

The notebook is generated from :data:`glossary.lesson.STEPS`, so the notebook
and the projected page (``paradigms lesson``) never tell two different
stories; a test checks that the committed notebook is the one this module
writes. Each step is three cells: the idea and the question to predict
(Markdown), the demo (one line of code whose result shows itself: figure,
sentence, then the numbers folded away), and the answer, folded until the
class has made its guess.

    python -m glossary.lesson_notebook examples/lesson.ipynb
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ._notebooks import code_cell, markdown_cell, notebook_file_text, notebook_json
from .lesson import STEPS, Step
from .lesson_checks import CHECKS
from .registry import get_term

INTRODUCTION = """\
# The lesson: how machines learn, in nineteen words

This notebook follows the lesson in its order: neuron, network and layers, the MNIST network with 784 inputs,
deep, backpropagation, Mitchell's T, P and E, the three paradigms, cost function, overfitting and underfitting,
classification and regression, training, validation and test sets, batch size, epoch and learning rate.

Every section has the idea in two sentences and a question. **Predict the answer first**, then run the cell: each
demo computes something small and real in a few seconds and shows a figure with one sentence computed from its
numbers (its numbers and table are folded underneath). Then open the answer.

The demos that need 28x28 digits use the real MNIST when it is on this machine (`$LEARNING_PARADIGMS_DATA` or
`paradigms data fetch mnist`); otherwise scikit-learn's 8x8 digits enlarged to 28x28, and their sentence says so.
Nothing is downloaded. `paradigms lesson --out lesson/` writes the same lesson as one page for a projector."""

CLOSING = """\
## Try it yourself

Every demo takes its settings as keywords, for instance `epoch.demo(epochs=5)` or
`learning_rate.demo(rates=(0.5, 1.9, 2.05))`, and a `seed`; `paradigms glossary show TERM` runs one from a
terminal. With the optional sliders installed (`pip install 'learning-paradigms[widgets]'`),
`glossary.interactive("learning rate")` puts a slider on a demo's main setting (the learning rate, the batch
size, the polynomial degree, the noise, the number of epochs, ...) and reruns it when you let go."""


def _module(term: str) -> str:
    return get_term(term).module.rpartition(".")[2]








def step_cells(number: int, step: Step) -> list[dict[str, Any]]:
    """The cells of one step: idea (and the lesson's analogy) and question, the demo (and the paradigm's
    run), the folded answer, and where the numbers contradict the lesson's wording, the check."""
    analogy = f"*{step.analogy}*\n\n" if step.analogy else ""
    cells = [markdown_cell(f"{step.key}-idea", f"## {number}. {step.title}\n\n{step.idea}\n\n{analogy}**Predict first.** {step.question}")]
    if step.term is not None:
        module = _module(step.term)
        cells.append(code_cell(f"{step.key}-demo", f"from glossary import {module}\n\n{module}.demo()"))
    if step.paradigm is not None:
        cells.append(code_cell(f"{step.key}-run", f'from glossary import run_paradigm\n\nrun_paradigm("{step.paradigm}")'))
    cells.append(markdown_cell(f"{step.key}-answer", f"<details><summary><b>Answer</b> (open it after running the cell)</summary>\n\n{step.answer}\n\n</details>"))
    if step.key in CHECKS and step.lesson_says:
        cells.append(markdown_cell(f"{step.key}-lesson-says", f"**The lesson's words, checked.** {step.lesson_says} What do the numbers say?"))
        cells.append(code_cell(f"{step.key}-check", f'from glossary.lesson_checks import lesson_check\n\nlesson_check("{step.key}")'))
    return cells


def notebook() -> dict[str, Any]:
    """The lesson notebook as nbformat 4 JSON (a dict)."""
    cells = [markdown_cell("introduction", INTRODUCTION)]
    for number, step in enumerate(STEPS, start=1):
        cells += step_cells(number, step)
    cells.append(markdown_cell("try-it-yourself", CLOSING))
    return notebook_json(cells)


def notebook_text() -> str:
    """The notebook file's exact text."""
    return notebook_file_text(notebook())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m glossary.lesson_notebook OUT.ipynb", file=sys.stderr)
        return 2
    path = Path(args[0])
    path.write_text(notebook_text(), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
