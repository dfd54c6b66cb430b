"""How many CPU threads one run may use, when several runs share a machine's cores.

Two runs on two cores go nearly twice as fast as one after the other, but only
if each keeps to its share: PyTorch, OpenBLAS (numpy) and OpenMP (scikit-learn)
each start one thread per core by default, and two runs that both do so spend
their time fighting over the cores. :func:`limited_threads` holds a run to
``count`` threads:

* libraries already loaded in this process (numpy's OpenBLAS, scikit-learn's
  OpenMP) through :func:`threadpoolctl.threadpool_limits`;
* PyTorch, where it is loaded, through :func:`paradigms.devices.torch_threads`;
* libraries a run loads later (PyTorch, on a supervised run's first use) read the
  ``OMP_NUM_THREADS`` family of variables when they load, so those are set too.

Everything is put back when the block ends.

>>> with limited_threads(1):
...     os.environ["OMP_NUM_THREADS"]
'1'
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from ..devices import available_cores, torch_threads

#: Variables the native thread pools read when they load.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def share_of_cores(jobs: int, cpus: int | None = None) -> int:
    """Threads for each of ``jobs`` runs sharing ``cpus`` cores (those this process may use by default): at least 1."""
    return max(1, (cpus if cpus is not None else available_cores()) // max(1, int(jobs)))


@contextmanager
def limited_threads(count: int | None) -> Iterator[None]:
    """Run the block with at most ``count`` CPU threads per native library; ``None`` changes nothing."""
    if count is None:
        yield
        return
    count = max(1, int(count))
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    with ExitStack() as stack:
        os.environ.update({name: str(count) for name in THREAD_VARIABLES})
        stack.callback(_restore, saved)
        # threadpoolctl comes with scikit-learn; imported here so that only a limited run pays for it
        from threadpoolctl import threadpool_limits

        stack.enter_context(threadpool_limits(limits=count))
        if "torch" in sys.modules:  # a torch loaded later reads OMP_NUM_THREADS instead
            stack.enter_context(torch_threads(count))
        yield


def _restore(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
