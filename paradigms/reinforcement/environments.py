"""Gymnasium environments: check an id, make single and vectorized copies, read the spaces, step copies.

An *environment* is the world a reinforcement-learning agent acts in: it shows
a **state** (the observation), takes an **action**, and answers with the next
state and a **reward**. Gymnasium registers many by id (``CartPole-v1``,
``FrozenLake-v1``, ``Taxi-v4``); an :class:`EnvSpec` names one (its id, the options
it is made with and its episode cap) and makes its copies. This module turns a
user's id into a working environment or into a one-line error that says what to
type instead:

* a deprecated version gets the current one (``Taxi-v3`` -> ``Taxi-v4``),
* a misspelt name gets the close matches (``CartPol-v1`` -> ``CartPole-v1``),
* a missing optional dependency (MuJoCo, Box2D) gets the ``pip install`` line.

The package's own environments (the guessing games of :mod:`.guessing`,
``paradigms/DigitGuess-v0`` and ``paradigms/TableGuess-v0``) are registered the
first time this module asks Gymnasium for anything, so they resolve like any id.

It also reads an environment's spaces (:meth:`EnvSpec.spaces`, a
:class:`~paradigms.reinforcement.spaces.SpaceInfo`), the test examples it is
measured on where it names them (:meth:`EnvSpec.held_out_examples`), its "solved" line
(:func:`solved_line`: the reward threshold Gymnasium registers, else a line in
common use from :data:`SOLVED_LINES`, else none), and steps several copies at
once with the bookkeeping done once (:class:`VectorStepper`).

>>> check_env_id("Taxi-v3")
Traceback (most recent call last):
...
paradigms.errors.ConfigError: environment 'Taxi-v3' is deprecated or unknown: this Gymnasium registers Taxi-v4 (use --env Taxi-v4)
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..datasets.labelled import HeldOutExamples
from ..errors import ConfigError, DataError
from .agent_settings import MAX_TOTAL_STEPS
from .spaces import SpaceInfo, describe_spaces, encode_observations

#: Episode cap for environments registered without one (CliffWalking): a greedy
#: policy that walks into a wall forever must still end its episode.
DEFAULT_EPISODE_CAP = 1000

def _gym():
    import gymnasium  # start-up time: listing the paradigms must not load Gymnasium (and pygame)

    from . import guessing  # noqa: F401 - importing it registers the package's own ids (paradigms/DigitGuess-v0)

    return gymnasium


def registered_ids() -> list[str]:
    """Every environment id this Gymnasium knows, sorted."""
    return sorted(_gym().envs.registry)


def _split(env_id: str) -> tuple[str, int | None]:
    """``"ns/Name-v3"`` -> (``"ns/Name"``, 3); ids without a version give None."""
    match = re.fullmatch(r"(.+?)(?:-v(\d+))?", env_id.strip())
    assert match is not None
    return match.group(1), (int(match.group(2)) if match.group(2) is not None else None)


def check_env_id(env_id: str) -> str:
    """Return ``env_id`` if Gymnasium registers it, else raise a ConfigError that
    suggests the current version or close matches."""
    if not isinstance(env_id, str) or not env_id.strip():
        raise ConfigError("name an environment, e.g. --env CartPole-v1 (see gymnasium.envs.registry)")
    ids = registered_ids()
    if env_id in ids:
        return env_id
    name, version = _split(env_id)
    versions = sorted(
        (v, i) for i in ids for n, v in [_split(i)] if n.lower() == name.lower() and v is not None
    )
    if versions:
        current = versions[-1][1]
        if version is None:
            raise ConfigError(f"environment {env_id!r} needs a version: use --env {current}")
        state = "deprecated or unknown" if version < versions[-1][0] else "unknown"
        raise ConfigError(
            f"environment {env_id!r} is {state}: this Gymnasium registers {current} (use --env {current})"
        )
    lowered = {i.lower(): i for i in ids}
    close = difflib.get_close_matches(env_id.lower(), list(lowered), n=3, cutoff=0.6)
    if not close:  # compare names without versions, e.g. "Cartpole" or "Frozen-Lake"
        names = {_split(i)[0].lower(): i for i in ids}
        close = difflib.get_close_matches(name.lower().replace("-", ""), list(names), n=3, cutoff=0.6)
        suggestions = [names[c] for c in close]
    else:
        suggestions = [lowered[c] for c in close]
    hint = f"did you mean {', '.join(suggestions)}?" if suggestions else "e.g. CartPole-v1, FrozenLake-v1, Taxi-v4"
    raise ConfigError(f"unknown environment {env_id!r}: {hint} (all ids: gymnasium.envs.registry)")


def reward_threshold(env_id: str) -> float | None:
    """The return at which Gymnasium calls ``env_id`` solved (None when it names none)."""
    threshold = _gym().spec(check_env_id(env_id)).reward_threshold
    return None if threshold is None else float(threshold)


#: "Solved" lines in common use for environments that register no reward threshold, with
#: where each comes from. Only lines that practitioners actually use belong here: an
#: environment missing from this table has no solved line (never an invented one).
SOLVED_LINES: dict[str, tuple[float, str]] = {
    "Pendulum-v1": (
        -200.0,
        "the solved line commonly used for Pendulum-v1 (Gymnasium registers none; trained agents "
        "of the RL Zoo and CleanRL benchmarks end between about -200 and -150)",
    ),
}


@dataclass(frozen=True)
class SolvedLine:
    """The return at which an environment counts as solved (``value``), where it comes from, and
    what to call it (``name``: Gymnasium's "reward threshold", or a "solved line" in common use)."""

    value: float | None
    source: str
    name: str = "solved line"


def solved_line(env_id: str) -> SolvedLine:
    """``env_id``'s solved line: Gymnasium's registered reward threshold, else the
    commonly used line of :data:`SOLVED_LINES`, else none (``value`` None).

    >>> solved_line("Pendulum-v1").value, solved_line("CartPole-v1").value
    (-200.0, 475.0)
    """
    registered = reward_threshold(env_id)
    if registered is not None:
        return SolvedLine(registered, "the reward threshold Gymnasium registers for this environment",
                          "reward threshold")
    if env_id in SOLVED_LINES:
        value, source = SOLVED_LINES[env_id]
        return SolvedLine(value, source)
    return SolvedLine(None, "none: Gymnasium registers no reward threshold and no solved line is in common use")


def gymnasium_version() -> str:
    return str(_gym().__version__)


#: Optional packages that families of environments need (their entry point's module names
#: them), and the line that installs each.
OPTIONAL_PACKAGES = {
    "gymnasium.envs.box2d": ("Box2D", "pip install 'learning-paradigms[box2d]'"),
    "gymnasium.envs.mujoco": ("MuJoCo", "pip install 'gymnasium[mujoco]'"),
}


def _creation_error(env_id: str, exc: Exception) -> ConfigError | DataError:
    if isinstance(exc, ConfigError | DataError):  # already one line that names the file, option or value
        return exc
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, ModuleNotFoundError | ImportError) or "not installed" in message.lower():
        entry_point = str(_gym().spec(env_id).entry_point)
        for module, (package, install) in OPTIONAL_PACKAGES.items():
            if entry_point.startswith(module):
                return ConfigError(f"environment {env_id!r} needs {package}, which is not installed: {install}")
        return ConfigError(f"environment {env_id!r} needs an optional package: {message}")
    if isinstance(exc, TypeError) and "argument" in message:
        return ConfigError(f"environment {env_id!r} does not accept these env_kwargs: {message}")
    return ConfigError(f"environment {env_id!r} could not be created: {type(exc).__name__}: {message}")


