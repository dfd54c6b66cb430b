"""Saving and loading agents: settings as JSON, weights as NumPy arrays, nothing pickled, nothing trusted.

A saved agent is a folder with two files:

* ``agent.json``: which agent, its constructor arguments (environment id
  included), the spaces it was made for and how much it has trained;
* ``weights.npz``: its learnt numbers (a Q-table, or the networks' weights as
  one flat vector each; PPO's observation statistics when it normalises), read
  back with ``allow_pickle=False``.

Loading never unpickles anything, so a saved agent from an untrusted source
cannot run code; it can only fail to load, with a one-line message that names
the file (and the field or array). Before anything large is allocated, every
size a file claims is checked against what the rest allows:

* ``agent.json`` is at most :data:`MAX_META_BYTES` and its settings pass the
  agent's settings dataclass (ranges and upper bounds included);
* the networks those settings describe need at least as many numbers as the
  weights file holds (a tiny file cannot make us build a huge network);
* each array in ``weights.npz`` is expected by the agent, by name; its zip
  entry may not expand beyond the array's own size (or beyond what deflate can
  physically reach, :data:`MAX_DEFLATE_RATIO`), and its ``.npy`` header must
  claim the expected shape and a plain numeric type, all before its data is read;
* the numbers read must be finite (no NaN or infinite weight or Q-value).

This module holds the format; which class reads a folder is the agent
registry's business (``paradigms.reinforcement.load_agent``, or ``QLearningAgent.load``).

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
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

from ..errors import ConfigError, DataError
from ..evaluation import to_jsonable, write_atomic
from ..outputs import check_input_file, read_saved_header
from ..untrusted import MAX_DEFLATE_RATIO

FORMAT = "learning-paradigms/agent"
VERSION = 1
META_FILE = "agent.json"
WEIGHTS_FILE = "weights.npz"

#: ``agent.json`` is a few kilobytes; a larger one is refused before it is read.
MAX_META_BYTES = 1_000_000
#: Room for an array's ``.npy`` header beside its data (NumPy writes a few hundred bytes).
NPY_HEADER_BYTES = 65_536
#: Most training steps or episodes a saved agent may claim.
MAX_TRAINED = 10**12

_READ_ERRORS = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError,
                RuntimeError, OverflowError)


class Saveable(Protocol):
    """What an agent offers to be saved (``agents.base.Agent`` does)."""

    spaces_: Any
    steps_done_: int
    episodes_done_: int

    # read only: class attributes of an agent
    @property
    def name(self) -> str: ...

    @property
    def settings_class(self) -> Any: ...

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
    np.savez(buffer, **{name: np.asarray(array) for name, array in agent._weights().items()})  # type: ignore[arg-type]  # mypy: a **dict might hold allow_pickle; weight names never do
    write_atomic(folder / WEIGHTS_FILE, buffer.getvalue())
    write_atomic(folder / META_FILE, json.dumps(meta, indent=2, allow_nan=False))
    return folder


def read_meta(path: str | Path) -> tuple[Path, dict[str, Any]]:
    """The folder of a saved agent and its ``agent.json``, checked to be of this format."""
    folder = Path(path)
    if folder.name == META_FILE:
        folder = folder.parent
    meta_path, weights_path = folder / META_FILE, folder / WEIGHTS_FILE
    if not folder.is_dir() or not (meta_path.exists() or weights_path.exists()):
        raise ConfigError(
            f"{folder}: no saved agent here (expected {META_FILE} and {WEIGHTS_FILE}; write one with agent.save(folder))"
        )
    check_input_file(meta_path, what="saved agent's settings file")
    check_input_file(weights_path, what="saved agent's weights file")
    meta = read_saved_header(meta_path, file_format=FORMAT, version=VERSION, what="agent", max_bytes=MAX_META_BYTES)
    for field, kind in (("params", dict), ("trained", dict), ("agent", str)):
        if not isinstance(meta.get(field), kind):
            raise DataError(f"{meta_path}: field {field!r} must be a JSON {'object' if kind is dict else 'string'}")
    return folder, meta


AgentType = TypeVar("AgentType", bound=Saveable)


#: A saved agent's parameters that say where it learns and from which seed, not how (its settings).
WHERE_PARAMS = ("env", "env_kwargs", "max_episode_steps", "seed")


def restore(cls: type[AgentType], path: str | Path) -> AgentType:
    """Rebuild the agent saved in folder ``path`` as a ``cls`` (which must be the class it was saved from)."""
    folder, meta = read_meta(path)
    meta_path, weights_path = folder / META_FILE, folder / WEIGHTS_FILE
    if meta.get("agent") != cls.name:
        raise ConfigError(
            f"{folder}: holds a {meta.get('agent')} agent, not a {cls.name} one "
            "(paradigms.reinforcement.load_agent reads any agent)"
        )
    params: dict[str, Any] = dict(meta["params"])
    steps, episodes = (_trained_count(meta_path, meta["trained"], key) for key in ("steps", "episodes"))
    members = _members(weights_path)
    try:
        agent_class: Any = cls  # an Agent class (agents.base imports this module, not the other way)
        where = {name: params.pop(name) for name in WHERE_PARAMS if name in params}  # the environment, the seed
        settings = agent_class.parameters.to_settings(params)  # validated once (an unknown name refused) ...
        _check_network_fits_file(settings, sum(info.file_size for info in members.values()))
        agent = agent_class.from_settings(settings=settings, **where)  # ... and built from, not validated again
    except (TypeError, ConfigError) as exc:
        raise DataError(f"{meta_path}: settings do not fit {cls.__name__} ({exc})") from None
    try:
        weights = _read_weights(weights_path, members, agent._weights())
        agent._set_weights(weights)
    except _READ_ERRORS as exc:
        raise DataError(f"{weights_path}: cannot be read as {cls.__name__} weights ({exc})") from None
    agent.steps_done_, agent.episodes_done_ = steps, episodes
    return agent


def _trained_count(meta_path: Path, trained: dict[str, Any], key: str) -> int:
    value = trained.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TRAINED:
        raise DataError(f"{meta_path}: trained.{key} = {value!r} must be a whole number from 0 to {MAX_TRAINED}")
    return value


def _check_network_fits_file(settings: Any, stored_bytes: int) -> None:
    """Refuse settings whose networks need more numbers than the weights file holds, before
    building them (a 1 kB file must not make us allocate gigabytes)."""
    hidden = getattr(settings, "hidden", ())
    needed = 4 * sum(a * b for a, b in zip(hidden, hidden[1:], strict=False))  # float32 weights between layers
    if needed > stored_bytes:
        raise ConfigError(
            f"hidden = {','.join(map(str, hidden))} needs at least {needed} bytes of weights, "
            f"but {WEIGHTS_FILE} holds {stored_bytes}"
        )


def _members(weights_path: Path) -> dict[str, zipfile.ZipInfo]:
    """The arrays of a weights file by name, from the zip's directory (no data read yet), each
    checked to claim no more than deflate could expand it to."""
    try:
        with zipfile.ZipFile(weights_path) as archive:
            infos = archive.infolist()
    except _READ_ERRORS as exc:
        raise DataError(f"{weights_path}: not a NumPy .npz archive ({exc})") from None
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename.removesuffix(".npy")
        if name == info.filename or name in members:
            raise DataError(f"{weights_path}: entry {info.filename!r} is not one array of a NumPy .npz archive")
        limit = info.compress_size if info.compress_type == zipfile.ZIP_STORED else (
            MAX_DEFLATE_RATIO * info.compress_size + NPY_HEADER_BYTES
        )
        if info.file_size > limit:
            raise DataError(
                f"{weights_path}: array {name!r} claims to expand to {info.file_size} bytes from "
                f"{info.compress_size}, more than any real archive can; refused"
            )
        members[name] = info
    return members


def _read_weights(
    weights_path: Path, members: dict[str, zipfile.ZipInfo], expected: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Read the arrays ``expected`` names (their shapes and types), checking each entry's size and
    ``.npy`` header before its data, and each value after: only finite numbers."""
    missing, extra = sorted(set(expected) - set(members)), sorted(set(members) - set(expected))
    if missing or extra:
        raise ValueError(
            f"arrays {', '.join(map(repr, missing or extra))} "
            + ("missing" if missing else "not expected by this agent")
        )
    weights = {}
    with zipfile.ZipFile(weights_path) as archive:
        for name, want in expected.items():
            info = members[name]
            want = np.asarray(want)
            if info.file_size > want.nbytes + NPY_HEADER_BYTES:
                raise ValueError(f"array {name!r} expands to {info.file_size} bytes; this agent's takes {want.nbytes}")
            with archive.open(info) as stream:
                version = np.lib.format.read_magic(stream)
                read_header = (
                    np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
                )
                shape, _, dtype = read_header(stream)
            if shape != want.shape or dtype.kind not in "fiu":
                raise ValueError(f"array {name!r} has shape {shape} and type {dtype}, expected {want.shape} numbers")
            with archive.open(info) as stream:
                array = np.lib.format.read_array(stream, allow_pickle=False)
            if not np.isfinite(array).all():
                raise ValueError(f"array {name!r} holds NaN or infinite values")
            weights[name] = array
    return weights
