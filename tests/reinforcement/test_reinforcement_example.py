import runpy
import sys
import warnings
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "reinforcement_agent.py"


@pytest.mark.slow
def test_example_runs_quick(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [str(EXAMPLE), "--quick", "--out", str(tmp_path)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a quick budget may end unsolved, and says so
        runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert "greedy success rate" in out and "loaded agent agrees on 100%" in out
    assert "T: keep a pole balanced" in out
    names = {p.name for p in tmp_path.iterdir()}
    assert {"cartpole-ppo", "cartpole.gif", "reinforcement.json", "rollout.gif", "return_curve.png", "rollout.png"} <= names
