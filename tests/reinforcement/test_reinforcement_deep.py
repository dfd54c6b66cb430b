"""DQN and PPO on CartPole with tiny budgets: better than random, deterministic, saved faithfully."""

import numpy as np
import pytest
from reinforcement_checks import assert_round_trip, same_weights

from paradigms.errors import ConfigError
from paradigms.reinforcement import (
    DQNAgent,
    PPOAgent,
    SACAgent,
    evaluate_policy,
    random_policy,
)
from paradigms.reinforcement.replay import ReplayBuffer

RANDOM_CARTPOLE = evaluate_policy(random_policy(2, seed=0), "CartPole-v1", n_episodes=20, seed=11).mean

SMALL_DQN = dict(
    hidden=(32, 32), learning_starts=500, train_freq=4, batch_size=32, target_update_interval=200,
    exploration_fraction=0.3, n_envs=4,
)


@pytest.fixture(scope="module")
def dqn_agent():
    # Many updates per step (one per two) learn fast in steps: 2,000 are enough here.
    return DQNAgent(
        "CartPole-v1", learning_rate=2e-3, learning_starts=200, train_freq=2, target_update_interval=200,
        exploration_fraction=0.5, n_envs=2, gradient_steps=1, seed=0,
    ).learn(2_000)


@pytest.fixture(scope="module")
def ppo_agent():
    return PPOAgent("CartPole-v1", seed=0).learn(6_000)


def test_dqn_improves_over_random_with_a_tiny_budget(dqn_agent):
    trained = dqn_agent.evaluate(20, seed=11).mean
    assert trained > 3 * RANDOM_CARTPOLE, (trained, RANDOM_CARTPOLE)
    assert dqn_agent.updates_done_ == 900 and dqn_agent.last_loss is not None


def test_ppo_improves_over_random_with_a_tiny_budget(ppo_agent):
    trained = ppo_agent.evaluate(20, seed=11).mean
    assert trained > 3 * RANDOM_CARTPOLE, (trained, RANDOM_CARTPOLE)


@pytest.mark.parametrize("make", [
    lambda seed: DQNAgent("CartPole-v1", seed=seed, **SMALL_DQN).learn(1_200),
    lambda seed: PPOAgent("CartPole-v1", seed=seed, n_epochs=2).learn(1_024),
], ids=["dqn", "ppo"])
def test_same_seed_same_weights_and_returns(make):
    a, b, c = make(5), make(5), make(6)
    assert a.episode_returns_ == b.episode_returns_
    assert same_weights(a, b) and not same_weights(a, c)
    assert a.evaluate(5, seed=2).returns.tolist() == b.evaluate(5, seed=2).returns.tolist()


@pytest.mark.parametrize("fixture", ["dqn_agent", "ppo_agent"])
def test_save_and_load_give_the_same_actions(fixture, request, tmp_path):
    agent = request.getfixturevalue(fixture)
    states = np.random.default_rng(0).uniform(-0.3, 0.3, size=(200, 4)).astype(np.float32)
    assert_round_trip(agent, states, tmp_path / fixture)


def test_deep_agents_learn_from_discrete_states_too():
    agent = DQNAgent("FrozenLake-v1", env_kwargs={"is_slippery": False}, seed=0, learning_starts=100,
                     hidden=(16,), n_envs=2).learn(300)
    assert agent.predict(np.array([0, 5, 14])).shape == (3,)


def test_each_agent_refuses_the_actions_it_cannot_take():
    with pytest.raises(ConfigError, match="continuous actions"):
        DQNAgent("Pendulum-v1")
    with pytest.raises(ConfigError, match="discrete actions"):
        SACAgent("CartPole-v1")
    assert PPOAgent("MountainCarContinuous-v0").continuous_  # PPO takes both kinds


def test_nonsense_hyper_parameters_are_refused_by_the_settings_dataclass():
    with pytest.raises(ConfigError, match="batch_size = 0 is out of range"):
        DQNAgent("CartPole-v1", batch_size=0)
    with pytest.raises(ConfigError, match="smaller than batch_size"):
        DQNAgent("CartPole-v1", batch_size=64, buffer_size=10)
    with pytest.raises(ConfigError, match="clip_range"):
        PPOAgent("CartPole-v1", clip_range=-1)
    with pytest.raises(ConfigError, match="did you mean learning_rate"):
        PPOAgent("CartPole-v1", learning_rat=0.1)


def test_replay_buffer_wraps_around_and_samples_what_it_holds():
    buffer = ReplayBuffer(5, 2, rng=np.random.default_rng(0))
    for start in (0, 3, 6):
        obs = np.arange(start, start + 3, dtype=np.float32)[:, None].repeat(2, axis=1)
        buffer.add(obs, np.arange(3), np.ones(3), obs + 1, np.zeros(3))
    assert len(buffer) == 5
    assert sorted(buffer.observations[:, 0].tolist()) == [4, 5, 6, 7, 8]
    obs, actions, rewards, next_obs, terminated = buffer.sample(64)
    assert set(obs[:, 0].tolist()) <= {4.0, 5.0, 6.0, 7.0, 8.0}
    assert np.array_equal(next_obs, obs + 1)
