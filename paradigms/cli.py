"""The ``paradigms`` command: list, run and compare the learning paradigms, and build the report.

    paradigms list                          T, P and E of every paradigm, one line each
    paradigms run NAME [--seed N] [--out DIR] [--quick] [settings...]
    paradigms compare [--out DIR] [--quick] [--seeds N] [--jobs N] [--set NAME.SETTING=VALUE ...]
    paradigms compare --data TABLE --target COLUMN   one table with its labels (supervised) and without
    paradigms sweep NAME --grid SETTING=V1,V2 [--grid ...] [--seeds N] [--resume] [--backend local|ray]
    paradigms report DIR [--out OUT]        rebuild the page from DIR/results.json

``paradigms run NAME --help`` lists that paradigm's settings with their help
text and defaults. Other packages add commands (``data``, ``glossary``) through
:data:`EXTENSION_MODULES`: each such module exposes ``COMMANDS``, a list of
:class:`~paradigms.commands.Command`.

This is the top floor: it parses, calls and prints. Runs go through
:mod:`paradigms.execution`, the page through :mod:`paradigms.report`, and this
module hands the report the glossary's terms (the report imports no glossary).
Nothing but ``paradigms/__main__.py`` imports it.

Exit codes: 0 success, 1 a run that failed (or a data file that cannot be
used), 2 bad usage. Errors are one line on stderr; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import shlex
import sys
import textwrap
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import glossary

from . import __version__, registry
from .commands import PROG, Command
from .console import one_line_warning, seed_line, summarize
from .errors import ConfigError, UserError
from .evaluation import Evaluation
from .execution import (
    LEDGER_FILE,
    LIST_SEPARATOR,
    MAX_RUNS,
    Backend,
    Outcome,
    SweepRun,
    default_jobs,
    get_backend,
    plan_sweep,
    run_line,
    run_many,
    run_sweep,
)
from .outputs import check_input_file, check_output_dir, record_own_files
from .progress import Progress
from .report import MARKDOWN_FILE, RESULTS_FILE, Comparison, build, rebuild
from .report.table_comparison import TABLE_PARADIGMS, table_paradigm_infos, table_run_facts
from .report.terms import TermInfo, report_terms
from .seeding import MAX_SEED, check_seed

DEFAULT_OUT = Path("results")
#: More seeds than this is a sweep for the cluster, not a comparison (each seed runs every paradigm).
MAX_SEEDS = 1000

#: Modules that add sub-commands; a module that does not exist yet is skipped.
EXTENSION_MODULES = ("paradigms.supervised.cli", "glossary.cli")


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage in one line and exits with 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _common_options() -> argparse.ArgumentParser:
    parent = _Parser(add_help=False)
    parent.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the full traceback on errors")
    parent.add_argument(
        "--no-progress", dest="progress", action="store_false", default=argparse.SUPPRESS,
        help="never draw progress bars (they are drawn only on a terminal anyway)",
    )
    return parent


def _run_options() -> argparse.ArgumentParser:
    parent = _Parser(add_help=False)
    parent.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same numbers (default: 0)")
    parent.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder for the results (default: {DEFAULT_OUT}/)")
    parent.add_argument("--quick", action="store_true", help="tiny budget: a smoke run or a classroom demo in seconds")
    return parent


def _backend_options() -> argparse.ArgumentParser:
    parent = _Parser(add_help=False)
    parent.add_argument(
        "--backend", choices=("local", "ray"), default="local",
        help="where the runs go: local processes (default), or Ray tasks (a local Ray instance, or the "
        "cluster at --address); Ray is an extra: pip install 'learning-paradigms[ray]'",
    )
    parent.add_argument(
        "--address", default=None, metavar="HOST:PORT",
        help="join the Ray cluster whose head node listens there (default: $RAY_ADDRESS, else a local "
        "Ray instance); needs --backend ray",
    )
    return parent


def _extension_commands() -> list[Command]:
    commands: list[Command] = []
    for module_name in EXTENSION_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name is not None and module_name.startswith(exc.name):
                continue
            raise
        commands.extend(getattr(module, "COMMANDS", []))
    return commands


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with one ``run`` sub-command per registered paradigm."""
    common = _common_options()
    parser = _Parser(
        prog=PROG,
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=textwrap.dedent(
            """\
            Three ways a program can learn, run on real data and measured alike.

            Tom Mitchell: a program learns from experience E with respect to task T
            and performance measure P if its performance on T, as measured by P,
            improves with E. Every paradigm here reports its T, its P (beside the
            score of a trivial program), its E and a learning curve of P against E.
            """
        ),
        epilog=textwrap.dedent(
            """\
            examples:
              paradigms list
              paradigms run supervised --quick
              paradigms run supervised --help        settings of one paradigm
              paradigms compare --out results/       all paradigms side by side

            """
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    list_parser = commands.add_parser("list", parents=[common], help="each paradigm's task T, measure P and experience E")
    list_parser.set_defaults(handler=_cmd_list)

    run_parser = commands.add_parser(
        "run", parents=[common], help="run one paradigm and write NAME.json",
        description="Run one paradigm, print a summary and write OUT/NAME.json. "
        "`paradigms run NAME --help` lists NAME's settings.",
    )
    run_parser.set_defaults(handler=lambda args: run_parser.error("name a paradigm: " + _names()))
    per_paradigm = run_parser.add_subparsers(dest="name", metavar="NAME", parser_class=_Parser)
    for spec in registry.available():
        sub = per_paradigm.add_parser(
            spec.name, parents=[common, _run_options()], help=spec.task,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            description=f"T: {spec.task}\nP: {spec.measure}\nE: {spec.experience}\n"
            f"feedback: {spec.feedback}\n\n{textwrap.dedent(spec.description).strip()}",
        )
        spec.settings.add_arguments(sub)
        sub.set_defaults(handler=_cmd_run)

    compare_parser = commands.add_parser(
        "compare", parents=[common, _run_options(), _backend_options()], help="run every paradigm and write the comparison report",
        description="Run every registered paradigm with its defaults (or --quick), over --seeds, and write "
        "OUT/NAME.json for each run, OUT/results.json with all of them, and the report: "
        "OUT/index.html (one self-contained page) and OUT/report.md (with OUT/figures/). "
        "Exit code 1 when any run failed (the others are still reported).",
    )
    compare_parser.add_argument(
        "--set", dest="assignments", action="append", default=[], metavar="NAME.SETTING=VALUE",
        help="change one paradigm's setting, e.g. --set supervised.epochs=3 (repeatable)",
    )
    compare_parser.add_argument(
        "--only", default=None, metavar="NAME,...", help="run only these paradigms (comma-separated)",
    )
    compare_parser.add_argument(
        "--seeds", type=int, default=1, metavar="N",
        help="run every paradigm N times, with seeds SEED..SEED+N-1; the report shows the mean "
        "and 95%% interval of every score (default: 1)",
    )
    compare_parser.add_argument(
        "--jobs", type=int, default=None, metavar="N",
        help="parallel processes for the runs (default: min(seeds, CPU count); 1 runs everything here; "
        "with --backend ray: runs in flight at most, default all)",
    )
    compare_parser.add_argument(
        "--data", default=None, metavar="TABLE",
        help="one labelled table (CSV or Parquet) seen twice: supervised learning with --target, unsupervised "
        "learning without it (scored against it afterwards); the page puts them side by side",
    )
    compare_parser.add_argument("--target", default=None, metavar="COLUMN", help="the table's column of labels (with --data)")
    compare_parser.set_defaults(handler=_cmd_compare)
    _add_sweep_parser(commands, common)

    report_parser = commands.add_parser(
        "report", parents=[common], help="rebuild the comparison page from DIR/results.json",
        description="Rebuild DIR/index.html and DIR/report.md from DIR/results.json (written by "
        "`paradigms compare --out DIR`), without rerunning anything.",
    )
    report_parser.add_argument("dir", type=Path, metavar="DIR", help="a folder holding results.json (or the file itself)")
    report_parser.add_argument(
        "--out", type=Path, default=None, metavar="OUT",
        help="write the report here instead (results.json is copied along); default: DIR",
    )
    report_parser.set_defaults(handler=_cmd_report)

    for command in _extension_commands():
        sub = commands.add_parser(command.name, parents=[common], help=command.help)
        command.configure(sub)
        sub.set_defaults(handler=command.handler)
    return parser


def _add_sweep_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    sweep = commands.add_parser(
        "sweep", parents=[common, _backend_options()], formatter_class=argparse.RawDescriptionHelpFormatter,
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
    sweep.add_argument("name", metavar="NAME", help="the paradigm to sweep: " + _names())
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
    sweep.set_defaults(handler=_cmd_sweep)


def _names() -> str:
    return ", ".join(spec.name for spec in registry.available()) or "none registered"


# -- commands -------------------------------------------------------------------


def _cmd_list(args: argparse.Namespace) -> int:
    specs = registry.available()
    if not specs:
        print("no paradigms registered")
    for spec in specs:
        print(spec.summary_line())
    return 0


def _progress(args: argparse.Namespace) -> Progress:
    return Progress(enabled=None if getattr(args, "progress", True) else False)


def _cmd_run(args: argparse.Namespace) -> int:
    spec = registry.get(args.name)
    seed = check_seed(args.seed)
    overrides = spec.settings.overrides_from_namespace(args)
    settings = registry.make_settings(spec.name, overrides, quick=args.quick, output_dir=args.out)
    check_output_dir(args.out)  # before any work: a run must not end unable to write its result
    evaluation = registry.run(spec.name, settings, seed=seed, progress=_progress(args))
    path = evaluation.save(Path(args.out) / f"{spec.name}.json")
    record_own_files(args.out, [path.name])
    print(summarize(evaluation))
    print(f"  wrote {path}")
    return 0


def glossary_terms() -> list[TermInfo]:
    """The glossary's terms, for the report to link; none (with a warning) where
    ``glossary.all_terms()`` fails, so a broken glossary never costs the page."""
    try:
        return report_terms(glossary.all_terms())
    except Exception as exc:  # noqa: BLE001 - the page is still worth having without links
        warnings.warn(
            f"the report has no glossary links: glossary.all_terms() failed ({type(exc).__name__}: {exc})",
            UserWarning,
            stacklevel=2,
        )
        return []


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


def _seeds(args: argparse.Namespace) -> list[int]:
    """``--seed S --seeds N`` -> seeds S..S+N-1, checked (one line, exit 2) before any run."""
    seed = check_seed(args.seed)
    if not 1 <= args.seeds <= MAX_SEEDS:
        raise ConfigError(f"--seeds {args.seeds}: give 1 to {MAX_SEEDS}")
    if seed + args.seeds - 1 > MAX_SEED:
        raise ConfigError(f"--seed {seed} with --seeds {args.seeds}: the last seed, {seed + args.seeds - 1}, is past "
                          f"the largest, {MAX_SEED}; choose --seed {MAX_SEED - args.seeds + 1} or below")
    if args.jobs is not None and args.jobs < 1:
        raise ConfigError(f"--jobs {args.jobs}: give at least 1")
    return list(range(seed, seed + args.seeds))


def _backend(args: argparse.Namespace, runs: int) -> Backend:
    """The backend the command line asked for (Ray: checked to be installed; not started yet)."""
    jobs = args.jobs if args.jobs is not None or args.backend != "local" else default_jobs(runs)
    return get_backend(args.backend, jobs=jobs, address=args.address)


def _start(backend: Backend, runs: int) -> str:
    """Start Ray (or join its cluster) before any run, so a bad --address stops us here; where runs go, in words."""
    where = backend.describe(runs)
    connect = getattr(backend, "connect", None)
    if connect is not None:
        print(f"starting Ray ({where}) ...", file=sys.stderr)
        print(f"Ray ready in {connect():.1f} s", file=sys.stderr)
    return where


def _table_assignments(args: argparse.Namespace, assignments: dict[str, dict[str, str]]) -> list[str]:
    """``--data TABLE --target COLUMN``: the supervised run gets the target, the unsupervised one the
    same rows with the target as the known groups (never fitted on); the paradigms to run."""
    if args.target is None or args.data is None:
        raise ConfigError("--data and --target go together: the table, and its column of labels")
    if args.only:
        raise ConfigError("--only does not go with --data: a table is compared through supervised and "
                          "unsupervised learning")
    check_input_file(args.data, what="table")
    assignments.setdefault("supervised", {}).update(data=args.data, target=args.target)
    assignments.setdefault("unsupervised", {}).update(data=args.data, kind="customers", label_column=args.target)
    return list(TABLE_PARADIGMS)


def _cmd_compare(args: argparse.Namespace) -> int:
    seeds = _seeds(args)
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
    backend = _backend(args, runs)
    where = _start(backend, runs)
    print(f"running {', '.join(names)} with seed{'s' if len(seeds) > 1 else ''} "
          f"{', '.join(map(str, seeds))} ({runs} run{'s' if runs > 1 else ''}, {where}) ...", file=sys.stderr)

    def done(outcome: Outcome) -> None:
        if isinstance(outcome, Evaluation):
            name = outcome.paradigm if args.seeds == 1 else f"{outcome.paradigm}.seed{outcome.seed}"
            outcome.save(out / f"{name}.json")
            record_own_files(out, [f"{name}.json"])
            print(summarize(outcome) if args.seeds == 1 else seed_line(outcome))
        else:
            print(f"{PROG}: {outcome.paradigm} (seed {outcome.seed}) failed: {outcome.error}", file=sys.stderr)
            if getattr(args, "debug", False):
                print(outcome.traceback, file=sys.stderr)

    evaluations, failures = run_many(
        names, settings, seeds, quick=args.quick, progress=_progress(args), on_done=done, backend=backend
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


def _cmd_sweep(args: argparse.Namespace) -> int:
    spec = registry.get(args.name)
    seeds = _seeds(args)
    assignments = registry.parse_assignments(args.assignments)
    others = sorted(set(assignments) - {spec.name})
    if others:
        raise ConfigError(f"--set {others[0]}.…: this sweep runs {spec.name} only; write --set {spec.name}.SETTING=VALUE")
    out = Path(args.out) if args.out is not None else Path("sweeps") / spec.name
    # Everything is checked before the first run: the backend, the grid, the run count, the folder, the ledger,
    # and the Ray cluster.
    backend = _backend(args, len(seeds))
    plan = plan_sweep(spec.name, args.grid, seeds=seeds, settings=assignments.get(spec.name), quick=args.quick,
                      out=out, resume=args.resume, yes=args.yes)
    if args.jobs is None and args.backend == "local":
        backend = _backend(args, len(plan.tasks))  # as many processes as runs, up to the cores
    where = _start(backend, len(plan.tasks))
    resumed = f", {len(plan.resumed)} already done" if plan.resumed else ""
    print(f"sweeping {spec.name} over {plan.grid.describe()} × {len(seeds)} seed{'s' if len(seeds) > 1 else ''} = "
          f"{plan.total} runs{resumed} ({len(plan.tasks)} to run, {where}) ...", file=sys.stderr)
    counts = {"done": len(plan.resumed), "failed": 0}

    def done(run: SweepRun) -> None:
        counts["done"] += 1
        counts["failed"] += run.failed
        failed = f" · {counts['failed']} failed" if counts["failed"] else ""
        print(f"[{counts['done']:>{len(str(plan.total))}}/{plan.total}] {run_line(plan.grid, run)}{failed}", flush=True)
        if run.failed and getattr(args, "debug", False):
            print(run.outcome.traceback, file=sys.stderr)

    result = run_sweep(plan, backend=backend, progress=_progress(args), on_done=done)
    command = shlex.join([PROG, "sweep", spec.name, *(f"--grid={g}" for g in args.grid), "--seed", str(seeds[0]),
                          "--seeds", str(len(seeds)), *(["--quick"] if args.quick else []),
                          *(f"--set={a}" for a in args.assignments), "--out", str(out)])
    comparison = Comparison.from_sweep(result, run={"command": command, "backend": args.backend})
    page = build(comparison, out, terms=glossary_terms())
    print(f"wrote {out / RESULTS_FILE}, {page} and {page.parent / MARKDOWN_FILE}")
    print(result.chosen_line())
    if result.failures:
        print(f"{PROG}: {len(result.failures)} of {plan.total} run(s) failed; see {page}", file=sys.stderr)
        return 1
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    if args.out is not None:
        check_output_dir(args.out)
    page = rebuild(args.dir, args.out, terms=glossary_terms())
    print(f"wrote {page} and {page.parent / MARKDOWN_FILE} ({time.perf_counter() - start:.1f} s)")
    return 0


# -- entry point --------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also used by ``python -m paradigms``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    if not debug:
        warnings.formatwarning = one_line_warning
    try:
        _check_paradigm_name(argv)
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help()
            return 2
        return int(args.handler(args) or 0)
    except UserError as exc:
        if debug:
            raise
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            raise
        print(f"{PROG}: run failed: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", file=sys.stderr)
        return 1


def _check_paradigm_name(argv: list[str]) -> None:
    """``paradigms run NAME``: an unknown NAME gets a did-you-mean, not argparse's list."""
    positional = [a for a in argv if not a.startswith("-")]
    if len(positional) >= 2 and positional[0] == "run":
        registry.get(positional[1])


def entry_point() -> Any:  # pragma: no cover - console script wrapper
    sys.exit(main())
