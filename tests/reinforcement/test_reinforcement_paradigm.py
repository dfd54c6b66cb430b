"""The paradigm as users run it: the command line, the Evaluation, its figures, bad input."""

import json

import matplotlib
import pytest

import paradigms
from paradigms.cli import main
from paradigms.evaluation import Evaluation
from paradigms.reinforcement.agent_settings import AGENT_SETTINGS
from paradigms.reinforcement.plots import figures
from paradigms.reinforcement.settings import ReinforcementSettings

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("quick")
    code = main(["run", "reinforcement", "--quick", "--seed", "0", "--out", str(out), "--no-progress"])
    return code, out


def test_quick_run_writes_an_evaluation_in_t_p_e_terms(quick_run, capsys):
    code, out = quick_run
    assert code == 0
    ev = Evaluation.load(out / "reinforcement.json")
    assert ev.paradigm == "reinforcement" and ev.experience == "environment steps"
    assert ev.experience == paradigms.registry.get("reinforcement").experience  # one E: `paradigms list`'s and the curve's
    assert "CartPole-v1" in ev.task
    m = ev.measure
    assert m.name == "mean evaluation return" and m.best == 475.0 and m.std is not None
    assert m.baseline < 40 < m.value  # the random policy falls fast; the trained agent does not
    assert len(ev.metrics["eval_returns"]) == len(ev.metrics["random_returns"]) == ev.config["eval_episodes"] == 20
    curve = ev.curve
    assert curve["experience"].iloc[0] == 0 and curve["experience"].is_monotonic_increasing
    assert curve["experience"].iloc[-1] == ev.metrics["train_steps"] <= 20_000 + 256
    assert ev.metrics["agent"] == "ppo" and ev.metrics["steps_per_second"] > 0
    (picture,) = ev.pictures
    assert picture.mime == "image/gif" and picture.data[:6] == b"GIF89a" and len(picture.data) < 1_000_000
    assert 2 <= picture.details["frames"] <= 24 and picture.details["length"] > 40
    assert "rollout" not in ev.metrics and "train_episodes" not in ev.metrics
    episodes = ev.figure_data["train_episodes"]
    assert episodes["count"] == ev.metrics["train_episodes_count"] and episodes["step"][-1] <= ev.metrics["train_steps"]
    assert len(json.dumps(ev.to_dict())) < 2_000_000


def test_figures_draw_from_the_json_alone(quick_run):
    _, out = quick_run
    ev = Evaluation.load(out / "reinforcement.json")
    drawn = figures(ev)
    assert set(drawn) == {"return_curve", "rollout"}
    axes = drawn["return_curve"].axes[0]
    assert "environment steps" in axes.get_xlabel()
    assert paradigms.get("reinforcement").figures(ev).keys() == drawn.keys()


def test_a_file_written_before_pictures_and_figure_data_still_draws(quick_run):
    _, out = quick_run
    data = json.loads((out / "reinforcement.json").read_text())
    picture = data.pop("pictures")[0]  # the shape of a file written before the move
    data["metrics"]["rollout"] = {"gif_base64": picture["data_base64"], **picture["details"]}
    data["metrics"]["train_episodes"] = data.pop("figure_data")["train_episodes"]
    old = Evaluation.from_dict(data)
    assert [p.name for p in old.pictures] == ["rollout"] and old.pictures[0].data[:6] == b"GIF89a"
    assert old.figure_data["train_episodes"]["count"] == old.metrics["train_episodes_count"]
    drawn = figures(old)
    assert set(drawn) == {"return_curve", "rollout"}
    labels = [c.get_label() for c in drawn["return_curve"].axes[0].collections]
    assert "training episodes" in labels


def test_tabular_run_on_frozen_lake_beats_random():
    ev = paradigms.run(
        "reinforcement", seed=1, env="FrozenLake-v1", env_kwargs=("is_slippery=false",), total_steps=4000,
        render=False, eval_episodes=20,
    )
    assert ev.metrics["agent"] == "qlearning"
    assert ev.measure.value == 1.0 > ev.measure.baseline
    assert ev.pictures == () and "is_slippery" in ev.dataset.notes


