"""Tabular Q-learning: one number per (state, action), nudged towards what each step taught.

``Q[s, a]`` estimates the return of taking action ``a`` in state ``s`` and acting
well afterwards. After every step ``(s, a, r, s')`` the agent moves it a little
(``learning_rate``) towards the *temporal-difference target*::

    Q[s, a] += learning_rate * (r + gamma * max_a' Q[s', a'] - Q[s, a])

(no ``max`` term when ``s'`` ends the episode). The agent explores with an
*epsilon-greedy* rule: a random action with probability epsilon, else the best
one by Q (ties broken at random: the table starts at zero, and always taking
the first of equal actions can trap the agent, e.g. against a wall). Epsilon decays linearly from ``epsilon_start`` to ``epsilon_end`` over
the first ``exploration_fraction`` of training, so the agent first tries
things and later uses what it learnt.

It needs discrete states (FrozenLake, Taxi, CliffWalking, Blackjack's tuple of
discrete values): the table has one row per state.

>>> agent = QLearningAgent("FrozenLake-v1", env_kwargs={"is_slippery": False}, seed=0)
>>> agent.learn(5_000).evaluate(n_episodes=10).mean
1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..seeding import numpy_rng
from .agent import Agent
from .environments import make_env, state_index, state_index_columns
from .training import TrainingMonitor

#: Random numbers are drawn this many at a time (one NumPy call per block).
_BLOCK = 8192


class QLearningAgent(Agent):
    """Tabular Q-learning with epsilon-greedy exploration (see the module docstring).

    Parameters
    ----------
    env : a registered Gymnasium id with a discrete (or tuple-of-discrete) observation space.
    learning_rate : step size of each update, in (0, 1].
    gamma : discount factor for future rewards, in [0, 1].
    epsilon_start, epsilon_end, exploration_fraction : the exploration schedule.
    seed : fixes exploration, tie-breaking and the training environment.

    Attributes
    ----------
    q_table_ : array of shape (n_states, n_actions).
    """

    name = "qlearning"

    def __init__(
        self,
        env: str,
        *,
        learning_rate: float = 0.1,
        gamma: float = 0.99,
        epsilon_start: float = 1.0,
        epsilon_end: float = 0.05,
        exploration_fraction: float = 0.5,
        env_kwargs: Mapping[str, Any] | None = None,
        max_episode_steps: int | None = None,
        seed: int = 0,
    ) -> None:
        super().__init__(env, env_kwargs=env_kwargs, max_episode_steps=max_episode_steps, seed=seed)
        if not 0 < learning_rate <= 1:
            raise ConfigError(f"learning_rate = {learning_rate} must be in (0, 1] for Q-learning")
        if not 0 <= gamma <= 1:
            raise ConfigError(f"gamma = {gamma} must be in [0, 1]")
        if not 0 <= epsilon_end <= epsilon_start <= 1:
            raise ConfigError(
                f"need 0 <= epsilon_end ({epsilon_end}) <= epsilon_start ({epsilon_start}) <= 1"
            )
        if not 0 < exploration_fraction <= 1:
            raise ConfigError(f"exploration_fraction = {exploration_fraction} must be in (0, 1]")
        self.learning_rate = float(learning_rate)
        self.gamma = float(gamma)
        self.epsilon_start = float(epsilon_start)
        self.epsilon_end = float(epsilon_end)
        self.exploration_fraction = float(exploration_fraction)
        n_states, n_actions = self.spaces_.n_states, self.spaces_.n_actions
        assert n_states is not None and n_actions is not None
        self.q_table_ = np.zeros((n_states, n_actions))

    # -- acting ------------------------------------------------------------------------

    def predict(self, observations: Any) -> np.ndarray:
        columns = state_index_columns(observations, self.spaces_)
        rows = (
            columns[:, 0]
            if columns.shape[1] == 1
            else np.ravel_multi_index(tuple(columns.T), self.spaces_.state_sizes)
        )
        return self.q_table_[rows].argmax(axis=1)

    def epsilon(self, step: int, total_steps: int) -> float:
        """Exploration rate at ``step`` of ``total_steps`` (linear decay, then flat)."""
        decay_steps = max(1.0, self.exploration_fraction * total_steps)
        fraction = min(1.0, step / decay_steps)
        return self.epsilon_start + fraction * (self.epsilon_end - self.epsilon_start)

    # -- learning ------------------------------------------------------------------------

    def _learn(self, total_steps: int, monitor: TrainingMonitor | None, bar: Any) -> None:
        info = self.spaces_
        env = make_env(self.env, env_kwargs=self.env_kwargs, max_episode_steps=self.max_episode_steps)
        rng = numpy_rng(self.seed, 1, self.steps_done_)
        obs, _ = env.reset(seed=int(rng.integers(2**31)))
        state = state_index(obs, info)
        # The hot loop reads and writes a list of lists: indexing a Python list
        # costs a tenth of indexing a NumPy array, and this loop is all indexing.
        table = self.q_table_.tolist()
        alpha, gamma = self.learning_rate, self.gamma
        n_actions = info.n_actions
        episode_return, start_step = 0.0, self.steps_done_
        step, block_end = 0, 0
        explore = random_actions = tie_breaks = []
        try:
            while step < total_steps:
                if step == block_end:  # draw the next block of random numbers at once
                    size = min(_BLOCK, total_steps - step)
                    schedule = self._epsilon_block(step, size, total_steps)
                    explore = (rng.random(size) < schedule).tolist()
                    random_actions = rng.integers(0, n_actions, size=size).tolist()
                    tie_breaks = rng.random(size).tolist()
                    block_start, block_end = step, step + size
                i = step - block_start
                row = table[state]
                if explore[i]:
                    action = random_actions[i]
                else:
                    best = max(row)
                    if row.count(best) == 1:
                        action = row.index(best)
                    else:  # equal values (untried actions): pick one at random, not always the first
                        ties = [a for a, value in enumerate(row) if value == best]
                        action = ties[int(tie_breaks[i] * len(ties))]
                obs, reward, terminated, truncated, _ = env.step(action)
                next_state = state_index(obs, info)
                target = reward if terminated else reward + gamma * max(table[next_state])
                row[action] += alpha * (target - row[action])
                episode_return += reward
                step += 1
                if terminated or truncated:
                    self._episode_ended(start_step + step, episode_return)
                    episode_return = 0.0
                    obs, _ = env.reset()
                    next_state = state_index(obs, info)
                state = next_state
                if monitor is not None and monitor.due(start_step + step):
                    self.q_table_ = np.asarray(table)
                    stop = monitor.evaluate(self, start_step + step, self.episodes_done_)
                    bar.update(step - bar.n)
                    if stop:
                        break
                elif step % 4096 == 0:
                    bar.update(step - bar.n)
        finally:
            self.q_table_ = np.asarray(table)
            self.steps_done_ = start_step + step
            env.close()

    def _epsilon_block(self, first: int, size: int, total_steps: int) -> np.ndarray:
        steps = np.arange(first, first + size, dtype=np.float64)
        decay_steps = max(1.0, self.exploration_fraction * total_steps)
        fraction = np.minimum(1.0, steps / decay_steps)
        return self.epsilon_start + fraction * (self.epsilon_end - self.epsilon_start)

    # -- snapshots and weights -------------------------------------------------------------

    def policy_state(self) -> np.ndarray:
        return self.q_table_.copy()

    def load_policy_state(self, state: np.ndarray) -> None:
        self.q_table_ = np.array(state, dtype=np.float64)

    def _weights(self) -> dict[str, np.ndarray]:
        return {"q_table": self.q_table_}

    def _set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        table = np.asarray(weights["q_table"], dtype=np.float64)
        expected = (self.spaces_.n_states, self.spaces_.n_actions)
        if table.shape != expected:
            raise ValueError(f"q_table has shape {table.shape}, expected {expected}")
        self.q_table_ = table
