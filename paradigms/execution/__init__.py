"""Running many runs: every (paradigm, seed) of a comparison, every cell of a sweep.

Floors: above the core (it runs paradigms by name through the registry) and
below the report and the command line; it imports no paradigm package and no
report. Each run is a :class:`RunTask`; a backend runs a list of them: in this
process or a pool of local processes (:mod:`.local`), or as Ray tasks on a local
Ray instance or a cluster (:mod:`.ray_backend`); each registers in :data:`BACKENDS`.
:mod:`.grid`, :mod:`.sweep` and :mod:`.selection` make a sweep of settings out
of the same tasks.

>>> from paradigms.execution import run_many, sweep                                # doctest: +SKIP
>>> evaluations, failures = run_many(["supervised", "unsupervised"], seeds=range(3), jobs=2, quick=True)  # doctest: +SKIP
>>> result = sweep("supervised", ["batch_size=32,512"], seeds=3, quick=True)       # doctest: +SKIP
"""

from .grid import LIST_SEPARATOR, Axis, Cell, Grid, make_grid, parse_grid_options, show_value
from .local import LocalBackend, default_jobs
from .ray_backend import RayBackend
from .runner import BACKENDS, get_backend, run_many, run_tasks
from .selection import choose, selection_name, selection_value
from .sweep import (
    LEDGER_FILE,
    MAX_RUNS,
    SweepPlan,
    SweepResult,
    SweepRun,
    plan_sweep,
    read_ledger,
    run_file,
    run_line,
    run_sweep,
    sweep,
)
from .tasks import (
    Backend,
    Failure,
    OnDone,
    Outcome,
    RunTask,
    TaskDone,
    per_seed,
    pickled_spec,
    run_task,
)

__all__ = [
    "BACKENDS",
    "LEDGER_FILE",
    "LIST_SEPARATOR",
    "MAX_RUNS",
    "Axis",
    "Backend",
    "Cell",
    "Failure",
    "Grid",
    "LocalBackend",
    "OnDone",
    "Outcome",
    "RayBackend",
    "RunTask",
    "SweepPlan",
    "SweepResult",
    "SweepRun",
    "TaskDone",
    "choose",
    "default_jobs",
    "get_backend",
    "make_grid",
    "parse_grid_options",
    "per_seed",
    "pickled_spec",
    "plan_sweep",
    "read_ledger",
    "run_file",
    "run_line",
    "run_many",
    "run_sweep",
    "run_tasks",
    "run_task",
    "selection_name",
    "selection_value",
    "show_value",
    "sweep",
]
