"""From --agent to training: the hyper-parameters are validated once, the agent checked against its environment once."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from paradigms.errors import ConfigError
from paradigms.reinforcement import agents
from paradigms.reinforcement.agent_settings import AGENT_SETTINGS, PPOSettings, QLearningSettings
from paradigms.reinforcement.agents import base
from paradigms.reinforcement.agents.qlearning import QLearningAgent
from paradigms.reinforcement.paradigm import build_agent
from paradigms.reinforcement.presets import TUNED
from paradigms.reinforcement.settings import ReinforcementSettings


@pytest.fixture
def counted(monkeypatch):
    """Counts of the fit checks and of the validations of PPO's and Q-learning's settings."""
    calls: Counter[str] = Counter()
    check = base.check_agent_fits

    def counting_check(*args, **kwargs):
        calls["fits"] += 1
        return check(*args, **kwargs)

    monkeypatch.setattr(base, "check_agent_fits", counting_check)
    monkeypatch.setattr(agents, "check_agent_fits", counting_check)
    for cls in (PPOSettings, QLearningSettings):
        post_init = cls.__post_init__

        def counting_post_init(self, _post_init=post_init, _name=cls.name):
            calls[_name] += 1
            _post_init(self)

        monkeypatch.setattr(cls, "__post_init__", counting_post_init)
    return calls


@pytest.mark.parametrize(
    ("options", "agent"),
    [
        ({"agent": "ppo", "learning_rate": "0.002"}, "ppo"),
        ({"env": "Taxi-v4", "agent": "qlearning", "gamma": "0.9"}, "qlearning"),
        ({"env": "Taxi-v4"}, "qlearning"),
    ],
)
def test_from_agent_to_training_validated_once_and_checked_once(counted, options, agent):
    settings = ReinforcementSettings.from_overrides(options)
    built = build_agent(settings, seed=0)
    assert built.name == agent
    assert counted["fits"] == 1 and counted[agent] == 1, counted
    assert built.settings is settings.agent_settings(agent)


def test_the_tuned_values_are_a_preset_what_is_given_wins():
    settings = ReinforcementSettings.from_overrides({"env": "Taxi-v4", "agent": "qlearning", "learning_rate": "0.3"})
    hyper = settings.agent_settings("qlearning")
    assert hyper.learning_rate == 0.3  # given
    assert hyper.exploration_fraction == TUNED[("qlearning", "Taxi-v4")]["exploration_fraction"]  # tuned
    assert hyper.gamma == QLearningSettings().gamma  # the default
    with pytest.raises(ConfigError, match="learning_rate = 2.0 is out of range"):
        ReinforcementSettings.from_overrides({"env": "Taxi-v4", "learning_rate": "2", "agent": "qlearning"})


def test_every_tuned_value_differs_from_the_agent_default():
    for (agent, env_id), row in TUNED.items():
        defaults = AGENT_SETTINGS[agent]()
        same = [name for name, value in row.items() if getattr(defaults, name) == value]
        assert not same, f"TUNED[{agent}, {env_id}] repeats the defaults of {', '.join(same)}"


def test_an_agent_from_settings_is_the_agent_from_keywords():
    settings = QLearningSettings(learning_rate=0.3, gamma=0.9)
    made = QLearningAgent.from_settings("FrozenLake-v1", settings, seed=3)
    called = QLearningAgent("FrozenLake-v1", learning_rate=0.3, gamma=0.9, seed=3)
    assert made.get_params() == called.get_params() and made.settings == called.settings
    assert made.settings is settings and made.learning_rate == 0.3 and made.q_table_.shape == (16, 4)
    assert made.get_params() == {"env": "FrozenLake-v1", **dataclasses.asdict(settings),
                                 "env_kwargs": {}, "max_episode_steps": None, "seed": 3}
    with pytest.raises(TypeError, match="takes QLearningSettings, not PPOSettings"):
        QLearningAgent.from_settings("FrozenLake-v1", PPOSettings())
    with pytest.raises(ConfigError, match="keeps a table with one row per state"):
        QLearningAgent.from_settings("CartPole-v1", settings)  # without spaces: checked here
