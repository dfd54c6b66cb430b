"""Progress bars on long work, quiet when output is not a terminal.

A paradigm's ``run`` receives a :class:`Progress` and asks it for bars; it never
decides by itself whether to draw them. The CLI passes one that draws on a
terminal (stderr) and stays silent in pipes, CI logs and tests.

The same object carries a run's numbers to a tracker (TensorBoard, MLflow:
:mod:`paradigms.tracking`) while it learns: a learning loop calls
:meth:`Progress.log` with what it has just measured, which does nothing unless a
tracker is attached (``tracking`` says whether one is, for a loop that would
otherwise gather numbers for nobody).

>>> progress = Progress(enabled=False)
>>> with progress.bar(total=3, desc="epochs") as bar:
...     for _ in range(3):
...         bar.update(1)
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from tqdm.auto import tqdm


class Progress:
    """Hands out tqdm bars, all disabled when ``enabled`` is false.

    ``enabled=None`` (the default) means: draw only when stderr is a terminal.
    """

    def __init__(self, enabled: bool | None = None) -> None:
        if enabled is None:
            enabled = sys.stderr.isatty()
        self.enabled = bool(enabled)
        #: Where :meth:`log` sends numbers: an object with ``log_scalars(step, values)``, or None.
        self.tracker: Any = None

    @classmethod
    def silent(cls) -> Progress:
        return cls(enabled=False)

    def bar(self, total: float | None = None, desc: str = "", unit: str = "it", **kwargs: Any) -> tqdm:
        """A tqdm bar (use it as a context manager); a no-op bar when disabled."""
        kwargs.setdefault("leave", False)
        kwargs.setdefault("dynamic_ncols", True)
        return tqdm(total=total, desc=desc, unit=unit, disable=not self.enabled, file=sys.stderr, **kwargs)

    @property
    def tracking(self) -> bool:
        """Whether a tracker listens to :meth:`log`."""
        return self.tracker is not None

    def log(self, step: int, values: Mapping[str, Any]) -> None:
        """Numbers measured at ``step`` of E, by tag (``{"train/loss": 0.31}``); ``None`` values are skipped."""
        if self.tracker is not None:
            self.tracker.log_scalars(step, values)

    def note(self, message: str) -> None:
        """A one-line status message (shown only when bars are shown)."""
        if self.enabled:
            tqdm.write(message, file=sys.stderr)
