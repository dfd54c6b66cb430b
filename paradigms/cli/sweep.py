"""``paradigms sweep``: one paradigm over a grid of settings, and what each setting does."""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import sys
import textwrap
from pathlib import Path
from typing import Any

from .. import registry
from ..commands import PROG
from ..errors import ConfigError
from ..execution import (
    LEDGER_FILE,
    LIST_SEPARATOR,
    MAX_RUNS,
    Failure,
    SweepPlan,
    SweepRun,
    plan_sweep,
    run_line,
    run_sweep,
)
from ..outputs import exclusive_use
from ..tracking import parent_run
from .common import (
    backend_for,
    backend_options,
    checked_seeds,
    glossary_terms,
    paradigm_names,
    progress_of,
    start_backend,
    tracking_of,
    tracking_options,
)


def add_sweep_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    sweep = commands.add_parser(
        "sweep", parents=[common, backend_options(), tracking_options()], formatter_class=argparse.RawDescriptionHelpFormatter,
        help="run one paradigm over a grid of settings and report what each setting does",
        description=textwrap.dedent(f"""\
            Run paradigm NAME once per cell of the grid (every combination of the --grid values) and
            seed, then write OUT/index.html and OUT/report.md: P against each setting, time per run,
            every cell's learning curve, a heat map for two settings, and the best cell, chosen on a
            validation measure (never on the test set). Each run's result is saved as it finishes
            (OUT/runs/CELL/seedS.json, and its own files beside it; OUT/{LEDGER_FILE} records them), so
            --resume continues a sweep that stopped. Exit code 1 when any run failed.

            Values are read as `paradigms run NAME --help` documents each setting. A setting that
            holds a list (hidden_sizes) separates its values with '{LIST_SEPARATOR}':
            --grid "hidden_sizes=128{LIST_SEPARATOR}256,128". More than {MAX_RUNS} runs (cells x seeds) need --yes."""),
        epilog=textwrap.dedent("""\
            examples:
              paradigms sweep supervised --grid batch_size=32,128,512,2048 --seeds 3 --out sweeps/batch
              paradigms sweep supervised --grid learning_rate=1e-3,3e-3,1e-2 --grid "hidden_sizes=128;256,128"
              paradigms sweep unsupervised --grid k=3,4,5,6,8 --set unsupervised.data=orders.csv
              paradigms sweep reinforcement --grid agent=dqn,ppo --seeds 5 --backend ray --address HEAD:6379
            """),
    )
    sweep.add_argument("name", metavar="NAME", help="the paradigm to sweep: " + paradigm_names())
    sweep.add_argument(
        "--grid", action="append", default=[], metavar="SETTING=V1,V2",
        help="a setting and the values it takes (repeatable: the grid is every combination); "
        f"a list-valued setting separates its values with '{LIST_SEPARATOR}'",
    )
    sweep.add_argument(
        "--set", dest="assignments", action="append", default=[], metavar="NAME.SETTING=VALUE",
        help="change a setting for every cell, e.g. --set supervised.epochs=3 (repeatable)",
    )
    sweep.add_argument("--seed", type=int, default=0, help="first seed (default: 0)")
    sweep.add_argument("--seeds", type=int, default=1, metavar="N",
                       help="run every cell N times, seeds SEED..SEED+N-1 (default: 1; 3 or more for intervals)")
    sweep.add_argument("--quick", action="store_true", help="tiny budget for every run: a smoke test of the grid")
    sweep.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="parallel processes (default: min(runs, CPU count)); with --backend ray: runs in flight at "
                       "most (default: all, Ray queues them)")
    sweep.add_argument("--out", type=Path, default=None, metavar="DIR", help="folder for the results (default: sweeps/NAME)")
    sweep.add_argument("--resume", action="store_true",
                       help="keep the runs already in --out with the same settings and seed; run only the rest")
    sweep.add_argument("--yes", action="store_true", help=f"run a grid of more than {MAX_RUNS} runs")
    sweep.set_defaults(handler=cmd_sweep)


def cmd_sweep(args: argparse.Namespace) -> int:
    spec = registry.get(args.name)
    seeds = checked_seeds(args)
    assignments = registry.parse_assignments(args.assignments)
    others = sorted(set(assignments) - {spec.name})
    if others:
        raise ConfigError(f"--set {others[0]}.…: this sweep runs {spec.name} only; write --set {spec.name}.SETTING=VALUE")
    out = Path(args.out) if args.out is not None else Path("sweeps") / spec.name
    # Everything is checked before the first run: the backend, the grid, the run count, the folder, the ledger,
    # and the Ray cluster.
    backend = backend_for(args)
    plan = plan_sweep(spec.name, args.grid, seeds=seeds, settings=assignments.get(spec.name), quick=args.quick,
                      yes=args.yes, tracking=tracking_of(args))  # the grid and the run count, before the folder is made and locked
    with exclusive_use(out):  # one sweep per folder at a time, from its ledger to its page
        return _sweep_into(args, spec, seeds, plan.in_folder(out, resume=args.resume), backend)


def _sweep_into(args: argparse.Namespace, spec: Any, seeds: list[int], plan: SweepPlan, backend: Any) -> int:
    # the report (matplotlib) loads for the commands that write a page
    from ..report import MARKDOWN_FILE, RESULTS_FILE, Comparison, build

    out = plan.out
    assert out is not None  # planned into --out above
    where = start_backend(backend, len(plan.tasks))
    resumed = f", {len(plan.resumed)} already done" if plan.resumed else ""
    print(f"sweeping {spec.name} over {plan.grid.describe()} × {len(seeds)} seed{'s' if len(seeds) > 1 else ''} = "
          f"{plan.total} runs{resumed} ({len(plan.tasks)} to run, {where}) ...", file=sys.stderr)
    counts = {"done": len(plan.resumed), "failed": 0}

    def done(run: SweepRun) -> None:
        counts["done"] += 1
        counts["failed"] += run.failed
        failed = f" · {counts['failed']} failed" if counts["failed"] else ""
        print(f"[{counts['done']:>{len(str(plan.total))}}/{plan.total}] {run_line(plan.grid, run)}{failed}", flush=True)
        if isinstance(run.outcome, Failure) and getattr(args, "debug", False):  # (what run.failed says)
            print(run.outcome.traceback, file=sys.stderr)

    with parent_run(plan.tracking, f"sweep__{spec.name}__{plan.grid.describe()}",
                    {"grid": plan.grid.describe(), "seeds": ",".join(map(str, seeds))}) as parent:  # MLflow: the runs' parent
        tracked = plan if parent.tracking is None else dataclasses.replace(plan, tracking=parent.tracking)
        result = run_sweep(tracked, backend=backend, progress=progress_of(args), on_done=done)
    command = shlex.join([PROG, "sweep", spec.name, *(f"--grid={g}" for g in args.grid), "--seed", str(seeds[0]),
                          "--seeds", str(len(seeds)), *(["--quick"] if args.quick else []),
                          *(f"--set={a}" for a in args.assignments), "--out", str(out)])
    comparison = Comparison.from_sweep(result, run={"command": command, "backend": args.backend})
    page = build(comparison, out, terms=glossary_terms())
    print(f"wrote {out / RESULTS_FILE}, {page} and {page.parent / MARKDOWN_FILE}")
    parent.log_files([out / RESULTS_FILE, page, page.parent / MARKDOWN_FILE])
    print(result.chosen_line())
    if result.failures:
        print(f"{PROG}: {len(result.failures)} of {plan.total} run(s) failed; see {page}", file=sys.stderr)
        return 1
    return 0
