import runpy
import sys
import warnings
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "unsupervised_customers.py"


def test_the_example_runs_on_a_tiny_shop(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [str(EXAMPLE), "--customers", "150", "--out", str(tmp_path)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert "adjusted Rand index against the hidden personas" in out
    for name in ("unsupervised.json", "customer_segments.csv", "segments.png", "k_selection.png", "profiles.png"):
        assert (tmp_path / name).exists(), name
