"""Files read and written on the user's behalf: a run's files staged centrally and committed on
success only, the manifest, JSON read back in one line, and the command line's checks before work."""

from __future__ import annotations

import json
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from report.report_helpers import make_evaluation

import paradigms
from paradigms import DatasetInfo, Evaluation, Measure, Progress, Settings, setting
from paradigms.cli import main
from paradigms.errors import ConfigError, DataError
from paradigms.outputs import (
    MANIFEST_FILE,
    StagedOutputs,
    own_files,
    read_json_file,
    record_own_files,
    staged_outputs,
)
from paradigms.seeding import MAX_SEED


@dataclass(frozen=True)
class ScribeSettings(Settings):
    """A test paradigm that writes files, and can fail after writing them."""

    text: str = setting("first", "what the files say")
    fail: bool = setting(False, "raise after writing the files")
    nested: bool = setting(False, "stage its files itself too, as a paradigm may")
    output_dir: Path | None = setting(None, "where the files go")


def run_scribe(settings: ScribeSettings, seed: int, progress: Progress) -> Evaluation:
    with staged_outputs(settings.output_dir) if settings.nested else _no_stage(settings.output_dir) as stage:
        folder = Path(stage.path)
        (folder / "agent").mkdir(exist_ok=True)
        (folder / "table.csv").write_text(settings.text)
        (folder / "agent" / "weights.bin").write_text(settings.text)
        if settings.fail:
            raise DataError("the scribe broke after writing")
        files = [str(folder / "table.csv"), str(folder / "agent" / "weights.bin")]
    return Evaluation(
        paradigm="scribe", task="write files", experience="words",
        measure=Measure(name="words", value=1.0, baseline=0.0, best=1.0),
        curve=pd.DataFrame({"experience": [1], "performance": [1.0]}),
        dataset=DatasetInfo(name="words", source=f"written into {folder}"), seed=seed,
        metrics={"files": files}, config=settings.to_dict(), figure_data={"where": {"folder": str(folder)}},
    )


class _no_stage:  # noqa: N801 - used like staged_outputs
    def __init__(self, folder):
        self.path = folder

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def scribe():
    paradigms.available()
    spec = paradigms.register(paradigms.ParadigmSpec(
        name="scribe", task="write files", measure="words", experience="words", feedback="none",
        settings=ScribeSettings, run=run_scribe,
    ), replace=True)
    yield spec
    paradigms.unregister("scribe")


def _contents(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("nested", [False, True])
def test_a_failed_run_leaves_the_earlier_files_and_no_staging_folder(scribe, tmp_path, nested):
    out = tmp_path / "out"
    first = paradigms.run("scribe", ScribeSettings(output_dir=out, nested=nested))
    assert {"table.csv", "agent/weights.bin"} <= own_files(out)
    # the Evaluation names where the files are now, not the staging folder they were written into
    assert first.metrics["files"] == [str(out / "table.csv"), str(out / "agent" / "weights.bin")]
    assert first.config["output_dir"] == str(out) and first.figure_data["where"]["folder"] == str(out)
    assert first.dataset.source == f"written into {out}"
    before = _contents(out)
    with pytest.raises(DataError, match="broke after writing"):
        paradigms.run("scribe", ScribeSettings(output_dir=out, text="second", fail=True, nested=nested))
    assert _contents(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".staging-")]
    paradigms.run("scribe", ScribeSettings(output_dir=out, text="third", nested=nested))
    assert (out / "table.csv").read_text() == "third"


def test_a_stage_inside_an_open_stage_writes_through_once(tmp_path):
    with staged_outputs(tmp_path / "out") as outer:
        with staged_outputs(outer.path / "sub") as inner:
            assert inner.path == outer.path / "sub" and inner.final == tmp_path / "out" / "sub"
            (inner.path / "x.txt").write_text("x")
        assert (outer.path / "sub" / "x.txt").exists()  # not committed by the inner one
    assert (tmp_path / "out" / "sub" / "x.txt").read_text() == "x"
    assert own_files(tmp_path / "out") == {"sub/x.txt"}


