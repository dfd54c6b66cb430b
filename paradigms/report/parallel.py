"""Run several paradigms over several seeds, in parallel processes.

A comparison over seeds is embarrassingly parallel: every (paradigm, seed) run
is independent. :func:`run_many` runs them in a
:class:`concurrent.futures.ProcessPoolExecutor` with the ``spawn`` start
method (portable, and safe with PyTorch's threads), or in this process when
only one job is asked for. Each child process imports the registry afresh,
so the built-in paradigms register themselves there; a paradigm registered
by hand (a test's, a user's) is sent to the child pickled by reference.

A run that raises does not stop the others: it comes back as a
:class:`~paradigms.report.comparison.Failure` with its traceback.

>>> from paradigms.report.parallel import run_many  # doctest: +SKIP
>>> evaluations, failures = run_many(["supervised"], seeds=[0, 1, 2], jobs=3, quick=True)  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .. import registry
from ..errors import ConfigError
from ..evaluation import Evaluation
from ..progress import Progress
from ..settings import Settings
from .comparison import Failure

Outcome = Evaluation | Failure


@dataclass(frozen=True)
class RunTask:
    """One run: a paradigm, its settings and a seed."""

    name: str
    settings: Settings
    seed: int


def default_jobs(seeds: int) -> int:
    """``min(seeds, cpu count)``: one process per seed, no more than the machine has cores."""
    return max(1, min(int(seeds), os.cpu_count() or 1))


def run_many(
    names: Sequence[str],
    settings: Mapping[str, Settings] | None = None,
    seeds: Sequence[int] = (0,),
    *,
    jobs: int | None = None,
    quick: bool = False,
    progress: Progress | bool | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> tuple[list[Evaluation], list[Failure]]:
    """Run every paradigm in ``names`` once per seed; return (evaluations, failures).

    ``settings`` maps a name to its settings object (defaults, or the
    ``--quick`` values, where missing). ``jobs`` is the number of processes
    (default :func:`default_jobs`); with one job everything runs here, with
    progress bars. ``on_done`` is called with each result as it arrives.
    Both lists come back ordered by paradigm (as in ``names``), then seed.
    """
    seeds = list(dict.fromkeys(int(s) for s in seeds))
    if not seeds:
        raise ConfigError("give at least one seed")
    settings = dict(settings or {})
    tasks = []
    for name in names:
        spec = registry.get(name)
        chosen = settings.get(name) or spec.settings.from_overrides({}, quick=quick)
        tasks.extend(RunTask(spec.name, _per_seed(chosen, seed, len(seeds)), seed) for seed in seeds)
    jobs = default_jobs(len(seeds)) if jobs is None else int(jobs)
    if jobs < 1:
        raise ConfigError(f"--jobs {jobs}: give at least 1")
    jobs = min(jobs, len(tasks)) if tasks else 1
    if jobs == 1:
        outcomes = _run_here(tasks, progress, on_done)
    else:
        outcomes = _run_in_processes(tasks, jobs, on_done)
    order = {name: index for index, name in enumerate(names)}

    def key(outcome: Outcome) -> tuple[int, int]:
        return order.get(outcome.paradigm, len(order)), outcome.seed

    evaluations = sorted((o for o in outcomes if isinstance(o, Evaluation)), key=key)
    failures = sorted((o for o in outcomes if isinstance(o, Failure)), key=key)
    return evaluations, failures


def _per_seed(settings: Settings, seed: int, seeds: int) -> Settings:
    """With several seeds, a paradigm's ``output_dir`` (files it writes besides its
    Evaluation) becomes one sub-folder per seed, so parallel runs never share a file."""
    folder = getattr(settings, "output_dir", None)
    if seeds == 1 or folder is None or not dataclasses.is_dataclass(settings):
        return settings
    return dataclasses.replace(settings, output_dir=Path(folder) / f"seed{seed}")


def _failure(task: RunTask, exc: BaseException) -> Failure:
    return Failure(
        paradigm=task.name,
        seed=task.seed,
        error=f"{type(exc).__name__}: {exc}",
        traceback="".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    )


def _run_here(
    tasks: Sequence[RunTask], progress: Progress | bool | None, on_done: Callable[[Outcome], None] | None
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for task in tasks:
        try:
            outcome: Outcome = registry.run(task.name, task.settings, seed=task.seed, progress=progress)
        except Exception as exc:  # noqa: BLE001 - one failed run must not lose the others
            outcome = _failure(task, exc)
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
    return outcomes


def _pickled_spec(name: str) -> bytes | None:
    """The spec pickled by reference, for a child that would not find it by importing
    the built-ins; ``None`` where it cannot be pickled (a lambda)."""
    try:
        return pickle.dumps(registry.get(name))
    except Exception:  # noqa: BLE001 - the child then relies on its own registry
        return None


def _run_in_processes(
    tasks: Sequence[RunTask], jobs: int, on_done: Callable[[Outcome], None] | None
) -> list[Outcome]:
    threads = max(1, (os.cpu_count() or 1) // jobs)
    specs = {name: _pickled_spec(name) for name in dict.fromkeys(task.name for task in tasks)}
    context = multiprocessing.get_context("spawn")
    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_child, initargs=(threads,)) as pool:
        futures = {pool.submit(_run_in_child, task, specs[task.name]): task for task in tasks}
        for future in as_completed(futures):
            task = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. a child killed for memory
                outcome = _failure(task, exc)
            outcomes.append(outcome)
            if on_done is not None:
                on_done(outcome)
    return outcomes


def _init_child(threads: int) -> None:
    """Share the cores between the processes instead of each taking them all."""
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[variable] = str(threads)
    if "torch" in sys.modules:  # pragma: no cover - torch is imported later as a rule
        sys.modules["torch"].set_num_threads(threads)
    os.environ.setdefault("MPLBACKEND", "Agg")


def _run_in_child(task: RunTask, spec_bytes: bytes | None) -> Outcome:
    """Runs in a child process: find (or register) the paradigm, run it, never raise."""
    try:
        try:
            registry.get(task.name)  # imports the built-ins, which register themselves
        except ConfigError:
            if spec_bytes is None:
                raise
            registry.register(pickle.loads(spec_bytes), replace=True)
        return registry.run(task.name, task.settings, seed=task.seed, progress=False)
    except Exception as exc:  # noqa: BLE001 - comes back as a Failure
        return _failure(task, exc)
