"""Tabular Q-learning: learns FrozenLake, deterministically, and saves what it learnt."""

import numpy as np
import pytest

from paradigms.errors import ConfigError
from paradigms.reinforcement import QLearningAgent, evaluate_policy, load_agent, random_policy
from paradigms.reinforcement.agents.base import epsilon_schedule


@pytest.fixture(scope="module")
def solid_lake_agent():
    return QLearningAgent("FrozenLake-v1", env_kwargs={"is_slippery": False}, seed=0).learn(5_000)


def test_solves_the_non_slippery_lake(solid_lake_agent):
    trained = solid_lake_agent.evaluate(20, seed=1)
    floor = evaluate_policy(random_policy(4, seed=0), solid_lake_agent.env_spec, n_episodes=20, seed=1)
    assert trained.mean == 1.0 and floor.mean < 0.2
    assert solid_lake_agent.steps_done_ == 5_000 and solid_lake_agent.episodes_done_ > 100


def test_beats_random_moves_on_the_slippery_lake():
    agent = QLearningAgent("FrozenLake-v1", seed=0).learn(30_000)
    trained = agent.evaluate(300, seed=5).mean
    floor = evaluate_policy(random_policy(4, seed=0), "FrozenLake-v1", n_episodes=300, seed=5).mean
    assert trained > 0.5 > 0.1 > floor


def test_same_seed_same_table_and_returns():
    a = QLearningAgent("Taxi-v4", learning_rate=0.7, seed=3).learn(4_000)
    b = QLearningAgent("Taxi-v4", learning_rate=0.7, seed=3).learn(4_000)
    c = QLearningAgent("Taxi-v4", learning_rate=0.7, seed=4).learn(4_000)
    assert np.array_equal(a.q_table_, b.q_table_)
    assert a.episode_returns_ == b.episode_returns_
    assert not np.array_equal(a.q_table_, c.q_table_)


def test_save_and_load_give_the_same_actions(solid_lake_agent, tmp_path):
    folder = solid_lake_agent.save(tmp_path / "lake")
    loaded = QLearningAgent.load(folder)
    states = np.arange(16)
    assert np.array_equal(loaded.predict(states), solid_lake_agent.predict(states))
    assert loaded.get_params() == solid_lake_agent.get_params()
    assert loaded.steps_done_ == 5_000
    assert [loaded.act(s) for s in range(16)] == solid_lake_agent.predict(states).tolist()
    assert type(load_agent(folder)) is QLearningAgent


def test_nonsense_hyper_parameters_are_refused():
    with pytest.raises(ConfigError, match="learning_rate"):
        QLearningAgent("FrozenLake-v1", learning_rate=2.0)
    with pytest.raises(ConfigError, match="epsilon_end = 0.5 exceeds epsilon_start"):
        QLearningAgent("FrozenLake-v1", epsilon_start=0.1, epsilon_end=0.5)
    with pytest.raises(ConfigError, match="use --agent dqn"):
        QLearningAgent("CartPole-v1")


def test_epsilon_decays_linearly_then_stays():
    schedule = dict(start=1.0, end=0.1, fraction=0.5)
    assert epsilon_schedule(0, 1000, **schedule) == 1.0
    assert epsilon_schedule(250, 1000, **schedule) == pytest.approx(0.55)
    assert epsilon_schedule(500, 1000, **schedule) == pytest.approx(0.1) == epsilon_schedule(900, 1000, **schedule)
    # the block form used by Q-learning's hot loop gives the same numbers as the scalar one used by DQN
    block = epsilon_schedule(np.arange(0, 1000, 7), 1000, **schedule)
    assert block.tolist() == [epsilon_schedule(s, 1000, **schedule) for s in range(0, 1000, 7)]