def test_a_manifest_written_in_a_stage_adds_to_the_folder_manifest(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    record_own_files(out, ["old.csv"])
    stage = StagedOutputs(out)
    (stage.path / "new.csv").write_text("n")
    record_own_files(stage.path, ["new.csv"])
    stage.commit()
    assert own_files(out) == {"old.csv", "new.csv"}
    assert json.loads((out / MANIFEST_FILE).read_text())["files"] == ["new.csv", "old.csv"]


def test_a_manifest_written_in_a_stage_never_makes_a_users_file_of_that_name_the_programs(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("my page")
    stage = StagedOutputs(out)
    (stage.path / "index.html").write_text("the program's page")
    record_own_files(stage.path, ["index.html"])  # as writing_own inside the stage records it
    with pytest.warns(UserWarning, match="not one the program wrote"):
        stage.commit()
    assert (out / "index.yours.html").read_text() == "my page"
    assert (out / "index.html").read_text() == "the program's page"


def test_a_manifest_written_in_a_new_subfolder_of_a_stage_is_committed_with_it(tmp_path):
    out = tmp_path / "out"
    stage = StagedOutputs(out)
    (stage.path / "sub").mkdir()
    (stage.path / "sub" / "a.txt").write_text("a")
    record_own_files(stage.path / "sub", ["a.txt"])
    stage.commit()  # out/sub did not exist before the files moved into it
    assert own_files(out / "sub") == {"a.txt"} and own_files(out) == {"sub/a.txt"}
    assert (out / "sub" / "a.txt").read_text() == "a"


@pytest.mark.parametrize(
    "content, message",
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"a": ', "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8 text"),
    ],
)
def test_json_that_cannot_be_read_is_one_line_naming_the_file(tmp_path, content, message):
    path = tmp_path / "results.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(DataError) as info:
        read_json_file(path, what="results file")
    assert str(path) in str(info.value) and message in str(info.value) and "\n" not in str(info.value)


def test_json_files_larger_than_the_limit_are_refused_unread(tmp_path):
    path = tmp_path / "big.json"
    path.write_text("[" + "0," * 600 + "0]")
    with pytest.raises(DataError, match="more than the 1,000 a results file may hold"):
        read_json_file(path, what="results file", max_bytes=1000)
    with pytest.raises(ConfigError, match="is a folder"):
        read_json_file(tmp_path, what="results file")


def test_deeply_nested_results_and_evaluations_exit_1_in_one_line(tmp_path, capsys):
    (tmp_path / "results.json").write_text('{"evaluations": ' + "[" * 50_000 + "]" * 50_000 + "}")
    assert main(["report", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert "results.json: JSON nested too deeply" in err and len(err.splitlines()) == 1
    valid = make_evaluation("alpha").to_json(indent=None)
    for depth, message in ((600, "nested too deeply; not a readable evaluation"), (5000, "JSON nested too deeply")):
        path = tmp_path / f"ev{depth}.json"
        path.write_text(valid.replace('"figure_data": {}', '"figure_data": ' + '{"a": ' * depth + "1" + "}" * depth))
        with pytest.raises(DataError, match=message):
            paradigms.Evaluation.load(path)


# -- the command line checks before any work --------------------------------------------


def test_out_that_is_a_file_fails_before_the_run(coin_paradigm, tmp_path, capsys, monkeypatch):
    (tmp_path / "taken").write_text("the user's")
    monkeypatch.setattr(paradigms.registry, "run", _no_run)
    assert main(["run", "coin", "--quick", "--out", str(tmp_path / "taken")]) == 2
    assert main(["compare", "--only", "coin", "--quick", "--out", str(tmp_path / "taken")]) == 2
    err = capsys.readouterr().err
    assert err.count("is a file, not a folder") == 2
    assert (tmp_path / "taken").read_text() == "the user's"


def test_seeds_past_the_seed_range_fail_before_the_first_run(coin_paradigm, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("paradigms.cli.runs.run_many", _no_run)
    argv = ["compare", "--only", "coin", "--quick", "--seed", str(MAX_SEED - 1), "--seeds", "3", "--out", str(tmp_path)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"the last seed, {MAX_SEED + 1}, is past the largest" in err
    assert main(["compare", "--only", "coin", "--seeds", "1000000", "--out", str(tmp_path)]) == 2


def _no_run(*args, **kwargs):
    raise AssertionError("no run may start")


def test_classify_a_missing_image_is_bad_usage(tmp_path, capsys):
    assert main(["classify", str(tmp_path / "no-model"), str(tmp_path / "absent.png")]) == 2
    assert "absent.png: no such image file" in capsys.readouterr().err


def test_save_model_onto_a_file_fails_before_training(tmp_path, capsys, monkeypatch):
    from paradigms.datasets import digits as data

    monkeypatch.setattr(data, "load_digit_data", _no_run)
    (tmp_path / "model").write_text("the user's")
    argv = ["run", "supervised", "--quick", "--save-model", str(tmp_path / "model"), "--out", str(tmp_path / "o")]
    assert main(argv) == 2
    assert "--save-model" in capsys.readouterr().err and (tmp_path / "model").read_text() == "the user's"


def test_the_result_file_of_a_run_is_recorded_as_the_programs_own(coin_paradigm, tmp_path):
    assert main(["run", "coin", "--quick", "--out", str(tmp_path)]) == 0
    assert own_files(tmp_path) == {"coin.json"}


def test_a_runs_files_never_overwrite_a_users_file_of_the_same_name(coin_paradigm, tmp_path):
    # the run's result, and a file a run stages, each meet a file of the user's with their name
    (tmp_path / "coin.json").write_text("my notes about coins")
    with pytest.warns(UserWarning, match="coin.json: this file is not one the program wrote"):
        assert main(["run", "coin", "--quick", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "coin.yours.json").read_text() == "my notes about coins"
    assert Evaluation.load(tmp_path / "coin.json").paradigm == "coin"
    (tmp_path / "note.txt").write_text("mine")
    (tmp_path / "note.yours.txt").write_text("mine too")
    with pytest.warns(UserWarning, match="kept it as note.yours-2.txt"):
        with staged_outputs(tmp_path) as stage:
            (stage.path / "note.txt").write_text("the run's")
    assert [(tmp_path / n).read_text() for n in ("note.txt", "note.yours.txt", "note.yours-2.txt")] == [
        "the run's", "mine too", "mine"]


def _record_many(folder: str, prefix: str) -> None:
    for i in range(40):
        record_own_files(folder, [f"{prefix}-{i}.json"])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the manifest is locked with flock, where there is fork")
def test_processes_recording_into_one_manifest_at_once_lose_no_entry(tmp_path):
    # compare --jobs: each paradigm's process records its files into the same --out
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_record_many, args=(str(tmp_path), f"p{n}")) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert all(worker.exitcode == 0 for worker in workers)
    assert own_files(tmp_path) == {f"p{n}-{i}.json" for n in range(4) for i in range(40)}


def _dead_pid() -> int:
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_staging_folders_of_a_killed_run_are_removed_by_the_next_run_and_only_those(tmp_path):
    import os

    from paradigms.outputs import _host, staged_outputs

    out = tmp_path / "out"
    runs = out / "runs" / "k=3"
    runs.mkdir(parents=True)
    dead = [out / f".staging-{_dead_pid()}@{_host()}.abc123", runs / f".staging-{_dead_pid()}@{_host()}.def456"]
    alive = out / f".staging-{os.getpid()}@{_host()}.mine"
    elsewhere = out / f".staging-{_dead_pid()}@another-machine.xyz"
    unknown = out / ".staging-olderform"
    for folder in [*dead, alive, elsewhere, unknown]:
        folder.mkdir()
        (folder / "segments.csv").write_text("half-written")
    with staged_outputs(out) as stage:
        (stage.path / "result.json").write_text("{}")
        assert stage.path.name.startswith(f".staging-{os.getpid()}@")
    assert not dead[0].exists() and dead[1].exists()  # a run clears its own folder, not below it
    assert alive.exists() and elsewhere.exists() and unknown.exists() and (out / "result.json").exists()


def test_a_sweep_or_resume_clears_every_stale_stage_below_its_folder(tmp_path):
    from paradigms.execution import plan_sweep
    from paradigms.outputs import _host

    out = tmp_path / "sweep"
    stale = out / "runs" / "level=1" / "seed0" / f".staging-{_dead_pid()}@{_host()}.abc"
    stale.mkdir(parents=True)
    (stale / "big.bin").write_bytes(bytes(1000))
    plan_sweep("unsupervised", ["k=3,4"], quick=True, out=out)
    assert not stale.exists() and stale.parent.exists()


def test_repeated_column_names_are_found_in_one_pass_in_every_table_reader(tmp_path, monkeypatch):
    # the one table reader, core: every paradigm reads through it
    from paradigms import untrusted
    from paradigms.datasets import table_files, tables
    from paradigms.errors import DataError

    class Name(str):
        compared = 0

        def __eq__(self, other):
            Name.compared += 1
            return str.__eq__(self, other)

        __hash__ = str.__hash__

    names = [Name(f"c{i}") for i in range(5000)] + [Name("c7")]
    assert untrusted.repeated_names(names) == ["c7"]
    assert Name.compared < 3 * len(names)  # names.count in a loop: 25 million

    seen = []
    monkeypatch.setattr(table_files, "repeated_names", lambda found: seen.append(tuple(found)) or ["x"])
    table = tmp_path / "t.csv"
    table.write_text("x,y\n1,2\n3,4\n")
    with pytest.raises(DataError, match="'x'"):
        tables.read_table(table)  # the whole table (supervised, the bandit)
    with pytest.raises(DataError, match="'x'"):
        table_files.inspect_file(table)  # its columns (unsupervised, DuckDB)
    assert seen == [("x", "y"), ("x", "y")]


def test_the_manifest_follows_the_umask_as_every_other_output(tmp_path):
    import os
    import stat

    from paradigms.files import write_atomic
    from paradigms.outputs import MANIFEST_FILE, record_own_files

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "page.html", "<p>")
        record_own_files(tmp_path, ["page.html"])
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / MANIFEST_FILE).stat().st_mode)
    assert mode == stat.S_IMODE((tmp_path / "page.html").stat().st_mode) == 0o644


def test_a_full_disk_names_the_file_that_could_not_be_written(tmp_path, monkeypatch):
    import errno
    import os

    from paradigms import files
    from paradigms.errors import DataError

    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd, *args, **kwargs):
            self.inner = real_fdopen(fd, *args, **kwargs)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.inner.close()

        def write(self, _data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fdopen", Full)
    with pytest.raises(DataError, match=r"results.json: cannot be written \(No space left on device\); free some space"):
        files.write_atomic(tmp_path / "results.json", "{}")
    assert list(tmp_path.iterdir()) == []  # no temporary file left


def test_a_failed_run_names_no_path_inside_its_removed_staging_folder(tmp_path):
    from dataclasses import dataclass

    from paradigms import ParadigmSpec, Settings, setting
    from paradigms.errors import DataError

    @dataclass(frozen=True)
    class LogSettings(Settings):
        """Settings of a test paradigm that generates a file, then cannot read it."""

        output_dir: Path | None = setting(None, "folder for its files")

    def run_log(settings, seed, progress):
        made = Path(settings.output_dir) / "transactions.csv"
        made.write_text("not a log")
        raise DataError(f"{made}: not a transaction log")

    spec = ParadigmSpec(name="logmaker", task="t", measure="m", experience="e", feedback="none",
                        settings=LogSettings, run=run_log, description="A test paradigm that fails on its own file.")
    paradigms.available()
    paradigms.register(spec, replace=True)
    try:
        out = tmp_path / "out"
        with pytest.raises(DataError) as failed:
            paradigms.run("logmaker", output_dir=out)
    finally:
        paradigms.unregister("logmaker")
    message = str(failed.value)
    assert ".staging-" not in message
    assert message.startswith(f"{out / 'transactions.csv'}: not a transaction log (a file the failed run made itself; "
                              "not kept")
    assert out.is_dir() and not list(out.iterdir())
