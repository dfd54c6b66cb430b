"""The lesson notebook runs from top to bottom: every demo shows a figure and its sentence, and no cell errs."""

import re
import time
from pathlib import Path

import pytest

from glossary.lesson import STEPS

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "lesson.ipynb"


@pytest.mark.slow
def test_the_lesson_notebook_executes_within_a_few_minutes(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    started = time.perf_counter()
    nbclient.NotebookClient(
        notebook, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    seconds = time.perf_counter() - started
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    outputs = [output for cell in code for output in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    demos = [cell for cell in code if cell.id.endswith("-demo")]
    assert len(demos) == sum(1 for step in STEPS if step.term)
    for cell in demos:
        page = "".join(o["data"].get("text/html", "") for o in cell.outputs if "data" in o)
        assert "glossary-term" in page and "data:image/png;base64," in page, cell.id
    runs = [cell for cell in code if cell.id.endswith("-run")]
    for cell in runs:
        page = "".join(o["data"].get("text/html", "") for o in cell.outputs if "data" in o)
        assert "paradigm-run" in page and "data:image/png;base64," in page, cell.id
    text = "".join(
        re.sub(r"base64,[A-Za-z0-9+/=]+", "", str(o.get("data", {})) + str(o.get("text", ""))) for o in outputs
    )
    assert not re.search(r"\d\.\d{7,}", text), "no raw floats with many digits"
    assert not list(tmp_path.iterdir()), "the lesson writes no files"
    assert seconds < 240
