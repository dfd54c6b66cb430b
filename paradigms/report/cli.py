"""``paradigms report DIR``: rebuild the comparison page from ``DIR/results.json``.

Nothing is rerun: the page, ``report.md`` and its figures are made again from
the stored evaluations (after editing the report's code, say, or to put a copy
elsewhere with ``--out``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..commands import Command


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Rebuild DIR/index.html and DIR/report.md from DIR/results.json (written by "
        "`paradigms compare --out DIR`), without rerunning anything."
    )
    parser.add_argument("dir", type=Path, metavar="DIR", help="a folder holding results.json (or the file itself)")
    parser.add_argument(
        "--out", type=Path, default=None, metavar="OUT",
        help="write the report here instead (results.json is copied along); default: DIR",
    )


def _handle(args: argparse.Namespace) -> int:
    from .build import MARKDOWN_FILE, rebuild  # matplotlib and SciPy only when the command runs

    start = time.perf_counter()
    page = rebuild(args.dir, args.out)
    print(f"wrote {page} and {page.parent / MARKDOWN_FILE} ({time.perf_counter() - start:.1f} s)")
    return 0


COMMANDS = [
    Command(
        name="report",
        help="rebuild the comparison page from DIR/results.json",
        configure=_configure,
        handler=_handle,
    )
]
