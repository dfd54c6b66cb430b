import dataclasses
import html
import json

import pytest

import paradigms
from paradigms.cli import main
from paradigms.report import read_results


def _broken(settings, seed, progress):
    raise RuntimeError(f"no luck with seed {seed}")


def test_compare_over_two_seeds_in_two_processes(coin_paradigm, tmp_path, capsys):
    # "flaky" exists only in this process: the children get its spec pickled by reference
    paradigms.register(dataclasses.replace(coin_paradigm, name="flaky", run=_broken), replace=True)
    out = tmp_path / "out"
    try:
        code = main(["compare", "--only", "coin,flaky", "--seeds", "2", "--jobs", "2", "--seed", "5",
                     "--set", "coin.flips=40", "--out", str(out), "--no-progress"])
    finally:
        paradigms.unregister("flaky")
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert "flaky (seed 6) failed: RuntimeError: no luck with seed 6" in captured.err
    assert "built in" in captured.out
    evaluations = read_results(out)
    assert [(ev.paradigm, ev.seed) for ev in evaluations] == [("coin", 5), ("coin", 6)]
    assert all(ev.config["flips"] == 40 for ev in evaluations)
    written = {p.name for p in out.glob("*.json") if not p.name.startswith(".")}  # not the manifest
    assert written == {"coin.seed5.json", "coin.seed6.json", "results.json"}
    # the children ran exactly what this process runs with the same seeds
    for evaluation in evaluations:
        here = paradigms.run("coin", seed=evaluation.seed, flips=40)
        assert here.measure == evaluation.measure and here.curve.equals(evaluation.curve)
    page = (out / "index.html").read_text()
    from paradigms.report.stats import format_interval, mean_interval

    assert html.escape(format_interval(mean_interval([ev.measure.value for ev in evaluations]))) in page
    assert "2 seeds (5–6)" in page and "The run with seed 6 failed" in page
    assert "paradigms compare --seed 5 --seeds 2 --only coin,flaky --set coin.flips=40" in page
    document = json.loads((out / "results.json").read_text())
    assert document["run"]["seeds"] == [5, 6] and document["paradigms"]["coin"]["feedback"] == "none"
    assert [(f["paradigm"], f["seed"]) for f in document["failures"]] == [("flaky", 5), ("flaky", 6)]
    assert "_broken" in document["failures"][0]["traceback"]


def test_a_failed_paradigm_keeps_the_others_and_exits_1(coin_paradigm, tmp_path, capsys):
    paradigms.register(dataclasses.replace(coin_paradigm, name="flaky", run=_broken), replace=True)
    try:
        code = main(["compare", "--only", "flaky,coin", "--out", str(tmp_path), "--quick"])
    finally:
        paradigms.unregister("flaky")
    assert code == 1
    err = capsys.readouterr().err
    assert "flaky (seed 0) failed: RuntimeError: no luck with seed 0" in err and "Traceback" not in err
    assert [ev.paradigm for ev in read_results(tmp_path)] == ["coin"]
    page = (tmp_path / "index.html").read_text()
    assert "The run with seed 0 failed" in page and "no luck with seed 0" in page
    assert page.index('id="paradigm-flaky"') < page.index('id="paradigm-coin"')  # the order asked for


def test_report_command_rebuilds_without_running(coin_paradigm, tmp_path, capsys, monkeypatch):
    assert main(["compare", "--only", "coin", "--out", str(tmp_path), "--quick"]) == 0
    before = (tmp_path / "index.html").read_bytes()
    (tmp_path / "index.html").unlink()

    def must_not_run(*args, **kwargs):
        raise AssertionError("the report command ran a paradigm")

    monkeypatch.setattr(paradigms.registry, "run", must_not_run)
    assert main(["report", str(tmp_path)]) == 0
    assert (tmp_path / "index.html").read_bytes() == before
    assert b'id="term-epoch"' in before  # the command line handed in the glossary's terms
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "copy")]) == 0
    assert (tmp_path / "copy" / "index.html").read_bytes() == before


@pytest.mark.parametrize(
    "argv, code, message",
    [
        (["compare", "--only", "coin", "--seeds", "0"], 2, "--seeds 0: give 1 to 1000"),
        (["compare", "--only", "coin", "--jobs", "0"], 2, "--jobs 0: give at least 1"),
        (["report", "/nonexistent/folder"], 2, "no such file"),
    ],
)
def test_bad_usage_is_one_line(coin_paradigm, capsys, argv, code, message):
    assert main(argv) == code
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_a_corrupt_results_file_is_a_data_error(tmp_path, capsys):
    (tmp_path / "results.json").write_text('{"format": "something else"}')
    assert main(["report", str(tmp_path)]) == 1
    assert "not a results file written by `paradigms compare`" in capsys.readouterr().err
