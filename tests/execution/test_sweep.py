"""Sweeps: every cell and seed run and saved as it arrives, chosen on validation, resumed, failures kept."""

import json
import multiprocessing
import os
import subprocess
import sys

import pytest

import paradigms
from paradigms.errors import ConfigError
from paradigms.evaluation import Evaluation
from paradigms.execution import (
    LEDGER_FILE,
    RunTask,
    local,
    plan_sweep,
    read_ledger,
    run_file,
    run_sweep,
    run_task,
    sweep,
)
from paradigms.execution.threads import limited_threads
from paradigms.outputs import own_files


def test_every_cell_and_seed_is_saved_in_its_own_place(scribe, tmp_path):
    seen = []
    result = sweep("scribe", ["level=1,4", "widths=2;4,4"], seeds=2, out=tmp_path, on_done=seen.append)
    assert len(result.runs) == 8 and len(seen) == 8 and not result.failures
    assert [(r.cell, r.seed) for r in result.runs][:2] == [(result.grid.cells[0].id, 0), (result.grid.cells[0].id, 1)]
    for run in result.runs:
        folder = tmp_path / "runs" / run.cell
        assert Evaluation.load(folder / f"seed{run.seed}.json").measure == run.outcome.measure
        assert (folder / f"seed{run.seed}" / "note.txt").read_text() == f"seed {run.seed}"  # the run's own file
    ledger = read_ledger(tmp_path)
    assert ledger["grid"].same_axes(result.grid) and len(ledger["runs"]) == 8


def test_the_best_cell_is_chosen_on_validation_not_on_the_test_score(scribe):
    result = sweep("scribe", {"level": [1, 4, 7]}, seeds=2)
    tests = {cell.id: sum(ev.measure.value for ev in result.evaluations_of(cell.id)) for cell in result.grid.cells}
    assert max(tests, key=tests.get) == result.grid.cells[0].id  # P alone would pick level 1 ...
    assert result.chosen().values == {"level": 7}  # ... the validation score picks level 7
    assert "chosen: level=7 (mean best validation score" in result.chosen_line()
    assert "its test score" in result.chosen_line()


def test_a_failed_run_is_kept_with_its_error_and_the_others_come_back(scribe, tmp_path):
    result = sweep("scribe", ["level=1,2"], seeds=2, settings={"fail_at": 2}, out=tmp_path)
    assert len(result.evaluations) == 2 and len(result.failures) == 2
    assert all(f.error == "RuntimeError: level 2 is cursed" for f in result.failures)
    errors = [r for r in read_ledger(tmp_path)["runs"] if r.get("error")]
    assert len(errors) == 2 and "run_scribe" in errors[0]["traceback"]
    assert result.chosen().values == {"level": 1}


def test_resume_runs_only_what_is_missing_or_failed_or_changed(scribe, tmp_path):
    sweep("scribe", ["level=1,2"], seeds=1, settings={"fail_at": 2}, out=tmp_path)
    plan = plan_sweep("scribe", ["level=1,2"], seeds=2, settings={"fail_at": 2}, out=tmp_path, resume=True)
    # level 1 seed 0 is back from the file; level 2 seed 0 failed, so it runs again, with both seeds 1
    assert [(r.cell, r.seed) for r in plan.resumed] == [(plan.grid.cells[0].id, 0)]
    assert sorted((cell, task.seed) for cell, task in plan.tasks) == sorted(
        [(plan.grid.cells[1].id, 0), (plan.grid.cells[0].id, 1), (plan.grid.cells[1].id, 1)])
    result = run_sweep(plan)
    assert len(result.runs) == 4 and sum(r.resumed for r in result.runs) == 1
    assert len(read_ledger(tmp_path)["runs"]) == 4
    # another fixed setting changes every cell: nothing is reused
    changed = plan_sweep("scribe", ["level=1,2"], seeds=2, settings={"fail_at": 9}, out=tmp_path, resume=True)
    assert not changed.resumed and len(changed.tasks) == 4


