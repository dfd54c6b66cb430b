"""Gymnasium environments: check an id, make single and vectorized copies, read the spaces, step copies.

An *environment* is the world a reinforcement-learning agent acts in: it shows
a **state** (the observation), takes an **action**, and answers with the next
state and a **reward**. Gymnasium registers many by id (``CartPole-v1``,
``FrozenLake-v1``, ``Taxi-v4``); this module turns a user's id into a working
environment or into a one-line error that says what to type instead:

* a deprecated version gets the current one (``Taxi-v3`` -> ``Taxi-v4``),
* a misspelt name gets the close matches (``CartPol-v1`` -> ``CartPole-v1``),
* a missing optional dependency (MuJoCo, Box2D) gets the ``pip install`` line.

It also reads an environment's spaces (:class:`SpaceInfo`: what an agent needs
to know to fit them), its "solved" line (:func:`reward_threshold`), encodes
observations for a network, and steps several copies at once with the
bookkeeping done once (:class:`VectorStepper`).

>>> check_env_id("Taxi-v3")
Traceback (most recent call last):
...
paradigms.errors.ConfigError: environment 'Taxi-v3' is deprecated or unknown: this Gymnasium registers Taxi-v4 (use --env Taxi-v4)
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ConfigError

#: Episode cap for environments registered without one (CliffWalking): a greedy
#: policy that walks into a wall forever must still end its episode.
DEFAULT_EPISODE_CAP = 1000

def _gym():
    import gymnasium  # start-up time: listing the paradigms must not load Gymnasium (and pygame)

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


def gymnasium_version() -> str:
    return str(_gym().__version__)


def episode_cap(env_id: str, max_episode_steps: int | None = None) -> int:
    """The episode length limit used for ``env_id``: the one asked for, else the
    environment's own, else :data:`DEFAULT_EPISODE_CAP`."""
    if max_episode_steps is not None:
        return int(max_episode_steps)
    spec = _gym().spec(check_env_id(env_id))
    return int(spec.max_episode_steps or DEFAULT_EPISODE_CAP)


def _creation_error(env_id: str, exc: Exception) -> ConfigError:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, ModuleNotFoundError | ImportError) or "not installed" in message.lower():
        return ConfigError(f"environment {env_id!r} needs an optional package: {message}")
    if isinstance(exc, TypeError) and "argument" in message:
        return ConfigError(f"environment {env_id!r} does not accept these env_kwargs: {message}")
    return ConfigError(f"environment {env_id!r} could not be created: {type(exc).__name__}: {message}")


def make_env(
    env_id: str,
    *,
    env_kwargs: Mapping[str, Any] | None = None,
    max_episode_steps: int | None = None,
    render_mode: str | None = None,
):
    """One environment, with an episode cap (see :func:`episode_cap`).

    Errors from Gymnasium (unknown id, missing package, bad keyword) become one-line
    ConfigErrors.
    """
    gym = _gym()
    check_env_id(env_id)
    kwargs = dict(env_kwargs or {})
    try:
        return gym.make(
            env_id,
            max_episode_steps=episode_cap(env_id, max_episode_steps),
            render_mode=render_mode,
            disable_env_checker=True,
            **kwargs,
        )
    except Exception as exc:  # noqa: BLE001 - Gymnasium raises many kinds; all become one line
        raise _creation_error(env_id, exc) from None


def has_vector_version(env_id: str) -> bool:
    """Whether Gymnasium has a NumPy-vectorized implementation of ``env_id`` (CartPole does)."""
    return _gym().spec(check_env_id(env_id)).vector_entry_point is not None


def make_vector_env(
    env_id: str,
    num_envs: int,
    *,
    env_kwargs: Mapping[str, Any] | None = None,
    max_episode_steps: int | None = None,
):
    """``num_envs`` copies stepped together (Gymnasium's own NumPy-vectorized
    version where it has one, e.g. CartPole; else a synchronous vector env).

    Finished copies reset on the *next* step (Gymnasium's default
    ``AutoresetMode.NEXT_STEP``): that step's action is ignored and its reward is
    0, so learners must skip it (see :class:`VectorStepper`).
    """
    gym = _gym()
    check_env_id(env_id)
    kwargs = dict(env_kwargs or {})
    cap = episode_cap(env_id, max_episode_steps)
    spec = gym.spec(env_id)
    try:
        if spec.vector_entry_point is not None:
            try:
                return gym.make_vec(env_id, num_envs=num_envs, max_episode_steps=cap, **kwargs)
            except TypeError:  # a vector entry point that takes no such keyword: fall back to copies
                pass
        return gym.make_vec(
            env_id, num_envs=num_envs, vectorization_mode="sync",
            max_episode_steps=cap, disable_env_checker=True, **kwargs,
        )
    except Exception as exc:  # noqa: BLE001
        raise _creation_error(env_id, exc) from None


# -- spaces ----------------------------------------------------------------------


@dataclass(frozen=True)
class SpaceInfo:
    """What an agent needs to know about an environment's spaces.

    ``n_states`` is set for discrete (or tuple-of-discrete) observations, which a
    table can index; ``obs_dim`` is the length of the vector a network reads
    (discrete observations are one-hot encoded); ``n_actions`` is the number of
    discrete actions (None for continuous actions).
    """

    env_id: str
    observation: str
    action: str
    obs_dim: int
    n_states: int | None
    n_actions: int | None
    state_sizes: tuple[int, ...] = ()

    @property
    def discrete_states(self) -> bool:
        return self.n_states is not None


