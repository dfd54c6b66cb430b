"""Neural epsilon-greedy: a contextual-bandit agent that learns which guess gets rewarded.

In a *contextual bandit* every episode is one step: the agent sees a context (an
image), picks an action (a guessed class) and gets a reward (1 if right, 0 if
wrong). Nothing it does changes what it sees next, so there is no future to
value, no discount and no bootstrapped target, only the question DQN asks without
its second half: *what reward does each action get here?*

The agent (the neural epsilon-greedy baseline of Riquelme, Tucker & Snoek, 2018,
"Deep Bayesian Bandits Showdown") answers it with one network:

* a **reward model**: a multilayer perceptron reads the observation and outputs
  one logit per action; its sigmoid is the predicted chance that the action is
  rewarded;
* **acting**: the action with the highest predicted reward, except with
  probability epsilon a uniformly random one (exploration: without it, a class
  the model wrongly thinks hopeless would never be tried again);
* **learning**: binary cross-entropy between the predicted chance of the *chosen*
  action and the reward it got. The other actions' outputs get no gradient: the
  agent was not told what they would have earned, and a right answer it did not
  give is never revealed.

A batch of ``n_envs`` guesses is one call of the vector environment, one forward
pass (which both chooses the guesses and, kept for autograd, gives the loss) and
one Adam step. On MNIST the defaults reach about 0.94 test accuracy after one
pass over the 60,000 training images and 0.96 after three, in seconds
(``benchmarks/bench_bandit.py``); a label says far more per example (about 0.95
after the first pass of the supervised MLP, which is told the class).

>>> agent = BanditAgent("paradigms/DigitGuess-v0", seed=0)  # doctest: +SKIP
>>> agent.learn(180_000).evaluate().mean  # test accuracy  # doctest: +SKIP
0.965
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from contextlib import AbstractContextManager
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ...devices import torch_threads
from ...seeding import numpy_rng, torch_generator
from ..agent_settings import BanditSettings
from ..environments import VectorStepper
from ..networks import MLP, FlatAdam, FlatParameters, network_device, outputs
from ..spaces import encode_observations
from .base import Agent, epsilon_schedule


class BanditAgent(Agent):
    """Neural epsilon-greedy: a reward model per action, trained only on the chosen action's reward.

    ``env`` is a registered Gymnasium id with discrete actions and vector observations
    (made for the one-step episodes of ``paradigms/DigitGuess-v0``; on longer episodes it
    maximises the immediate reward only); ``seed`` fixes the network, the exploration
    and the order of the examples.
    """

    settings_class = BanditSettings

    def _build(self) -> None:
        self.device_ = network_device(self.device, self.hidden)
        info = self.spaces_
        assert info.n_actions is not None  # check_agent_fits: a Discrete action space
        self.reward_network_ = MLP(info.obs_dim, info.n_actions, self.hidden, generator=torch_generator(self.seed))
        self._flat = FlatParameters([self.reward_network_], self.device_)
        self._optimizer = FlatAdam(self._flat, lr=self.learning_rate)
        self.updates_done_ = 0

    def compute_context(self) -> AbstractContextManager[Any]:
        return torch_threads(1, self.device_)

    # -- acting -----------------------------------------------------------------------------

    def reward_chances(self, observations: Any) -> np.ndarray:
        """The predicted chance that each action is rewarded (one column per action)."""
        logits = outputs(self.reward_network_, encode_observations(observations, self.spaces_), self.device_)
        return 1.0 / (1.0 + np.exp(-logits))

    def predict(self, observations: Any) -> np.ndarray:
        """The greedy guesses: the action with the highest predicted reward (the logit's order is the chance's)."""
        return outputs(self.reward_network_, encode_observations(observations, self.spaces_), self.device_).argmax(1)

    # -- learning ------------------------------------------------------------------------------

    def experience(self, total_steps: int, pause: int) -> Generator[int, int, None]:
        """Guess a batch, get its rewards, take one gradient step; repeat (see the module docstring)."""
        rng = numpy_rng(self.seed, 1, self.steps_done_)
        stepper = VectorStepper(self.env_spec.make_vector(self.n_envs), self.spaces_, seed=int(rng.integers(2**31)))
        n_actions = self.spaces_.n_actions
        start, done_steps = self.steps_done_, 0
        try:
            while done_steps < total_steps:
                # 1. predict: one forward pass gives the guesses and, kept for autograd, the loss
                logits = self.reward_network_(torch.from_numpy(stepper.observations).to(self.device_))
                greedy = logits.detach().argmax(dim=1).cpu().numpy()
                # 2. act: epsilon-greedy, each copy on its own
                epsilon = epsilon_schedule(
                    done_steps, total_steps, start=self.epsilon_start, end=self.epsilon_end,
                    fraction=self.exploration_fraction,
                )
                explore = rng.random(len(greedy)) < epsilon
                actions = np.where(explore, rng.integers(0, n_actions, size=len(greedy)), greedy)
                step = stepper.step(actions)
                # 3. learn: binary cross-entropy of the chosen action's predicted reward (others get no gradient)
                valid = torch.from_numpy(step.valid).to(self.device_)
                chosen = logits.gather(1, torch.from_numpy(actions).to(self.device_).unsqueeze(1)).squeeze(1)
                rewards = torch.from_numpy(step.rewards).to(self.device_)
                loss = F.binary_cross_entropy_with_logits(chosen[valid], rewards[valid])
                self._flat.zero_grad()
                loss.backward()
                self._optimizer.step()
                self.updates_done_ += 1
                n_valid = int(step.valid.sum())
                done_steps += n_valid
                self._episodes_ended(start + done_steps, step.finished_returns, step.finished_lengths)
                self._losses = {"loss": loss.detach()}
                if done_steps >= pause or done_steps >= total_steps:
                    self.steps_done_ = start + done_steps
                    pause = yield done_steps
        finally:
            self.steps_done_ = start + done_steps
            stepper.close()

    # -- snapshots and weights -----------------------------------------------------------------

    def policy_state(self) -> torch.Tensor:
        return self._flat.snapshot()

    def load_policy_state(self, state: torch.Tensor) -> None:
        self._flat.copy_from(state)

    def _weights(self) -> dict[str, np.ndarray]:
        return {"reward_network": self._flat.to_numpy()}

    def _set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        self._flat.load_numpy(weights["reward_network"], "reward_network")


#: What ``agents.agent_class("bandit")`` returns.
AGENT = BanditAgent
