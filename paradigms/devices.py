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
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    import torch

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


@contextmanager
def torch_threads(count: int | None, device: torch.device | str = "cpu") -> Iterator[None]:
    """Run the block with ``count`` CPU threads for PyTorch, then restore the previous count.

    ``None`` leaves PyTorch's choice alone. On tiny matrices, handing work to
    other threads costs more than it saves, and when several runs share the
    cores, extra threads only fight each other.
    """
    import torch  # start-up time, as above

    previous = torch.get_num_threads()
    wanted = previous if count is None or torch.device(device).type != "cpu" else max(1, int(count))
    if wanted != previous:
        torch.set_num_threads(wanted)
    try:
        yield
    finally:
        if torch.get_num_threads() != previous:
            torch.set_num_threads(previous)
