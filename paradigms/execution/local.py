"""The local backend: runs in this process, or in a pool of processes on this machine.

With one job, every task runs here, one after the other, with progress bars on
a terminal. With more, a :class:`concurrent.futures.ProcessPoolExecutor` runs
``jobs`` tasks at a time, and the machine's cores are shared out between them:
each run keeps to ``cores // jobs`` threads (:mod:`~paradigms.execution.threads`),
so two runs on two cores do not fight over them.

The processes are forked where that is safe (:func:`start_method`): a forked
process starts at once with this one's imports, where a spawned one spends about
a second importing the package again before its first run (measured on the
12-run unsupervised sweep of ``benchmarks/bench_sweep.py``). Where it is not safe,
they are spawned.

The processes are the run's own: each dies with this process (Linux's parent-death
signal, or a watchdog thread elsewhere: :func:`_die_with_parent`), so a sweep killed
by SIGKILL, SIGTERM or ``timeout`` leaves no worker behind, and each ignores
SIGINT: Ctrl-C reaches this process alone, which stops the workers and says
``interrupted`` once, not one traceback per worker.

>>> default_jobs(3) <= 3 and default_jobs(100) == available_cores()
True
>>> LocalBackend(jobs=0)
Traceback (most recent call last):
...
paradigms.errors.ConfigError: --jobs 0: give at least 1
"""

from __future__ import annotations

import ctypes
import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from ..devices import available_cores
from ..errors import ConfigError
from ..progress import Progress
from .tasks import Failure, Outcome, RunTask, TaskDone, pickled_spec, run_task
from .threads import share_of_cores


def default_jobs(runs: int) -> int:
    """``min(runs, cores)``: one process per run, no more than the cores this process may use."""
    return max(1, min(int(runs), available_cores()))


class LocalBackend:
    """Run tasks here (``jobs=1``) or in ``jobs`` local processes; ``jobs=None``: one process
    per task, no more than the cores (:func:`default_jobs`), the command line's default too."""

    name = "local"

    def __init__(self, jobs: int | None = None) -> None:
        if jobs is not None and int(jobs) < 1:
            raise ConfigError(f"--jobs {jobs}: give at least 1")
        self.jobs = None if jobs is None else int(jobs)

    def processes(self, runs: int) -> int:
        """How many processes ``runs`` runs take (1: they run here)."""
        return max(1, min(default_jobs(runs) if self.jobs is None else self.jobs, runs))

    def describe(self, runs: int) -> str:
        """Where ``runs`` runs will go, in words for the command line."""
        count = self.processes(runs)
        return "here" if count <= 1 else f"in {count} processes"

    def run(self, tasks: Sequence[RunTask], *, progress: Progress | bool | None = None,
            on_done: TaskDone | None = None) -> list[Outcome]:
        """Every task's outcome, in the order of ``tasks``, calling ``on_done`` as each arrives."""
        count = self.processes(len(tasks))
        if count <= 1:
            return _run_here(tasks, progress, on_done)
        return _run_in_processes(tasks, count, on_done)


#: Modules whose threads a forked child could inherit mid-work (checked by :func:`start_method`).
FORK_UNSAFE_MODULES = ("torch", "ray")


def start_method() -> str:
    """``"fork"`` where forking this process is safe, ``"spawn"`` otherwise.

    Forking is safe on Linux while no OpenMP runtime, PyTorch or Ray is loaded
    here: a child that inherits an OpenMP (or PyTorch) thread pool in use can hang
    on its first parallel loop, which is why scikit-learn's own pools never fork,
    and Ray's client threads do not survive a fork either.
    The command line loads neither before its runs start (scikit-learn and
    PyTorch load on a run's first use), so its pools fork; a notebook that has
    already trained a model spawns. macOS and Windows always spawn.
    """
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    if any(name in sys.modules for name in FORK_UNSAFE_MODULES):
        return "spawn"
    # threadpoolctl comes with scikit-learn; it lists the native thread pools loaded here
    from threadpoolctl import threadpool_info

    if any(pool.get("user_api") == "openmp" for pool in threadpool_info()):
        return "spawn"
    return "fork"


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
    context = multiprocessing.get_context(start_method())
    outcomes: dict[int, Outcome] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_child,
                             initargs=(os.getpid(),)) as pool, warnings.catch_warnings():
        # Python 3.12+ warns on any fork of a process with threads; here those are
        # OpenBLAS's, which re-create themselves in the child (pthread_atfork)
        warnings.filterwarnings("ignore", message=r".*use of fork\(\) may lead to deadlocks", category=DeprecationWarning)
        futures = {
            pool.submit(run_task, task if task.threads else dataclasses.replace(task, threads=threads),
                        specs[task.name]): index
            for index, task in enumerate(tasks)
        }
        try:
            for future in as_completed(futures):
                index = futures[future]
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - e.g. a child killed for memory
                    outcome = Failure.of(tasks[index], exc)
                outcomes[index] = outcome
                if on_done is not None:
                    on_done(tasks[index], outcome)
        except BaseException:  # Ctrl-C, or on_done failed: the runs in flight stop with us
            _stop_workers(pool)
            raise
    return [outcomes[index] for index in range(len(tasks))]


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel the runs not started and kill those in flight (the pool would wait for them)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()


#: Linux's prctl option that has a signal sent to a process when its parent dies.
_PR_SET_PDEATHSIG = 1
#: Seconds between a watchdog's looks at its parent, where there is no parent-death signal.
_WATCHDOG_SECONDS = 1.0


def _die_with_parent(parent: int) -> None:
    """End this worker when ``parent`` ends: SIGKILL from the kernel on Linux (``prctl``),
    else a daemon thread that sees the parent gone (the worker is handed to another)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the signal was asked for
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCHDOG_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _init_child(parent: int) -> None:
    """A worker dies with ``parent``, leaves Ctrl-C to it, and draws no figures on screen."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    os.environ.setdefault("MPLBACKEND", "Agg")