@pytest.mark.filterwarnings("ignore:qlearning did not reach")
def test_each_episode_count_goes_where_its_setting_says(monkeypatch):
    # eval_episodes: the final test (P) and its random floor; check_episodes: each periodic evaluation
    # (a point of the curve); confirm_episodes: each confirmation and the final choice of policy. The
    # monitor takes the last two under the settings' own names (it called check_episodes eval_episodes).
    from paradigms.reinforcement import paradigm, training

    monitors, evaluators = [], []

    class Monitor(training.TrainingMonitor):
        def __post_init__(self):
            monitors.append(self)
            super().__post_init__()

    class Evaluator(training.Evaluator):
        def __init__(self, *args, n_episodes, **kwargs):
            evaluators.append(n_episodes)
            super().__init__(*args, n_episodes=n_episodes, **kwargs)

    monkeypatch.setattr(paradigm, "TrainingMonitor", Monitor)
    monkeypatch.setattr(training, "Evaluator", Evaluator)
    counts = {"eval_episodes": 7, "check_episodes": 3, "confirm_episodes": 5}
    ev = paradigms.run("reinforcement", seed=0, env="FrozenLake-v1", env_kwargs=("is_slippery=false",),
                       total_steps=600, eval_interval=200, render=False, **counts)
    (monitor,) = monitors
    assert (monitor.check_episodes, monitor.confirm_episodes) == (3, 5)
    assert sorted(evaluators) == [3, 5] and set(ev.curve["n_eval"]) == {3}
    assert len(ev.metrics["eval_returns"]) == len(ev.metrics["random_returns"]) == ev.dataset.sizes["eval_episodes"] == 7
    assert "3 evaluation episodes" in ev.measure.curve_label
    assert "files" not in ev.metrics  # no output_dir, no files: as the other paradigms say it


def test_same_seed_same_evaluation():
    kwargs = dict(env="Taxi-v4", total_steps=3000, eval_interval=1000, render=False, eval_episodes=10, confirm_episodes=10)
    with pytest.warns(UserWarning, match="did not reach Taxi-v4's reward threshold 8"):
        a = paradigms.run("reinforcement", seed=2, **kwargs)
        b = paradigms.run("reinforcement", seed=2, **kwargs)
    assert a.measure == b.measure
    assert a.metrics["eval_returns"] == b.metrics["eval_returns"]
    assert a.curve["performance"].tolist() == b.curve["performance"].tolist()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--env", "Taxi-v3"], "Taxi-v4"),
        (["--env", "CliffWalking-v0"], "CliffWalking-v1"),
        (["--env", "Pendulum-v1", "--agent", "dqn"], "continuous actions"),
        (["--env", "CartPole-v1", "--agent", "qlearning"], "use --agent dqn or --agent ppo"),
        (["--agent", "sarsa"], "choose one of"),
        (["--total-steps", "0"], "total_steps"),
        (["--gamma", "1.5"], "gamma"),
        (["--hidden", "0"], "hidden = 0 is out of range"),
        (["--agent", "qlearning", "--learning-rate", "2"], "learning_rate = 2.0 is out of range"),
        (["--env", "Taxi-v4", "--learning-rate", "2"], "learning_rate = 2.0 is out of range"),
        (["--total-steps", "100", "--eval-interval", "500"], "eval_interval"),
        (["--env-kwargs", "slippery"], "KEY=VALUE"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, needle, capsys, tmp_path):
    code = main(["run", "reinforcement", "--out", str(tmp_path), *args])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert needle in err and len(err.splitlines()) == 1, err


def test_settings_document_every_field():
    for settings in (ReinforcementSettings, *AGENT_SETTINGS.values()):
        assert all(row["help"] for row in settings.describe()), settings


def test_help_shows_each_agents_defaults_as_its_settings_hold_them(capsys):
    with pytest.raises(SystemExit):
        main(["run", "reinforcement", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    for name, agent in AGENT_SETTINGS.items():
        assert f"{name} {agent().learning_rate}" in out and f"{name} {agent.budget}" in out


def test_quick_run_saves_an_agent_that_reproduces_the_evaluation(quick_run):
    from paradigms.reinforcement import load_agent

    _, out = quick_run
    ev = Evaluation.load(out / "reinforcement.json")
    agent = load_agent(out / "reinforcement-agent")
    again = agent.evaluate(ev.config["eval_episodes"], seed=ev.metrics["seeds"]["test"])
    assert again.returns.tolist() == ev.metrics["eval_returns"]
    assert (out / "reinforcement-rollout.gif").read_bytes()[:6] == b"GIF89a"
    assert ev.metrics["files"] == [str(out / "reinforcement-agent"), str(out / "reinforcement-rollout.gif")]


def test_cuda_without_a_gpu_is_a_clear_error(capsys, tmp_path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    code = main(["run", "reinforcement", "--device", "cuda", "--out", str(tmp_path)])
    assert code == 2 and "no CUDA GPU" in capsys.readouterr().err
