"""The local backend: runs in this process, or in a pool of processes on this machine.

With one job, every task runs here, one after the other, with progress bars on
a terminal. With more, a :class:`concurrent.futures.ProcessPoolExecutor` with the
``spawn`` start method (portable, and safe with PyTorch's threads) runs ``jobs``
tasks at a time, and the machine's cores are shared out between them: each run
keeps to ``cores // jobs`` threads (:mod:`~paradigms.execution.threads`), so two
runs on two cores do not fight over them.

>>> default_jobs(3) <= 3 and default_jobs(100) == max(1, min(100, os.cpu_count() or 1))
True
>>> LocalBackend(jobs=0)
Traceback (most recent call last):
...
paradigms.errors.ConfigError: --jobs 0: give at least 1
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from ..errors import ConfigError
from ..progress import Progress
from .tasks import Failure, Outcome, RunTask, TaskDone, pickled_spec, run_task
from .threads import share_of_cores


def default_jobs(seeds: int) -> int:
    """``min(seeds, cpu count)``: one process per seed, no more than the machine has cores."""
    return max(1, min(int(seeds), os.cpu_count() or 1))


class LocalBackend:
    """Run tasks here (``jobs=1``) or in ``jobs`` local processes."""

    name = "local"

    def __init__(self, jobs: int = 1) -> None:
        if int(jobs) < 1:
            raise ConfigError(f"--jobs {jobs}: give at least 1")
        self.jobs = int(jobs)

    def describe(self, runs: int) -> str:
        """Where ``runs`` runs will go, in words for the command line."""
        return "here" if min(self.jobs, runs) <= 1 else f"in {min(self.jobs, runs)} processes"

    def run(self, tasks: Sequence[RunTask], *, progress: Progress | bool | None = None,
            on_done: TaskDone | None = None) -> list[Outcome]:
        """Every task's outcome, in the order of ``tasks``, calling ``on_done`` as each arrives."""
        if min(self.jobs, len(tasks)) <= 1:
            return _run_here(tasks, progress, on_done)
        return _run_in_processes(tasks, min(self.jobs, len(tasks)), on_done)


def _run_here(tasks: Sequence[RunTask], progress: Progress | bool | None, on_done: TaskDone | None) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for task in tasks:
        outcome = run_task(task, progress=progress)
        outcomes.append(outcome)
        if on_done is not None:
            on_done(task, outcome)
    return outcomes


def _run_in_processes(tasks: Sequence[RunTask], jobs: int, on_done: TaskDone | None) -> list[Outcome]:
    """The tasks in ``jobs`` spawned processes, each run held to its share of the cores."""
    threads = share_of_cores(jobs)
    specs = {name: pickled_spec(name) for name in dict.fromkeys(task.name for task in tasks)}
    context = multiprocessing.get_context("spawn")
    outcomes: dict[int, Outcome] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_child) as pool:
        futures = {
            pool.submit(run_task, task if task.threads else dataclasses.replace(task, threads=threads),
                        specs[task.name]): index
            for index, task in enumerate(tasks)
        }
        for future in as_completed(futures):
            index = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. a child killed for memory
                outcome = Failure.of(tasks[index], exc)
            outcomes[index] = outcome
            if on_done is not None:
                on_done(tasks[index], outcome)
    return [outcomes[index] for index in range(len(tasks))]


def _init_child() -> None:
    """A spawned process draws no figures on screen."""
    os.environ.setdefault("MPLBACKEND", "Agg")
