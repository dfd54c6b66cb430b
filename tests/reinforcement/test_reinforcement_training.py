"""Evaluation episodes and the learning loop: same seeds, same episodes; the best policy kept; a solve stops."""

import numpy as np
import pytest

from paradigms.errors import ConfigError
from paradigms.reinforcement import EnvSpec, PPOAgent, QLearningAgent
from paradigms.reinforcement.evaluate import Evaluator, evaluate_policy, random_policy
from paradigms.reinforcement.training import TrainingMonitor, episode_summary, learning_curve


def always(action):
    return lambda obs: np.full(len(obs), action)


@pytest.mark.parametrize("env_id", ["CartPole-v1", "FrozenLake-v1"])
def test_same_seed_same_episodes(env_id):
    a = evaluate_policy(random_policy(2, seed=1), env_id, n_episodes=30, seed=4)
    b = evaluate_policy(random_policy(2, seed=1), env_id, n_episodes=30, seed=4)
    assert a.n == 30 and a.returns.tolist() == b.returns.tolist()
    assert a.lengths.tolist() == b.lengths.tolist()


def test_each_episode_counts_once_even_past_one_round():
    stats = evaluate_policy(always(0), "CartPole-v1", n_episodes=130, seed=0)
    assert stats.n == 130
    # Pushing left only: every episode ends within a few steps, the return equals the length.
    assert (stats.returns == stats.lengths).all() and stats.lengths.max() < 20


def test_a_deterministic_policy_on_a_deterministic_env_is_reproducible_across_evaluators():
    with Evaluator(EnvSpec("CliffWalking-v1", max_episode_steps=50), n_episodes=3, seed=0) as evaluator:
        first = evaluator.run(always(0))
        again = evaluator.run(always(0))
    assert first.returns.tolist() == again.returns.tolist() == [-50.0] * 3


class FakeAgent:
    """A 'policy' whose quality is a number; evaluation returns follow it on FrozenLake
    with is_slippery=False: quality 1 walks to the goal, quality 0 walks into a wall."""

    def __init__(self):
        self.quality = 0

    def predict(self, obs):
        obs = np.asarray(obs)
        if self.quality == 0:
            return np.zeros(len(obs), dtype=int)
        # from the state index, follow the known shortest path
        path = {0: 2, 1: 2, 2: 1, 6: 1, 10: 1, 14: 2}
        return np.array([path.get(int(s), 0) for s in obs])

    def policy_state(self):
        return self.quality

    def load_policy_state(self, state):
        self.quality = state


def test_monitor_stops_on_a_confirmed_solve_and_keeps_that_policy():
    agent = FakeAgent()
    monitor = TrainingMonitor(
        EnvSpec("FrozenLake-v1", {"is_slippery": False}), threshold=0.7, eval_interval=10, check_episodes=5,
        confirm_episodes=20,
    )
    monitor.start(0)
    assert monitor.evaluate(agent, 0, 0) is False  # quality 0 never reaches the goal
    agent.quality = 1
    assert monitor.due(10)
    assert monitor.evaluate(agent, 10, 3) is True
    assert monitor.solved and monitor.solved_step == monitor.first_reach_step == 10
    agent.quality = 0  # a collapse after the solve...
    monitor.finish(agent, 20, 5)
    assert agent.quality == 1  # ...does not lose the solved policy
    assert [p.step for p in monitor.points] == [0, 10, 20]
    assert monitor.points[1].confirmed_mean == 1.0


