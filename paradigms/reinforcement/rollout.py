"""Stepping several environment copies at once, with the bookkeeping done once.

Gymnasium's vector environments reset a finished copy on the *next* call to
``step`` (``AutoresetMode.NEXT_STEP``): that call ignores the copy's action
and returns its first observation with reward 0. Such a step is not
experience, so :class:`VectorStepper` marks it ``valid = False``; learners
store and count only valid steps. It also sums episode returns and encodes
observations for a network (see
:func:`~paradigms.reinforcement.environments.encode_observations`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .environments import SpaceInfo, encode_observations


@dataclass(frozen=True)
class VectorStep:
    """One step of every copy; arrays have one row per copy."""

    observations: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray
    next_observations: np.ndarray
    terminated: np.ndarray
    truncated: np.ndarray
    valid: np.ndarray
    #: Returns of the episodes that ended at this step.
    finished_returns: list[float]


class VectorStepper:
    """Wraps a vector environment: ``observations`` holds the current encoded states."""

    def __init__(self, env, info: SpaceInfo, *, seed: int) -> None:
        self.env = env
        self.info = info
        self.num_envs = int(env.num_envs)
        raw, _ = env.reset(seed=seed)
        self.observations = encode_observations(raw, info)
        self._after_done = np.zeros(self.num_envs, dtype=bool)
        self._returns = np.zeros(self.num_envs, dtype=np.float64)

    def step(self, actions: np.ndarray) -> VectorStep:
        raw, rewards, terminated, truncated, _ = self.env.step(actions)
        next_observations = encode_observations(raw, self.info)
        rewards = np.asarray(rewards, dtype=np.float32)
        terminated = np.asarray(terminated, dtype=bool)
        truncated = np.asarray(truncated, dtype=bool)
        valid = ~self._after_done
        done = (terminated | truncated) & valid
        self._returns[valid] += rewards[valid]
        finished = self._returns[done].tolist()
        self._returns[done] = 0.0
        step = VectorStep(
            self.observations, actions, rewards, next_observations, terminated, truncated, valid, finished
        )
        self._after_done = done
        self.observations = next_observations
        return step

    def close(self) -> None:
        self.env.close()
