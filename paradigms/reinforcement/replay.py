"""A replay buffer: the agent's memory of past steps, sampled at random to learn from.

Learning from consecutive steps would feed the network strongly correlated
examples; DQN and SAC instead store every transition ``(state, action, reward,
next state, terminated)`` and trains on random mini-batches of them. The
buffer is a ring of preallocated NumPy arrays: adding a batch of transitions
(one per parallel environment) is a few slice assignments, sampling is one
fancy index per field, and nothing is allocated per step.
"""

from __future__ import annotations

import numpy as np


class ReplayBuffer:
    """A fixed-size ring of transitions; the oldest are overwritten when full.

    Actions are indices (discrete actions), or rows of ``action_dim`` numbers when
    ``action_dim`` is given (Box actions).
    """

    def __init__(
        self, capacity: int, obs_dim: int, *, rng: np.random.Generator, action_dim: int | None = None
    ) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity}")
        self.capacity = int(capacity)
        self.observations = np.zeros((capacity, obs_dim), dtype=np.float32)
        self.next_observations = np.zeros((capacity, obs_dim), dtype=np.float32)
        if action_dim is None:
            self.actions = np.zeros(capacity, dtype=np.int64)
        else:
            self.actions = np.zeros((capacity, action_dim), dtype=np.float32)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.terminated = np.zeros(capacity, dtype=np.float32)
        self.rng = rng
        self.position = 0
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def add(
        self,
        observations: np.ndarray,
        actions: np.ndarray,
        rewards: np.ndarray,
        next_observations: np.ndarray,
        terminated: np.ndarray,
    ) -> None:
        """Store a batch of transitions (rows of each array belong together)."""
        n = len(actions)
        if n == 0:
            return
        if n > self.capacity:  # keep only the newest that fit
            observations, actions, rewards = observations[-self.capacity :], actions[-self.capacity :], rewards[-self.capacity :]
            next_observations, terminated = next_observations[-self.capacity :], terminated[-self.capacity :]
            n = self.capacity
        index = (self.position + np.arange(n)) % self.capacity
        self.observations[index] = observations
        self.next_observations[index] = next_observations
        self.actions[index] = actions
        self.rewards[index] = rewards
        self.terminated[index] = terminated
        self.position = (self.position + n) % self.capacity
        self.size = min(self.size + n, self.capacity)

    def sample(self, batch_size: int) -> tuple[np.ndarray, ...]:
        """A uniformly random mini-batch: (obs, actions, rewards, next_obs, terminated)."""
        if self.size == 0:
            raise ValueError("the replay buffer is empty")
        index = self.rng.integers(0, self.size, size=batch_size)
        return (
            self.observations[index],
            self.actions[index],
            self.rewards[index],
            self.next_observations[index],
            self.terminated[index],
        )
