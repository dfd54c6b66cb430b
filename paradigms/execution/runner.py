"""``run_many``: every paradigm over every seed, on a backend, as one list of results.

A comparison over seeds is embarrassingly parallel: every (paradigm, seed) run
is independent. :func:`run_many` turns the request into
:class:`~paradigms.execution.tasks.RunTask` objects and hands them to a backend,
by name from :data:`BACKENDS` (``"local"``, ``"ray"``) or as an object with the
:class:`~paradigms.execution.tasks.Backend` interface; it gives the results back
in the order asked for, whatever order they finished in.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .. import registry
from ..errors import ConfigError
from ..evaluation import Evaluation
from ..progress import Progress
from ..settings import Settings
from ..tracking import Tracking, parent_run
from .local import LocalBackend
from .ray_backend import RayBackend
from .tasks import Backend, Failure, OnDone, Outcome, RunTask, TaskDone, per_seed, seed_list

#: Backends by name; each is made with ``jobs=N`` (and ``address=`` where it joins a cluster).
BACKENDS: dict[str, Callable[..., Backend]] = {"local": LocalBackend, "ray": RayBackend}


def get_backend(name: str, *, jobs: int | None = None, address: str | None = None) -> Backend:
    """The backend called ``name``, set up for ``jobs`` runs at a time (``None``: its
    own default); ``address`` is a Ray cluster's, for the ``ray`` backend only."""
    if name not in BACKENDS:
        close = difflib.get_close_matches(name, list(BACKENDS), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ConfigError(f"unknown backend {name!r}: {hint}known backends: {', '.join(BACKENDS)}")
    if address and name != "ray":
        raise ConfigError(f"--address {address}: only --backend ray joins a cluster")
    options: dict[str, Any] = {"address": address} if name == "ray" else {}
    if jobs is not None:
        options["jobs"] = jobs
    return BACKENDS[name](**options)


def run_tasks(
    tasks: Sequence[RunTask],
    *,
    backend: str | Backend = "local",
    jobs: int | None = None,
    progress: Progress | bool | None = None,
    on_done: TaskDone | None = None,
) -> list[Outcome]:
    """Run ``tasks`` on ``backend`` (a name from :data:`BACKENDS`, or an object with
    :class:`~paradigms.execution.tasks.Backend`'s ``run``); one outcome per task, in
    their order. ``on_done(task, outcome)`` is called as each arrives."""
    if jobs is not None and int(jobs) < 1:
        raise ConfigError(f"--jobs {jobs}: give at least 1")
    chosen = get_backend(backend, jobs=jobs) if isinstance(backend, str) else backend
    return chosen.run(list(tasks), progress=progress, on_done=on_done)


def run_many(
    names: Sequence[str],
    settings: Mapping[str, Settings] | None = None,
    seeds: Sequence[int] = (0,),
    *,
    jobs: int | None = None,
    quick: bool = False,
    progress: Progress | bool | None = None,
    on_done: OnDone | None = None,
    backend: str | Backend = "local",
    tracking: Tracking | None = None,
) -> tuple[list[Evaluation], list[Failure]]:
    """Run every paradigm in ``names`` once per seed; return (evaluations, failures).

    ``settings`` maps a name to its settings object (defaults, or the
    ``--quick`` values, where missing). ``jobs`` is the number of runs at a time
    (default: one process per run, up to the cores); with one job the
    local backend runs everything here, with progress bars. ``on_done`` is called
    with each result as it arrives. Both lists come back ordered by paradigm (as
    in ``names``), then seed. ``tracking`` logs every run to TensorBoard and/or MLflow
    (nested under one parent run, opened here unless ``tracking`` names one).

    >>> evaluations, failures = run_many(["supervised"], seeds=[0, 1, 2], jobs=3, quick=True)  # doctest: +SKIP
    """
    seeds = list(seed_list(seeds))
    settings = dict(settings or {})
    if tracking is not None:  # once, here, before any run: not in every run's process
        tracking = tracking.check()
    with parent_run(tracking, f"compare__{'-'.join(names)}__seeds{seeds[0]}-{seeds[-1]}",
                    {"paradigms": ",".join(names), "seeds": ",".join(map(str, seeds))}) as parent:
        tasks: list[RunTask] = []
        for name in names:
            spec = registry.get(name)
            chosen = settings.get(name) or spec.settings.from_overrides({}, quick=quick)
            tasks.extend(RunTask(spec.name, per_seed(chosen, seed, len(seeds)), seed, tracking=parent.tracking)
                         for seed in seeds)
        done: TaskDone | None = None if on_done is None else (lambda task, outcome: on_done(outcome))
        outcomes = run_tasks(tasks, backend=backend, jobs=jobs, progress=progress, on_done=done)
    order = {name: index for index, name in enumerate(names)}

    def key(outcome: Outcome) -> tuple[int, int]:
        return order.get(outcome.paradigm, len(order)), outcome.seed

    evaluations = sorted((o for o in outcomes if isinstance(o, Evaluation)), key=key)
    failures = sorted((o for o in outcomes if isinstance(o, Failure)), key=key)
    return evaluations, failures
