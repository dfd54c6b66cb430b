"""Saving and loading agents: settings as JSON, weights as NumPy arrays, nothing pickled.

A saved agent is a folder with two files:

* ``agent.json``: which agent, its constructor arguments (environment id
  included), the spaces it was made for and how much it has trained;
* ``weights.npz``: its learnt numbers (a Q-table, or the networks' weights as
  one flat vector), read back with ``allow_pickle=False``.

Loading never unpickles anything, so a saved agent from an untrusted source
cannot run code; it can only fail to load, with a one-line message. This module
holds the format; which class reads a folder is the agent registry's business
(``paradigms.reinforcement.load_agent``, or ``QLearningAgent.load``).

>>> from paradigms.reinforcement import QLearningAgent, load_agent
>>> import tempfile
>>> agent = QLearningAgent("FrozenLake-v1", seed=0)
>>> folder = agent.save(tempfile.mkdtemp())
>>> bool((load_agent(folder).q_table_ == agent.q_table_).all())
True
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

from ..errors import ConfigError, DataError
from ..evaluation import to_jsonable, write_atomic

FORMAT = "learning-paradigms/agent"
VERSION = 1
META_FILE = "agent.json"
WEIGHTS_FILE = "weights.npz"


class Saveable(Protocol):
    """What an agent offers to be saved (``agents.base.Agent`` does)."""

    name: str
    spaces_: Any
    steps_done_: int
    episodes_done_: int

    def get_params(self) -> dict[str, Any]: ...

    def _weights(self) -> dict[str, np.ndarray]: ...

    def _set_weights(self, weights: Mapping[str, np.ndarray]) -> None: ...


def save_agent(agent: Saveable, path: str | Path) -> Path:
    """Write ``agent`` to folder ``path`` (created if needed); returns the folder."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder}: exists and is not a folder; save an agent to a folder")
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "agent": agent.name,
        "params": to_jsonable(agent.get_params()),
        "spaces": {"observation": agent.spaces_.observation, "action": agent.spaces_.action},
        "trained": {"steps": agent.steps_done_, "episodes": agent.episodes_done_},
    }
    buffer = io.BytesIO()
    np.savez(buffer, **{name: np.asarray(array) for name, array in agent._weights().items()})
    write_atomic(folder / WEIGHTS_FILE, buffer.getvalue())
    write_atomic(folder / META_FILE, json.dumps(meta, indent=2, allow_nan=False))
    return folder


def read_meta(path: str | Path) -> tuple[Path, dict[str, Any]]:
    """The folder of a saved agent and its ``agent.json``, checked to be of this format."""
    folder = Path(path)
    if folder.name == META_FILE:
        folder = folder.parent
    meta_path, weights_path = folder / META_FILE, folder / WEIGHTS_FILE
    if not meta_path.is_file() or not weights_path.is_file():
        raise ConfigError(
            f"{folder}: no saved agent here (expected {META_FILE} and {WEIGHTS_FILE}; write one with agent.save(folder))"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{meta_path}: not valid JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise DataError(f"{meta_path}: not a saved agent (format should be {FORMAT!r})")
    if meta.get("version") != VERSION:
        raise DataError(f"{meta_path}: saved by format version {meta.get('version')}, this code reads {VERSION}")
    return folder, meta


AgentType = TypeVar("AgentType", bound=Saveable)


def restore(cls: type[AgentType], path: str | Path) -> AgentType:
    """Rebuild the agent saved in folder ``path`` as a ``cls`` (which must be the class it was saved from)."""
    folder, meta = read_meta(path)
    meta_path, weights_path = folder / META_FILE, folder / WEIGHTS_FILE
    if meta.get("agent") != cls.name:
        raise ConfigError(
            f"{folder}: holds a {meta.get('agent')} agent, not a {cls.name} one "
            "(paradigms.reinforcement.load_agent reads any agent)"
        )
    params: dict[str, Any] = dict(meta.get("params") or {})
    try:
        agent = cls(**params)
    except (TypeError, ConfigError) as exc:
        raise DataError(f"{meta_path}: settings do not fit {cls.__name__} ({exc})") from None
    try:
        with np.load(weights_path, allow_pickle=False) as data:
            weights = {name: data[name] for name in data.files}
        agent._set_weights(weights)
    except (OSError, ValueError, KeyError) as exc:
        raise DataError(f"{weights_path}: cannot be read as {cls.__name__} weights ({exc})") from None
    trained = meta.get("trained") or {}
    agent.steps_done_ = int(trained.get("steps", 0))
    agent.episodes_done_ = int(trained.get("episodes", 0))
    return agent