def describe_spaces(observation_space, action_space, env_id: str = "") -> SpaceInfo:
    """Read the two spaces into a :class:`SpaceInfo`."""
    from gymnasium import spaces  # start-up time, as in _gym

    state_sizes: tuple[int, ...] = ()
    if isinstance(observation_space, spaces.Discrete):
        state_sizes = (int(observation_space.n),)
    elif isinstance(observation_space, spaces.MultiDiscrete) and observation_space.nvec.ndim == 1:
        state_sizes = tuple(int(n) for n in observation_space.nvec)
    elif isinstance(observation_space, spaces.Tuple) and all(
        isinstance(s, spaces.Discrete) for s in observation_space.spaces
    ):
        state_sizes = tuple(int(s.n) for s in observation_space.spaces)
    if state_sizes:
        n_states = int(np.prod(state_sizes))
        obs_dim = int(sum(state_sizes))
    elif isinstance(observation_space, spaces.Box):
        n_states, obs_dim = None, int(np.prod(observation_space.shape))
    else:
        n_states, obs_dim = None, 0
    n_actions = int(action_space.n) if isinstance(action_space, spaces.Discrete) else None
    return SpaceInfo(
        env_id=env_id,
        observation=str(observation_space),
        action=str(action_space),
        obs_dim=obs_dim,
        n_states=n_states,
        n_actions=n_actions,
        state_sizes=state_sizes,
    )


#: SpaceInfo already read, by environment id and options: reading one makes an environment.
_SPACES: dict[str, SpaceInfo] = {}


def env_spaces(env_id: str, *, env_kwargs: Mapping[str, Any] | None = None) -> SpaceInfo:
    """The :class:`SpaceInfo` of a registered environment. The first call for an id and its
    options makes and closes one copy; later calls (choosing the agent, building it,
    loading a saved one) reuse what it read."""
    key = json.dumps([env_id, sorted((env_kwargs or {}).items())], default=str)
    if key not in _SPACES:
        env = make_env(env_id, env_kwargs=env_kwargs)
        try:
            _SPACES[key] = describe_spaces(env.observation_space, env.action_space, env_id)
        finally:
            env.close()
    return _SPACES[key]


def encode_observations(obs: Any, info: SpaceInfo) -> np.ndarray:
    """A batch of observations as float32 rows a network reads: Box observations
    flattened, discrete ones one-hot encoded (tuples of discrete values as
    concatenated one-hots)."""
    if not info.state_sizes:
        array = np.asarray(obs, dtype=np.float32)
        return array.reshape(-1, info.obs_dim)
    index = state_index_columns(obs, info)
    out = np.zeros((index.shape[0], info.obs_dim), dtype=np.float32)
    offset = 0
    rows = np.arange(index.shape[0])
    for column, size in enumerate(info.state_sizes):
        out[rows, offset + index[:, column]] = 1.0
        offset += size
    return out


def state_index_columns(obs: Any, info: SpaceInfo) -> np.ndarray:
    """Discrete observations as an int array of shape (batch, parts)."""
    if isinstance(obs, tuple):  # a vector env's tuple observation: one array per part
        return np.stack([np.asarray(part, dtype=np.int64).reshape(-1) for part in obs], axis=1)
    array = np.asarray(obs, dtype=np.int64)
    return array.reshape(-1, len(info.state_sizes))


def state_index(obs: Any, info: SpaceInfo) -> int:
    """One discrete observation (an int or a tuple of ints) as a row of the Q-table."""
    if len(info.state_sizes) == 1:
        return int(obs)
    return int(np.ravel_multi_index(tuple(int(x) for x in obs), info.state_sizes))


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


class VectorStepper:
    """Steps a vector environment; ``observations`` holds the current states, encoded for a network.

    Gymnasium's vector environments reset a finished copy on the *next* call to
    ``step`` (``AutoresetMode.NEXT_STEP``): that call ignores the copy's action and
    returns its first observation with reward 0. Such a step is not experience,
    so it is marked ``valid = False``; learners store and count only valid steps.
    The stepper also sums the episode returns.
    """

    def __init__(self, env: Any, info: SpaceInfo, *, seed: int) -> None:
        self.env = env
        self.info = info
        self.num_envs = int(env.num_envs)
        raw, _ = env.reset(seed=seed)
        self.observations = encode_observations(raw, info)
        self._after_done = np.zeros(self.num_envs, dtype=bool)
        self._returns = np.zeros(self.num_envs, dtype=np.float64)

    def step(self, actions: np.ndarray) -> VectorStep:
        raw, rewards, terminated, truncated, _ = self.env.step(actions)
        next_observations = encode_observations(raw, self.info)
        rewards = np.asarray(rewards, dtype=np.float32)
        terminated = np.asarray(terminated, dtype=bool)
        truncated = np.asarray(truncated, dtype=bool)
        valid = ~self._after_done
        done = (terminated | truncated) & valid
        self._returns[valid] += rewards[valid]
        finished = self._returns[done].tolist()
        self._returns[done] = 0.0
        step = VectorStep(
            self.observations, actions, rewards, next_observations, terminated, truncated, valid, finished
        )
        self._after_done = done
        self.observations = next_observations
        return step

    def close(self) -> None:
        self.env.close()
