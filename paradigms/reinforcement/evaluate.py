"""Evaluation episodes: how well a policy does, measured on a separately seeded environment.

P, the performance measure of reinforcement learning here, is the **mean return**
(sum of rewards) over N evaluation episodes of the *greedy* policy (always the
action the agent thinks best, no exploration), on an environment seeded apart
from the one the agent trained in. Its floor is the **random policy**, measured
the same way: same N, same seeds, so the same starting states.

All N episodes run side by side and the policy chooses all their actions in
one call, so 100 CartPole episodes cost about as much Python as one.

An environment that names its own test examples (the guessing games of
:mod:`.guessing`: :meth:`.environments.EnvSpec.held_out_examples`) is measured on them
instead: each test example is one one-step episode, played once, whatever N, with
reward 1 when the action is the example's class. The mean return is then the
greedy policy's **test accuracy**, and the random policy's is chance.

>>> from paradigms.reinforcement.evaluate import evaluate_policy, random_policy
>>> stats = evaluate_policy(random_policy(2, seed=0), "CartPole-v1", n_episodes=10, seed=1)
>>> len(stats.returns), bool(stats.mean < 100)
(10, True)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .environments import EnvSpec
from .settings import DEFAULTS

#: A policy for evaluation: a batch of raw observations -> one action per row (an index
#: for discrete actions, a row of numbers for Box actions).
Policy = Callable[[Any], np.ndarray]

#: Episodes run side by side at most in a NumPy-vectorized environment (more run in rounds).
MAX_PARALLEL = 100
#: Environment copies kept otherwise (many copies of a table-driven environment
#: such as Taxi crowd the CPU cache; eight amortize the policy calls as well).
MAX_COPIES = 8

#: Idle single environments, by :attr:`EnvSpec.key` (id, options, episode cap), for the next
#: Evaluator: building Taxi's transition table costs more than a hundred of its steps.
_IDLE: dict[str, list[Any]] = {}
_MAX_IDLE = 2 * MAX_COPIES


def _borrow(spec: EnvSpec) -> Any:
    idle = _IDLE.get(spec.key)
    if idle:
        return idle.pop()
    return spec.make()


def _give_back(spec: EnvSpec, env: Any) -> None:
    idle = _IDLE.setdefault(spec.key, [])
    if len(idle) < _MAX_IDLE:
        idle.append(env)
    else:
        env.close()


@dataclass(frozen=True)
class EpisodeStats:
    """Returns and lengths of some evaluation episodes."""

    returns: np.ndarray
    lengths: np.ndarray
    seconds: float = 0.0

    @property
    def mean(self) -> float:
        return float(np.mean(self.returns))

    @property
    def std(self) -> float:
        return float(np.std(self.returns))

    @property
    def n(self) -> int:
        return int(len(self.returns))

    def __str__(self) -> str:
        return f"mean return {self.mean:.2f} ± {self.std:.2f} over {self.n} episodes"


class Evaluator:
    """N episodes of one environment (an id, or an :class:`~.environments.EnvSpec` with its
    options and episode cap), always from the same seed, for any policy.

    Keep one and call :meth:`run` again and again (the environments are made
    once): every call replays the same N starting states, so two policies, or
    one policy at two moments of training, are compared on equal terms.

    Environments with a NumPy-vectorized implementation (CartPole) run all
    episodes in it; others run as a list of copies in which only the unfinished
    episodes are stepped. Episode ``i`` starts from ``reset(seed=seed + i)``
    (vectorized: each round of episodes from one seed). An environment with
    held-out test examples plays each of them once instead (see the module
    docstring): ``n_episodes`` and ``seed`` do not apply.
    """

    def __init__(self, env: str | EnvSpec, *, n_episodes: int = DEFAULTS.eval_episodes, seed: int = 0) -> None:
        if n_episodes < 1:
            raise ValueError(f"n_episodes must be >= 1, got {n_episodes}")
        self.env = EnvSpec.of(env)
        self.n_episodes = int(n_episodes)
        self.seed = int(seed)
        self.held_out = self.env.held_out_examples()
        self._vector = self.env.has_vector_version
        if self.held_out is not None:
            self._envs: list[Any] = []
            return
        self._parallel = min(self.n_episodes, MAX_PARALLEL if self._vector else MAX_COPIES)
        if self._vector:
            self._envs = [self.env.make_vector(self._parallel)]
        else:
            self._envs = [_borrow(self.env) for _ in range(self._parallel)]

    def run(self, policy: Policy) -> EpisodeStats:
        """Play N episodes with ``policy`` and return their returns and lengths."""
        start = time.perf_counter()
        if self.held_out is not None:
            scores = self.held_out.test.score(lambda observations: batch_actions(policy(observations), len(observations)))
            return EpisodeStats(scores.astype(np.float64), np.ones(len(scores), dtype=np.int64),
                                time.perf_counter() - start)
        returns: list[np.ndarray] = []
        lengths: list[np.ndarray] = []
        remaining, round_index = self.n_episodes, 0
        play = self._play_vector if self._vector else self._play_copies
        while remaining > 0:
            r, n = play(policy, self.seed + round_index * self._parallel)
            take = min(remaining, self._parallel)
            returns.append(r[:take])
            lengths.append(n[:take])
            remaining -= take
            round_index += 1
        return EpisodeStats(
            np.concatenate(returns), np.concatenate(lengths), time.perf_counter() - start
        )

    def _play_vector(self, policy: Policy, seed: int) -> tuple[np.ndarray, np.ndarray]:
        env = self._envs[0]
        obs, _ = env.reset(seed=seed)
        n = self._parallel
        returns = np.zeros(n, dtype=np.float64)
        lengths = np.zeros(n, dtype=np.int64)
        done = np.zeros(n, dtype=bool)
        while not done.all():
            actions = batch_actions(policy(obs), n)
            obs, reward, terminated, truncated, _ = env.step(actions)
            active = ~done
            returns[active] += reward[active]
            lengths[active] += 1
            done |= np.asarray(terminated) | np.asarray(truncated)
        return returns, lengths

    def _play_copies(self, policy: Policy, seed: int) -> tuple[np.ndarray, np.ndarray]:
        n = self._parallel
        observations = [env.reset(seed=seed + i)[0] for i, env in enumerate(self._envs)]
        returns = np.zeros(n, dtype=np.float64)
        lengths = np.zeros(n, dtype=np.int64)
        active = list(range(n))
        while active:
            actions = batch_actions(policy(_stack([observations[i] for i in active])), len(active))
            still = []
            # Python ints step the table-driven environments fastest; Box actions stay rows.
            for i, action in zip(active, actions.tolist() if actions.ndim == 1 else actions, strict=True):
                obs, reward, terminated, truncated, _ = self._envs[i].step(action)
                observations[i] = obs
                returns[i] += reward
                lengths[i] += 1
                if not (terminated or truncated):
                    still.append(i)
            active = still
        return returns, lengths

    def close(self) -> None:
        for env in self._envs:
            if self._vector:
                env.close()
            else:  # every run starts with reset(seed=...), so a used copy is as good as new
                _give_back(self.env, env)
        self._envs = []

    def __enter__(self) -> Evaluator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def batch_actions(actions: Any, n: int) -> np.ndarray:
    """A policy's answer for ``n`` observations: ``n`` indices (discrete) or ``n`` rows (Box)."""
    array = np.asarray(actions)
    return array.reshape(n) if array.ndim <= 1 else array.reshape(n, -1)


