"""learning-paradigms: supervised, unsupervised and reinforcement learning side by side.

Every paradigm is run to one result type, :class:`Evaluation`, in Tom
Mitchell's terms: task T, performance measure P (beside a trivial baseline),
experience E, and the learning curve of P against E.

>>> import paradigms
>>> [spec.name for spec in paradigms.available()]  # doctest: +SKIP
['supervised', 'unsupervised', 'reinforcement']
>>> ev = paradigms.run("supervised", quick=True, seed=0)  # doctest: +SKIP
>>> result = paradigms.sweep("supervised", ["batch_size=32,512"], seeds=3, quick=True)  # doctest: +SKIP
>>> result.evaluations, result.chosen()                                                 # doctest: +SKIP
"""

from __future__ import annotations

from .devices import reproducible_math
from .errors import ConfigError, DataError, UserError
from .evaluation import DatasetInfo, Evaluation, Measure, Picture, collect_manifest
from .execution import sweep  # above the core: many runs (nothing below imports the package itself)
from .progress import Progress
from .registry import ParadigmSpec, available, get, register, run, unregister
from .seeding import seed_everything
from .settings import Settings, setting

reproducible_math()  # before torch computes: the same seed gives the same numbers on any thread count

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "DataError",
    "DatasetInfo",
    "Evaluation",
    "Measure",
    "Picture",
    "ParadigmSpec",
    "Progress",
    "Settings",
    "UserError",
    "available",
    "collect_manifest",
    "get",
    "register",
    "run",
    "seed_everything",
    "setting",
    "sweep",
    "unregister",
]
