"""Write the comparison report: ``index.html``, ``report.md`` with ``figures/``, and ``results.json``.

>>> import glossary                                                    # doctest: +SKIP
>>> from paradigms.report import build                                 # doctest: +SKIP
>>> build(evaluations, "results", terms=glossary.all_terms())          # doctest: +SKIP
PosixPath('results/index.html')

The report is staged as a run is (:func:`paradigms.outputs.staged_outputs`):
its files are written into a private folder inside ``out_dir`` and moved into
place together only once all of them are written, so a failure between the
figures and the pages leaves the previous report as it was. :func:`rebuild`
makes the page again from ``results.json`` alone (``paradigms report DIR``).
Every file is recorded in the folder's manifest (:mod:`paradigms.outputs`): a
rebuild removes only pictures the program wrote there, never a user's own
files, and nothing outside ``out_dir``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..evaluation import Evaluation
from ..execution import Failure
from ..files import write_atomic
from ..outputs import check_output_dir, own_files, remove_own_files, staged_outputs
from .comparison import Comparison
from .content import build_document
from .figures import report_style
from .html import render_html
from .markdown import FIGURES_DIR, render_markdown
from .terms import GlossaryTerm, TermInfo, TermLinker, report_terms

HTML_FILE = "index.html"
MARKDOWN_FILE = "report.md"


def build(
    results: Comparison | Sequence[Evaluation],
    out_dir: str | os.PathLike[str],
    *,
    failures: Sequence[Failure] = (),
    run: dict[str, Any] | None = None,
    terms: Iterable[GlossaryTerm | TermInfo] | None = None,
    write_json: bool = True,
) -> Path:
    """Build the report of ``results`` (a :class:`Comparison`, or evaluations plus
    ``failures``) in ``out_dir``; returns the path of ``index.html``.

    ``terms`` are the glossary terms to link in the text and list at the end
    (``glossary.all_terms()``, or any objects with :class:`GlossaryTerm`'s
    attributes); none by default: the report imports no glossary.
    ``write_json=False`` leaves ``results.json`` alone.
    """
    out = Path(out_dir)
    if isinstance(results, Comparison):
        comparison = results
    else:
        comparison = Comparison.create(results, failures, run=run)
    terms = report_terms(terms)
    with report_style():
        document = build_document(comparison, terms=terms)
    linker = TermLinker(terms)
    images = document.all_images()
    names = [f"{FIGURES_DIR}/{image.filename}" for image in images]
    out.mkdir(parents=True, exist_ok=True)
    # Pictures of an earlier report that this one no longer has: only those the folder's
    # manifest says the program wrote are removed; a user's own files there are never touched.
    stale = {name for name in own_files(out) if name.startswith(f"{FIGURES_DIR}/")} - set(names)
    with staged_outputs(out) as stage:
        if write_json:
            comparison.save(stage.path)
        for name, image in zip(names, images, strict=True):
            write_atomic(stage.path / name, image.data)
        write_atomic(stage.path / MARKDOWN_FILE, render_markdown(document, linker))
        write_atomic(stage.path / HTML_FILE, render_html(document, linker))
    remove_own_files(out, sorted(stale))
    return out / HTML_FILE


def rebuild(source: str | os.PathLike[str], out_dir: str | os.PathLike[str] | None = None, **options: Any) -> Path:
    """Build the report again from ``source`` (a ``results.json`` or its folder),
    without running anything; into ``out_dir`` (default: beside ``results.json``), checked to be
    writable before anything is read."""
    source = Path(source)
    folder = source if source.is_dir() else source.parent
    out = Path(out_dir) if out_dir is not None else folder
    check_output_dir(out)  # before any work: a folder that cannot be written is one line, at once
    comparison = Comparison.load(source)
    same = out.resolve() == folder.resolve()
    return build(comparison, out, write_json=not same, **options)
