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

It needs discrete actions; observations may be vectors or discrete states.
The greedy policy used for evaluation takes the most probable action.
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

from ...devices import torch_threads
from ...seeding import numpy_rng, torch_generator
from ..environments import VectorStepper, encode_observations, make_vector_env
from ..networks import MLP, FlatAdam, FlatParameters, network_device, outputs
from ..settings import PPOSettings
from .base import Agent


class PPOAgent(Agent):
    """PPO with clipped updates, GAE and separate policy and value networks (tanh).

    ``env`` is a registered Gymnasium id with discrete actions; ``seed`` fixes the
    networks, the sampled actions, the mini-batches and the environments.
    """

    settings_class = PPOSettings

    def __init__(self, env: str, **kwargs: Any) -> None:
        super().__init__(env, **kwargs)
        self.device_ = network_device(self.device, self.hidden)
        info = self.spaces_
        generator = torch_generator(self.seed)
        gains = [math.sqrt(2)] * len(self.hidden)
        self.policy_network_ = MLP(
            info.obs_dim, info.n_actions, self.hidden, activation="tanh",
            orthogonal_gains=[*gains, 0.01], generator=generator,
        )
        self.value_network_ = MLP(
            info.obs_dim, 1, self.hidden, activation="tanh",
            orthogonal_gains=[*gains, 1.0], generator=generator,
        )
        self._flat = FlatParameters([self.policy_network_, self.value_network_], self.device_)
        self._optimizer = FlatAdam(
            self._flat, lr=self.learning_rate, eps=1e-5, max_grad_norm=self.max_grad_norm
        )
        self.updates_done_ = 0

    def compute_context(self) -> AbstractContextManager[Any]:
        return torch_threads(1, self.device_)

    # -- acting ------------------------------------------------------------------------------

    def action_logits(self, observations: Any) -> np.ndarray:
        """Unnormalized log-probabilities of the actions for a batch of raw observations."""
        return outputs(self.policy_network_, encode_observations(observations, self.spaces_), self.device_)

    def predict(self, observations: Any) -> np.ndarray:
        return self.action_logits(observations).argmax(axis=1)

    # -- learning: rollouts, advantages, updates ---------------------------------------------------

    def experience(self, total_steps: int, pause: int) -> Generator[int, int, None]:
        rng = numpy_rng(self.seed, 1, self.steps_done_)
        env = make_vector_env(
            self.env, self.n_envs, env_kwargs=self.env_kwargs, max_episode_steps=self.max_episode_steps
        )
        stepper = VectorStepper(env, self.spaces_, seed=int(rng.integers(2**31)))
        shape = (self.n_steps, self.n_envs)
        observations = np.zeros((self.n_steps + 1, self.n_envs, self.spaces_.obs_dim), dtype=np.float32)
        actions = np.zeros(shape, dtype=np.int64)
        rewards = np.zeros(shape, dtype=np.float32)
        terminated = np.zeros(shape, dtype=bool)
        done = np.zeros(shape, dtype=bool)
        valid = np.zeros(shape, dtype=bool)
        start, done_steps = self.steps_done_, 0
        try:
            while done_steps < total_steps:
                progress_left = 1.0 - done_steps / total_steps
                # A rollout: n_steps of every copy, actions sampled from the policy.
                for t in range(self.n_steps):
                    x = stepper.observations
                    observations[t] = x
                    logits = outputs(self.policy_network_, x, self.device_)
                    # Gumbel-max trick: argmax(logits + Gumbel noise) samples softmax(logits).
                    actions[t] = np.argmax(logits - np.log(-np.log(rng.random(logits.shape))), axis=1)
                    step = stepper.step(actions[t])
                    rewards[t], terminated[t] = step.rewards, step.terminated
                    done[t] = step.terminated | step.truncated
                    valid[t] = step.valid
                    n_valid = int(step.valid.sum())
                    for episode_return in step.finished_returns:
                        self._episode_ended(start + done_steps + n_valid, episode_return)
                    done_steps += n_valid
                observations[self.n_steps] = stepper.observations
                self._learn_from_rollout(observations, actions, rewards, terminated, done, valid, progress_left, rng)
                if done_steps >= pause:
                    self.steps_done_ = start + done_steps
                    pause = yield done_steps
        finally:
            self.steps_done_ = start + done_steps
            stepper.close()

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
        act_t = torch.from_numpy(actions.reshape(-1)[keep]).to(device)
        adv_t = torch.from_numpy(advantages.reshape(-1)[keep]).to(device)
        ret_t = torch.from_numpy(returns.reshape(-1)[keep]).to(device)
        with torch.no_grad():
            old_log_probs = torch.log_softmax(self.policy_network_(obs_t), dim=1)
            old_log_probs = old_log_probs.gather(1, act_t.unsqueeze(1)).squeeze(1)
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
        log_probs_all = torch.log_softmax(self.policy_network_(obs), dim=1)
        log_probs = log_probs_all.gather(1, actions.unsqueeze(1)).squeeze(1)
        ratio = torch.exp(log_probs - old_log_probs)
        policy_loss = -torch.min(advantages * ratio, advantages * ratio.clamp(1 - clip, 1 + clip)).mean()
        value_loss = (self.value_network_(obs).squeeze(1) - returns).pow(2).mean()
        loss = policy_loss + self.vf_coef * value_loss
        if self.ent_coef > 0:
            entropy = -(log_probs_all.exp() * log_probs_all).sum(dim=1).mean()
            loss = loss - self.ent_coef * entropy
        self._flat.zero_grad()
        loss.backward()
        self._optimizer.step()
        self.updates_done_ += 1

    # -- snapshots and weights --------------------------------------------------------------------

    def policy_state(self) -> torch.Tensor:
        return self._flat.snapshot()

    def load_policy_state(self, state: torch.Tensor) -> None:
        self._flat.copy_from(state)

    def _weights(self) -> dict[str, np.ndarray]:
        return {"networks": self._flat.to_numpy()}

    def _set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        self._flat.load_numpy(weights["networks"], "networks")


def _normalize(advantages: torch.Tensor) -> torch.Tensor:
    """Zero mean, unit spread within a mini-batch (a common PPO stabilizer)."""
    if len(advantages) < 2:
        return advantages
    return (advantages - advantages.mean()) / (advantages.std() + 1e-8)


#: What ``agents.agent_class("ppo")`` returns.
AGENT = PPOAgent
