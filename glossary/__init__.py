"""The vocabulary of an introductory deep-learning lesson, as runnable demos.

One module per term (``glossary.epoch``, ``glossary.batch_size``, ...). Each
has ``TERM`` (a :class:`Term`: definition, what to look for, related terms,
the toolkit code that uses the idea) and ``demo(**settings)``, which computes
something small and real and returns a :class:`DemoResult` with ``numbers``,
a ``table``, a one-line ``finding`` computed from those numbers and ``plot()``.

>>> from glossary import epoch          # doctest: +SKIP
>>> result = epoch.demo()              # doctest: +SKIP
>>> fig = result.plot()                # doctest: +SKIP

``all_terms()`` lists them in lesson order; ``get_term("batch size")`` finds
one by slug, name or alias. The lesson itself, in a teacher's order, is
:data:`glossary.lesson.STEPS` (``examples/lesson.ipynb``; ``paradigms lesson
--out DIR`` for a projector, with ``--present`` as slides and ``--handout`` on
paper). ``run_paradigm("supervised")`` shows a quick run
of a whole paradigm; ``interactive("epoch")`` puts a slider on a demo (needs
ipywidgets). On the command line: ``paradigms glossary list`` and
``paradigms glossary show TERM``.
"""

from __future__ import annotations

from ._base import DemoResult, Term
from ._runs import ParadigmRun, run_paradigm
from .interactive import interactive
from .registry import TERM_MODULES, all_terms, get_term, link_index

__all__ = [
    "DemoResult",
    "ParadigmRun",
    "TERM_MODULES",
    "Term",
    "all_terms",
    "get_term",
    "interactive",
    "link_index",
    "run_paradigm",
]
