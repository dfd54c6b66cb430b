"""Running many runs: every (paradigm, seed) of a comparison, each an independent task.

Floors: above the core (it runs paradigms by name through the registry) and
below the report and the command line; it imports no paradigm package and no
report. Local processes today (:mod:`.local`); another backend (Ray, issue 11)
implements :class:`Backend` in a module beside it and registers in :data:`BACKENDS`.

>>> from paradigms.execution import run_many                                   # doctest: +SKIP
>>> evaluations, failures = run_many(["supervised", "unsupervised"], seeds=range(3), jobs=2, quick=True)  # doctest: +SKIP
"""

from .local import LocalBackend, default_jobs
from .runner import BACKENDS, get_backend, run_many
from .tasks import Backend, Failure, Outcome, RunTask, per_seed, pickled_spec, run_task

__all__ = [
    "BACKENDS",
    "Backend",
    "Failure",
    "LocalBackend",
    "Outcome",
    "RunTask",
    "default_jobs",
    "get_backend",
    "per_seed",
    "pickled_spec",
    "run_many",
    "run_task",
]
