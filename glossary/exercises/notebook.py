"""Write the exercise notebooks: ``examples/exercises.ipynb`` and ``examples/exercises_teacher.ipynb``.

Both come from the exercises themselves, so the notebooks, ``paradigms exercise
show`` and the checks never disagree; a test checks that the committed notebooks
are the ones this module writes. Each exercise is three cells: the task
(Markdown), the student's code (the stub to complete; in the teacher's version,
the worked answer), and the check, whose feedback shows itself.

    python -m glossary.exercises.notebook examples/
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

from .._notebooks import code_cell, markdown_cell, notebook_file_text, notebook_json
from ._base import Exercise
from .registry import all_exercises

STUDENT_FILE, TEACHER_FILE = "exercises.ipynb", "exercises_teacher.ipynb"

INTRODUCTION = """\
# Exercises that check themselves

One exercise for each of the lesson's nineteen words. Each has the task, a cell of code for you to complete,
and a cell that checks it: the check runs your answer here, offline, in seconds, and says what is right or
wrong, why, and a hint. Run the notebook first as it is: every check says *Not yet* and tells you where to
start. Then complete the code, one exercise at a time, and run its check again until it says *Right*.

From a terminal: `paradigms exercise list`, `paradigms exercise show TERM` and
`paradigms exercise check TERM ANSWER` (a value, or a Python file defining what the exercise asks for)."""

TEACHER_INTRODUCTION = """\
# Exercises that check themselves: the teacher's version

The same exercises as `exercises.ipynb`, with a worked answer in every code cell; every check says *Right*.
`paradigms exercise show TERM --solution` prints one answer in a terminal."""








def exercise_cells(number: int, exercise: Exercise, *, teacher: bool) -> list[dict[str, Any]]:
    """The task, the code (the stub, or the worked answer), the check."""
    task = " ".join(textwrap.dedent(exercise.task).split())
    return [
        markdown_cell(f"{exercise.term}-task", f"## {number}. {exercise.title} ({exercise.term})\n\n{task}"),
        code_cell(f"{exercise.term}-answer", exercise.solution if teacher else exercise.placeholder),
        code_cell(f"{exercise.term}-check", f'check("{exercise.term}", {exercise.name})'),
    ]


def notebook(*, teacher: bool) -> dict[str, Any]:
    """One of the two notebooks as nbformat 4 JSON (a dict)."""
    cells = [markdown_cell("introduction", TEACHER_INTRODUCTION if teacher else INTRODUCTION),
             code_cell("setup", "from glossary.exercises import check")]
    for number, exercise in enumerate(all_exercises(), start=1):
        cells += exercise_cells(number, exercise, teacher=teacher)
    return notebook_json(cells)


def notebook_text(*, teacher: bool) -> str:
    """A notebook file's exact text."""
    return notebook_file_text(notebook(teacher=teacher))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m glossary.exercises.notebook FOLDER", file=sys.stderr)
        return 2
    folder = Path(args[0])
    for name, teacher in ((STUDENT_FILE, False), (TEACHER_FILE, True)):
        (folder / name).write_text(notebook_text(teacher=teacher), encoding="utf-8")
        print(f"wrote {folder / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