def single_action(actions: Any) -> int | np.ndarray:
    """The first action of a policy's answer, as ``env.step`` takes it: an int, or a row of numbers."""
    array = np.asarray(actions)
    return int(array.reshape(-1)[0]) if array.ndim <= 1 else array.reshape(len(array), -1)[0]


def _stack(observations: list[Any]) -> Any:
    """A list of single observations as one batch (a tuple of arrays for tuple observations)."""
    if isinstance(observations[0], tuple):
        return tuple(np.asarray(part) for part in zip(*observations, strict=True))
    return np.asarray(observations)


def evaluate_policy(
    policy: Policy, env: str | EnvSpec, *, n_episodes: int = DEFAULTS.eval_episodes, seed: int = 0,
) -> EpisodeStats:
    """Mean return (and every return) of ``policy`` over ``n_episodes`` episodes of ``env``
    (an id, or an :class:`~.environments.EnvSpec` with its options and episode cap)."""
    with Evaluator(env, n_episodes=n_episodes, seed=seed) as evaluator:
        return evaluator.run(policy)


def random_policy(
    n_actions: int | None = None,
    *,
    seed: int = 0,
    low: Sequence[float] | None = None,
    high: Sequence[float] | None = None,
) -> Policy:
    """The floor every agent must beat: uniformly random actions from a seeded generator,
    among ``n_actions`` discrete ones, or (Box actions) between ``low`` and ``high``."""
    rng = np.random.default_rng(seed)
    if n_actions is None:
        if low is None or high is None:
            raise ValueError("give n_actions (discrete actions) or low and high (Box actions)")
        bounds = np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)

        def act_box(obs: Any) -> np.ndarray:
            batch = len(obs[0]) if isinstance(obs, tuple) else len(obs)
            return rng.uniform(*bounds, size=(batch, len(bounds[0]))).astype(np.float32)

        return act_box

    def act(obs: Any) -> np.ndarray:
        batch = len(obs[0]) if isinstance(obs, tuple) else len(obs)
        return rng.integers(0, n_actions, size=batch)

    return act
