"""Tracking many runs (a comparison, a sweep: nested MLflow runs, one event folder each), from the
command line too; a tracker missing or failing is one line, never the run's results."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import warnings

import pytest

from paradigms import registry
from paradigms.cli import main
from paradigms.errors import ConfigError
from paradigms.execution import run_many, sweep
from paradigms.tracking import INSTALL_HINT, Tracking

pytest.importorskip("tensorboard")
pytest.importorskip("mlflow")

from mlflow import MlflowClient  # noqa: E402


def runs_by_kind(uri: str) -> tuple[list, list]:
    """(parent runs, child runs) of our experiment."""
    client = MlflowClient(uri)
    runs = client.search_runs([client.get_experiment_by_name("learning-paradigms").experiment_id])
    parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
    children = [r for r in runs if "mlflow.parentRunId" in r.data.tags]
    return parents, children


def test_a_sweep_nests_one_child_run_per_cell_and_seed(coin_paradigm, tmp_path, mlflow_uri):
    uri = mlflow_uri
    result = sweep("coin", {"flips": [20, 40]}, seeds=2, jobs=1, tracking=Tracking(mlflow=uri, tensorboard=tmp_path / "tb"))
    (parent,), children = runs_by_kind(uri)
    assert parent.info.run_name.startswith("sweep__coin__") and parent.data.params["seeds"] == "0,1"
    assert len(children) == 4 and {c.data.tags["mlflow.parentRunId"] for c in children} == {parent.info.run_id}
    client = MlflowClient(uri)
    for run in result.runs:
        (child,) = [c for c in children if c.data.tags["cell"] == run.cell and c.data.params["seed"] == str(run.seed)]
        assert child.data.params["flips"] == str(run.outcome.config["flips"])
        assert child.data.metrics["result/performance"] == pytest.approx(run.outcome.measure.value)
        history = client.get_metric_history(child.info.run_id, "curve/performance")
        assert [m.step for m in history] == run.outcome.curve["experience"].tolist()
        assert "coin.json" in {a.path for a in client.list_artifacts(child.info.run_id)}
        assert child.info.artifact_uri.startswith(tmp_path.resolve().as_uri())  # beside the store, not in ./
    folders = sorted(p.name.split("__")[2:4] for p in (tmp_path / "tb").iterdir())
    assert folders == sorted([cell.id, f"seed{seed}"] for cell in result.grid.cells for seed in (0, 1))


@pytest.mark.slow  # spawned workers each import the package and MLflow: tens of seconds on two cores
def test_a_comparison_in_worker_processes_logs_under_one_parent(coin_paradigm, tmp_path, mlflow_uri):
    uri = mlflow_uri
    evaluations, failures = run_many(["coin"], seeds=[0, 1], jobs=2, tracking=Tracking(mlflow=uri))
    assert not failures
    (parent,), children = runs_by_kind(uri)
    assert sorted(c.data.params["seed"] for c in children) == ["0", "1"]
    assert all(c.data.tags["mlflow.parentRunId"] == parent.info.run_id for c in children)
    assert all(c.info.status == "FINISHED" for c in children)


def test_the_command_line_tracks_a_run_and_a_sweep(coin_paradigm, tmp_path, capsys, mlflow_uri):
    assert main(["run", "coin", "--tensorboard", str(tmp_path / "tb"), "--out", str(tmp_path / "out")]) == 0
    (folder,) = (tmp_path / "tb").iterdir()
    assert folder.name.startswith("coin__default-data__default__seed0__")  # no env, no data, no DEFAULT_DATA
    uri = mlflow_uri
    assert main(["sweep", "coin", "--grid", "flips=20,40", "--mlflow", uri, "--out", str(tmp_path / "sweep"),
                 "--jobs", "1", "--no-progress"]) == 0
    (parent,), children = runs_by_kind(uri)
    assert len(children) == 2
    artifacts = {a.path for a in MlflowClient(uri).list_artifacts(parent.info.run_id)}
    assert {"index.html", "report.md", "results.json"} <= artifacts


def test_a_tracker_not_installed_is_one_line_saying_how_to_get_it(coin_paradigm, tmp_path, monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "mlflow" else real(name, *a))
    with pytest.raises(ConfigError, match=r"--mlflow needs MLflow, which is not installed here"):
        Tracking(mlflow="").check()
    assert main(["run", "coin", "--mlflow", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and INSTALL_HINT in err[0]
    assert not (tmp_path / "coin.json").exists()  # refused before the run


def test_a_folder_that_cannot_be_written_warns_once_and_the_run_goes_on(coin_paradigm, tmp_path, mlflow_uri):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    plain = registry.run("coin", seed=3)
    with pytest.warns(UserWarning, match="tracking to TensorBoard folder .* stopped") as caught:
        logged = registry.run("coin", seed=3, tracking=Tracking(tensorboard=blocked, mlflow=mlflow_uri))
    assert len([w for w in caught if "tracking to" in str(w.message)]) == 1
    assert logged.measure == plain.measure
    (child,) = runs_by_kind(mlflow_uri)[0]  # the other tracker carried on
    assert child.info.status == "FINISHED"


def test_a_store_that_fails_mid_run_costs_the_tracking_not_the_results(tmp_path, monkeypatch):
    from paradigms.tracking.tensorboard_events import TensorBoardTracker

    def full_disk(self, step, values):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(TensorBoardTracker, "log_scalars", full_disk)
    plain = registry.run("unsupervised", quick=True, customers=200, k=3, seed=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        logged = registry.run("unsupervised", quick=True, customers=200, k=3, seed=1,
                              tracking=Tracking(tensorboard=tmp_path))
    lines = [str(w.message) for w in caught if "tracking to" in str(w.message)]
    assert len(lines) == 1 and "No space left on device" in lines[0]
    assert logged.measure == plain.measure
    assert logged.curve.drop(columns=[c for c in logged.curve if "seconds" in c]).equals(
        plain.curve.drop(columns=[c for c in plain.curve if "seconds" in c]))


def test_an_unreachable_store_fails_the_tracking_with_one_line(coin_paradigm, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"tracking to MLflow .* stopped"):
        evaluation = registry.run("coin", seed=0, tracking=Tracking(mlflow=f"sqlite:///{blocked}/mlflow.db"))
    assert evaluation.measure.value == registry.run("coin", seed=0).measure.value


def test_what_a_run_logged_while_learning_stays_when_it_fails(coin_paradigm, tmp_path, mlflow_uri, monkeypatch):
    """The curve is written as the run learns, not made from its Evaluation at the end: a run that
    fails half-way leaves its first points in both trackers, and its MLflow run marked FAILED."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    def learns_then_fails(settings, seed, progress):
        for step in (1, 2, 3):
            progress.log(step, {"train/loss": 1.0 / step})
        raise RuntimeError("the disk with the data went away")

    monkeypatch.setitem(registry._REGISTRY, "coin", dataclasses.replace(coin_paradigm, run=learns_then_fails))
    with pytest.raises(RuntimeError, match="went away"):
        registry.run("coin", seed=0, tracking=Tracking(tensorboard=tmp_path / "tb", mlflow=mlflow_uri))
    (folder,) = (tmp_path / "tb").iterdir()
    events = EventAccumulator(str(folder))
    events.Reload()
    assert [(s.step, round(s.value, 4)) for s in events.Scalars("train/loss")] == [(1, 1.0), (2, 0.5), (3, 0.3333)]
    (run,) = runs_by_kind(mlflow_uri)[0]
    assert run.info.status == "FAILED"
    history = MlflowClient(mlflow_uri).get_metric_history(run.info.run_id, "train/loss")
    assert [m.step for m in history] == [1, 2, 3]


