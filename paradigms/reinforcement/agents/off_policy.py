"""What the off-policy agents (DQN, SAC) share: act, remember, learn from replayed mini-batches.

Both run the same loop over ``n_envs`` environment copies stepped together:

1. **act**: each agent chooses the actions its own way (DQN epsilon-greedy over
   its Q-values, SAC a sample of its squashed Gaussian, or uniformly random
   actions until learning starts), :meth:`OffPolicyAgent._act`;
2. **remember**: the valid transitions go into the replay buffer (a copy that
   finished on the previous step was reset, and its step is no transition);
3. **learn**: once ``learning_starts`` steps are in, ``gradient_steps``
   gradient steps on random mini-batches every ``train_freq`` steps
   (:meth:`_update`), then whatever the agent does after learning (DQN refreshes
   its target network now and then), :meth:`_after_steps`.

The loop is a generator that pauses every ``pause`` steps, so that training
can be evaluated and stopped between them (:mod:`paradigms.reinforcement.training`).
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from ...seeding import numpy_rng
from ..environments import VectorStepper
from ..replay import ReplayBuffer
from .base import Agent


class OffPolicyAgent(Agent):
    """An agent that learns from a replay buffer (see the module docstring).

    A subclass implements :meth:`_act` and :meth:`_update`, and may override
    :meth:`_begin_experience` and :meth:`_after_steps`.
    Its settings provide ``n_envs``, ``buffer_size``, ``batch_size``,
    ``learning_starts``, ``train_freq`` and ``gradient_steps``.
    """

    def _act(self, observations: np.ndarray, rng: np.random.Generator, step: int, done_steps: int,
             total_steps: int) -> tuple[np.ndarray, np.ndarray]:
        """The actions for a batch of observations: what the environments take, and what the buffer
        keeps (the same for discrete actions). ``step`` counts every step this agent has taken,
        ``done_steps`` those of this call to :meth:`experience`, out of ``total_steps``."""
        raise NotImplementedError

    def _update(self, batch: tuple[np.ndarray, ...]) -> None:
        """One gradient step on a mini-batch ``(observations, actions, rewards, next observations, terminated)``."""
        raise NotImplementedError

    def _begin_experience(self) -> None:
        """Called as each call to :meth:`experience` starts (before its first step)."""

    def _after_steps(self, n_steps: int, learning: bool) -> None:
        """Called after each batch of ``n_steps`` steps; ``learning``: whether learning has started."""

    def experience(self, total_steps: int, pause: int) -> Generator[int, int, None]:
        rng = numpy_rng(self.seed, 1, self.steps_done_)
        stepper = VectorStepper(self.env_spec.make_vector(self.n_envs), self.spaces_, seed=int(rng.integers(2**31)))
        if not hasattr(self, "buffer_"):
            # Box actions are stored as rows of numbers, discrete ones as indices
            rows = self.spaces_.action_dim if self.spaces_.action_kind == "continuous" else None
            self.buffer_ = ReplayBuffer(self.buffer_size, self.spaces_.obs_dim, rng=numpy_rng(self.seed, 2),
                                        action_dim=rows)
        buffer = self.buffer_
        self._begin_experience()
        start = self.steps_done_
        done_steps, since_train = 0, 0
        try:
            while done_steps < total_steps:
                env_actions, kept = self._act(stepper.observations, rng, start + done_steps, done_steps, total_steps)
                step = stepper.step(env_actions)
                valid = step.valid
                n_valid = int(valid.sum())
                buffer.add(
                    step.observations[valid], kept[valid], step.rewards[valid],
                    step.next_observations[valid], step.terminated[valid],
                )
                self._episodes_ended(start + done_steps + n_valid, step.finished_returns, step.finished_lengths)
                done_steps += n_valid
                since_train += n_valid
                learning = start + done_steps >= self.learning_starts
                if learning:
                    while since_train >= self.train_freq:
                        since_train -= self.train_freq
                        for _ in range(self.gradient_steps):
                            self._update(buffer.sample(self.batch_size))
                else:
                    since_train = 0
                self._after_steps(n_valid, learning)
                if done_steps >= pause:
                    self.steps_done_ = start + done_steps
                    pause = yield done_steps
        finally:
            self.steps_done_ = start + done_steps
            stepper.close()
