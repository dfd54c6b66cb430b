"""Soft Actor-Critic (SAC): continuous actions, learnt off-policy, with exploration built into the goal.

When an action is a vector of real numbers (Pendulum's torque, LunarLander's two
throttles), no network can list a value for every action, as DQN does. SAC
(Haarnoja et al., 2018) learns two things side by side:

* an **actor**, the policy: a network that maps a state to a Gaussian over
  actions (a mean and a standard deviation per action number); a sample is
  *squashed* by tanh into -1..1 and scaled to the action bounds;
* **twin critics**: two Q-networks ``Q(s, a)`` trained towards the same target;
  the target uses the smaller of the two, which curbs the over-estimation one
  critic alone drifts into (as double DQN does for discrete actions).

Both learn from random mini-batches of a **replay buffer** (every step ever
taken), so each step of experience is reused many times. The critics' targets
come from **target networks** that follow the critics slowly (Polyak averaging:
``target += tau * (critic - target)`` after each gradient step).

The "soft" part: the agent maximises reward *plus* ``alpha`` times the entropy
of its policy, so it keeps exploring until it is sure. ``alpha`` is tuned
automatically: it grows when the policy's entropy falls below
``target_entropy`` (minus the number of action numbers, by default) and shrinks
when it is above.

The greedy policy used for evaluation takes the mean action (tanh of the mean).

>>> agent = SACAgent("Pendulum-v1", seed=0)  # doctest: +SKIP
>>> agent.learn(10_000).evaluate(100).mean  # doctest: +SKIP
-150.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ...devices import torch_threads
from ...seeding import torch_generator
from ..agent_settings import SACSettings
from ..networks import (
    MLP,
    EnsembleMLP,
    FlatAdam,
    FlatParameters,
    gaussian_log_prob,
    network_device,
    outputs,
)
from ..spaces import encode_observations, to_env_actions
from .off_policy import OffPolicyAgent

#: Bounds of the actor's log standard deviation (as Stable-Baselines3 and CleanRL).
LOG_STD_MIN, LOG_STD_MAX = -5.0, 2.0


class SACAgent(OffPolicyAgent):
    """SAC with twin critics, Polyak-averaged target critics and automatic entropy tuning.

    ``env`` is a registered Gymnasium id with a one-dimensional Box action space
    of finite bounds; ``seed`` fixes the networks, the sampled actions, the replay
    mini-batches and the training environments.
    """

    settings_class = SACSettings

    def _build(self) -> None:
        self.device_ = network_device(self.device, self.hidden)
        info = self.spaces_
        self._generator = torch_generator(self.seed, str(self.device_))
        init = torch_generator(self.seed)
        dims = info.action_dim
        self.actor_ = MLP(info.obs_dim, 2 * dims, self.hidden, generator=init)  # mean and log std
        # The twin critics: two Q-networks computed as one (networks.EnsembleMLP).
        self.critics_ = EnsembleMLP(2, info.obs_dim + dims, 1, self.hidden, generator=init)
        self.target_critics_ = EnsembleMLP(2, info.obs_dim + dims, 1, self.hidden, generator=init)
        self.log_alpha_ = nn.ParameterList([torch.full((1,), math.log(self.ent_coef or self.ent_coef_init))])
        # Everything learnt lives in one flat tensor, so one backward pass and one Adam step
        # update the actor, the critics and the entropy weight together (one learning rate).
        self._flat = FlatParameters([self.actor_, self.critics_, self.log_alpha_], self.device_)
        self._targets = FlatParameters([self.target_critics_], self.device_)
        self._targets.copy_from(self._critics())
        self._optimizer = FlatAdam(self._flat, lr=self.learning_rate)
        self.target_entropy_ = float(-dims if self.target_entropy is None else self.target_entropy)
        self.updates_done_ = 0

    def _critics(self) -> torch.Tensor:
        """The critics' parameters: a view into the one flat tensor."""
        return self._flat.part(1)

    def compute_context(self) -> AbstractContextManager[Any]:
        return torch_threads(1, self.device_)

    # -- acting ------------------------------------------------------------------------------

    def predict(self, observations: Any) -> np.ndarray:
        """Greedy actions: tanh of the actor's mean, scaled to the bounds (one row per observation)."""
        out = outputs(self.actor_, encode_observations(observations, self.spaces_), self.device_)
        return to_env_actions(np.tanh(out[:, : self.spaces_.action_dim]), self.spaces_)

    def _explore(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Actions sampled from the squashed Gaussian (between -1 and 1), for acting while learning."""
        out = outputs(self.actor_, x, self.device_)
        dims = self.spaces_.action_dim
        std = np.exp(np.clip(out[:, dims:], LOG_STD_MIN, LOG_STD_MAX))
        return np.tanh(out[:, :dims] + std * rng.standard_normal(std.shape)).astype(np.float32)

    def _sample(self, obs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Differentiable actions from the squashed Gaussian and their log-probabilities.

        ``u = mean + std * noise`` and ``a = tanh(u)``; the log-probability of ``a`` is the
        Gaussian's of ``u`` minus ``log(1 - tanh(u)^2)`` per number (the change of variables),
        written as ``2 * (log 2 - u - softplus(-2u))`` so that it stays finite.
        """
        out = self.actor_(obs)
        dims = self.spaces_.action_dim
        mean, log_std = out[:, :dims], out[:, dims:].clamp(LOG_STD_MIN, LOG_STD_MAX)
        noise = torch.randn(mean.shape, generator=self._generator, device=mean.device)
        u = mean + log_std.exp() * noise
        log_prob = gaussian_log_prob(noise, log_std)
        log_prob = log_prob - (2.0 * (math.log(2.0) - u - F.softplus(-2.0 * u))).sum(1)
        return torch.tanh(u), log_prob

    @staticmethod
    def _q_values(critics: EnsembleMLP, obs: torch.Tensor, actions: torch.Tensor, **kwargs: Any) -> torch.Tensor:
        """Both critics' values of (state, action) pairs: shape (2, batch)."""
        return critics(torch.cat([obs, actions], dim=1), **kwargs).squeeze(2)

    # -- learning -----------------------------------------------------------------------------

    def _act(self, observations: np.ndarray, rng: np.random.Generator, step: int, done_steps: int,
             total_steps: int) -> tuple[np.ndarray, np.ndarray]:
        """Uniformly random actions until learning starts, then the squashed Gaussian; the buffer keeps
        them in the actor's -1..1 scale (what the critics read), the environments take them scaled."""
        if step < self.learning_starts:
            squashed = rng.uniform(-1.0, 1.0, size=(len(observations), self.spaces_.action_dim)).astype(np.float32)
        else:
            squashed = self._explore(observations, rng)
        return to_env_actions(squashed, self.spaces_), squashed

    def _update(self, batch: tuple[np.ndarray, ...]) -> None:
        """One gradient step of the critics, the actor and the entropy weight; then the targets follow.

        The three losses are summed and differentiated in one backward pass; each reaches
        only its own parameters: the critics' targets and the entropy weight inside the
        other losses are constants, and the actor's loss reads the critics with their
        weights frozen.
        """
        obs, actions, rewards, next_obs, terminated = (
            torch.from_numpy(array).to(self.device_) for array in batch
        )
        n = len(obs)
        log_alpha = self.log_alpha_[0]
        alpha = log_alpha.detach().exp()
        # One pass of the actor samples actions for the states and for the next states.
        sampled, log_probs = self._sample(torch.cat([obs, next_obs]))
        # Critics: towards reward + gamma * the soft value of the next state, by the smaller
        # of the two target critics.
        with torch.no_grad():
            next_q = self._q_values(self.target_critics_, next_obs, sampled[n:]).min(0).values
            target = rewards + self.gamma * (1.0 - terminated) * (next_q - alpha * log_probs[n:])
        critic_loss = (self._q_values(self.critics_, obs, actions) - target).pow(2).mean(1).sum()
        # Actor: actions the critics value highly, with high entropy (a low log-probability).
        log_prob = log_probs[:n]
        q = self._q_values(self.critics_, obs, sampled[:n], frozen=True).min(0).values
        actor_loss = (alpha * log_prob - q).mean()
        loss = critic_loss + actor_loss
        # Entropy weight: up when the policy's entropy (-log_prob) is below the target, else down.
        if self.ent_coef is None:
            loss = loss - log_alpha * (log_prob.detach().mean() + self.target_entropy_)
        self._flat.zero_grad()
        loss.backward()
        self._optimizer.step()
        # Targets follow the critics (Polyak averaging).
        self._targets.params.lerp_(self._critics(), self.tau)
        self.updates_done_ += 1
        self._losses = {"actor_loss": actor_loss.detach(), "critic_loss": critic_loss.detach(), "ent_coef": alpha}

    @property
    def alpha_(self) -> float:
        """The entropy weight now."""
        return float(self.log_alpha_[0].detach().exp())

    # -- snapshots and weights --------------------------------------------------------------------

    def policy_state(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self._flat.snapshot(), self._targets.snapshot()

    def load_policy_state(self, state: tuple[torch.Tensor, torch.Tensor]) -> None:
        self._flat.copy_from(state[0])
        self._targets.copy_from(state[1])

    def _weights(self) -> dict[str, np.ndarray]:
        # "networks": the actor, the critics and the log of the entropy weight, in that order.
        return {"networks": self._flat.to_numpy(), "target_critics": self._targets.to_numpy()}

    def _set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        self._flat.load_numpy(weights["networks"], "networks")
        self._targets.load_numpy(weights["target_critics"], "target_critics")


#: What ``agents.agent_class("sac")`` returns.
AGENT = SACAgent
