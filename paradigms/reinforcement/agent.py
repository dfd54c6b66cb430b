"""What every agent here shares: the Gymnasium-style API and its bookkeeping.

An agent is made for one environment id and learns by acting in it::

    agent = DQNAgent("CartPole-v1", seed=0)
    agent.learn(total_steps=50_000)          # or agent.fit(...), the scikit-learn spelling
    action = agent.act(observation)          # greedy action for one observation
    agent.save("cartpole-agent/")            # settings as JSON + weights
    same = load_agent("cartpole-agent/")

Hyper-parameters are keyword-only constructor arguments, stored as attributes
of the same name (``get_params()`` lists them, as in scikit-learn); what is
learnt ends in ``_`` (``steps_done_``, ``episode_returns_``, ``q_table_``).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ..errors import ConfigError
from .environments import SpaceInfo, check_agent_fits, env_spaces, parse_env_kwargs
from .evaluate import EpisodeStats, evaluate_policy
from .training import TrainingMonitor


class Agent:
    """Base class of the agents (see the module docstring).

    Subclasses set :attr:`name` and implement :meth:`predict`, :meth:`_learn`,
    :meth:`policy_state`, :meth:`load_policy_state` and the weight I/O used by
    :mod:`~paradigms.reinforcement.persistence`.
    """

    name: ClassVar[str] = "agent"

    def __init__(
        self,
        env: str,
        *,
        env_kwargs: Mapping[str, Any] | None = None,
        max_episode_steps: int | None = None,
        seed: int = 0,
    ) -> None:
        if not isinstance(env, str):
            raise TypeError("pass a registered Gymnasium environment id, e.g. 'CartPole-v1'")
        self.env = env
        self.env_kwargs = parse_env_kwargs(env_kwargs)
        self.max_episode_steps = max_episode_steps
        self.seed = int(seed)
        self.spaces_: SpaceInfo = env_spaces(env, env_kwargs=self.env_kwargs)
        check_agent_fits(self.name, self.spaces_)
        self.steps_done_ = 0
        self.episodes_done_ = 0
        #: (environment step at which it ended, return) of every training episode.
        self.episode_returns_: list[tuple[int, float]] = []
        self.train_seconds_ = 0.0

    # -- scikit-learn style parameters ------------------------------------------

    @classmethod
    def _param_names(cls) -> list[str]:
        names: list[str] = []
        for klass in reversed(cls.__mro__):
            init = klass.__dict__.get("__init__")
            if init is None or klass is object:
                continue
            for p in inspect.signature(init).parameters.values():
                if p.name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name not in names:
                    names.append(p.name)
        return names

    def get_params(self) -> dict[str, Any]:
        """The constructor arguments, as given (what :meth:`save` writes as JSON)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    # -- acting ---------------------------------------------------------------------

    def predict(self, observations: Any) -> np.ndarray:
        """Greedy actions for a batch of observations (as a vector env returns them)."""
        raise NotImplementedError

    def act(self, observation: Any) -> int:
        """The greedy action for one observation (as ``env.step`` returns it)."""
        if isinstance(observation, tuple):
            batch: Any = tuple(np.asarray([part]) for part in observation)
        else:
            batch = np.asarray(observation)[None]
        return int(self.predict(batch)[0])

    # -- learning ---------------------------------------------------------------------

    def learn(
        self,
        total_steps: int,
        *,
        monitor: TrainingMonitor | None = None,
        progress: Any = None,
    ) -> Agent:
        """Act and learn for ``total_steps`` more environment steps.

        ``monitor`` (optional) evaluates periodically, keeps the best policy and
        stops early once the task is solved (see :class:`TrainingMonitor`);
        ``progress`` is a :class:`paradigms.Progress`. Returns the agent.
        """
        if int(total_steps) < 1:
            raise ConfigError(f"total_steps = {total_steps} must be >= 1")
        from ..progress import Progress

        progress = progress if progress is not None else Progress(enabled=False)
        start = time.perf_counter()
        with self._compute_context(), progress.bar(
            total=int(total_steps), desc=f"{self.name} on {self.env}", unit="step"
        ) as bar:
            solved_already = False
            if monitor is not None:  # first point of the curve: the policy before this training
                monitor.start(self.steps_done_)
                solved_already = monitor.evaluate(self, self.steps_done_, self.episodes_done_)
            if not solved_already:
                self._learn(int(total_steps), monitor, bar)
            if monitor is not None:
                monitor.finish(self, self.steps_done_, self.episodes_done_)
        self.train_seconds_ += time.perf_counter() - start
        return self

    def fit(self, total_steps: int, **kwargs: Any) -> Agent:
        """Same as :meth:`learn` (the scikit-learn spelling)."""
        return self.learn(total_steps, **kwargs)

    def _learn(self, total_steps: int, monitor: TrainingMonitor | None, bar: Any) -> None:
        raise NotImplementedError

    def _compute_context(self) -> AbstractContextManager[Any]:
        """Context for heavy work (deep agents: one PyTorch thread); none by default."""
        return nullcontext()

    def _episode_ended(self, step: int, episode_return: float) -> None:
        self.episodes_done_ += 1
        self.episode_returns_.append((int(step), float(episode_return)))

    # -- snapshots (the best policy during training) -------------------------------------

    def policy_state(self) -> Any:
        """A copy of what decides the greedy action (weights, a table)."""
        raise NotImplementedError

    def load_policy_state(self, state: Any) -> None:
        raise NotImplementedError

    # -- evaluation -----------------------------------------------------------------------

    def evaluate(self, n_episodes: int = 100, *, seed: int = 12345) -> EpisodeStats:
        """Mean return of the greedy policy over ``n_episodes`` fresh episodes."""
        with self._compute_context():
            return evaluate_policy(
                self.predict, self.env, n_episodes=n_episodes, seed=seed,
                env_kwargs=self.env_kwargs, max_episode_steps=self.max_episode_steps,
            )

    # -- persistence ---------------------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Write the agent to folder ``path``: ``agent.json`` plus its weights."""
        from .persistence import save_agent

        return save_agent(self, path)

    @classmethod
    def load(cls, path: str | Path) -> Agent:
        """Read an agent written by :meth:`save`."""
        from .persistence import load_agent

        agent = load_agent(path)
        if not isinstance(agent, cls):
            raise ConfigError(f"{path}: holds a {type(agent).__name__}, not a {cls.__name__}")
        return agent

    def _weights(self) -> dict[str, np.ndarray]:
        """Arrays to save (NumPy, no pickling)."""
        raise NotImplementedError

    def _set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        raise NotImplementedError