#: The most characters an environment's options (``env_kwargs``) take as JSON: a FrozenLake
#: map of 64 x 64 is about 4,500. Gymnasium builds a table the size of the map for each
#: parallel environment, so a map of 100,000 cells took 57 s and 3.8 GB before any step.
MAX_ENV_KWARGS_CHARS = 20_000


def check_env_kwargs(env_kwargs: Mapping[str, Any] | None, *, where: str = "env_kwargs") -> None:
    """Refuse, in one line, environment options larger than :data:`MAX_ENV_KWARGS_CHARS` as JSON."""
    if not env_kwargs:
        return
    size = len(json.dumps(dict(env_kwargs), default=str))
    if size > MAX_ENV_KWARGS_CHARS:
        largest = max(env_kwargs, key=lambda key: len(json.dumps(env_kwargs[key], default=str)))
        raise ConfigError(f"{where}: {size:,} characters of environment options (most in {largest!r}), more than "
                          f"the {MAX_ENV_KWARGS_CHARS:,} allowed; give a smaller one (a FrozenLake map of at most 64 x 64)")


@dataclass(frozen=True)
class EnvSpec:
    """Which environment to make and how: one value for every environment of a run.

    ``id`` is a registered Gymnasium id, ``kwargs`` the keyword arguments it is made with
    (a run's ``--env-kwargs``, e.g. ``{"is_slippery": False}``) and ``max_episode_steps``
    its episode cap (None: the environment's own, else :data:`DEFAULT_EPISODE_CAP`); the
    names are those of Gymnasium's own ``EnvSpec``. All three are checked once, when the
    value is made (a deprecated or misspelt id, options that are no mapping or too large,
    a cap out of range: one-line ConfigErrors), and every copy is made from it the same
    way: the training copies (:meth:`make_vector`), the evaluation episodes and the
    rendered one (:meth:`make`).

    >>> spec = EnvSpec("FrozenLake-v1", {"is_slippery": False})
    >>> spec.episode_cap, spec.spaces().n_states
    (100, 16)
    """

    id: str
    kwargs: Mapping[str, Any] = field(default_factory=dict, hash=False)
    max_episode_steps: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str):
            raise TypeError(f"pass a registered Gymnasium environment id, e.g. 'CartPole-v1' (got {self.id!r})")
        if not isinstance(self.kwargs, Mapping | None):
            raise ConfigError(f"env_kwargs = {self.kwargs!r} must be a mapping of keyword arguments")
        cap = self.max_episode_steps
        if cap is not None and (
            isinstance(cap, bool) or not isinstance(cap, int | np.integer) or not 1 <= cap <= MAX_TOTAL_STEPS
        ):
            raise ConfigError(
                f"max_episode_steps = {cap!r} must be a whole number from 1 to {MAX_TOTAL_STEPS} (or none)"
            )
        object.__setattr__(self, "kwargs", dict(self.kwargs or {}))  # a copy: the caller's dict may change
        object.__setattr__(self, "max_episode_steps", None if cap is None else int(cap))
        check_env_kwargs(self.kwargs)
        check_env_id(self.id)

    @classmethod
    def of(
        cls, env: str | EnvSpec, kwargs: Mapping[str, Any] | None = None, max_episode_steps: int | None = None,
    ) -> EnvSpec:
        """``env`` as an EnvSpec: an id with ``kwargs`` and ``max_episode_steps`` (an id alone: the
        environment as registered), or an EnvSpec as it is (options given beside one are refused)."""
        if isinstance(env, EnvSpec):
            if kwargs or max_episode_steps is not None:
                raise ConfigError(f"{env.id}: give env_kwargs and max_episode_steps in the EnvSpec, not beside it")
            return env
        return cls(env, kwargs or {}, max_episode_steps)

    @property
    def episode_cap(self) -> int:
        """The episode length limit: the one asked for, else the environment's own, else
        :data:`DEFAULT_EPISODE_CAP`."""
        if self.max_episode_steps is not None:
            return self.max_episode_steps
        return int(_gym().spec(self.id).max_episode_steps or DEFAULT_EPISODE_CAP)

    @property
    def has_vector_version(self) -> bool:
        """Whether Gymnasium has a NumPy-vectorized implementation of this id (CartPole does)."""
        return _gym().spec(self.id).vector_entry_point is not None

    @functools.cached_property
    def options_key(self) -> str:
        """The id and options as text, equal for equal ones: the key of what the spaces and held-out
        examples were read for (the episode cap changes neither)."""
        return json.dumps([self.id, sorted(self.kwargs.items())], default=str)

    @functools.cached_property
    def key(self) -> str:
        """The spec as text, equal for equal specs: the key of the caches of made environments."""
        return json.dumps([self.options_key, self.max_episode_steps])

    def options_note(self) -> str:
        """``"; options {...}"`` for a page's notes, or nothing when made as registered."""
        return f"; options {self.kwargs}" if self.kwargs else ""

    def make(self, *, render_mode: str | None = None) -> Any:
        """One environment, with the episode cap (:attr:`episode_cap`).

        Errors from Gymnasium (missing package, bad keyword) become one-line ConfigErrors.
        """
        gym = _gym()
        try:
            return gym.make(
                self.id, max_episode_steps=self.episode_cap, render_mode=render_mode,
                disable_env_checker=True, **self.kwargs,
            )
        except Exception as exc:  # noqa: BLE001 - Gymnasium raises many kinds; all become one line
            raise _creation_error(self.id, exc) from None

    def make_vector(self, num_envs: int) -> Any:
        """``num_envs`` copies stepped together (Gymnasium's own NumPy-vectorized
        version where it has one, e.g. CartPole; else a synchronous vector env).

        Finished copies reset on the *next* step (Gymnasium's default
        ``AutoresetMode.NEXT_STEP``): that step's action is ignored and its reward is
        0, so learners must skip it (see :class:`VectorStepper`).
        """
        gym = _gym()
        cap = self.episode_cap
        try:
            if self.has_vector_version:
                try:
                    return gym.make_vec(self.id, num_envs=num_envs, max_episode_steps=cap, **self.kwargs)
                except TypeError:  # a vector entry point that takes no such keyword: fall back to copies
                    pass
            return gym.make_vec(
                self.id, num_envs=num_envs, vectorization_mode="sync",
                max_episode_steps=cap, disable_env_checker=True, **self.kwargs,
            )
        except Exception as exc:  # noqa: BLE001
            raise _creation_error(self.id, exc) from None

    def spaces(self) -> SpaceInfo:
        """The environment's :class:`SpaceInfo`. The first call for an id and its options
        makes and closes one copy; later calls (choosing the agent, building it, loading a
        saved one) reuse what it read."""
        return self._described()[0]

    def held_out_examples(self) -> HeldOutExamples | None:
        """The test examples the environment is measured on, where it names them (its
        ``unwrapped.held_out``, a :class:`~paradigms.datasets.labelled.HeldOutExamples`: the
        guessing games of :mod:`.guessing`), else None (an ordinary environment, measured by
        the return of seeded episodes). Read once per id and options, as :meth:`spaces`."""
        return self._described()[1]

    def _described(self) -> tuple[SpaceInfo, HeldOutExamples | None]:
        key = self.options_key
        if key not in _DESCRIBED:
            env = self.make()
            try:
                info = describe_spaces(env.observation_space, env.action_space, self.id)
                _DESCRIBED[key] = info, getattr(env.unwrapped, "held_out", None)
            finally:
                env.close()
        return _DESCRIBED[key]


