"""`paradigms sweep`: progress while it runs, the page, resume, and bad input refused before any run."""

import os

import pytest

from paradigms.cli import main
from paradigms.report import Comparison


def test_a_sweep_prints_progress_writes_the_page_and_resumes(scribe, tmp_path, capsys):
    out = tmp_path / "sweep"
    argv = ["sweep", "scribe", "--grid", "level=1,4", "--grid", "widths=2;4,4", "--seeds", "2", "--jobs", "1",
            "--set", "scribe.fail_at=4", "--out", str(out)]
    assert main(argv) == 1  # two cells fail at level 4: exit code 1, the rest reported
    captured = capsys.readouterr()
    lines = [line for line in captured.out.splitlines() if line.startswith("[")]
    assert len(lines) == 8 and lines[-1].startswith("[8/8]") and "4 failed" in lines[-1]
    assert "level=1, widths=2 seed 0: test score = " in captured.out and ", best validation score " in captured.out
    assert "FAILED: RuntimeError: level 4 is cursed" in captured.out
    assert "chosen: level=1, widths=4,4" in captured.out
    assert "sweeping scribe over level (2 values) × widths (2 values): 4 cells × 2 seeds = 8 runs" in captured.err
    page = (out / "index.html").read_text()
    assert "What do level and widths do?" in page and "level 4 is cursed" in page
    comparison = Comparison.load(out)
    assert len(comparison.evaluations) == 4 and len(comparison.failures) == 4

    # the same command with --resume: the four good runs are kept; the failed ones run again (and fail again)
    assert main([*argv, "--resume"]) == 1
    captured = capsys.readouterr()
    assert "4 already done (4 to run" in captured.err
    assert [line[:5] for line in captured.out.splitlines() if line.startswith("[")] == ["[5/8]", "[6/8]", "[7/8]",
                                                                                         "[8/8]"]
    # the page is rebuilt from results.json alone
    (out / "index.html").unlink()
    assert main(["report", str(out)]) == 0
    assert "What do level and widths do?" in (out / "index.html").read_text()


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--grid", "levle=1,2"], "did you mean level"),
        (["--grid", "level=1,99"], "level = 99 is out of range"),
        ([], "an empty grid"),
        (["--grid", "level=1,2", "--seeds", "60"], "120 runs, more than 100: add --yes"),
        (["--grid", "level=1,2", "--set", "coin.flips=3"], "this sweep runs scribe only"),
        (["--grid", "level=1,2", "--address", "head:6379"], "only --backend ray joins a cluster"),
        (["--grid", "level=1,2", "--jobs", "0"], "--jobs 0: give at least 1"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2_before_any_run(scribe, coin_paradigm, tmp_path, capsys, extra, message):
    out = tmp_path / "sweep"
    assert main(["sweep", "scribe", *extra, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert not (out / "runs").exists()


def test_resume_on_a_folder_of_another_grid_is_refused(scribe, tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", "scribe", "--grid", "level=1,2", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["sweep", "scribe", "--grid", "level=2,3", "--out", str(out), "--resume"]) == 2
    assert "holds a sweep of scribe over level=1,2, not over level=2,3;" in capsys.readouterr().err  # sides differ
    assert main(["sweep", "scribe", "--grid", "widths=2,3;4", "--out", str(out), "--resume"]) == 2
    assert "holds a sweep of scribe over level (2 values): 2 cells, not of scribe over widths" in capsys.readouterr().err


def test_an_output_path_that_is_a_file_is_refused_first(scribe, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["sweep", "scribe", "--grid", "level=1,2", "--out", str(blocker)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_sweep_help_documents_the_list_separator_and_the_maximum(capsys):
    with pytest.raises(SystemExit):
        main(["sweep", "--help"])
    out = capsys.readouterr().out
    assert "hidden_sizes=128;256,128" in out and "More than 100 runs" in out and "--backend" in out


def test_the_page_of_a_sweep_that_stopped_early_says_to_resume(scribe, tmp_path, capsys):
    from paradigms.execution import sweep

    sweep("scribe", ["level=1,2"], out=tmp_path)  # the ledger and the runs, but no results.json yet
    assert main(["report", str(tmp_path)]) == 2
    assert "this sweep stopped early; rerun its command with --resume" in capsys.readouterr().err


def test_a_second_sweep_into_a_folder_in_use_is_refused_in_one_line(scribe, tmp_path, capsys):
    from paradigms.errors import ConfigError
    from paradigms.execution import sweep
    from paradigms.outputs import exclusive_use

    out = tmp_path / "sweep"
    with exclusive_use(out):  # a sweep writing there now (flock: a second open, even in this process, waits)
        assert main(["sweep", "scribe", "--grid", "level=1,2", "--jobs", "1", "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "is writing into this folder now" in err[0] and str(os.getpid()) in err[0]
        with pytest.raises(ConfigError, match="is writing into this folder now"):
            sweep("scribe", ["level=1,2"], out=out, jobs=1)
        assert not (out / "sweep.json").exists()
    assert main(["sweep", "scribe", "--grid", "level=1,2", "--jobs", "1", "--out", str(out)]) == 0  # free again
