"""What every agent shares: the Gymnasium-style API, its bookkeeping, and which spaces it fits.

An agent is made for one environment id and learns by acting in it::

    agent = DQNAgent("CartPole-v1", seed=0)
    agent.learn(total_steps=50_000)          # or agent.fit(...), the scikit-learn spelling
    action = agent.act(observation)          # greedy action for one observation
    agent.save("cartpole-agent/")            # settings as JSON + weights
    same = load_agent("cartpole-agent/")

Hyper-parameters are keyword-only constructor arguments whose defaults, help
and allowed ranges come from the agent's settings dataclass
(:mod:`paradigms.reinforcement.settings`); they are stored as attributes of the
same name (``get_params()`` lists them, as in scikit-learn), through the
settings' :class:`~paradigms.parameters.ParameterMap` (``Agent.parameters``).
``Agent.from_settings(env, settings)`` builds the same agent from settings
already validated (a run does: ``ReinforcementSettings.agent_settings``). What
is learnt ends in ``_`` (``steps_done_``, ``episode_returns_``, ``q_table_``).

Each agent writes its way of acting and learning as one generator,
:meth:`Agent.experience`; the learning loop that evaluates it, keeps the best
policy and stops on a confirmed solve is :func:`paradigms.reinforcement.training.learn`.
"""

from __future__ import annotations

import inspect
from collections.abc import Generator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import numpy as np

from ...errors import ConfigError
from ...parameters import ParameterMap
from ...progress import Progress
from ...seeding import check_seed
from ..agent_settings import AGENT_SETTINGS, AgentSettings
from ..environments import EnvSpec
from ..evaluate import EpisodeStats, evaluate_policy, single_action
from ..persistence import WHERE_PARAMS, restore, save_agent
from ..settings import DEFAULTS
from ..spaces import SpaceInfo
from ..training import TrainingMonitor, learn

#: The constructor arguments every agent takes besides its hyper-parameters (the environment's
#: options and episode cap are those of its :class:`~..environments.EnvSpec`, given apart or in it).
COMMON_PARAMS = WHERE_PARAMS[1:]  # the keywords beside the hyper-parameters (``env`` comes first, by position)

A = TypeVar("A", bound="Agent")


def state_kind(info: SpaceInfo) -> str:
    """``"table"`` for discrete states, ``"vector"`` otherwise (see ``AgentSettings.states``)."""
    return "table" if info.discrete_states else "vector"


def action_kind(info: SpaceInfo) -> str:
    """``"discrete"``, ``"continuous"`` or ``"other"`` (see ``AgentSettings.actions``)."""
    return info.action_kind


def _agents_for(kind: str) -> str:
    """``--agent`` choices that act in ``kind`` actions, as the advice of an error."""
    names = [
        name for name, cls in AGENT_SETTINGS.items()
        if kind in cls.actions and cls.states == "vector" and not cls.one_step
    ]
    return " or ".join(f"--agent {name}" for name in names)


def check_agent_fits(agent: type[AgentSettings], info: SpaceInfo) -> None:
    """Raise a one-line ConfigError when ``agent`` cannot learn in these spaces."""
    where = info.env_id or "this environment"
    kind = action_kind(info)
    if kind == "other":
        discrete = ", ".join(n for n, c in AGENT_SETTINGS.items() if "discrete" in c.actions)
        continuous = ", ".join(n for n, c in AGENT_SETTINGS.items() if "continuous" in c.actions)
        raise ConfigError(
            f"{where} acts in {info.action}: the agents here act in a Discrete action space ({discrete}) "
            f"or a one-dimensional Box ({continuous}); choose an environment with one of those"
        )
    if info.observation_problem and not info.discrete_states:
        raise ConfigError(
            f"{where} observes {info.observation_problem}: the agents here read vectors of numbers or "
            "discrete states (there is no convolutional network); choose an environment with vector observations"
        )
    if kind not in agent.actions:
        if kind == "continuous":
            raise ConfigError(
                f"{where} has continuous actions {info.action}: {agent.name} needs a Discrete action space; "
                f"use {_agents_for('continuous')} (or auto)"
            )
        raise ConfigError(
            f"{where} has discrete actions {info.action}: {agent.name} acts in a Box (continuous actions); "
            f"use {_agents_for('discrete')} (or auto)"
        )
    if kind == "continuous" and not info.finite_action_bounds:
        raise ConfigError(
            f"{where} has a Box action space without finite bounds {info.action}: {agent.name} scales its "
            "actions to the bounds; register the environment with finite low and high"
        )
    if agent.states == "table" and not info.discrete_states:
        raise ConfigError(
            f"{agent.name} keeps a table with one row per state, but {where} observes {info.observation}: "
            f"use {_agents_for(kind)} for vector observations"
        )
    if agent.states == "vector" and info.obs_dim == 0:
        raise ConfigError(
            f"{agent.name} reads a vector observation, but {where} observes {info.observation}, "
            "which cannot be flattened into one"
        )


