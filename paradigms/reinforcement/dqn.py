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

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ..errors import ConfigError
from ..seeding import numpy_rng, torch_generator
from .agent import Agent
from .environments import encode_observations, make_vector_env
from .networks import MLP, FlatAdam, FlatParameters, resolve_device, single_thread
from .replay import ReplayBuffer
from .rollout import VectorStepper
from .training import TrainingMonitor


class DQNAgent(Agent):
    """Double DQN with a replay buffer, a target network and the Huber loss.

    Parameters
    ----------
    env : a registered Gymnasium id with discrete actions (vector or discrete observations).
    hidden : units of each hidden layer of the Q-network.
    learning_rate : Adam's step size.
    gamma : discount factor for future rewards.
    batch_size : transitions per gradient step.
    buffer_size : transitions the replay buffer holds.
    learning_starts : environment steps of pure exploration before the first update.
    train_freq, gradient_steps : ``gradient_steps`` updates every ``train_freq`` environment steps.
    target_update_interval : environment steps between copies into the target network.
    epsilon_start, epsilon_end, exploration_fraction : linear exploration schedule over the
        first ``exploration_fraction`` of the steps given to :meth:`learn`.
    double_dqn : use the online network to pick the next action (double DQN).
    max_grad_norm : clip the gradient's global norm (None: no clipping).
    n_envs : environment copies stepped together.
    device : ``auto`` (CPU for small networks, else CUDA if present), ``cpu`` or ``cuda``.
    seed : fixes the network, exploration, replay sampling and the training environments.
    """

    name = "dqn"

    def __init__(
        self,
        env: str,
        *,
        hidden: Sequence[int] = (64, 64),
        learning_rate: float = 2e-3,
        gamma: float = 0.99,
        batch_size: int = 64,
        buffer_size: int = 50_000,
        learning_starts: int = 500,
        train_freq: int = 4,
        gradient_steps: int = 2,
        target_update_interval: int = 200,
        epsilon_start: float = 1.0,
        epsilon_end: float = 0.05,
        exploration_fraction: float = 0.05,
        double_dqn: bool = True,
        max_grad_norm: float | None = 10.0,
        n_envs: int = 4,
        device: str = "auto",
        env_kwargs: Mapping[str, Any] | None = None,
        max_episode_steps: int | None = None,
        seed: int = 0,
    ) -> None:
        super().__init__(env, env_kwargs=env_kwargs, max_episode_steps=max_episode_steps, seed=seed)
        checks = {
            "learning_rate": learning_rate > 0,
            "gamma": 0 <= gamma <= 1,
            "batch_size": batch_size >= 1,
            "buffer_size": buffer_size >= batch_size,
            "learning_starts": learning_starts >= 0,
            "train_freq": train_freq >= 1,
            "gradient_steps": gradient_steps >= 1,
            "target_update_interval": target_update_interval >= 1,
            "epsilon_start/epsilon_end": 0 <= epsilon_end <= epsilon_start <= 1,
            "exploration_fraction": 0 < exploration_fraction <= 1,
            "n_envs": n_envs >= 1,
            "hidden": len(hidden) >= 1 and all(int(h) >= 1 for h in hidden),
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise ConfigError(f"DQNAgent: invalid {', '.join(bad)} (see help(DQNAgent))")
        if max_grad_norm is not None and max_grad_norm <= 0:
            raise ConfigError(f"max_grad_norm = {max_grad_norm} must be > 0 (or None)")
        self.hidden = tuple(int(h) for h in hidden)
        self.learning_rate = float(learning_rate)
        self.gamma = float(gamma)
        self.batch_size = int(batch_size)
        self.buffer_size = int(buffer_size)
        self.learning_starts = int(learning_starts)
        self.train_freq = int(train_freq)
        self.gradient_steps = int(gradient_steps)
        self.target_update_interval = int(target_update_interval)
        self.epsilon_start = float(epsilon_start)
        self.epsilon_end = float(epsilon_end)
        self.exploration_fraction = float(exploration_fraction)
        self.double_dqn = bool(double_dqn)
        self.max_grad_norm = None if max_grad_norm is None else float(max_grad_norm)
        self.n_envs = int(n_envs)
        self.device = device
        self.device_ = resolve_device(device, self.hidden)
        info = self.spaces_
        generator = torch_generator(self.seed)
        self.q_network_ = MLP(info.obs_dim, info.n_actions, self.hidden, generator=generator)
        self.target_network_ = MLP(info.obs_dim, info.n_actions, self.hidden, generator=generator)
        self._flat = FlatParameters([self.q_network_], self.device_)
        self._target_flat = FlatParameters([self.target_network_], self.device_)
        self._target_flat.copy_from(self._flat)
        self._optimizer = FlatAdam(self._flat, lr=self.learning_rate, max_grad_norm=self.max_grad_norm)
        self.updates_done_ = 0
        self._last_loss: torch.Tensor | None = None

    def _compute_context(self) -> AbstractContextManager[Any]:
        return single_thread(self.device_)

    # -- acting ---------------------------------------------------------------------------

    def q_values(self, observations: Any) -> np.ndarray:
        """Q-values (one column per action) for a batch of raw observations."""
        x = encode_observations(observations, self.spaces_)
        if self.device_.type == "cpu":
            return self.q_network_.numpy_forward(x)
        with torch.no_grad():
            return self.q_network_(torch.from_numpy(x).to(self.device_)).cpu().numpy()

    def predict(self, observations: Any) -> np.ndarray:
        return self.q_values(observations).argmax(axis=1)

    def epsilon(self, step: int, total_steps: int) -> float:
        """Exploration rate after ``step`` of ``total_steps`` (linear decay, then flat)."""
        fraction = min(1.0, step / max(1.0, self.exploration_fraction * total_steps))
        return self.epsilon_start + fraction * (self.epsilon_end - self.epsilon_start)

    # -- learning ----------------------------------------------------------------------------

    def _learn(self, total_steps: int, monitor: TrainingMonitor | None, bar: Any) -> None:
        rng = numpy_rng(self.seed, 1, self.steps_done_)
        env = make_vector_env(
            self.env, self.n_envs, env_kwargs=self.env_kwargs, max_episode_steps=self.max_episode_steps
        )
        stepper = VectorStepper(env, self.spaces_, seed=int(rng.integers(2**31)))
        if not hasattr(self, "buffer_"):
            self.buffer_ = ReplayBuffer(self.buffer_size, self.spaces_.obs_dim, rng=numpy_rng(self.seed, 2))
        buffer = self.buffer_
        n_actions = self.spaces_.n_actions
        start = self.steps_done_
        done_steps, since_train, since_target = 0, 0, 0
        try:
            while done_steps < total_steps:
                epsilon = self.epsilon(done_steps, total_steps)
                greedy = self._greedy(stepper.observations)
                explore = rng.random(stepper.num_envs) < epsilon
                actions = np.where(explore, rng.integers(0, n_actions, size=stepper.num_envs), greedy)
                step = stepper.step(actions)
                valid = step.valid
                n_valid = int(valid.sum())
                buffer.add(
                    step.observations[valid], actions[valid], step.rewards[valid],
                    step.next_observations[valid], step.terminated[valid],
                )
                for episode_return in step.finished_returns:
                    self._episode_ended(start + done_steps + n_valid, episode_return)
                done_steps += n_valid
                since_train += n_valid
                since_target += n_valid
                if start + done_steps >= self.learning_starts:
                    while since_train >= self.train_freq:
                        since_train -= self.train_freq
                        for _ in range(self.gradient_steps):
                            self._update(buffer.sample(self.batch_size))
                    if since_target >= self.target_update_interval:
                        since_target = 0
                        self._target_flat.copy_from(self._flat)
                else:
                    since_train = 0
                if monitor is not None and monitor.due(start + done_steps):
                    bar.update(done_steps - bar.n)
                    if monitor.evaluate(self, start + done_steps, self.episodes_done_):
                        break
        finally:
            self.steps_done_ = start + done_steps
            bar.update(done_steps - bar.n)
            stepper.close()

    def _greedy(self, x: np.ndarray) -> np.ndarray:
        if self.device_.type == "cpu":
            return self.q_network_.numpy_forward(x).argmax(axis=1)
        with torch.no_grad():
            return self.q_network_(torch.from_numpy(x).to(self.device_)).argmax(dim=1).cpu().numpy()

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
        self._last_loss = loss

    @property
    def last_loss(self) -> float | None:
        """Loss of the latest gradient step (reading it waits for the device)."""
        loss = getattr(self, "_last_loss", None)
        return None if loss is None else float(loss.detach())

    # -- snapshots and weights -------------------------------------------------------------------

    def policy_state(self) -> torch.Tensor:
        return self._flat.snapshot()

    def load_policy_state(self, state: torch.Tensor) -> None:
        self._flat.copy_from(state)
        self._target_flat.copy_from(self._flat)

    def _weights(self) -> dict[str, np.ndarray]:
        return {"q_network": self._flat.params.detach().cpu().numpy()}

    def _set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        flat = np.asarray(weights["q_network"], dtype=np.float32)
        if flat.shape != (len(self._flat),):
            raise ValueError(f"q_network has {flat.size} weights, expected {len(self._flat)}")
        self.load_policy_state(torch.from_numpy(flat))
