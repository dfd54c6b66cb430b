"""Where PyTorch computes, and with how many threads: one rule for every paradigm.

``device`` settings take ``auto``, ``cpu`` or ``cuda`` (``cuda:N`` too).
``auto`` means CUDA when PyTorch sees a GPU, except for work that a GPU only
slows down: tiny networks (the reinforcement agents' 64-unit layers), whose cost
is per-call overhead, not arithmetic. Callers say so with ``prefer_cpu=True``.

torch is imported inside the functions: importing it costs a second or more,
which the paradigms that never use it should not pay.

>>> resolve_device("cpu")
device(type='cpu')
>>> resolve_device("auto", prefer_cpu=True)  # a tiny network: the CPU, GPU or not
device(type='cpu')
>>> resolve_device("tpu")
Traceback (most recent call last):
...
paradigms.errors.ConfigError: device = 'tpu' is unknown: choose one of auto, cpu, cuda
>>> with torch_threads(1):
...     pass  # PyTorch computes on one thread here, and on as many as before afterwards
>>> with torch_threads(None):
...     pass  # on the cores that no other program keeps busy (see choose_threads)
"""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    import torch

#: Intel MKL's conditional numerical reproducibility, strict: its matrix products give the same
#: bits on any number of threads (without it, PyTorch's CPU results change with the thread count,
#: which :func:`choose_threads` takes from how busy the cores are, so the same seed gave other
#: numbers on a busy machine). Measured on this project's 2-core machine: no slower.
MKL_REPRODUCIBLE = "AUTO,STRICT"


def reproducible_math() -> None:
    """Ask MKL (PyTorch's CPU matrix library) for results that do not depend on the thread count.

    Called when the package is imported, before torch computes anything; a value the user set in
    ``MKL_CBWR`` is kept. Where torch already ran a matrix product first, MKL may have read the old
    value: import ``paradigms`` first, or set ``MKL_CBWR=AUTO,STRICT`` yourself."""
    os.environ.setdefault("MKL_CBWR", MKL_REPRODUCIBLE)


#: The values a ``device`` setting accepts (``cuda:N`` is accepted as well).
DEVICES = ("auto", "cpu", "cuda")


def resolve_device(name: str, *, prefer_cpu: bool = False) -> torch.device:
    """The ``torch.device`` for a ``device`` setting.

    ``auto`` -> CUDA when available (unless ``prefer_cpu``), else the CPU;
    ``cuda`` without a GPU, or a name PyTorch does not know, is a ConfigError
    that says what to use instead.
    """
    import torch  # start-up time: only the paradigms that compute with torch pay for it

    name = str(name).strip().lower()
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() and not prefer_cpu else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ConfigError(
            f"device = {name}, but this PyTorch ({torch.__version__}) sees no CUDA GPU: "
            "use --device cpu (or auto)"
        )
    if name != "cpu" and not name.startswith("cuda"):
        raise ConfigError(f"device = {name!r} is unknown: choose one of {', '.join(DEVICES)}")
    try:
        return torch.device(name)
    except RuntimeError:
        raise ConfigError(f"device = {name!r} is not a device PyTorch knows: use auto, cpu or cuda") from None


#: Below this many multiply-adds per gradient step, handing work to other threads costs more than it saves.
SMALL_WORK = 2_000_000


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity mask, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # macOS, Windows
        return os.cpu_count() or 1


def busy_elsewhere(samples: int = 3, interval: float = 0.005) -> float:
    """How many cores other programs keep busy right now.

    On Linux: the runnable threads of the whole machine (``/proc/loadavg``) less
    this process's own, the median of a few samples. Elsewhere: the one-minute
    load average less one (this process). 0 where neither can be read.
    """
    counts = []
    for _ in range(samples):
        try:
            running = int(Path("/proc/loadavg").read_text().split()[3].partition("/")[0])
            own = sum(1 for task in Path("/proc/self/task").iterdir() if _task_state(task) == "R")
        except (OSError, ValueError, IndexError):
            break
        counts.append(max(0, running - own))
        time.sleep(interval)
    if counts:
        return float(statistics.median(counts))
    try:
        return max(0.0, os.getloadavg()[0] - 1.0)
    except (AttributeError, OSError):
        return 0.0


def _task_state(task: Path) -> str:
    try:
        return (task / "stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return "?"


def choose_threads(work: float | None = None, *, cores: int | None = None, busy: float | None = None) -> int:
    """CPU threads for PyTorch when the user did not say: the cores no other program is using.

    PyTorch's threads work in lock step: every parallel region waits for its
    slowest thread, and a thread that shares its core with another busy program
    is slow. On a two-core laptop with one core busy, ``paradigms run supervised
    --quick`` took 42.8 s on PyTorch's default two threads against 4.3 s on one.
    So only idle cores are used (``busy``: :func:`busy_elsewhere` by default),
    and one thread where a step's ``work`` (multiply-adds) is too small to share.

    >>> choose_threads(cores=2, busy=0.0), choose_threads(cores=2, busy=1.0), choose_threads(cores=8, busy=2.6)
    (2, 1, 5)
    >>> choose_threads(1_000, cores=8, busy=0.0)  # a tiny network: one thread
    1
    """
    cores = cores or available_cores()
    if work is not None and work < SMALL_WORK:
        return 1
    busy = busy_elsewhere() if busy is None else busy
    return max(1, min(cores, cores - math.floor(busy + 0.5)))


@contextmanager
def torch_threads(count: int | None, device: torch.device | str = "cpu", *, work: float | None = None) -> Iterator[None]:
    """Run the block with ``count`` CPU threads for PyTorch, then restore the previous count.

    ``None`` chooses (:func:`choose_threads`, from how busy the cores are and the
    ``work`` per step), never more than the threads already allowed (a run of
    several in parallel keeps to its share). On tiny matrices, handing work to
    other threads costs more than it saves, and when several programs share the
    cores, extra threads only fight each other.
    """
    import torch  # start-up time, as above

    previous = torch.get_num_threads()
    if torch.device(device).type != "cpu":
        wanted = previous
    elif count is None:
        wanted = min(previous, choose_threads(work))
    else:
        wanted = max(1, int(count))
    if wanted != previous:
        torch.set_num_threads(wanted)
    try:
        yield
    finally:
        if torch.get_num_threads() != previous:
            torch.set_num_threads(previous)