def epsilon_schedule(step: Any, total_steps: int, *, start: float, end: float, fraction: float) -> Any:
    """The exploration rate of epsilon-greedy agents after ``step`` of ``total_steps``
    (a number or an array of them): linear from ``start`` to ``end`` over the first
    ``fraction`` of the steps, then flat."""
    progress = np.minimum(1.0, np.asarray(step, dtype=np.float64) / max(1.0, fraction * total_steps))
    return start + progress * (end - start)


class Agent:
    """Base class of the agents (see the module docstring).

    A subclass names its settings dataclass (:attr:`settings_class`) and implements
    :meth:`_build` (its tables or networks), :meth:`predict`, :meth:`experience`, :meth:`policy_state`,
    :meth:`load_policy_state` and the weight I/O used by
    :mod:`~paradigms.reinforcement.persistence`.
    """

    settings_class: ClassVar[type[AgentSettings]]
    #: The hyper-parameters: every setting of :attr:`settings_class`, each a keyword of the same name.
    parameters: ClassVar[ParameterMap[AgentSettings]]
    name: ClassVar[str]

    if TYPE_CHECKING:
        # The hyper-parameters are attributes set from the settings dataclass in __init__ (their
        # names differ per agent), so the type checker reads any other attribute as Any.
        def __getattr__(self, name: str) -> Any: ...

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Read the name and the constructor's signature and parameter docs from the settings."""
        super().__init_subclass__(**kwargs)
        settings = cls.__dict__.get("settings_class")
        if settings is None:  # a shared base of several agents (off_policy.OffPolicyAgent), not an agent
            return
        cls.name = settings.name
        cls.parameters = ParameterMap(settings)
        keyword = inspect.Parameter.KEYWORD_ONLY
        common = inspect.signature(Agent.__init__).parameters
        cls.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter("env", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="str | EnvSpec")]
            + [inspect.Parameter(name, keyword, default=default) for name, default in cls.parameters.defaults().items()]
            + [common[name] for name in COMMON_PARAMS]
        )
        rows = "\n".join(
            f"    {row['name']} : {row['type']}, default {row['default']!r}\n        {row['help']}"
            for row in settings.describe()
        )
        cls.__doc__ = (
            f"{cls.__doc__ or ''}\n\n    Hyper-parameters (from :class:`~paradigms.reinforcement.agent_settings."
            f"{settings.__name__}`)\n    ----------------\n{rows}\n"
        )

    def __init__(
        self,
        env: str | EnvSpec,
        *,
        env_kwargs: Mapping[str, Any] | None = None,
        max_episode_steps: int | None = None,
        seed: int = 0,
        **hyper_parameters: Any,
    ) -> None:
        self._start(env, self.parameters.to_settings(hyper_parameters), env_kwargs=env_kwargs,
                    max_episode_steps=max_episode_steps, seed=seed)
        self._build()

    @classmethod
    def from_settings(
        cls: type[A],
        env: str | EnvSpec,
        settings: AgentSettings,
        *,
        env_kwargs: Mapping[str, Any] | None = None,
        max_episode_steps: int | None = None,
        seed: int = 0,
        spaces: SpaceInfo | None = None,
    ) -> A:
        """The agent whose hyper-parameters ``settings`` (validated: an instance of :attr:`settings_class`)
        hold, as ``cls(env, **hyper_parameters, ...)`` builds it, without checking them again. ``spaces``:
        ``env``'s spaces, already found to fit this agent (``agents.choose_agent`` checks them); without
        them they are read and checked here."""
        if not isinstance(settings, cls.settings_class):
            raise TypeError(f"{cls.__name__} takes {cls.settings_class.__name__}, not {type(settings).__name__}")
        agent = cls.__new__(cls)
        agent._start(env, settings, env_kwargs=env_kwargs, max_episode_steps=max_episode_steps, seed=seed,
                     spaces=spaces)
        agent._build()
        return agent

    def _start(
        self,
        env: str | EnvSpec,
        settings: AgentSettings,
        *,
        env_kwargs: Mapping[str, Any] | None,
        max_episode_steps: int | None,
        seed: int,
        spaces: SpaceInfo | None = None,
    ) -> None:
        """What every agent sets first: the environment (its spaces checked to fit, unless
        ``spaces`` were), the hyper-parameters (each also an attribute), the bookkeeping."""
        #: The environment the agent learns in, as one value: every copy it makes comes from it.
        self.env_spec = EnvSpec.of(env, env_kwargs, max_episode_steps)
        #: Its Gymnasium id.
        self.env = self.env_spec.id
        self.seed = check_seed(seed)
        #: The hyper-parameters, checked by the settings dataclass; each is also an attribute.
        self.settings = settings
        for name, value in self.parameters.from_settings(settings).items():
            setattr(self, name, value)
        if spaces is None:
            spaces = self.env_spec.spaces()
            check_agent_fits(self.settings_class, spaces)
        self.spaces_: SpaceInfo = spaces
        self.steps_done_ = 0
        self.episodes_done_ = 0
        #: (environment step at which it ended, return) of every training episode.
        self.episode_returns_: list[tuple[int, float]] = []
        #: Steps of every training episode, in the order of ``episode_returns_``.
        self.episode_lengths_: list[int] = []
        self.train_seconds_ = 0.0
        #: The latest gradient step's losses by name (tensors, read only when asked: :meth:`last_losses`).
        self._losses: dict[str, Any] = {}

    def _build(self) -> None:
        """Make what the agent learns (tables, networks, optimisers), once its settings and spaces are set
        (both the constructor and :meth:`from_settings` call it; nothing by default)."""

    # -- scikit-learn style parameters ------------------------------------------

    @property
    def env_kwargs(self) -> dict[str, Any]:
        """The environment's options (its :attr:`env_spec`'s ``kwargs``)."""
        return dict(self.env_spec.kwargs)

    @property
    def max_episode_steps(self) -> int | None:
        """The episode cap asked for (None: the environment's own), as in :attr:`env_spec`."""
        return self.env_spec.max_episode_steps

    def get_params(self) -> dict[str, Any]:
        """The constructor arguments, as given (what :meth:`save` writes as JSON)."""
        return {
            "env": self.env,
            **self.parameters.from_settings(self.settings),
            **{name: getattr(self, name) for name in COMMON_PARAMS},
        }

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    # -- acting ---------------------------------------------------------------------

    def predict(self, observations: Any) -> np.ndarray:
        """Greedy actions for a batch of observations (as a vector env returns them)."""
        raise NotImplementedError

    def act(self, observation: Any) -> int | np.ndarray:
        """The greedy action for one observation (as ``env.step`` returns it): an int for
        discrete actions, an array of numbers within the bounds for Box actions."""
        if isinstance(observation, tuple):
            batch: Any = tuple(np.asarray([part]) for part in observation)
        else:
            batch = np.asarray(observation)[None]
        return single_action(self.predict(batch))

    # -- learning ---------------------------------------------------------------------

    def learn(
        self: A,
        total_steps: int,
        *,
        monitor: TrainingMonitor | None = None,
        progress: Progress | None = None,
    ) -> A:
        """Act and learn for ``total_steps`` more environment steps; returns the agent.

        ``monitor`` (optional) evaluates periodically, keeps the best policy and
        stops early once the task is solved (see :func:`~paradigms.reinforcement.training.learn`).
        """
        learn(self, total_steps, monitor=monitor, progress=progress)
        return self

    def fit(self: A, total_steps: int, **kwargs: Any) -> A:
        """Same as :meth:`learn` (the scikit-learn spelling)."""
        return self.learn(total_steps, **kwargs)

    def experience(self, total_steps: int, pause: int) -> Generator[int, int, None]:
        """Act and learn for ``total_steps`` environment steps; whenever the steps done in
        this call reach ``pause``, yield them (the policy ready to be evaluated) and
        receive the next pause. Keeps ``steps_done_`` and the episode counts."""
        raise NotImplementedError

    def compute_context(self) -> AbstractContextManager[Any]:
        """Context for heavy work (deep agents: one PyTorch thread); none by default."""
        return nullcontext()

    def _episode_ended(self, step: int, episode_return: float, length: int) -> None:
        self.episodes_done_ += 1
        self.episode_returns_.append((int(step), float(episode_return)))
        self.episode_lengths_.append(int(length))

    def last_losses(self) -> dict[str, float]:
        """The latest gradient step's losses by their Stable-Baselines3 names (``value_loss``,
        ``actor_loss``, ...); empty for an agent without them. Reading waits for the device."""
        return {name: float(value) for name, value in self._losses.items()}

    def _episodes_ended(self, step: int, episode_returns: Sequence[float], lengths: Sequence[int]) -> None:
        """Several episodes that ended by ``step`` (those a vector step finished), with their lengths."""
        self.episodes_done_ += len(episode_returns)
        self.episode_returns_.extend((int(step), float(r)) for r in episode_returns)
        self.episode_lengths_.extend(int(n) for n in lengths)

    # -- snapshots (the best policy during training) -------------------------------------

    def policy_state(self) -> Any:
        """A copy of what decides the greedy action (weights, a table)."""
        raise NotImplementedError

    def load_policy_state(self, state: Any) -> None:
        raise NotImplementedError

    # -- evaluation -----------------------------------------------------------------------

    def evaluate(self, n_episodes: int = DEFAULTS.eval_episodes, *, seed: int = 12345) -> EpisodeStats:
        """Mean return of the greedy policy over ``n_episodes`` fresh episodes."""
        with self.compute_context():
            return evaluate_policy(self.predict, self.env_spec, n_episodes=n_episodes, seed=seed)

    # -- persistence ---------------------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Write the agent to folder ``path``: ``agent.json`` plus its weights."""
        return save_agent(self, path)

    @classmethod
    def load(cls: type[A], path: str | Path) -> A:
        """Read an agent of this class written by :meth:`save`."""
        return restore(cls, path)

    def _weights(self) -> dict[str, np.ndarray]:
        """Arrays to save (NumPy, no pickling)."""
        raise NotImplementedError

    def _set_weights(self, weights: Mapping[str, np.ndarray]) -> None:
        raise NotImplementedError
