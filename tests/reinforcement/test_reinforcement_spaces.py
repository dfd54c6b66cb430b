"""Which spaces the agents fit, the solved line of environments without a threshold, Box2D:
what a user meets when asking for an environment, each bad case one line and exit 2 before training."""

import sys

import pytest
import reinforcement_toy_envs  # noqa: F401 - registers the tests/ environments used below

import paradigms
from paradigms.cli import main
from paradigms.errors import ConfigError
from paradigms.reinforcement import environments
from paradigms.reinforcement.agents import choose_agent
from paradigms.reinforcement.environments import EnvSpec, solved_line


def test_auto_picks_sac_for_continuous_actions_and_ppo_for_discrete_ones():
    assert choose_agent(EnvSpec("Pendulum-v1").spaces()) == "sac"
    assert choose_agent(EnvSpec("MountainCarContinuous-v0").spaces()) == "sac"
    assert choose_agent(EnvSpec("LunarLanderContinuous-v3").spaces()) == "ppo"  # measured faster there: AUTO_AGENT
    assert choose_agent(EnvSpec("LunarLanderContinuous-v3").spaces(), "sac") == "sac"
    assert choose_agent(EnvSpec("LunarLander-v3").spaces()) == "ppo"
    assert choose_agent(EnvSpec("Pendulum-v1").spaces(), "ppo") == "ppo"  # PPO's Gaussian policy


def test_box_actions_are_read_with_their_bounds():
    info = EnvSpec("LunarLanderContinuous-v3").spaces()
    assert info.action_kind == "continuous" and info.action_dim == 2
    assert info.action_low == (-1.0, -1.0) and info.action_high == (1.0, 1.0) and info.obs_dim == 8


@pytest.mark.parametrize(
    ("env_id", "needle"),
    [
        ("tests/MultiDiscreteActions-v0", "acts in MultiDiscrete([3 2]): the agents here act in a Discrete"),
        ("tests/DictActions-v0", "acts in Dict("),
        ("tests/TupleActions-v0", "acts in Tuple("),
        ("tests/UnboundedActions-v0", "Box action space without finite bounds"),
        ("tests/ImageObservations-v0", "observes images of shape (32, 32, 3)"),
        ("tests/DictObservations-v0", "observes Dict observations, which cannot be flattened"),
        ("CarRacing-v3", "observes images of shape (96, 96, 3)"),
    ],
)
def test_spaces_no_agent_fits_are_one_line_and_exit_2_before_training(env_id, needle, capsys, tmp_path):
    code = main(["run", "reinforcement", "--env", env_id, "--out", str(tmp_path), "--no-progress"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and needle in err and len(err.splitlines()) == 1, err
    assert not (tmp_path / "reinforcement.json").exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--env", "Pendulum-v1", "--agent", "dqn"], "dqn needs a Discrete action space; use --agent ppo or --agent sac"),
        (["--env", "CartPole-v1", "--agent", "sac"], "sac acts in a Box (continuous actions); use --agent dqn or --agent ppo"),
        (["--env", "Pendulum-v1", "--agent", "qlearning"], "needs a Discrete action space"),
    ],
)
def test_an_agent_named_for_the_wrong_actions_says_which_fit(args, needle, capsys, tmp_path):
    code = main(["run", "reinforcement", "--out", str(tmp_path), "--no-progress", *args])
    err = capsys.readouterr().err.strip()
    assert code == 2 and needle in err and len(err.splitlines()) == 1, err


def test_the_solved_line_comes_from_gymnasium_else_the_table_else_none(monkeypatch):
    # the precedence, with a table that also lists an environment Gymnasium gives a threshold
    table = {"CartPole-v1": (100.0, "a line in the table"), "Blackjack-v1": (0.25, "a line in the table")}
    monkeypatch.setattr(environments, "SOLVED_LINES", table)
    assert solved_line("CartPole-v1").value == 475.0 and "registers" in solved_line("CartPole-v1").source
    assert (solved_line("Blackjack-v1").value, solved_line("Blackjack-v1").source) == (0.25, "a line in the table")
    acrobot = solved_line("Acrobot-v1")  # registered: -100
    assert acrobot.value == -100.0
    monkeypatch.setattr(environments, "SOLVED_LINES", {})
    blackjack = solved_line("Blackjack-v1")
    assert blackjack.value is None and blackjack.source.startswith("none")


def test_pendulum_is_measured_against_its_commonly_used_solved_line():
    with pytest.warns(UserWarning, match="did not reach Pendulum-v1's solved line -200"):
        ev = paradigms.run(
            "reinforcement", seed=0, env="Pendulum-v1", total_steps=400, eval_interval=200, render=False,
            eval_episodes=3, check_episodes=2, confirm_episodes=2,
        )
    assert ev.metrics["agent"] == "sac" and ev.measure.best == -200.0
    assert "commonly used" in ev.metrics["best_source"] and "commonly used" in ev.dataset.notes
    assert -2000 < ev.measure.baseline < -800  # random torques
    assert ev.metrics["threshold"] == -200.0


def test_without_a_solved_line_best_is_what_the_run_observed_and_says_so():
    ev = paradigms.run(
        "reinforcement", seed=0, env="Blackjack-v1", total_steps=2000, eval_interval=1000, render=False,
        eval_episodes=20, check_episodes=5, confirm_episodes=10,
    )
    assert ev.metrics["threshold"] is None and "not a solved line" in ev.metrics["best_source"]
    assert ev.measure.best != ev.measure.baseline and "not a solved line" in ev.dataset.notes


def test_lunar_lander_without_box2d_says_how_to_get_it(monkeypatch, capsys, tmp_path):
    """Box2D is installed here; hide it as a machine without it would lack it."""
    for name in [m for m in sys.modules if m == "Box2D" or m.startswith(("Box2D.", "gymnasium.envs.box2d"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "Box2D", None)  # `import Box2D` now fails
    monkeypatch.setattr(environments, "_DESCRIBED", {})
    with pytest.raises(ConfigError) as error:
        EnvSpec("LunarLander-v3").make()
    assert str(error.value) == (
        "environment 'LunarLander-v3' needs Box2D, which is not installed: pip install 'learning-paradigms[box2d]'"
    )
    code = main(["run", "reinforcement", "--env", "LunarLander-v3", "--out", str(tmp_path), "--no-progress"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "pip install 'learning-paradigms[box2d]'" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("env_id", ["LunarLander-v3", "LunarLanderContinuous-v3"])
def test_lunar_lander_smoke_run(env_id, tmp_path):
    """Box2D is in the dev extra, so this runs in CI: a tiny budget, a GIF, a saved agent."""
    pytest.importorskip("Box2D")
    with pytest.warns(UserWarning, match="did not reach"):
        ev = paradigms.run(
            "reinforcement", seed=0, env=env_id, total_steps=600, eval_interval=300, eval_episodes=2,
            check_episodes=1, confirm_episodes=1, gif_frames=4, max_episode_steps=100, output_dir=tmp_path,
        )
    assert ev.measure.best == 200.0 and ev.metrics["train_steps"] >= 600
    assert ev.pictures[0].data[:6] == b"GIF89a"
    assert (tmp_path / "reinforcement-agent" / "weights.npz").is_file()
