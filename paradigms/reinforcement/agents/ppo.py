"""Proximal Policy Optimization (PPO): learn the policy itself, one careful step at a time.

Where DQN learns how good each action is and acts greedily on that, a
*policy-gradient* agent learns the probabilities of its actions directly: a
**policy network** maps a state to action probabilities, and actions that
turned out better than expected become more likely. The **value network**
estimates the return from each state, and the *advantage* of an action is how
much better it did than that estimate (here by generalized advantage
estimation, GAE; Schulman et al., 2016).

PPO (Schulman et al., 2017) collects a short rollout from ``n_envs``
environment copies (``n_steps`` each), then runs ``n_epochs`` passes of
mini-batch gradient steps on it, with the probability ratio between the new
and the old policy *clipped* to ``1 ± clip_range``: the policy may improve, but
not jump away from the behaviour that collected the data. The learning rate
and the clip range shrink linearly to zero over the steps given to
:meth:`learn`, as in the RL Zoo's CartPole recipe.

Both kinds of action: for discrete actions the policy network outputs one
logit per action (a categorical distribution); for continuous (Box) actions it
outputs the mean of a **Gaussian** per action number, whose spread is a learnt
log standard deviation of its own (``log_std_init`` at the start), and the
sampled numbers are clipped to -1..1 and scaled to the action bounds. The greedy
policy used for evaluation takes the most probable action (the mean).
Observations may be vectors or discrete states; ``normalize_observations``
scales them by a running mean and standard deviation
(:mod:`~paradigms.reinforcement.normalization`), which are saved with the agent;
``normalize_rewards`` divides the rewards it learns from by the spread of the
discounted return, so that the value loss keeps one scale whatever the
environment's rewards (Pendulum's reach -16 a step).
Training ends on whole rollouts, so :meth:`learn` may take up to
``n_envs * n_steps - 1`` steps more than asked.

>>> agent = PPOAgent("CartPole-v1", seed=0)  # doctest: +SKIP
>>> agent.learn(60_000).evaluate(100).mean  # doctest: +SKIP
500.0
"""

from __future__ import annotations

import math
from collections.abc import Generator, Mapping
from contextlib import AbstractContextManager
from typing import Any

import numpy as np
import torch
from torch import nn

from ...devices import torch_threads
from ...seeding import numpy_rng, torch_generator
from ..agent_settings import PPOSettings
from ..environments import VectorStepper
from ..networks import (
    HALF_LOG_2PI,
    MLP,
    FlatAdam,
    FlatParameters,
    gaussian_log_prob,
    network_device,
    outputs,
)
from ..normalization import RunningMeanStd
from ..spaces import encode_observations, to_env_actions
from .base import Agent


