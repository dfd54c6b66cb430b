import dataclasses
import json
import subprocess
import sys

import pytest

import paradigms
from paradigms.cli import main
from paradigms.report import read_results


def test_list_shows_t_p_e(coin_paradigm, capsys):
    assert main(["list"]) == 0
    line = next(row for row in capsys.readouterr().out.splitlines() if row.startswith("coin"))
    assert "T: estimate how often" in line and "P: " in line and "E: coin flips" in line


def test_run_writes_json_and_summary(coin_paradigm, tmp_path, capsys):
    assert main(["run", "coin", "--out", str(tmp_path), "--seed", "4", "--flips", "50"]) == 0
    out = capsys.readouterr().out
    assert "coin: 1 - error =" in out and "baseline 0.5" in out
    ev = paradigms.Evaluation.load(tmp_path / "coin.json")
    assert ev.seed == 4 and ev.config["flips"] == 50
    assert ev.curve["experience"].iloc[-1] == 50
    assert "total_seconds" in ev.timings and "  time: " in out


def test_run_is_deterministic(coin_paradigm):
    a = paradigms.run("coin", seed=9)
    b = paradigms.run("coin", seed=9)
    assert a.measure == b.measure
    assert a.curve.equals(b.curve)
    assert paradigms.run("coin", seed=10).metrics != a.metrics


def test_run_help_lists_settings_with_defaults(coin_paradigm, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "coin", "--help"])
    assert exit_info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # as read, whatever the help's line breaks
    assert "--flips" in out and "coin flips seen" in out and "default: 200" in out and "--quick: 20" in out


def test_quick_uses_the_quick_values(coin_paradigm, tmp_path):
    assert main(["run", "coin", "--quick", "--out", str(tmp_path)]) == 0
    assert paradigms.Evaluation.load(tmp_path / "coin.json").config["flips"] == 20


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["run", "coiin"], 2, "did you mean 'coin'"),
        (["run", "coin", "--flips", "0"], 2, "flips = 0 is out of range"),
        (["run", "coin", "--flips", "many"], 2, "not a valid int"),
        (["run", "coin", "--bogus", "1"], 2, "unrecognized arguments: --bogus"),
        (["run", "coin", "--seed", "-3"], 2, "seed"),
        (["compare", "--set", "coin.flipz=3"], 2, "did you mean flips"),
        (["compare", "--set", "nonsense"], 2, "NAME.SETTING=VALUE"),
        (["nosuchcommand"], 2, "invalid choice"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(coin_paradigm, capsys, argv, code, message):
    try:
        result = main(argv)
    except SystemExit as exc:
        result = exc.code
    assert result == code
    err = capsys.readouterr().err.strip()
    assert message in err
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err


def test_a_failing_run_exits_1_without_traceback(coin_paradigm, capsys):
    def broken(settings, seed, progress):
        raise RuntimeError("the disk is on fire")

    spec = dataclasses.replace(coin_paradigm, run=broken)
    paradigms.register(spec, replace=True)
    assert main(["run", "coin"]) == 1
    err = capsys.readouterr().err
    assert "the disk is on fire" in err and "--debug" in err and "Traceback" not in err
    with pytest.raises(RuntimeError):
        main(["run", "coin", "--debug"])


def test_compare_writes_one_json_each_and_results(coin_paradigm, tmp_path, capsys):
    assert main(["compare", "--only", "coin", "--out", str(tmp_path), "--set", "coin.flips=30"]) == 0
    assert (tmp_path / "coin.json").exists()
    evaluations = read_results(tmp_path)
    assert [ev.paradigm for ev in evaluations] == ["coin"]
    assert evaluations[0].config["flips"] == 30
    document = json.loads((tmp_path / "results.json").read_text())
    assert [ev["paradigm"] for ev in document["evaluations"]] == ["coin"] and document["failures"] == []


def test_python_dash_m_and_console_script_work():
    result = subprocess.run([sys.executable, "-m", "paradigms", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "paradigms" in result.stdout
    result = subprocess.run([sys.executable, "-m", "paradigms", "run", "no-such-paradigm"], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "unknown paradigm 'no-such-paradigm'" in result.stderr


def test_control_characters_in_a_file_name_are_written_out_before_they_reach_the_terminal(tmp_path, capsys):
    name = tmp_path / "bad\x1b]0;owned\x07\nname.csv"
    assert main(["run", "supervised", "--data", str(name), "--target", "y"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and len(err.strip().splitlines()) == 1
    assert "bad\\x1b]0;owned\\x07\\nname.csv" in err
