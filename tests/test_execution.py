"""Running many runs: ordering, per-seed output folders, failures kept, and the backend interface."""

import dataclasses
from pathlib import Path

import pytest

import paradigms
from paradigms.errors import ConfigError
from paradigms.execution import (
    BACKENDS,
    Failure,
    RunTask,
    get_backend,
    per_seed,
    run_many,
    run_task,
)


def test_run_many_orders_by_paradigm_then_seed_and_drops_repeated_seeds(coin_paradigm):
    evaluations, failures = run_many(["coin"], seeds=[3, 1, 3], jobs=1, quick=True)
    assert [ev.seed for ev in evaluations] == [1, 3] and failures == []
    assert all(ev.config["flips"] == 20 for ev in evaluations)  # --quick


class Recording:
    """A backend that runs every task here, in reverse order, and remembers what it was given."""

    name = "recording"

    def __init__(self):
        self.tasks = []

    def run(self, tasks, *, progress, on_done):
        self.tasks = list(tasks)
        outcomes = {}
        for task in reversed(tasks):  # they arrive in any order ...
            outcomes[task] = run_task(task)
            on_done(task, outcomes[task])
        return [outcomes[task] for task in tasks]  # ... and come back in the order of the tasks


def _broken(settings, seed, progress):
    raise RuntimeError(f"no luck with seed {seed}")


def test_any_backend_with_a_run_method_can_run_the_tasks(coin_paradigm):
    paradigms.register(dataclasses.replace(coin_paradigm, name="flaky", run=_broken), replace=True)
    backend, seen = Recording(), []
    try:
        evaluations, failures = run_many(["flaky", "coin"], seeds=[0, 1], backend=backend, on_done=seen.append)
    finally:
        paradigms.unregister("flaky")
    assert [(t.name, t.seed) for t in backend.tasks] == [("flaky", 0), ("flaky", 1), ("coin", 0), ("coin", 1)]
    assert len(seen) == 4
    # whatever order they came back in, the results are in the order asked for
    assert [(ev.paradigm, ev.seed) for ev in evaluations] == [("coin", 0), ("coin", 1)]
    assert [(f.paradigm, f.seed) for f in failures] == [("flaky", 0), ("flaky", 1)]
    assert failures[0].error == "RuntimeError: no luck with seed 0" and "_broken" in failures[0].traceback


def test_run_task_never_raises_and_finds_a_spec_sent_along(coin_paradigm):
    import pickle

    settings = coin_paradigm.settings()
    paradigms.unregister("coin")  # as in a fresh process that never heard of "coin"
    failure = run_task(RunTask("coin", settings, 2))
    assert isinstance(failure, Failure) and "unknown paradigm 'coin'" in failure.error
    evaluation = run_task(RunTask("coin", settings, 2), pickle.dumps(coin_paradigm))
    assert evaluation.paradigm == "coin" and evaluation.seed == 2


def test_an_unknown_backend_or_job_count_is_a_config_error():
    assert "local" in BACKENDS
    with pytest.raises(ConfigError, match="unknown backend 'lokal': did you mean 'local'"):
        get_backend("lokal")
    with pytest.raises(ConfigError, match="--jobs 0: give at least 1"):
        get_backend("local", jobs=0)
    with pytest.raises(ConfigError, match="--address head:6379: only --backend ray joins a cluster"):
        get_backend("local", address="head:6379")


@dataclasses.dataclass(frozen=True)
class _WithFiles(paradigms.Settings):
    output_dir: Path | None = paradigms.setting(None, "folder for the files a run writes")


def test_each_seed_writes_its_files_in_its_own_folder(tmp_path):
    settings = _WithFiles(output_dir=tmp_path)
    assert per_seed(settings, 3, seeds=1) is settings
    assert per_seed(settings, 3, seeds=2).output_dir == tmp_path / "seed3"
    assert per_seed(_WithFiles(), 3, seeds=2).output_dir is None


def test_one_default_for_the_number_of_processes_everywhere():
    # the command line, run_many and sweep all leave jobs unset: one process per run, up to the cores
    from paradigms.devices import available_cores
    from paradigms.execution import LocalBackend

    default = LocalBackend()
    assert default.processes(1) == 1 and default.describe(1) == "here"
    assert default.processes(50) == available_cores()
    assert LocalBackend(jobs=1).processes(50) == 1 and LocalBackend(jobs=8).processes(3) == 3
    assert get_backend("local").processes(50) == default.processes(50)