class PPOAgent(Agent):
    """PPO with clipped updates, GAE and separate policy and value networks (tanh).

    ``env`` is a registered Gymnasium id with discrete or Box actions; ``seed`` fixes
    the networks, the sampled actions, the mini-batches and the environments.
    """

    settings_class = PPOSettings

    def _build(self) -> None:
        self.device_ = network_device(self.device, self.hidden)
        info = self.spaces_
        self.continuous_ = info.action_kind == "continuous"
        generator = torch_generator(self.seed)
        gains = [math.sqrt(2)] * len(self.hidden)
        outputs = info.action_dim if self.continuous_ else info.n_actions
        assert outputs is not None  # check_agent_fits: a Discrete or a one-dimensional Box action space
        self.policy_network_ = MLP(  # logits of the actions, or the means of the Gaussian
            info.obs_dim, outputs, self.hidden,
            activation="tanh", orthogonal_gains=[*gains, 0.01], generator=generator,
        )
        self.value_network_ = MLP(
            info.obs_dim, 1, self.hidden, activation="tanh",
            orthogonal_gains=[*gains, 1.0], generator=generator,
        )
        modules: list[nn.Module] = [self.policy_network_, self.value_network_]
        if self.continuous_:  # the Gaussian's log standard deviations, learnt beside the networks
            self.log_std_ = nn.ParameterList([torch.full((info.action_dim,), float(self.log_std_init))])
            modules.append(self.log_std_)
        self.obs_stats_ = RunningMeanStd(info.obs_dim) if self.normalize_observations else None
        self._return_stats = RunningMeanStd(1) if self.normalize_rewards else None
        self._flat = FlatParameters(modules, self.device_)
        self._optimizer = FlatAdam(
            self._flat, lr=self.learning_rate, eps=1e-5, max_grad_norm=self.max_grad_norm
        )
        self.updates_done_ = 0

    def compute_context(self) -> AbstractContextManager[Any]:
        return torch_threads(1, self.device_)

    # -- acting ------------------------------------------------------------------------------

    def _inputs(self, observations: Any) -> np.ndarray:
        """Raw observations as the networks read them (normalised when asked for)."""
        x = encode_observations(observations, self.spaces_)
        return x if self.obs_stats_ is None else self.obs_stats_.normalize(x)

    def action_logits(self, observations: Any) -> np.ndarray:
        """The policy network's outputs for a batch of raw observations: unnormalized
        log-probabilities of the actions, or (Box actions) the Gaussian's means."""
        return outputs(self.policy_network_, self._inputs(observations), self.device_)

    def predict(self, observations: Any) -> np.ndarray:
        out = self.action_logits(observations)
        return to_env_actions(out, self.spaces_) if self.continuous_ else out.argmax(axis=1)

    def _sample_actions(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Actions drawn from the policy for a batch of network inputs."""
        out = outputs(self.policy_network_, x, self.device_)
        if self.continuous_:
            std = np.exp(self.log_std_[0].detach().cpu().numpy())
            return (out + std * rng.standard_normal(out.shape)).astype(np.float32)
        # Gumbel-max trick: argmax(logits + Gumbel noise) samples softmax(logits).
        return np.argmax(out - np.log(-np.log(rng.random(out.shape))), axis=1)

    def _log_probs(
        self, obs: torch.Tensor, actions: torch.Tensor, *, entropy: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Log-probabilities of ``actions`` under the current policy, and (``entropy``) the policy's
        entropies: computed only when the loss has an entropy bonus (``ent_coef > 0``)."""
        out = self.policy_network_(obs)
        if self.continuous_:
            log_std = self.log_std_[0]
            log_probs = gaussian_log_prob((actions - out) / log_std.exp(), log_std)
            return log_probs, (log_std + 0.5 + HALF_LOG_2PI).sum().expand(len(obs)) if entropy else None
        all_log_probs = torch.log_softmax(out, dim=1)
        entropies = -(all_log_probs.exp() * all_log_probs).sum(dim=1) if entropy else None
        return all_log_probs.gather(1, actions.unsqueeze(1)).squeeze(1), entropies

    # -- learning: rollouts, advantages, updates ---------------------------------------------------

    def experience(self, total_steps: int, pause: int) -> Generator[int, int, None]:
        rng = numpy_rng(self.seed, 1, self.steps_done_)
        stepper = VectorStepper(self.env_spec.make_vector(self.n_envs), self.spaces_, seed=int(rng.integers(2**31)))
        shape = (self.n_steps, self.n_envs)
        observations = np.zeros((self.n_steps + 1, self.n_envs, self.spaces_.obs_dim), dtype=np.float32)
        if self.continuous_:
            actions = np.zeros((*shape, self.spaces_.action_dim), dtype=np.float32)
        else:
            actions = np.zeros(shape, dtype=np.int64)
        rewards = np.zeros(shape, dtype=np.float32)
        terminated = np.zeros(shape, dtype=bool)
        done = np.zeros(shape, dtype=bool)
        valid = np.zeros(shape, dtype=bool)
        discounted = np.zeros(self.n_envs)  # each copy's running discounted return (reward scaling)
        start, done_steps = self.steps_done_, 0
        try:
            while done_steps < total_steps:
                progress_left = 1.0 - done_steps / total_steps
                # A rollout: n_steps of every copy, actions sampled from the policy.
                for t in range(self.n_steps):
                    observations[t] = x = self._observe(stepper.observations)
                    actions[t] = self._sample_actions(x, rng)
                    step = stepper.step(to_env_actions(actions[t], self.spaces_) if self.continuous_ else actions[t])
                    rewards[t], terminated[t] = self._scale(step.rewards, discounted), step.terminated
                    done[t] = step.terminated | step.truncated
                    discounted[done[t]] = 0.0
                    valid[t] = step.valid
                    n_valid = int(step.valid.sum())
                    self._episodes_ended(start + done_steps + n_valid, step.finished_returns, step.finished_lengths)
                    done_steps += n_valid
                observations[self.n_steps] = self._observe(stepper.observations, update=False)
                self._learn_from_rollout(observations, actions, rewards, terminated, done, valid, progress_left, rng)
                if done_steps >= pause:
                    self.steps_done_ = start + done_steps
                    pause = yield done_steps
        finally:
            self.steps_done_ = start + done_steps
            stepper.close()

    def _scale(self, rewards: np.ndarray, discounted: np.ndarray) -> np.ndarray:
        """Rewards divided by the running spread of the discounted return (when asked for)."""
        if self._return_stats is None:
            return rewards
        discounted *= self.gamma
        discounted += rewards
        self._return_stats.update(discounted[:, None])
        return (rewards / np.sqrt(self._return_stats.var[0] + 1e-8)).astype(np.float32)

    def _observe(self, x: np.ndarray, *, update: bool = True) -> np.ndarray:
        """Encoded observations as the networks read them; with normalisation, the
        statistics first take them in (``update``)."""
        if self.obs_stats_ is None:
            return x
        if update:
            self.obs_stats_.update(x)
        return self.obs_stats_.normalize(x)

    def _advantages(
        self, values: np.ndarray, rewards: np.ndarray, terminated: np.ndarray, done: np.ndarray
    ) -> np.ndarray:
        """GAE. ``values`` has one more row than the rollout: the states after each step.

        After a truncated episode the next row is the episode's last state, so its
        value is bootstrapped; after a terminated one it is not.
        """
        advantages = np.zeros_like(rewards)
        running = np.zeros(rewards.shape[1], dtype=np.float32)
        for t in reversed(range(rewards.shape[0])):
            delta = rewards[t] + self.gamma * values[t + 1] * ~terminated[t] - values[t]
            running = delta + self.gamma * self.gae_lambda * ~done[t] * running
            advantages[t] = running
        return advantages

    def _learn_from_rollout(
        self,
        observations: np.ndarray,
        actions: np.ndarray,
        rewards: np.ndarray,
        terminated: np.ndarray,
        done: np.ndarray,
        valid: np.ndarray,
        progress_left: float,
        rng: np.random.Generator,
    ) -> None:
        """``n_epochs`` passes of mini-batch updates on one rollout, the learning rate and
        the clip range scaled by ``progress_left`` (the share of the steps still to come)."""
        device = self.device_
        obs_all = torch.from_numpy(observations.reshape(-1, observations.shape[-1])).to(device)
        with torch.no_grad():
            values = self.value_network_(obs_all).reshape(observations.shape[:2]).cpu().numpy()
        advantages = self._advantages(values, rewards, terminated, done)
        returns = advantages + values[:-1]
        keep = valid.reshape(-1)
        n_rollout = rewards.size
        obs_t = obs_all[:n_rollout][torch.from_numpy(keep).to(device)]
        flat_actions = actions.reshape(n_rollout, -1) if self.continuous_ else actions.reshape(-1)
        act_t = torch.from_numpy(flat_actions[keep]).to(device)
        adv_t = torch.from_numpy(advantages.reshape(-1)[keep]).to(device)
        ret_t = torch.from_numpy(returns.reshape(-1)[keep]).to(device)
        with torch.no_grad():
            old_log_probs, _ = self._log_probs(obs_t, act_t)
        self._optimizer.lr = self.learning_rate * progress_left
        clip = self.clip_range * progress_left
        n = len(act_t)
        if n <= self.batch_size:  # one mini-batch holds the whole rollout: no shuffling needed
            adv_t = _normalize(adv_t)
            for _ in range(self.n_epochs):
                self._update(obs_t, act_t, adv_t, ret_t, old_log_probs, clip)
            return
        for _ in range(self.n_epochs):
            order = torch.from_numpy(rng.permutation(n)).to(device)
            for begin in range(0, n, self.batch_size):
                index = order[begin : begin + self.batch_size]
                self._update(
                    obs_t[index], act_t[index], _normalize(adv_t[index]), ret_t[index],
                    old_log_probs[index], clip,
                )

    def _update(
        self,
        obs: torch.Tensor,
        actions: torch.Tensor,
        advantages: torch.Tensor,
        returns: torch.Tensor,
        old_log_probs: torch.Tensor,
        clip: float,
    ) -> None:
        """One gradient step of PPO's clipped objective plus the value loss
        (``advantages`` already normalized within the mini-batch)."""
        log_probs, entropy = self._log_probs(obs, actions, entropy=self.ent_coef > 0)
        ratio = torch.exp(log_probs - old_log_probs)
        policy_loss = -torch.min(advantages * ratio, advantages * ratio.clamp(1 - clip, 1 + clip)).mean()
        value_loss = (self.value_network_(obs).squeeze(1) - returns).pow(2).mean()
        loss = policy_loss + self.vf_coef * value_loss
        entropy_mean = None if entropy is None else entropy.mean()
        if entropy_mean is not None:
            loss = loss - self.ent_coef * entropy_mean
        self._flat.zero_grad()
        loss.backward()
        self._optimizer.step()
        self.updates_done_ += 1
        self._losses = {"policy_gradient_loss": policy_loss.detach(), "value_loss": value_loss.detach()}
        if entropy_mean is not None:
            self._losses["entropy_loss"] = -entropy_mean.detach()

    # -- snapshots and weights --------------------------------------------------------------------

    def policy_state(self) -> tuple[torch.Tensor, RunningMeanStd | None]:
        """The weights and, with normalisation, the statistics the policy reads its inputs by."""
        return self._flat.snapshot(), None if self.obs_stats_ is None else self.obs_stats_.copy()

    def load_policy_state(self, state: tuple[torch.Tensor, RunningMeanStd | None]) -> None:
        weights, stats = state
        self._flat.copy_from(weights)
        if stats is not None:
            self.obs_stats_ = stats.copy()

    def _weights(self) -> dict[str, np.ndarray]:
        stats = {} if self.obs_stats_ is None else self.obs_stats_.to_arrays()
        return {"networks": self._flat.to_numpy(), **stats}

    def _set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        self._flat.load_numpy(weights["networks"], "networks")
        if self.obs_stats_ is not None:
            self.obs_stats_.load_arrays(dict(weights))


def _normalize(advantages: torch.Tensor) -> torch.Tensor:
    """Zero mean, unit spread within a mini-batch (a common PPO stabilizer)."""
    if len(advantages) < 2:
        return advantages
    return (advantages - advantages.mean()) / (advantages.std() + 1e-8)


#: What ``agents.agent_class("ppo")`` returns.
AGENT = PPOAgent
