import runpy
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "supervised_mnist.py"


def test_example_runs_quick_on_the_fallback(no_real_mnist, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [str(EXAMPLE), "--quick", "--out", str(tmp_path)])
    with pytest.warns(UserWarning) as caught:
        runpy.run_path(str(EXAMPLE), run_name="__main__")
    said = " ".join(str(w.message) for w in caught)
    assert "8x8 digits" in said  # the fallback, named
    assert "validation slice shrunk" in said  # 2,000 validation images of 1,437: a fifth instead
    out = capsys.readouterr().out
    assert "test accuracy" in out and "the loaded model reads" in out
    assert {"supervised.json", "learning_curves.png", "confusion_matrix.png", "misclassified.png"} <= {
        p.name for p in tmp_path.iterdir()
    }
