import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from paradigms.report import read_results

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "compare_paradigms.py"


def _load_example():
    spec = importlib.util.spec_from_file_location("compare_paradigms_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_compares_over_seeds(coin_paradigm, tmp_path, capsys):
    example = _load_example()
    # one seed runs in this process (the processes are tested with `paradigms compare`)
    assert example.main(["--only", "coin", "--seeds", "1", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "coin: 1 - error = " in out and "over 1 seed " in out and "open file://" in out
    assert [ev.seed for ev in read_results(tmp_path)] == [0]
    assert (tmp_path / "report.md").exists()
    assert 'id="term-epoch"' in (tmp_path / "index.html").read_text()  # the glossary's terms were handed in


@pytest.mark.slow
def test_example_runs_the_built_in_paradigms(tmp_path):
    """The example as a user runs it, quick budget, two seeds in two processes (the
    fast paradigms; the browser test runs all three)."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--seeds", "2", "--only", "unsupervised,reinforcement", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    evaluations = read_results(tmp_path)
    assert [(ev.paradigm, ev.seed) for ev in evaluations] == [
        ("unsupervised", 0), ("unsupervised", 1), ("reinforcement", 0), ("reinforcement", 1),
    ]
    assert "open file://" in result.stdout
