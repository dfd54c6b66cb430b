"""The comparison report: every paradigm side by side, in one page people want to read.

``paradigms compare --out DIR`` runs the paradigms (over ``--seeds``, in
``--jobs`` processes) and calls :func:`build`, which writes

* ``DIR/index.html``: one self-contained page (figures embedded, no network);
* ``DIR/report.md`` with its pictures in ``DIR/figures/``: the same content in Markdown;
* ``DIR/results.json``: every evaluation; ``paradigms report DIR`` (:func:`rebuild`)
  makes the page again from it without rerunning anything.

>>> import paradigms
>>> from paradigms.report import build, run_many
>>> evaluations, failures = run_many(["supervised"], seeds=[0, 1], quick=True)  # doctest: +SKIP
>>> build(evaluations, "results", failures=failures)                           # doctest: +SKIP

The names below are imported on first use, so that a worker process (which
needs only :mod:`paradigms.report.parallel`) or ``paradigms --help`` does not
pay for matplotlib and SciPy.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "HTML_FILE": "build",
    "MARKDOWN_FILE": "build",
    "build": "build",
    "rebuild": "build",
    "Comparison": "comparison",
    "Failure": "comparison",
    "ParadigmInfo": "comparison",
    "default_jobs": "parallel",
    "run_many": "parallel",
    "Interval": "stats",
    "mean_interval": "stats",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
