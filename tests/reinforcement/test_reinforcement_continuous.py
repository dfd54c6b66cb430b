"""Continuous actions: SAC and Gaussian PPO learn a toy task, act within the bounds, are
deterministic, save and load faithfully (observation statistics included), refuse nonsense."""

import numpy as np
import pytest
import torch
from reinforcement_checks import assert_round_trip, same_weights
from reinforcement_toy_envs import MATCH

from paradigms.errors import ConfigError
from paradigms.reinforcement import PPOAgent, SACAgent, evaluate_policy, random_policy
from paradigms.reinforcement.agent_settings import SACSettings
from paradigms.reinforcement.networks import EnsembleMLP
from paradigms.reinforcement.normalization import RunningMeanStd

RANDOM_MATCH = evaluate_policy(random_policy(low=[-2], high=[2], seed=0), MATCH, n_episodes=20, seed=11).mean

SMALL_SAC = dict(hidden=(32, 32), batch_size=64, learning_starts=100)
SMALL_PPO = dict(n_envs=4, n_steps=64, batch_size=64, n_epochs=10, normalize_observations=True)


@pytest.fixture(scope="module")
def sac_agent():
    return SACAgent(MATCH, seed=0, **SMALL_SAC).learn(700)


@pytest.fixture(scope="module")
def ppo_agent():
    return PPOAgent(MATCH, seed=0, **SMALL_PPO).learn(3000)


def test_sac_learns_to_match_the_number(sac_agent):
    trained = sac_agent.evaluate(20, seed=11).mean
    assert RANDOM_MATCH < -20 and trained > -8, (trained, RANDOM_MATCH)
    assert sac_agent.updates_done_ == 700 - 100 + 1  # one update per step from step 100 on
    assert sac_agent.alpha_ < 1.0  # the entropy weight is tuned down as the policy settles


def test_gaussian_ppo_learns_to_match_the_number(ppo_agent):
    trained = ppo_agent.evaluate(20, seed=11).mean
    assert trained > RANDOM_MATCH / 2, (trained, RANDOM_MATCH)
    assert ppo_agent.obs_stats_.count > 3000  # the running statistics saw every observation


@pytest.mark.parametrize("fixture", ["sac_agent", "ppo_agent"])
def test_greedy_actions_stay_within_the_bounds(fixture, request):
    agent = request.getfixturevalue(fixture)
    states = np.linspace(-5, 5, 101, dtype=np.float32)[:, None]  # far outside what it saw, too
    actions = agent.predict(states)
    assert actions.shape == (101, 1) and actions.dtype == np.float32
    assert actions.min() >= -2.0 and actions.max() <= 2.0
    single = agent.act(np.array([0.5], dtype=np.float32))
    assert single.shape == (1,) and 0 < float(single[0]) <= 2.0  # 2 * 0.5 is the best answer


@pytest.mark.parametrize("fixture", ["sac_agent", "ppo_agent"])
def test_save_and_load_give_the_same_actions(fixture, request, tmp_path):
    agent = request.getfixturevalue(fixture)
    states = np.random.default_rng(0).uniform(-1, 1, size=(50, 1)).astype(np.float32)
    loaded = assert_round_trip(agent, states, tmp_path / fixture)
    if fixture == "ppo_agent":  # the observation statistics travel with the weights
        assert loaded.obs_stats_.count == agent.obs_stats_.count
        assert np.array_equal(loaded.obs_stats_.mean, agent.obs_stats_.mean)


@pytest.mark.parametrize("make", [
    lambda seed: SACAgent(MATCH, seed=seed, **{**SMALL_SAC, "learning_starts": 50}).learn(150),
    lambda seed: PPOAgent(MATCH, seed=seed, **{**SMALL_PPO, "n_epochs": 2}).learn(512),
], ids=["sac", "ppo"])
def test_same_seed_same_weights_and_returns(make):
    a, b, c = make(5), make(5), make(6)
    assert a.episode_returns_ == b.episode_returns_
    assert same_weights(a, b) and not same_weights(a, c)


def test_the_best_policy_kept_includes_its_observation_statistics(ppo_agent):
    state = ppo_agent.policy_state()
    before = ppo_agent.obs_stats_.mean.copy()
    ppo_agent.obs_stats_.update(np.full((10, 1), 100.0))
    ppo_agent.load_policy_state(state)
    assert np.array_equal(ppo_agent.obs_stats_.mean, before)


def test_twin_critics_compute_what_two_separate_networks_would():
    net = EnsembleMLP(2, 3, 1, (5, 4), generator=torch.Generator().manual_seed(0))
    x = torch.randn(7, 3)
    out = net(x)
    for member in range(2):
        h = x
        for i, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
            h = h @ w[member] + b[member]
            h = torch.relu(h) if i < 2 else h
        assert torch.allclose(out[member], h, atol=1e-6)
    frozen = net(x.requires_grad_(), frozen=True).sum()
    frozen.backward()
    assert x.grad is not None and all(w.grad is None for w in net.weights)


def test_running_statistics_match_numpy_over_all_batches():
    rng = np.random.default_rng(0)
    batches = [rng.normal(3.0, 2.0, size=(n, 2)) for n in (1, 10, 100)]
    stats = RunningMeanStd(2)
    for batch in batches:
        stats.update(batch)
    everything = np.concatenate(batches)
    assert np.allclose(stats.mean, everything.mean(axis=0), atol=1e-4)
    assert np.allclose(stats.var, everything.var(axis=0), atol=1e-3)


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"buffer_size": -5}, "buffer_size = -5 is out of range"),
        ({"tau": 0}, "tau = 0"),
        ({"tau": 1.5}, "tau = 1.5 is out of range"),
        ({"target_entropy": 2.0}, "target_entropy = 2.0 is out of range: must be <= 0"),
        ({"ent_coef": -0.1}, "ent_coef = -0.1 is out of range"),
        ({"batch_size": 512, "buffer_size": 100}, "smaller than batch_size"),
        ({"hidden": (100_000,)}, "hidden = 100000 is out of range"),
    ],
)
def test_nonsense_sac_settings_are_refused(change, needle):
    with pytest.raises(ConfigError, match=needle):
        SACSettings(**change)


def test_sac_target_entropy_defaults_to_minus_the_action_dimensions():
    assert SACAgent("LunarLanderContinuous-v3").target_entropy_ == -2.0
    assert SACAgent("Pendulum-v1").target_entropy_ == -1.0  # one torque: one action number
