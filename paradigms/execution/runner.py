"""``run_many``: every paradigm over every seed, on a backend, as one list of results.

A comparison over seeds is embarrassingly parallel: every (paradigm, seed) run
is independent. :func:`run_many` turns the request into
:class:`~paradigms.execution.tasks.RunTask` objects and hands them to a backend,
by name from :data:`BACKENDS` (``"local"`` today) or as an object with the
:class:`~paradigms.execution.tasks.Backend` interface; it gives the results back
in the order asked for, whatever order they finished in.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence

from .. import registry
from ..errors import ConfigError
from ..evaluation import Evaluation
from ..progress import Progress
from ..settings import Settings
from .local import LocalBackend, default_jobs
from .tasks import Backend, Failure, OnDone, Outcome, RunTask, per_seed

#: Backends by name; each is made with ``jobs=N``. (Issue 11 adds "ray" beside "local".)
BACKENDS: dict[str, Callable[..., Backend]] = {"local": LocalBackend}


def get_backend(name: str, *, jobs: int = 1) -> Backend:
    """The backend called ``name``, set up for ``jobs`` runs at a time."""
    if name not in BACKENDS:
        close = difflib.get_close_matches(name, list(BACKENDS), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ConfigError(f"unknown backend {name!r}: {hint}known backends: {', '.join(BACKENDS)}")
    return BACKENDS[name](jobs=jobs)


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
) -> tuple[list[Evaluation], list[Failure]]:
    """Run every paradigm in ``names`` once per seed; return (evaluations, failures).

    ``settings`` maps a name to its settings object (defaults, or the
    ``--quick`` values, where missing). ``jobs`` is the number of runs at a time
    (default :func:`~paradigms.execution.local.default_jobs`); with one job the
    local backend runs everything here, with progress bars. ``on_done`` is called
    with each result as it arrives. Both lists come back ordered by paradigm (as
    in ``names``), then seed.

    >>> evaluations, failures = run_many(["supervised"], seeds=[0, 1, 2], jobs=3, quick=True)  # doctest: +SKIP
    """
    seeds = list(dict.fromkeys(int(s) for s in seeds))
    if not seeds:
        raise ConfigError("give at least one seed")
    settings = dict(settings or {})
    tasks = []
    for name in names:
        spec = registry.get(name)
        chosen = settings.get(name) or spec.settings.from_overrides({}, quick=quick)
        tasks.extend(RunTask(spec.name, per_seed(chosen, seed, len(seeds)), seed) for seed in seeds)
    jobs = default_jobs(len(seeds)) if jobs is None else int(jobs)
    if jobs < 1:
        raise ConfigError(f"--jobs {jobs}: give at least 1")
    chosen_backend = get_backend(backend, jobs=jobs) if isinstance(backend, str) else backend
    outcomes = chosen_backend.run(tasks, progress=progress, on_done=on_done)
    order = {name: index for index, name in enumerate(names)}

    def key(outcome: Outcome) -> tuple[int, int]:
        return order.get(outcome.paradigm, len(order)), outcome.seed

    evaluations = sorted((o for o in outcomes if isinstance(o, Evaluation)), key=key)
    failures = sorted((o for o in outcomes if isinstance(o, Failure)), key=key)
    return evaluations, failures