#: SpaceInfo and held-out examples already read, by environment id and options: reading them makes an environment.
_DESCRIBED: dict[str, tuple[SpaceInfo, HeldOutExamples | None]] = {}


# -- stepping several copies -------------------------------------------------------


@dataclass(frozen=True)
class VectorStep:
    """One step of every copy; arrays have one row per copy."""

    observations: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray
    next_observations: np.ndarray
    terminated: np.ndarray
    truncated: np.ndarray
    valid: np.ndarray
    #: Returns of the episodes that ended at this step.
    finished_returns: list[float]
    #: Lengths (steps) of those episodes, in the same order.
    finished_lengths: list[int]


class VectorStepper:
    """Steps a vector environment; ``observations`` holds the current states, encoded for a network.

    Gymnasium's vector environments reset a finished copy on the *next* call to
    ``step`` (``AutoresetMode.NEXT_STEP``): that call ignores the copy's action and
    returns its first observation with reward 0. Such a step is not experience,
    so it is marked ``valid = False``; learners store and count only valid steps.
    A vector environment that resets on the *same* step (``AutoresetMode.SAME_STEP``,
    the guessing games of :mod:`.guessing`) wastes no step: every step is valid, a
    finished copy's next observation is its ``info["final_obs"]`` and the observation
    returned starts its next episode. The stepper also sums the episode returns.
    """

    def __init__(self, env: Any, info: SpaceInfo, *, seed: int) -> None:
        self.env = env
        self.info = info
        self.num_envs = int(env.num_envs)
        from gymnasium.vector import (
            AutoresetMode,  # start-up time: gymnasium loads when an agent steps
        )

        self.same_step = getattr(env, "metadata", {}).get("autoreset_mode") == AutoresetMode.SAME_STEP
        raw, _ = env.reset(seed=seed)
        self.observations = encode_observations(raw, info)
        self._after_done = np.zeros(self.num_envs, dtype=bool)
        self._returns = np.zeros(self.num_envs, dtype=np.float64)
        self._lengths = np.zeros(self.num_envs, dtype=np.int64)

    def step(self, actions: np.ndarray) -> VectorStep:
        raw, rewards, terminated, truncated, extra = self.env.step(actions)
        next_observations = encode_observations(raw, self.info)
        rewards = np.asarray(rewards, dtype=np.float32)
        terminated = np.asarray(terminated, dtype=bool)
        truncated = np.asarray(truncated, dtype=bool)
        valid = ~self._after_done
        done = (terminated | truncated) & valid
        self._returns[valid] += rewards[valid]
        self._lengths[valid] += 1
        finished, lengths = self._returns[done].tolist(), self._lengths[done].tolist()
        self._returns[done] = 0.0
        self._lengths[done] = 0
        outcome = next_observations
        if self.same_step and done.any() and "final_obs" in extra:  # the observations returned start new episodes
            outcome = next_observations.copy()
            outcome[done] = encode_observations(np.asarray(extra["final_obs"])[done], self.info)
        step = VectorStep(self.observations, actions, rewards, outcome, terminated, truncated, valid, finished, lengths)
        if not self.same_step:
            self._after_done = done
        self.observations = next_observations
        return step

    def close(self) -> None:
        self.env.close()