def test_resume_refuses_a_folder_that_holds_another_grid(scribe, tmp_path):
    sweep("scribe", ["level=1,2"], out=tmp_path)
    with pytest.raises(ConfigError, match=r"--resume .*holds a sweep of scribe over level \(2 values\).*not of scribe "
                                          r"over level \(3 values\)"):
        plan_sweep("scribe", ["level=1,2,3"], out=tmp_path, resume=True)
    with pytest.raises(ConfigError, match="--resume needs the --out folder"):
        plan_sweep("scribe", ["level=1,2"], resume=True)


def test_the_output_folder_is_checked_before_any_work(scribe, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError, match="is a file, not a folder"):
        plan_sweep("scribe", ["level=1,2"], out=blocker)


def test_a_broken_ledger_names_its_file(scribe, tmp_path):
    (tmp_path / LEDGER_FILE).write_text("{ nope")
    with pytest.raises(paradigms.DataError, match=f"{LEDGER_FILE}: not valid JSON"):
        plan_sweep("scribe", ["level=1"], out=tmp_path, resume=True)


def test_a_ledger_is_read_through_the_checked_reader(scribe, tmp_path, monkeypatch):
    import os
    import sys

    sweep_module = sys.modules["paradigms.execution.sweep"]

    fifo = tmp_path / "fifo"
    fifo.mkdir()
    os.mkfifo(fifo / LEDGER_FILE)  # read raw, this would wait forever
    with pytest.raises(paradigms.ConfigError, match=f"{LEDGER_FILE}: is a special file"):
        plan_sweep("scribe", ["level=1"], out=fifo, resume=True)
    deep = tmp_path / "deep"
    deep.mkdir()
    (deep / LEDGER_FILE).write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(paradigms.DataError, match=f"{LEDGER_FILE}: JSON nested too deeply"):
        plan_sweep("scribe", ["level=1"], out=deep, resume=True)
    big = tmp_path / "big"
    sweep("scribe", ["level=1"], out=big, jobs=1)
    monkeypatch.setattr(sweep_module, "MAX_LEDGER_BYTES", 100)
    with pytest.raises(paradigms.DataError, match=f"{LEDGER_FILE}: .* bytes, more than the 100 a sweep ledger may hold"):
        plan_sweep("scribe", ["level=1"], out=big, resume=True)


def test_a_ledger_line_of_the_wrong_kind_names_the_file(scribe, tmp_path):
    import json

    sweep("scribe", ["level=1"], out=tmp_path, jobs=1)
    ledger = json.loads((tmp_path / LEDGER_FILE).read_text())
    ledger["runs"][0]["seed"] = [1]
    (tmp_path / LEDGER_FILE).write_text(json.dumps(ledger))
    with pytest.raises(paradigms.DataError, match=f"{LEDGER_FILE}: cannot read this sweep's ledger .*TypeError"):
        plan_sweep("scribe", ["level=1"], out=tmp_path, resume=True)


