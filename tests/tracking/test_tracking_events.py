"""TensorBoard and MLflow read back what a run logged, and it matches the run's Evaluation.

The event files are read with TensorBoard's own reader (``EventAccumulator``), the
MLflow runs with MLflow's client on a store in the test's folder.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from paradigms import registry
from paradigms.tracking import Tracking

pytest.importorskip("tensorboard")
pytest.importorskip("mlflow")

from mlflow import MlflowClient  # noqa: E402
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402
from tensorboard.plugins.hparams import plugin_data_pb2  # noqa: E402

#: Tags whose values are clock readings, different on every run.
CLOCK_TAGS = ("time/",)


def run_folder(root: Path) -> Path:
    (folder,) = list(Path(root).iterdir())
    return folder


def read_events(folder: Path) -> EventAccumulator:
    events = EventAccumulator(str(folder), size_guidance={"scalars": 0, "images": 0, "tensors": 0})
    events.Reload()
    return events


def series(events: EventAccumulator, tag: str) -> tuple[list[int], np.ndarray]:
    scalars = events.Scalars(tag)
    return [s.step for s in scalars], np.array([s.value for s in scalars])


def hparams_of(events: EventAccumulator) -> dict[str, object]:
    content = events.PluginTagToContent("hparams")["_hparams_/session_start_info"]
    start = plugin_data_pb2.HParamsPluginData.FromString(content).session_start_info
    return {name: value.WhichOneof("kind") and getattr(value, value.WhichOneof("kind"))
            for name, value in start.hparams.items()}


def tracked(tmp: Path, uri: str | None, name: str, **settings) -> tuple:
    """Run ``name`` tracked to TensorBoard (and MLflow at ``uri``): its Evaluation, events and MLflow client."""
    tracking = Tracking(tensorboard=tmp / "tb", mlflow=uri)
    evaluation = registry.run(name, seed=3, tracking=tracking, **settings)
    return evaluation, read_events(run_folder(tmp / "tb")), uri and MlflowClient(uri)


@pytest.fixture(scope="module")
def reinforcement_run(tmp_path_factory, new_mlflow_store):
    """One short PPO run on CartPole, tracked by both."""
    tmp = tmp_path_factory.mktemp("rl")
    return tracked(tmp, new_mlflow_store(tmp), "reinforcement", quick=True, agent="ppo", total_steps=3000, eval_interval=1000)


def test_reinforcement_curve_and_sb3_tags(reinforcement_run):
    evaluation, events, _ = reinforcement_run
    scalars = set(events.Tags()["scalars"])
    assert {"charts/episodic_return", "charts/episodic_length", "rollout/ep_rew_mean", "eval/mean_reward",
            "time/fps", "train/value_loss", "train/policy_gradient_loss"} <= scalars
    steps, values = series(events, "eval/mean_reward")  # the learning curve: P against E
    assert steps == evaluation.curve["experience"].astype(int).tolist()
    np.testing.assert_allclose(values, evaluation.curve["performance"], rtol=1e-6)
    steps, returns = series(events, "charts/episodic_return")
    episodes = evaluation.figure_data["train_episodes"]
    assert len(returns) == episodes["count"]
    if episodes["count"] <= len(episodes["return"]):  # not subsampled: every episode as stored
        np.testing.assert_allclose(returns, episodes["return"], rtol=1e-6)
        assert steps == episodes["step"]
    _, lengths = series(events, "charts/episodic_length")
    assert (lengths >= 1).all() and lengths.sum() <= evaluation.curve["experience"].max()


def test_reinforcement_result_hparams_and_figures(reinforcement_run):
    evaluation, events, _ = reinforcement_run
    _, performance = series(events, "result/performance")
    _, baseline = series(events, "result/baseline")
    assert performance[-1] == pytest.approx(evaluation.measure.value, rel=1e-6)
    assert baseline[-1] == pytest.approx(evaluation.measure.baseline, rel=1e-6)
    table = hparams_of(events)
    assert table["agent"] == "ppo" and table["total_steps"] == 3000 and table["seed"] == 3
    assert {f"figures/{name}" for name in registry.get("reinforcement").figures(evaluation)} <= set(events.Tags()["images"])


def test_mlflow_run_holds_params_curve_and_artifacts(reinforcement_run):
    evaluation, _, client = reinforcement_run
    (run,) = client.search_runs([client.get_experiment_by_name("learning-paradigms").experiment_id])
    assert run.info.status == "FINISHED"
    assert run.info.run_name.startswith("reinforcement__CartPole-v1__default__seed3__")
    assert run.data.params["agent"] == "ppo" and run.data.params["total_steps"] == "3000"
    history = client.get_metric_history(run.info.run_id, "eval/mean_reward")
    assert [m.step for m in history] == evaluation.curve["experience"].astype(int).tolist()
    np.testing.assert_allclose([m.value for m in history], evaluation.curve["performance"])
    assert run.data.metrics["result/performance"] == pytest.approx(evaluation.measure.value)
    assert run.data.metrics["result/normalized_score"] == pytest.approx(evaluation.normalized_score)
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert "reinforcement.json" in artifacts
    assert client.list_artifacts(run.info.run_id, "figures")


def test_supervised_tags_follow_each_epoch(tmp_path, mlflow_uri):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(240, 4))
    table = pd.DataFrame(x, columns=list("abcd")).assign(kind=np.where(x[:, 0] + x[:, 1] > 0, "up", "down"))
    table.to_csv(tmp_path / "points.csv", index=False)
    evaluation, events, _ = tracked(tmp_path, mlflow_uri, "supervised", data=tmp_path / "points.csv", target="kind", epochs=3)
    curve = evaluation.curve
    for tag, column in [("val/accuracy", "performance"), ("train/loss", "train_loss"), ("val/loss", "val_loss"),
                        ("train/learning_rate", "learning_rate")]:
        steps, values = series(events, tag)
        assert steps == curve["experience"].astype(int).tolist(), tag
        np.testing.assert_allclose(values, curve[column], rtol=1e-5, err_msg=tag)
    assert run_folder(tmp_path / "tb").name.startswith("supervised__points__default__seed3__")


def test_unsupervised_curve_and_k_selection(tmp_path):
    evaluation, events, _ = tracked(tmp_path, None, "unsupervised", quick=True, customers=300, k_max=5)
    assert run_folder(tmp_path / "tb").name.startswith("unsupervised__generated-customers__default__seed3__")
    steps, values = series(events, "curve/adjusted_rand_index")
    assert steps == evaluation.curve["experience"].astype(int).tolist()
    np.testing.assert_allclose(values, evaluation.curve["performance"], rtol=1e-5)
    stored = evaluation.figure_data["k_selection"]  # the k-selection table, as the Evaluation stores it
    choice = pd.DataFrame(stored["data"], columns=stored["columns"])
    for score in ("silhouette", "calinski_harabasz", "davies_bouldin"):
        k_steps, values = series(events, f"k_selection/{score}")
        assert k_steps == choice["k"].tolist(), score
        np.testing.assert_allclose(values, choice[score], rtol=1e-5, err_msg=score)
    assert "k_selection/bic" not in events.Tags()["scalars"]  # k-means has none: nothing logged


def test_the_same_seed_logs_the_same_values(tmp_path):
    logged = []
    for attempt in ("first", "second"):
        registry.run("reinforcement", quick=True, seed=5, total_steps=1500, eval_interval=500,
                     tracking=Tracking(tensorboard=tmp_path / attempt))
        events = read_events(run_folder(tmp_path / attempt))
        logged.append({tag: series(events, tag) for tag in events.Tags()["scalars"]
                       if not tag.startswith(CLOCK_TAGS)})
    first, second = logged
    assert first.keys() == second.keys() and "eval/mean_reward" in first
    for tag in first:
        assert first[tag][0] == second[tag][0], tag
        np.testing.assert_array_equal(first[tag][1], second[tag][1], err_msg=tag)


def test_a_paradigm_that_logs_nothing_live_gets_its_curve_at_the_end(coin_paradigm, tmp_path):
    evaluation = registry.run("coin", seed=1, tracking=Tracking(tensorboard=tmp_path))
    steps, values = series(read_events(run_folder(tmp_path)), "curve/performance")
    assert steps == evaluation.curve["experience"].tolist()
    np.testing.assert_allclose(values, evaluation.curve["performance"], rtol=1e-6)


def test_untracked_and_tracked_runs_give_the_same_result(coin_paradigm, tmp_path):
    plain = registry.run("coin", seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a working tracker warns about nothing
        logged = registry.run("coin", seed=2, tracking=Tracking(tensorboard=tmp_path))
    assert logged.measure == plain.measure
    assert logged.curve.equals(plain.curve)
