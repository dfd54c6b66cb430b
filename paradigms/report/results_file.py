"""``results.json``: every run of a comparison in one file, and reading it back.

The report owns this format: ``paradigms compare`` writes it through
:meth:`Comparison.save <paradigms.report.comparison.Comparison.save>`, and
``paradigms report DIR`` rebuilds the page from it alone. One JSON object::

    {"format": "learning-paradigms/results", "version": 1,
     "evaluations": [...],   # Evaluation.to_dict() of every run that came back
     "failures": [...],      # the runs that raised: paradigm, seed, error, traceback
     "paradigms": {...},     # each paradigm's T/P/E, description and settings table
     "run": {...},           # seeds, --quick, the command line, when
     "sweep": {...}}         # a sweep's grid, and the cell of every evaluation and failure

Only ``evaluations`` is required: a file written by the first version (no
failures, descriptions or run facts) still reads, and so does one written
before sweeps (version 1, no ``sweep``): it is a comparison.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError, DataError
from ..evaluation import Evaluation
from ..execution import LEDGER_FILE
from ..files import to_jsonable, write_atomic
from ..outputs import read_json_file

RESULTS_FILE = "results.json"
FORMAT = "learning-paradigms/results"
VERSION = 2


def write_results(
    evaluations: Sequence[Evaluation],
    out: str | Path,
    *,
    failures: Sequence[Any] = (),
    paradigms: dict[str, Any] | None = None,
    run: dict[str, Any] | None = None,
    sweep: dict[str, Any] | None = None,
) -> Path:
    """Write ``OUT/results.json`` atomically; returns its path. ``sweep`` (a plain
    dict) is written only for a sweep."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "evaluations": [ev.to_dict() for ev in evaluations],
        "failures": [to_jsonable(failure) for failure in failures],
        "paradigms": to_jsonable(paradigms or {}),
        "run": to_jsonable(run or {}),
    }
    if sweep is not None:
        document["sweep"] = to_jsonable(sweep)
    return write_atomic(Path(out) / RESULTS_FILE, json.dumps(to_jsonable(document), indent=2, allow_nan=False))


def read_results_document(path: str | Path) -> tuple[dict[str, Any], list[Evaluation], Path]:
    """``results.json`` (or a folder holding it): the raw document, its evaluations,
    and the file's path. A missing file is a ConfigError, a broken one a DataError;
    both name the file."""
    path = Path(path)
    if path.is_dir():
        path = path / RESULTS_FILE
    if not path.exists() and not path.is_symlink():
        if (path.parent / LEDGER_FILE).exists():  # a sweep that stopped before its page was written
            raise ConfigError(f"{path}: no such file: this sweep stopped early; rerun its command with --resume")
        raise ConfigError(f"{path}: no such file (run `paradigms compare --out DIR` first)")
    document = read_json_file(path, what="results file")  # bounded; any failure one line naming the file
    try:
        if not isinstance(document, dict):
            raise ValueError("the file holds no JSON object")
        if document.get("format", FORMAT) != FORMAT:
            raise ValueError(f"its format is {document['format']!r}, not {FORMAT!r}")
        return document, [Evaluation.from_dict(item) for item in document["evaluations"]], path
    except RecursionError:
        raise DataError(f"{path}: nested too deeply; not a results file written by `paradigms compare`") from None
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as exc:
        reason = f"missing {exc}" if isinstance(exc, KeyError) else " ".join(str(exc).split())[:300]
        raise DataError(f"{path}: not a results file written by `paradigms compare` ({reason})") from None


def read_results(path: str | Path) -> list[Evaluation]:
    """The evaluations in ``results.json`` (or a folder holding it); errors name the file."""
    return read_results_document(path)[1]
