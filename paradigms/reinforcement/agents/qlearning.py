"""Tabular Q-learning: one number per (state, action), nudged towards what each step taught.

``Q[s, a]`` estimates the return of taking action ``a`` in state ``s`` and acting
well afterwards. After every step ``(s, a, r, s')`` the agent moves it a little
(``learning_rate``) towards the *temporal-difference target*::

    Q[s, a] += learning_rate * (r + gamma * max_a' Q[s', a'] - Q[s, a])

(no ``max`` term when ``s'`` ends the episode). The agent explores with an
*epsilon-greedy* rule: a random action with probability epsilon, else the best
one by Q (ties broken at random: the table starts at zero, and always taking
the first of equal actions can trap the agent, e.g. against a wall). Epsilon
decays linearly from ``epsilon_start`` to ``epsilon_end`` over the first
``exploration_fraction`` of training, so the agent first tries things and
later uses what it learnt.

It needs discrete states (FrozenLake, Taxi, CliffWalking, Blackjack's tuple of
discrete values): the table has one row per state.

>>> agent = QLearningAgent("FrozenLake-v1", env_kwargs={"is_slippery": False}, seed=0)
>>> agent.learn(5_000).evaluate(n_episodes=10).mean
1.0
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

import numpy as np

from ...seeding import numpy_rng
from ..agent_settings import QLearningSettings
from ..spaces import state_index, state_index_columns
from .base import Agent, epsilon_schedule

#: Random numbers are drawn this many at a time (one NumPy call per block).
_BLOCK = 8192


class QLearningAgent(Agent):
    """Tabular Q-learning with epsilon-greedy exploration (see the module docstring).

    ``env`` is a registered Gymnasium id with a discrete (or tuple-of-discrete)
    observation space; ``seed`` fixes exploration, tie-breaking and the training
    environment. The learnt table is ``q_table_``, of shape (n_states, n_actions).
    """

    settings_class = QLearningSettings

    def _build(self) -> None:
        n_states, n_actions = self.spaces_.n_states, self.spaces_.n_actions
        assert n_states is not None and n_actions is not None  # check_agent_fits: discrete states and actions
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

    # -- learning ------------------------------------------------------------------------

    def experience(self, total_steps: int, pause: int) -> Generator[int, int, None]:
        info = self.spaces_
        env = self.env_spec.make()
        rng = numpy_rng(self.seed, 1, self.steps_done_)
        obs, _ = env.reset(seed=int(rng.integers(2**31)))
        state = state_index(obs, info)
        # The hot loop reads and writes a list of lists: indexing a Python list
        # costs a tenth of indexing a NumPy array, and this loop is all indexing.
        table = self.q_table_.tolist()
        alpha, gamma = self.learning_rate, self.gamma
        n_actions = info.n_actions
        episode_return, start_step = 0.0, self.steps_done_
        step, block_end, episode_start = 0, 0, 0
        explore = random_actions = tie_breaks = []
        try:
            while step < total_steps:
                if step == block_end:  # draw the next block of random numbers at once
                    size = min(_BLOCK, total_steps - step)
                    epsilon = epsilon_schedule(
                        np.arange(step, step + size), total_steps, start=self.epsilon_start,
                        end=self.epsilon_end, fraction=self.exploration_fraction,
                    )
                    explore = (rng.random(size) < epsilon).tolist()
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
                    self._episode_ended(start_step + step, episode_return, step - episode_start)
                    episode_return, episode_start = 0.0, step
                    obs, _ = env.reset()
                    next_state = state_index(obs, info)
                state = next_state
                if step >= pause:  # hand the table over to the learning loop (it may evaluate it)
                    self.q_table_ = np.asarray(table)
                    pause = yield step
        finally:
            self.q_table_ = np.asarray(table)
            self.steps_done_ = start_step + step
            env.close()

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


#: What ``agents.agent_class("qlearning")`` returns.
AGENT = QLearningAgent
