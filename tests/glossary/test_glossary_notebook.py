"""The glossary tour notebook runs from top to bottom, and its figures come out inline."""

from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "glossary_tour.ipynb"


@pytest.mark.slow
def test_glossary_tour_notebook_executes(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("data:image/png;base64," in page and "glossary-term" in page for page in html)
    assert any("image/png" in o.get("data", {}) for o in outputs), "a bare Figure displays inline"
    assert not list(tmp_path.iterdir()), "the tour writes no files"
