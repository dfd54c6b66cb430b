"""One run as a task: what to run, how it ends, and the one function every backend calls.

A comparison or a sweep is a list of :class:`RunTask` (a paradigm's name, its
settings, a seed). Each is independent of the others, so a backend may run them
anywhere: here, in a pool of local processes, on a Ray cluster. Whatever the
backend, a task is run by :func:`run_task`, which never raises: it returns the
run's :class:`~paradigms.evaluation.Evaluation`, or a :class:`Failure` with the
error and its traceback, so one failed run never loses the others.

Paradigms are found by name in the registry. A process that does not share this
one's registry (a spawned child, a Ray worker) finds the built-in paradigms by
importing them; one registered by hand here (a test's, a user's) travels with the
task as its spec pickled by reference (:func:`pickled_spec`).
"""

from __future__ import annotations

import dataclasses
import pickle
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Union

from .. import registry
from ..errors import ConfigError
from ..evaluation import Evaluation
from ..progress import Progress
from ..settings import Settings
from ..tracking import Tracking
from .threads import limited_threads


@dataclass(frozen=True)
class RunTask:
    """One run: a paradigm (by name), its settings and a seed.

    ``threads`` caps the CPU threads the run's native libraries use (``None``: no
    cap); a backend that runs several tasks on shared cores sets it
    (:mod:`~paradigms.execution.threads`). ``tracking`` (plain data, so it travels to
    a worker or a Ray node) is where the run logs its curves while it learns: it
    writes its own TensorBoard folder, and its MLflow run nested under the parent
    run whose id it carries.
    """

    name: str
    settings: Settings
    seed: int
    threads: int | None = None
    tracking: Tracking | None = None


@dataclass(frozen=True)
class Failure:
    """A run that raised: which paradigm and seed, the error, and its traceback."""

    paradigm: str
    seed: int
    error: str
    traceback: str = ""

    @classmethod
    def of(cls, task: RunTask, exc: BaseException) -> Failure:
        """The failure record of ``task``, which raised ``exc``."""
        return cls(
            paradigm=task.name,
            seed=task.seed,
            error=f"{type(exc).__name__}: {exc}",
            traceback="".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Failure:
        """From its JSON form (``dataclasses.asdict``), as ``results.json`` stores it."""
        return cls(
            paradigm=str(data.get("paradigm", "?")),
            seed=int(data.get("seed", 0)),
            error=str(data.get("error", "")),
            traceback=str(data.get("traceback", "")),
        )


#: What a task comes back as.
Outcome = Union[Evaluation, Failure]  # noqa: UP007 - a runtime alias
#: Called with each result as it arrives (``run_many``'s ``on_done``).
OnDone = Callable[[Outcome], None]
#: Called by a backend with each task and its result as it arrives.
TaskDone = Callable[[RunTask, Outcome], None]


class Backend(Protocol):
    """Where tasks run. :func:`~paradigms.execution.run_tasks` hands a backend every
    task at once; it returns one outcome per task, in the order of ``tasks``, and
    calls ``on_done(task, outcome)`` as each arrives (in any order), so results are
    saved while others still run. ``progress`` is for backends that run in this
    process (bars on a terminal)."""

    name: str

    def run(self, tasks: Sequence[RunTask], *, progress: Progress | bool | None,
            on_done: TaskDone | None) -> list[Outcome]:
        ...

    def describe(self, runs: int) -> str:
        """Where ``runs`` runs will go, in words for the command line."""
        ...


def run_task(task: RunTask, spec_bytes: bytes | None = None, progress: Progress | bool | None = False) -> Outcome:
    """Run one task and never raise: its Evaluation, or its :class:`Failure`.

    ``spec_bytes`` (from :func:`pickled_spec`) registers the paradigm where this
    process does not know it by name.
    """
    try:
        try:
            registry.get(task.name)  # imports the built-ins, which register themselves
        except ConfigError:
            if spec_bytes is None:
                raise
            registry.register(pickle.loads(spec_bytes), replace=True)
        with limited_threads(task.threads):
            return registry.run(task.name, task.settings, seed=task.seed, progress=progress, tracking=task.tracking)
    except Exception as exc:  # noqa: BLE001 - one failed run must not lose the others
        return Failure.of(task, exc)


def pickled_spec(name: str) -> bytes | None:
    """Paradigm ``name``'s spec pickled by reference, for a process that would not
    find it by importing the built-ins; ``None`` where it cannot be pickled (a lambda)."""
    try:
        return pickle.dumps(registry.get(name))
    except Exception:  # noqa: BLE001 - the other process then relies on its own registry
        return None


def per_seed(settings: Settings, seed: int, seeds: int) -> Settings:
    """With several seeds, a paradigm's ``output_dir`` (files it writes besides its
    Evaluation) becomes one sub-folder per seed, so parallel runs never share a file."""
    folder = getattr(settings, "output_dir", None)
    if seeds == 1 or folder is None or not dataclasses.is_dataclass(settings):
        return settings
    return dataclasses.replace(settings, output_dir=Path(folder) / f"seed{seed}")  # type: ignore[call-arg]  # output_dir: a field of this paradigm's settings (checked above), not of the base class


def seed_list(seeds: int | Sequence[int], seed: int = 0) -> tuple[int, ...]:
    """``3`` -> seeds ``seed .. seed+2``; a sequence is kept (repeats dropped)."""
    if isinstance(seeds, int):
        if seeds < 1:
            raise ConfigError(f"--seeds {seeds}: give at least 1")
        return tuple(range(int(seed), int(seed) + seeds))
    chosen = tuple(dict.fromkeys(int(s) for s in seeds))
    if not chosen:
        raise ConfigError("give at least one seed")
    return chosen
