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
Nothing but ``paradigms/__main__.py`` imports it. The sub-commands live in
:mod:`.runs` (list, run, compare, report) and :mod:`.sweep`; :mod:`.common` holds what they share.

Exit codes: 0 success, 1 a run that failed (or a data file that cannot be
used), 2 bad usage. Errors are one line on stderr; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import textwrap
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__, registry
from ..commands import PROG, Command
from ..console import one_line_warning, terminal_safe
from ..errors import UserError
from .common import (
    DEFAULT_OUT,
    Parser,
    backend_options,
    common_options,
    glossary_terms,
    paradigm_names,
    run_options,
    tracking_options,
)
from .runs import cmd_compare, cmd_list, cmd_report, cmd_run
from .sweep import add_sweep_parser

__all__ = ["DEFAULT_OUT", "EXTENSION_MODULES", "build_parser", "entry_point", "glossary_terms", "main"]

#: Modules that add sub-commands; a module that does not exist yet is skipped.
EXTENSION_MODULES = ("paradigms.supervised.cli", "glossary.cli", "glossary.exercises.cli")


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
    common = common_options()
    parser = Parser(
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
    # Typed as plain ArgumentParser sub-commands: typeshed wants each parents= parser to be of
    # parser_class, though argparse copies the arguments of any ArgumentParser.
    commands: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=Parser
    )

    list_parser = commands.add_parser("list", parents=[common], help="each paradigm's task T, measure P and experience E")
    list_parser.set_defaults(handler=cmd_list)

    run_parser = commands.add_parser(
        "run", parents=[common], help="run one paradigm and write NAME.json",
        description="Run one paradigm, print a summary and write OUT/NAME.json. "
        "`paradigms run NAME --help` lists NAME's settings.",
    )
    run_parser.set_defaults(handler=lambda args: run_parser.error("name a paradigm: " + paradigm_names()))
    per_paradigm: argparse._SubParsersAction[argparse.ArgumentParser] = run_parser.add_subparsers(
        dest="name", metavar="NAME", parser_class=Parser
    )
    for spec in registry.available():
        sub = per_paradigm.add_parser(
            spec.name, parents=[common, run_options(), tracking_options()], help=spec.task,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            description=f"T: {spec.task}\nP: {spec.measure}\nE: {spec.experience}\n"
            f"feedback: {spec.feedback}\n\n{textwrap.dedent(spec.description).strip()}",
        )
        spec.settings.add_arguments(sub)
        sub.set_defaults(handler=cmd_run)

    compare_parser = commands.add_parser(
        "compare", parents=[common, run_options(), backend_options(), tracking_options()], help="run every paradigm and write the comparison report",
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
        help="parallel processes for the runs (default: one per run, up to the CPU count; 1 runs everything here; "
        "with --backend ray: runs in flight at most, default all)",
    )
    compare_parser.add_argument(
        "--data", default=None, metavar="TABLE",
        help="one labelled table (CSV or Parquet) seen twice: supervised learning with --target, unsupervised "
        "learning without it (scored against it afterwards); the page puts them side by side",
    )
    compare_parser.add_argument("--target", default=None, metavar="COLUMN", help="the table's column of labels (with --data)")
    compare_parser.add_argument(
        "--task", default=None, metavar="NAME",
        help="one task for all three paradigms, measured by the same P on the same test examples, so that only "
        "the feedback differs: 'digits' (MNIST learned from labels, from nothing, and from a reward for each "
        "guess); the page opens with P against examples seen for the three",
    )
    compare_parser.set_defaults(handler=cmd_compare)
    add_sweep_parser(commands, common)

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
    report_parser.set_defaults(handler=cmd_report)

    for command in _extension_commands():
        sub = commands.add_parser(command.name, parents=[common], help=command.help)
        command.configure(sub)
        sub.set_defaults(handler=command.handler)
    return parser


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
        print(f"{PROG}: error: {terminal_safe(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if debug:
            raise
        print(f"{PROG}: run failed: {type(exc).__name__}: {terminal_safe(str(exc))} "
              "(rerun with --debug for the traceback)", file=sys.stderr)
        return 1


def _check_paradigm_name(argv: list[str]) -> None:
    """``paradigms run NAME``: an unknown NAME gets a did-you-mean, not argparse's list."""
    positional = [a for a in argv if not a.startswith("-")]
    if len(positional) >= 2 and positional[0] == "run":
        registry.get(positional[1])


def entry_point() -> Any:  # pragma: no cover - console script wrapper
    sys.exit(main())
