"""The exercise notebooks: written from the exercises, the teacher's passing every check,
the student's running without an error and showing feedback on every placeholder."""

import re
from pathlib import Path

import pytest

from glossary.exercises import all_exercises
from glossary.exercises.notebook import STUDENT_FILE, TEACHER_FILE, notebook, notebook_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(("name", "teacher"), [(STUDENT_FILE, False), (TEACHER_FILE, True)])
def test_the_committed_notebooks_are_the_ones_the_exercises_write(name, teacher):
    assert (EXAMPLES / name).read_text(encoding="utf-8") == notebook_text(teacher=teacher), (
        f"examples/{name} is out of date: python -m glossary.exercises.notebook examples/"
    )


def test_the_students_notebook_holds_no_worked_answer():
    student = "".join("".join(cell["source"]) for cell in notebook(teacher=False)["cells"])
    for exercise in all_exercises():
        assert exercise.solution.strip() not in student, exercise.term
        assert exercise.placeholder.strip() in student, exercise.term


def _execute(name: str, tmp_path: Path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    book = nbformat.read(EXAMPLES / name, as_version=4)
    nbclient.NotebookClient(book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    assert not [o for cell in code for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    checks = {cell.id.removesuffix("-check"): cell for cell in code if cell.id.endswith("-check")}
    assert list(checks) == [exercise.term for exercise in all_exercises()]
    pages = {}
    for term, cell in checks.items():
        pages[term] = "".join(o["data"].get("text/html", "") for o in cell.outputs if "data" in o)
        assert "exercise-feedback" in pages[term] and "Why:" in pages[term] and "Hint:" in pages[term], term
    return pages


@pytest.mark.slow
def test_the_teachers_notebook_passes_every_check(tmp_path):
    for term, page in _execute(TEACHER_FILE, tmp_path).items():
        assert re.search(r">Right</b>", page), f"{term}: {page}"


@pytest.mark.slow
def test_the_students_notebook_runs_and_says_not_yet_with_a_reason(tmp_path):
    for term, page in _execute(STUDENT_FILE, tmp_path).items():
        assert re.search(r">Not yet</b>", page), f"{term}: {page}"