def test_the_monitor_plays_check_episodes_per_periodic_evaluation_and_confirm_episodes_per_confirmation():
    # A run's check_episodes feed the periodic evaluations and its confirm_episodes the confirmations;
    # its eval_episodes are the final test, which the monitor never plays. The monitor takes the two
    # by the settings' names: it once called the periodic ones eval_episodes, one word for two numbers.
    agent = FakeAgent()
    agent.quality = 1
    monitor = TrainingMonitor(EnvSpec("FrozenLake-v1", {"is_slippery": False}), threshold=0.7, check_episodes=4,
                              confirm_episodes=6)
    monitor.start(0)
    assert monitor.evaluate(agent, 0, 0) is True
    assert monitor.points[0].n == 4 and monitor.points[0].confirmed_mean == 1.0
    assert monitor._confirm is not None and monitor._confirm.n_episodes == 6
    monitor.close()
    with pytest.raises(TypeError, match="eval_episodes"):
        TrainingMonitor("FrozenLake-v1", eval_episodes=4)


def test_monitor_restores_the_best_policy_after_a_collapse():
    agent = FakeAgent()
    monitor = TrainingMonitor(
        EnvSpec("FrozenLake-v1", {"is_slippery": False}), threshold=None, eval_interval=10, check_episodes=5,
        confirm_episodes=10,
    )
    monitor.start(0)
    agent.quality = 1
    monitor.evaluate(agent, 0, 0)
    agent.quality = 0
    monitor.evaluate(agent, 10, 0)
    monitor.finish(agent, 10, 0)
    assert agent.quality == 1 and monitor.best_step == 0 and monitor.best_score == 1.0
    assert not monitor.solved


def _watch(**kwargs):
    return TrainingMonitor(EnvSpec("FrozenLake-v1", {"is_slippery": False}), check_episodes=3,
                           confirm_episodes=5, **kwargs)


@pytest.mark.parametrize("make", [
    lambda: QLearningAgent("FrozenLake-v1", env_kwargs={"is_slippery": False}, seed=3),
    lambda: PPOAgent("FrozenLake-v1", env_kwargs={"is_slippery": False}, seed=3, n_epochs=1, hidden=(16,)),
], ids=["qlearning", "ppo"])
def test_evaluation_pauses_do_not_change_what_the_agent_learns(make):
    # The loop pauses the agent for every evaluation; the experience must not depend on it.
    watched, alone = make(), make()
    watched.learn(1_500, monitor=_watch(eval_interval=100, stop_on_solve=False))
    alone.learn(1_500)
    assert watched.episode_returns_ == alone.episode_returns_
    assert watched.steps_done_ == alone.steps_done_ >= 1_500


def test_the_loop_stops_on_a_confirmed_solve_and_the_curve_records_it():
    agent = QLearningAgent("FrozenLake-v1", env_kwargs={"is_slippery": False}, seed=0)
    monitor = _watch(threshold=1.0, eval_interval=250)
    agent.learn(50_000, monitor=monitor)
    assert monitor.solved and agent.steps_done_ == monitor.solved_step < 50_000
    assert agent.evaluate(10, seed=1).mean == 1.0
    curve = learning_curve(monitor)
    assert curve["experience"].tolist() == list(range(0, monitor.solved_step + 1, 250))
    assert curve["confirmed_mean"].iloc[-1] == 1.0 and curve["performance"].iloc[0] == 0.0


def test_learning_goes_on_where_it_stopped():
    agent = QLearningAgent("Taxi-v4", seed=0).learn(700).learn(300)
    once = QLearningAgent("Taxi-v4", seed=0).learn(700)
    assert agent.steps_done_ == 1_000 and agent.episode_returns_[: len(once.episode_returns_)] == once.episode_returns_
    with pytest.raises(ConfigError, match="total_steps = 0"):
        agent.learn(0)


def test_episode_summary_keeps_every_episode_or_an_even_sample():
    few = episode_summary([(10, 1.0), (20, 3.0)])
    assert few["step"] == [10, 20] and few["smoothed"] == [1.0, 3.0] and few["count"] == 2
    many = episode_summary([(i, float(i % 2)) for i in range(5_000)])
    assert len(many["step"]) == 1_500 and many["step"][0] == 0 and many["step"][-1] == 4_999
    assert many["window"] == 100 and abs(many["smoothed"][-1] - 0.5) < 0.01
