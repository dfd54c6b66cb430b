"""An environment's spaces as an agent sees them: what it observes, how it acts, and how to encode both.

Gymnasium describes what an agent observes and what it may do as *spaces*:
``Discrete(16)`` (one of 16 states or actions), ``Box(-2, 2, (1,))`` (a vector of
real numbers within bounds), and composites (``Tuple``, ``Dict``,
``MultiDiscrete``). :class:`SpaceInfo` reads the two spaces of an environment
into what the agents need to know:

* states: discrete (a table can have one row per state) or a vector a network
  reads (discrete states one-hot encoded); images and dictionaries are named
  as such, because no agent here reads them;
* actions: ``"discrete"`` (``Discrete(n)``), ``"continuous"`` (a 1-D ``Box``, with
  its bounds) or ``"other"`` (every other kind, which no agent here acts in).

The continuous agents think in actions between -1 and 1 (a tanh squashes them
there); :func:`to_env_actions` scales them to the environment's bounds.

>>> from gymnasium import spaces
>>> info = describe_spaces(spaces.Box(-1, 1, (3,)), spaces.Box(-2, 2, (1,)), "Pendulum-v1")
>>> info.action_kind, info.action_dim, info.action_low, info.action_high
('continuous', 1, (-2.0,), (2.0,))
>>> to_env_actions(np.array([[-1.0], [0.5]], dtype=np.float32), info).tolist()
[[-2.0], [1.0]]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np


@dataclass(frozen=True)
class SpaceInfo:
    """What an agent needs to know about an environment's spaces.

    ``n_states`` is set for discrete (or tuple-of-discrete) observations, which a
    table can index; ``obs_dim`` is the length of the vector a network reads
    (discrete observations are one-hot encoded; 0 when the observations cannot be
    read as one vector); ``n_actions`` is the number of discrete actions (None
    otherwise). For Box actions, ``action_low`` and ``action_high`` hold the bounds
    of each of the ``action_dim`` numbers of an action. ``observation_problem`` says
    why no vector agent can read the observations ("" when one can).
    """

    env_id: str
    observation: str
    action: str
    obs_dim: int
    n_states: int | None
    n_actions: int | None
    state_sizes: tuple[int, ...] = ()
    action_kind: str = "discrete"
    action_low: tuple[float, ...] = ()
    action_high: tuple[float, ...] = ()
    observation_problem: str = ""

    @cached_property
    def action_scale(self) -> tuple[np.ndarray, np.ndarray]:
        """The Box's lower bounds and widths as float32 arrays, made once (every step scales actions)."""
        low = np.asarray(self.action_low, dtype=np.float32)
        return low, np.asarray(self.action_high, dtype=np.float32) - low

    @property
    def discrete_states(self) -> bool:
        return self.n_states is not None

    @property
    def action_dim(self) -> int:
        """Numbers per action: 1 for discrete actions (one index), the Box's size otherwise."""
        return len(self.action_low) if self.action_kind == "continuous" else 1

    @property
    def finite_action_bounds(self) -> bool:
        return bool(np.all(np.isfinite(self.action_low)) and np.all(np.isfinite(self.action_high)))


def _is_image(space: Any) -> bool:
    """Pixels: a Box of bytes with two or three axes (height, width, colour channels)."""
    return space.dtype == np.uint8 and len(space.shape) in (2, 3)


def describe_spaces(observation_space: Any, action_space: Any, env_id: str = "") -> SpaceInfo:
    """Read the two spaces into a :class:`SpaceInfo`."""
    from gymnasium import spaces  # start-up time: listing the paradigms must not load Gymnasium

    state_sizes: tuple[int, ...] = ()
    problem = ""
    if isinstance(observation_space, spaces.Discrete):
        state_sizes = (int(observation_space.n),)
    elif isinstance(observation_space, spaces.MultiDiscrete) and observation_space.nvec.ndim == 1:
        state_sizes = tuple(int(n) for n in observation_space.nvec)
    elif isinstance(observation_space, spaces.Tuple) and all(
        isinstance(s, spaces.Discrete) for s in observation_space.spaces
    ):
        state_sizes = tuple(int(s.n) for s in observation_space.spaces if isinstance(s, spaces.Discrete))
    if state_sizes:
        n_states, obs_dim = int(np.prod(state_sizes)), int(sum(state_sizes))
    elif isinstance(observation_space, spaces.Box) and _is_image(observation_space):
        n_states, obs_dim = None, 0
        problem = f"images of shape {tuple(observation_space.shape)}"
    elif isinstance(observation_space, spaces.Box):
        n_states, obs_dim = None, int(np.prod(observation_space.shape))
    else:
        n_states, obs_dim = None, 0
        problem = f"{type(observation_space).__name__} observations, which cannot be flattened into one vector"
    low: tuple[float, ...]
    high: tuple[float, ...]
    n_actions, kind, low, high = None, "other", (), ()
    if isinstance(action_space, spaces.Discrete):
        n_actions, kind = int(action_space.n), "discrete"
    elif isinstance(action_space, spaces.Box) and len(action_space.shape) == 1:
        kind = "continuous"
        low = tuple(float(x) for x in np.asarray(action_space.low, dtype=np.float64))
        high = tuple(float(x) for x in np.asarray(action_space.high, dtype=np.float64))
    return SpaceInfo(
        env_id=env_id,
        observation=str(observation_space),
        action=str(action_space),
        obs_dim=obs_dim,
        n_states=n_states,
        n_actions=n_actions,
        state_sizes=state_sizes,
        action_kind=kind,
        action_low=low,
        action_high=high,
        observation_problem=problem,
    )


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


def to_env_actions(squashed: np.ndarray, info: SpaceInfo) -> np.ndarray:
    """Actions between -1 and 1 (one row per action) scaled to the Box's bounds."""
    low, span = info.action_scale
    return (low + (np.clip(squashed, -1.0, 1.0) + 1.0) * 0.5 * span).astype(np.float32)
