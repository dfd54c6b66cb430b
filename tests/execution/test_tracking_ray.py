"""A sweep on Ray is tracked like a local one: each task writes its own TensorBoard folder and its
MLflow run, nested under the parent run the driver opened (the parent's id travels with the task)."""

from __future__ import annotations

import pytest

from paradigms.execution import sweep
from paradigms.tracking import Tracking


def test_a_sweep_on_ray_logs_each_run_nested_under_the_driver_s_parent(scribe, ray_instance, tmp_path):
    pytest.importorskip("tensorboard")
    mlflow = pytest.importorskip("mlflow")
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    tracking = Tracking(tensorboard=tmp_path / "tb", mlflow=uri)
    result = sweep("scribe", ["level=1,2"], seeds=2, backend="ray", tracking=tracking)
    assert len(result.evaluations) == 4
    names = sorted(folder.name.split("__")[2:4] for folder in (tmp_path / "tb").iterdir())
    assert names == sorted([cell.id, f"seed{seed}"] for cell in result.grid.cells for seed in (0, 1))
    client = mlflow.MlflowClient(uri)
    runs = client.search_runs([client.get_experiment_by_name("learning-paradigms").experiment_id])
    (parent,) = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
    assert len(children) == 4 and all(c.info.status == "FINISHED" for c in children)
    assert sorted(c.data.metrics["result/performance"] for c in children) == pytest.approx(
        sorted(ev.measure.value for ev in result.evaluations))
