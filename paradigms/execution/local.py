"""The local backend: runs in this process, or in a pool of processes on this machine.

With one job, every task runs here, one after the other, with progress bars on
a terminal. With more, a :class:`concurrent.futures.ProcessPoolExecutor` with the
``spawn`` start method (portable, and safe with PyTorch's threads) runs ``jobs``
tasks at a time, and the machine's cores are shared out between them.

>>> default_jobs(3) <= 3 and default_jobs(100) == max(1, min(100, os.cpu_count() or 1))
True
>>> LocalBackend(jobs=0)
Traceback (most recent call last):
...
paradigms.errors.ConfigError: --jobs 0: give at least 1
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from ..errors import ConfigError
from ..progress import Progress
from .tasks import Failure, OnDone, Outcome, RunTask, pickled_spec, run_task


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

    def run(self, tasks: Sequence[RunTask], *, progress: Progress | bool | None = None,
            on_done: OnDone | None = None) -> list[Outcome]:
        """Every task's outcome, calling ``on_done`` with each as it arrives."""
        if min(self.jobs, len(tasks)) <= 1:
            return _run_here(tasks, progress, on_done)
        return _run_in_processes(tasks, min(self.jobs, len(tasks)), on_done)


def _run_here(tasks: Sequence[RunTask], progress: Progress | bool | None, on_done: OnDone | None) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for task in tasks:
        outcome = run_task(task, progress=progress)
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
    return outcomes


def _run_in_processes(tasks: Sequence[RunTask], jobs: int, on_done: OnDone | None) -> list[Outcome]:
    threads = max(1, (os.cpu_count() or 1) // jobs)
    specs = {name: pickled_spec(name) for name in dict.fromkeys(task.name for task in tasks)}
    context = multiprocessing.get_context("spawn")
    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_child, initargs=(threads,)) as pool:
        futures = {pool.submit(run_task, task, specs[task.name]): task for task in tasks}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. a child killed for memory
                outcome = Failure.of(futures[future], exc)
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
