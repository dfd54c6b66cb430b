"""Compare the learning paradigms side by side, over several seeds, from Python.

    python examples/compare_paradigms.py                   # quick budget, 2 seeds -> comparison/
    python examples/compare_paradigms.py --full --seeds 3  # the embedded defaults
    python examples/compare_paradigms.py --only supervised,unsupervised --out /tmp/cmp

The same as ``paradigms compare --quick --seeds 2 --out comparison``, written
with the Python API so each step shows: choose the paradigms and their
settings, run every (paradigm, seed) pair in parallel processes, then build
the report (``index.html``, ``report.md``, ``results.json``) from the results.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import glossary
import paradigms
from paradigms.execution import run_many
from paradigms.report import build
from paradigms.report.stats import format_interval, mean_interval


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("comparison"), help="report folder (default: comparison/)")
    parser.add_argument("--seeds", type=int, default=2, help="seeds per paradigm (default: 2)")
    parser.add_argument("--full", action="store_true", help="the embedded defaults instead of the quick budget")
    parser.add_argument("--only", default="", help="comma-separated paradigm names (default: all)")
    args = parser.parse_args(argv)

    # 1. Which paradigms, with which settings (each paradigm's frozen Settings dataclass).
    names = [name.strip() for name in args.only.split(",") if name.strip()] or [
        spec.name for spec in paradigms.available()
    ]
    quick = not args.full
    settings = {name: paradigms.get(name).settings.from_overrides({}, quick=quick) for name in names}
    for name, chosen in settings.items():
        print(f"{name}: {chosen}")

    # 2. Every (paradigm, seed) run, in parallel processes; a failure does not stop the others.
    seeds = range(args.seeds)
    evaluations, failures = run_many(names, settings, seeds, quick=quick)  # a process per run, up to the cores
    for name in names:
        scores = [ev.measure.value for ev in evaluations if ev.paradigm == name]
        if scores:
            measure = next(ev.measure for ev in evaluations if ev.paradigm == name)
            runs = f"{len(scores)} seed{'s' if len(scores) > 1 else ''}"
            print(f"{name}: {measure.name} = {format_interval(mean_interval(scores))} over {runs} "
                  f"(baseline {measure.baseline:.3g}, best {measure.best:.3g})")
    for failure in failures:
        print(f"{failure.paradigm} seed {failure.seed} failed: {failure.error}", file=sys.stderr)

    # 3. The report, built from the results alone; the glossary's terms are linked in its text.
    page = build(evaluations, args.out, failures=failures, run={"quick": quick, "paradigms": names},
                 terms=glossary.all_terms())
    print(f"open {page.resolve().as_uri()}")
    return 1 if failures else 0


if __name__ == "__main__":  # needed: the worker processes re-import this file
    sys.exit(main())
