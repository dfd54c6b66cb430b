"""The comparison report: every paradigm side by side, in one page people want to read.

``paradigms compare --out DIR`` runs the paradigms (:mod:`paradigms.execution`)
and calls :func:`build`, which writes

* ``DIR/index.html``: one self-contained page (figures embedded, no network);
* ``DIR/report.md`` with its pictures in ``DIR/figures/``: the same content in Markdown;
* ``DIR/results.json``: every evaluation (:mod:`~paradigms.report.results_file`);
  ``paradigms report DIR`` (:func:`rebuild`) makes the page again from it
  without rerunning anything.

``paradigms sweep`` builds the same files from a sweep
(:meth:`Comparison.from_sweep`): the page then shows what each swept setting
does and which cell was chosen (:mod:`~paradigms.report.sweep_content`).

The report imports no glossary: the terms it links are handed in (``terms=``).

>>> import glossary
>>> from paradigms.execution import run_many
>>> from paradigms.report import build
>>> evaluations, failures = run_many(["supervised"], seeds=[0, 1], quick=True)  # doctest: +SKIP
>>> build(evaluations, "results", failures=failures, terms=glossary.all_terms())  # doctest: +SKIP

Floors: below the glossary and the command line, above :mod:`paradigms.execution`
and the core. Inside, one pass works out each paradigm's numbers and drawings
(:mod:`~paradigms.report.summary`), :mod:`~paradigms.report.content` turns them
into a :class:`~paradigms.report.document.Document`, and
:mod:`~paradigms.report.html` and :mod:`~paradigms.report.markdown` render it.

The names below are imported on first use, so that code which needs only a light
part (the results file, the terms) does not pay for matplotlib. ``run_many``,
``default_jobs`` and ``Failure`` are kept here for code written before
:mod:`paradigms.execution` existed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_dir, lazy_exports

if TYPE_CHECKING:  # for the type checker, ``build`` is the function, not the submodule of that name
    from .build import build as build
    from .build import rebuild as rebuild

_EXPORTS = {
    "HTML_FILE": ".build",
    "MARKDOWN_FILE": ".build",
    "build": ".build",
    "rebuild": ".build",
    "Comparison": ".comparison",
    "ParadigmInfo": ".comparison",
    "SweepInfo": ".comparison",
    "RESULTS_FILE": ".results_file",
    "read_results": ".results_file",
    "Interval": ".stats",
    "mean_interval": ".stats",
    "GlossaryTerm": ".terms",
    "TermInfo": ".terms",
    "Failure": "paradigms.execution",
    "default_jobs": "paradigms.execution",
    "run_many": "paradigms.execution",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())
__dir__ = lazy_dir(_EXPORTS, globals())