def test_the_command_line_checks_the_tracking_and_plans_the_sweep_once(coin_paradigm, tmp_path, monkeypatch,
                                                                        mlflow_uri):
    sweep_module = importlib.import_module("paradigms.execution.sweep")  # (the package's `sweep` is the function)
    tracking_base = importlib.import_module("paradigms.tracking.base")

    looked, planned = [], []
    check, make_grid = tracking_base.check_installed, sweep_module.make_grid
    monkeypatch.setattr(tracking_base, "check_installed", lambda **kw: looked.append(kw) or check(**kw))
    monkeypatch.setattr(sweep_module, "make_grid", lambda *a, **kw: planned.append(a) or make_grid(*a, **kw))
    assert main(["sweep", "coin", "--grid", "flips=20,40", "--seeds", "2", "--tensorboard", str(tmp_path / "tb"),
                 "--mlflow", mlflow_uri, "--out", str(tmp_path / "sweep"), "--jobs", "1", "--no-progress"]) == 0
    assert len(list((tmp_path / "tb").iterdir())) == 4  # the four runs were tracked
    assert len(looked) == 1 and len(planned) == 1


def test_run_many_refuses_a_tracker_not_installed_before_any_run(coin_paradigm, tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "tensorboard" else real(name, *a))
    with pytest.raises(ConfigError, match=r"--tensorboard needs TensorBoard"):  # not one failed run per seed
        run_many(["coin"], seeds=[0, 1], jobs=1, tracking=Tracking(tensorboard=tmp_path / "tb"))
    assert not (tmp_path / "tb").exists()