def test_resume_reads_back_only_results_that_are_the_run_the_ledger_names(scribe, tmp_path):
    import json

    from paradigms.execution import run_file

    first = sweep("scribe", ["level=1,2"], out=tmp_path, jobs=1)
    cells = [cell.id for cell in first.grid.cells]
    path = tmp_path / LEDGER_FILE
    ledger = json.loads(path.read_text())
    ledger["runs"][1]["file"] = run_file(cells[0], 0)  # the second cell's line names the first cell's result
    path.write_text(json.dumps(ledger))
    plan = plan_sweep("scribe", ["level=1,2"], out=tmp_path, resume=True)
    assert [run.cell for run in plan.resumed] == [cells[0]] and [cell for cell, _ in plan.tasks] == [cells[1]]

    # a result of another cell (or another paradigm, another seed) copied where this cell's belongs
    ledger["runs"][1]["file"] = run_file(cells[1], 0)
    path.write_text(json.dumps(ledger))
    (tmp_path / run_file(cells[1], 0)).write_bytes((tmp_path / run_file(cells[0], 0)).read_bytes())
    plan = plan_sweep("scribe", ["level=1,2"], out=tmp_path, resume=True)
    assert [run.cell for run in plan.resumed] == [cells[0]] and [cell for cell, _ in plan.tasks] == [cells[1]]
    other = first.evaluations[0].to_dict() | {"paradigm": "reinforcement"}
    (tmp_path / run_file(cells[0], 0)).write_text(json.dumps(other))
    plan = plan_sweep("scribe", ["level=1,2"], out=tmp_path, resume=True)
    assert plan.resumed == () and len(plan.tasks) == 2


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_processes_give_the_numbers_of_a_run_here_and_keep_to_their_share_of_the_cores(scribe, method, monkeypatch):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"this platform cannot {method} processes")
    monkeypatch.setattr(local, "start_method", lambda: method)
    here = sweep("scribe", ["level=1,3"], seeds=2, jobs=1)
    pool = sweep("scribe", ["level=1,3"], seeds=2, jobs=2)
    assert [r.outcome.measure for r in here.runs] == [r.outcome.measure for r in pool.runs]
    cores = os.cpu_count() or 1
    assert {ev.metrics["omp_threads"] for ev in pool.evaluations} == {str(max(1, cores // 2))}
    assert {ev.metrics["blas_threads"] for ev in pool.evaluations} <= {max(1, cores // 2)}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="processes are forked on Linux only")
def test_the_command_line_forks_its_processes_and_a_process_with_torch_or_ray_spawns_them(monkeypatch):
    # a fresh interpreter, as `paradigms sweep` starts: nothing loaded that forking could break
    fresh = subprocess.run([sys.executable, "-c", "from paradigms.execution.local import start_method; "
                            "print(start_method())"], capture_output=True, text=True, check=True)
    assert fresh.stdout.strip() == "fork"
    # here: with nothing loaded that forking could break, fork; with torch, ray or an OpenMP pool, spawn
    import threadpoolctl

    for name in local.FORK_UNSAFE_MODULES:
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.setattr(threadpoolctl, "threadpool_info", lambda: [{"user_api": "blas"}])
    assert local.start_method() == "fork"
    for name in local.FORK_UNSAFE_MODULES:
        with monkeypatch.context() as patch:
            patch.setitem(sys.modules, name, object())
            assert local.start_method() == "spawn", name
    monkeypatch.setattr(threadpoolctl, "threadpool_info", lambda: [{"user_api": "openmp"}])
    assert local.start_method() == "spawn"


def test_a_run_keeps_to_its_threads_and_gives_them_back(scribe):
    before = os.environ.get("OMP_NUM_THREADS")
    evaluation = run_task(RunTask("scribe", scribe.settings(), 0, threads=1))
    assert evaluation.metrics["omp_threads"] == "1" and evaluation.metrics["blas_threads"] == 1
    assert os.environ.get("OMP_NUM_THREADS") == before
    with limited_threads(None):  # no cap: nothing changes
        assert os.environ.get("OMP_NUM_THREADS") == before


def test_a_results_file_of_a_sweep_round_trips(scribe, tmp_path):
    from paradigms.report import Comparison, results_file

    result = sweep("scribe", ["level=1,2"], seeds=2, settings={"fail_at": 2})
    Comparison.from_sweep(result).save(tmp_path)
    again = Comparison.load(tmp_path)
    assert again.sweep.grid.same_axes(result.grid)
    assert again.sweep.evaluation_cells == tuple(r.cell for r in result.runs if not r.failed)
    assert [f.error for f in again.failures] == [f.error for f in result.failures]
    document = json.loads((tmp_path / "results.json").read_text())
    # written in the format this version writes, with the grid and both failed runs (level 2, seeds 0 and 1)
    assert (document["format"], document["version"]) == (results_file.FORMAT, results_file.VERSION)
    assert "sweep" in document and len(result.failures) == len(again.failures) == 2


def test_a_users_file_named_like_the_ledger_is_moved_aside_and_the_ledger_is_the_programs_own(scribe, tmp_path):
    (tmp_path / LEDGER_FILE).write_text("my notes")
    with pytest.warns(UserWarning, match=f"{LEDGER_FILE}: this file is not one the program wrote"):
        result = sweep("scribe", ["level=1"], seeds=1, out=tmp_path)
    assert (tmp_path / "sweep.yours.json").read_text() == "my notes"
    assert {LEDGER_FILE, run_file(result.runs[0].cell, 0)} <= own_files(tmp_path)
    assert read_ledger(tmp_path)["runs"][0]["seed"] == 0
