"""Deep Q-learning (DQN): Q-learning with a neural network in place of the table.

When states are vectors of real numbers (CartPole's cart position, velocity,
pole angle and angular velocity), no table can hold a row per state. DQN
(Mnih et al., 2015) lets a small network read the state and output one Q-value
per action, and trains it towards the same temporal-difference target as
tabular Q-learning, with the tricks that make this stable:

* a **replay buffer**: learn from random mini-batches of past transitions,
  not from the correlated stream of the latest ones;
* a **target network**: a copy of the network, refreshed every
  ``target_update_interval`` steps, computes the targets, so the network
  does not chase its own moving output;
* **double DQN** (van Hasselt et al., 2016): the online network picks the next
  action, the target network values it, which curbs over-estimation;
* the **Huber loss**: quadratic for small errors, linear for large ones, so one
  surprising reward cannot blow up a gradient;
* an **epsilon-greedy** schedule, as in tabular Q-learning.

Several environment copies (``n_envs``) run side by side: one batched forward
pass chooses all their actions. The defaults (two updates every four steps,
a short exploration phase, a target copied every 200 steps) solve CartPole-v1
in about 25,000 to 35,000 steps; PPO, the default deep agent, needs fewer
(``benchmarks/bench_reinforcement.py``).

>>> agent = DQNAgent("CartPole-v1", seed=0)  # doctest: +SKIP
>>> agent.learn(50_000).evaluate(100).mean  # doctest: +SKIP
500.0
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ...devices import torch_threads
from ...seeding import torch_generator
from ..agent_settings import DQNSettings
from ..networks import MLP, FlatAdam, FlatParameters, network_device, outputs
from ..spaces import encode_observations
from .base import epsilon_schedule
from .off_policy import OffPolicyAgent


class DQNAgent(OffPolicyAgent):
    """Double DQN with a replay buffer, a target network and the Huber loss.

    ``env`` is a registered Gymnasium id with discrete actions (vector or discrete
    observations); ``seed`` fixes the network, exploration, replay sampling and
    the training environments.
    """

    settings_class = DQNSettings

    def _build(self) -> None:
        self.device_ = network_device(self.device, self.hidden)
        info = self.spaces_
        assert info.n_actions is not None  # check_agent_fits: a Discrete action space
        generator = torch_generator(self.seed)
        self.q_network_ = MLP(info.obs_dim, info.n_actions, self.hidden, generator=generator)
        self.target_network_ = MLP(info.obs_dim, info.n_actions, self.hidden, generator=generator)
        self._flat = FlatParameters([self.q_network_], self.device_)
        self._target_flat = FlatParameters([self.target_network_], self.device_)
        self._target_flat.copy_from(self._flat)
        self._optimizer = FlatAdam(self._flat, lr=self.learning_rate, max_grad_norm=self.max_grad_norm)
        self.updates_done_ = 0

    def compute_context(self) -> AbstractContextManager[Any]:
        return torch_threads(1, self.device_)

    # -- acting ---------------------------------------------------------------------------

    def q_values(self, observations: Any) -> np.ndarray:
        """Q-values (one column per action) for a batch of raw observations."""
        return outputs(self.q_network_, encode_observations(observations, self.spaces_), self.device_)

    def predict(self, observations: Any) -> np.ndarray:
        return self.q_values(observations).argmax(axis=1)

    # -- learning ----------------------------------------------------------------------------

    def _act(self, observations: np.ndarray, rng: np.random.Generator, step: int, done_steps: int,
             total_steps: int) -> tuple[np.ndarray, np.ndarray]:
        """Epsilon-greedy over all copies at once: a random action with probability epsilon, else the best."""
        epsilon = epsilon_schedule(
            done_steps, total_steps, start=self.epsilon_start, end=self.epsilon_end, fraction=self.exploration_fraction,
        )
        greedy = outputs(self.q_network_, observations, self.device_).argmax(axis=1)
        explore = rng.random(len(greedy)) < epsilon
        actions = np.where(explore, rng.integers(0, self.spaces_.n_actions, size=len(greedy)), greedy)
        return actions, actions

    def _begin_experience(self) -> None:
        self._since_target = 0

    def _after_steps(self, n_steps: int, learning: bool) -> None:
        """Now and then (every ``target_update_interval`` steps, once learning), refresh the target network."""
        self._since_target += n_steps
        if learning and self._since_target >= self.target_update_interval:
            self._since_target = 0
            self._target_flat.copy_from(self._flat)

    def _update(self, batch: tuple[np.ndarray, ...]) -> None:
        """One gradient step of the Huber loss towards the (double) DQN target."""
        obs, actions, rewards, next_obs, terminated = (
            torch.from_numpy(array).to(self.device_) for array in batch
        )
        with torch.no_grad():
            next_q = self.target_network_(next_obs)
            if self.double_dqn:
                next_actions = self.q_network_(next_obs).argmax(dim=1, keepdim=True)
                next_value = next_q.gather(1, next_actions).squeeze(1)
            else:
                next_value = next_q.max(dim=1).values
            target = rewards + self.gamma * (1.0 - terminated) * next_value
        chosen_q = self.q_network_(obs).gather(1, actions.unsqueeze(1)).squeeze(1)
        loss = F.smooth_l1_loss(chosen_q, target)
        self._flat.zero_grad()
        loss.backward()
        self._optimizer.step()
        self.updates_done_ += 1
        self._losses = {"loss": loss.detach(), "q_values": chosen_q.detach().mean()}

    @property
    def last_loss(self) -> float | None:
        """Loss of the latest gradient step (reading it waits for the device)."""
        loss = self._losses.get("loss")
        return None if loss is None else float(loss)

    # -- snapshots and weights -------------------------------------------------------------------

    def policy_state(self) -> torch.Tensor:
        return self._flat.snapshot()

    def load_policy_state(self, state: torch.Tensor) -> None:
        self._flat.copy_from(state)
        self._target_flat.copy_from(self._flat)

    def _weights(self) -> dict[str, np.ndarray]:
        return {"q_network": self._flat.to_numpy()}

    def _set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        self._flat.load_numpy(weights["q_network"], "q_network")
        self._target_flat.copy_from(self._flat)


#: What ``agents.agent_class("dqn")`` returns.
AGENT = DQNAgent
