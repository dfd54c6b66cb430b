"""``paradigms list``, ``run``, ``compare`` and ``report``: one paradigm, all of them side by side, the page again."""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .. import registry
from ..commands import PROG
from ..console import seed_line, summarize
from ..errors import ConfigError
from ..evaluation import Evaluation
from ..execution import Outcome, run_many
from ..outputs import check_input_file, check_output_dir, writing_own
from ..seeding import check_seed
from .common import backend_for, checked_seeds, glossary_terms, progress_of, start_backend


def cmd_list(args: argparse.Namespace) -> int:
    specs = registry.available()
    if not specs:
        print("no paradigms registered")
    for spec in specs:
        print(spec.summary_line())
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    spec = registry.get(args.name)
    seed = check_seed(args.seed)
    overrides = spec.settings.overrides_from_namespace(args)
    settings = registry.make_settings(spec.name, overrides, quick=args.quick, output_dir=args.out)
    check_output_dir(args.out)  # before any work: a run must not end unable to write its result
    evaluation = registry.run(spec.name, settings, seed=seed, progress=progress_of(args))
    with writing_own(args.out, [f"{spec.name}.json"]):
        path = evaluation.save(Path(args.out) / f"{spec.name}.json")
    print(summarize(evaluation))
    print(f"  wrote {path}")
    return 0


def _compare_command(args: argparse.Namespace, seeds: Sequence[int]) -> str:
    """The command line that reruns this comparison (the report's manifest shows it)."""
    parts = [PROG, "compare", "--seed", str(seeds[0])]
    if len(seeds) > 1:
        parts += ["--seeds", str(len(seeds))]
    if args.quick:
        parts.append("--quick")
    if args.only:
        parts += ["--only", args.only]
    if args.data:
        parts += ["--data", args.data, "--target", args.target]
    for assignment in args.assignments:
        parts += ["--set", assignment]
    if args.backend != "local":
        parts += ["--backend", args.backend]
    return shlex.join(parts)


def _table_assignments(args: argparse.Namespace, assignments: dict[str, dict[str, str]]) -> list[str]:
    """``--data TABLE --target COLUMN``: the supervised run gets the target, the unsupervised one the
    same rows with the target as the known groups (never fitted on); the paradigms to run."""
    if args.target is None or args.data is None:
        raise ConfigError("--data and --target go together: the table, and its column of labels")
    if args.only:
        raise ConfigError("--only does not go with --data: a table is compared through supervised and "
                          "unsupervised learning")
    check_input_file(args.data, what="table")
    _check_table_target(args.data, args.target, assignments.get("supervised", {}).get("task", "auto"))
    assignments.setdefault("supervised", {}).update(data=args.data, target=args.target)
    assignments.setdefault("unsupervised", {}).update(data=args.data, kind="customers", label_column=args.target)
    from ..report.table_comparison import TABLE_PARADIGMS

    return list(TABLE_PARADIGMS)


def _check_table_target(data: str, target: str, task: str) -> None:
    """The table read and its target checked as the supervised run will (a missing column, one
    class, values that are not classes): a one-line ConfigError before any run or file."""
    from ..supervised.features import prepare_table
    from ..supervised.tables import read_table

    table = read_table(data)
    prepare_table(table.frame, source=str(table.path), target=target, task=str(task))


def cmd_compare(args: argparse.Namespace) -> int:
    # the report (matplotlib) loads for the commands that write a page, not for `run` or `list`
    from ..report import RESULTS_FILE, Comparison, build
    from ..report.table_comparison import table_paradigm_infos, table_run_facts

    seeds = checked_seeds(args)
    assignments = registry.parse_assignments(args.assignments)
    names = [spec.name for spec in registry.available()]
    if args.only:
        names = [registry.get(name.strip()).name for name in args.only.split(",") if name.strip()]
    if args.data is not None or args.target is not None:
        names = _table_assignments(args, assignments)
    if not names:
        raise ConfigError("no paradigms to compare")
    # Validate every paradigm's settings, and the output folder, before the first (long) run starts.
    out = check_output_dir(args.out)
    settings = {
        name: registry.make_settings(name, assignments.get(name), quick=args.quick, output_dir=out)
        for name in names
    }
    runs = len(names) * len(seeds)
    backend = backend_for(args)
    where = start_backend(backend, runs)
    print(f"running {', '.join(names)} with seed{'s' if len(seeds) > 1 else ''} "
          f"{', '.join(map(str, seeds))} ({runs} run{'s' if runs > 1 else ''}, {where}) ...", file=sys.stderr)

    def done(outcome: Outcome) -> None:
        if isinstance(outcome, Evaluation):
            name = outcome.paradigm if args.seeds == 1 else f"{outcome.paradigm}.seed{outcome.seed}"
            with writing_own(out, [f"{name}.json"]):
                outcome.save(out / f"{name}.json")
            print(summarize(outcome) if args.seeds == 1 else seed_line(outcome))
        else:
            print(f"{PROG}: {outcome.paradigm} (seed {outcome.seed}) failed: {outcome.error}", file=sys.stderr)
            if getattr(args, "debug", False):
                print(outcome.traceback, file=sys.stderr)

    evaluations, failures = run_many(
        names, settings, seeds, quick=args.quick, progress=progress_of(args), on_done=done, backend=backend
    )
    run = {"quick": bool(args.quick), "paradigms": names, "seeds": seeds, "jobs": getattr(backend, "jobs", None),
           "backend": args.backend, "command": _compare_command(args, seeds)}
    infos = None
    if args.data is not None:  # the page describes what ran: the table's target, not MNIST's digits
        run.update(table_run_facts(args.data, args.target))
        infos = table_paradigm_infos(evaluations)
    comparison = Comparison.create(evaluations, failures, run=run, paradigms=infos)
    start = time.perf_counter()
    page = build(comparison, out, terms=glossary_terms())
    print(f"wrote {out / RESULTS_FILE}")
    print(f"wrote {page} and {page.parent / 'report.md'} (built in {time.perf_counter() - start:.1f} s)")
    if failures:
        failed = ", ".join(f"{f.paradigm} (seed {f.seed})" for f in failures)
        print(f"{PROG}: {len(failures)} run(s) failed: {failed}; see {page}", file=sys.stderr)
        return 1
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..report import MARKDOWN_FILE, rebuild

    start = time.perf_counter()
    source = Path(args.dir)
    # the folder written, checked before any work (exit 2): --out, else the results' own folder
    check_output_dir(args.out if args.out is not None else (source if source.is_dir() else source.parent))
    page = rebuild(args.dir, args.out, terms=glossary_terms())
    print(f"wrote {page} and {page.parent / MARKDOWN_FILE} ({time.perf_counter() - start:.1f} s)")
    return 0
