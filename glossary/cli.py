"""``paradigms glossary`` and ``paradigms lesson``: the lesson on the command line.

    paradigms lesson --out DIR                   the whole lesson as one page (DIR/lesson.html)
    paradigms lesson --out DIR --present         ... and as slides (DIR/present.html)
    paradigms lesson --out DIR --handout         ... and the handouts to print (DIR/handout-student.html, handout-teacher.html)
    paradigms lesson --out DIR --results RES     ... with the paradigm runs `paradigms compare` left in RES
    paradigms glossary list                      one term per line, slug first
    paradigms glossary show TERM                 definition, demo finding, numbers, table
    paradigms glossary show TERM --plot FILE.png   ... and the demo's figure (.png, .svg or .pdf)
    paradigms glossary show TERM --html FILE.html  ... or the whole entry as one web page
    paradigms glossary show TERM --seed 3 --set epochs=20   another seed, other demo settings

TERM is a slug, a name or an alias, in any case ("batch-size", "batch size",
"epochs"); an unknown TERM gets a one-line error with the closest terms.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from paradigms.commands import Command
from paradigms.errors import ConfigError
from paradigms.files import write_atomic
from paradigms.report.html import page_shell
from paradigms.seeding import check_seed

from ._base import DemoResult, Term, figure_to_png
from ._runs import load_runs, run_paradigm
from .lesson_page import run_lesson, write_lesson
from .registry import all_terms, get_term

FIGURE_FORMATS = (".png", ".svg", ".pdf")


def first_sentence(text: str) -> str:
    """The definition's first sentence (for one-line listings)."""
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _cmd_list(args: argparse.Namespace) -> int:
    terms = all_terms()
    width = max(len(term.slug) for term in terms)
    for term in terms:
        print(f"{term.slug:<{width}}  {term.name}: {first_sentence(term.definition)}")
    return 0


def parse_settings(assignments: list[str]) -> dict[str, str]:
    """``["epochs=20"]`` -> ``{"epochs": "20"}``; the term's settings class checks the values."""
    settings: dict[str, str] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"--set {item!r}: write SETTING=VALUE, e.g. --set epochs=20")
        settings[name.strip()] = value.strip()
    return settings


def run_demo(term: Term, *, seed: int = 0, settings: dict[str, str] | None = None) -> DemoResult:
    """Run ``term``'s demo with settings given as strings (as on the command line)."""
    seed = check_seed(seed)
    settings = dict(settings or {})
    if term.settings is not None:
        # Convert and check the strings once; the demo receives typed values.
        checked = term.settings.from_overrides(settings)
        settings = {name.replace("-", "_"): getattr(checked, name.replace("-", "_")) for name in settings}
    elif settings:
        raise ConfigError(f"the {term.slug} demo has no settings to change")
    return term.demo(seed=seed, **settings)


def write_figure(result: DemoResult, path: Path) -> Path:
    suffix = path.suffix.lower()
    if suffix not in FIGURE_FORMATS:
        raise ConfigError(f"--plot {path}: name a file ending in {', '.join(FIGURE_FORMATS)}")
    if suffix == ".png":
        return write_atomic(path, figure_to_png(result.plot()))
    buffer = io.BytesIO()
    result.plot().savefig(buffer, format=suffix[1:])
    return write_atomic(path, buffer.getvalue())


def html_page(result: DemoResult) -> str:
    """The entry as one self-contained web page: the figure embedded, and the report's
    Content-Security-Policy (no network, no scripts), so it opens safely from disk."""
    return page_shell(
        title=result.term.name,
        subtitle="a term of the lesson, as a runnable demo",
        kicker="learning-paradigms glossary",
        main=result._repr_html_(),
    )


def _cmd_show(args: argparse.Namespace) -> int:
    term = get_term(args.term)
    if args.plot is not None and Path(args.plot).suffix.lower() not in FIGURE_FORMATS:
        raise ConfigError(f"--plot {args.plot}: name a file ending in {', '.join(FIGURE_FORMATS)}")
    result = run_demo(term, seed=args.seed, settings=parse_settings(args.assignments))
    print(result.summary())
    if args.plot is not None:
        print(f"wrote {write_figure(result, Path(args.plot))}")
    if args.html is not None:
        print(f"wrote {write_atomic(Path(args.html), html_page(result))}")
    return 0


def _cmd_glossary(args: argparse.Namespace) -> int:
    raise ConfigError("name an action: `paradigms glossary list` or `paradigms glossary show TERM`")


def _debug_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the full traceback on errors")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add ``list`` and ``show`` under ``paradigms glossary``."""
    parser.description = "The lesson's vocabulary, each term with a definition and a runnable demo."
    actions = parser.add_subparsers(dest="glossary_action", metavar="ACTION")
    list_parser = actions.add_parser("list", help="every term, one per line, slug first")
    _debug_option(list_parser)
    list_parser.set_defaults(handler=_cmd_list)
    show = actions.add_parser(
        "show", help="a term's definition and its demo's numbers and table",
        description="Run TERM's demo and print its definition, finding, numbers and table.",
    )
    show.add_argument("term", metavar="TERM", help="slug, name or alias, e.g. batch-size, 'batch size', epochs")
    show.add_argument("--plot", type=Path, default=None, metavar="FILE.png", help="also write the demo's figure (.png, .svg or .pdf)")
    show.add_argument("--html", type=Path, default=None, metavar="FILE.html", help="also write the entry as a web page")
    show.add_argument("--seed", type=int, default=0, help="random seed of the demo (default: 0)")
    show.add_argument(
        "--set", dest="assignments", action="append", default=[], metavar="SETTING=VALUE",
        help="change one demo setting, e.g. --set epochs=20 (repeatable; the error lists the settings)",
    )
    _debug_option(show)
    show.set_defaults(handler=_cmd_show)


def _cmd_lesson(args: argparse.Namespace) -> int:
    seed = check_seed(args.seed)
    if args.results is not None and args.no_runs:
        raise ConfigError("--results and --no-runs exclude each other: give one")
    if args.out.exists() and not args.out.is_dir():
        raise ConfigError(f"--out {args.out}: a file is in the way; name a folder")
    runs = load_runs(args.results) if args.results is not None else {}
    runner = None if (args.no_runs or args.results is not None) else (lambda name: run_paradigm(name, seed=seed))
    note = ""
    if args.no_runs:
        note = "The paradigm runs were left out (--no-runs)."
    elif args.results is not None:
        note = f"The paradigm runs are read from {args.results}."
    results, runs = run_lesson(seed=seed, runs=runs, run_paradigms=runner, report=lambda line: print(line, flush=True))
    for path in write_lesson(args.out, results, runs, note=note, present=args.present, handout=args.handout, seed=seed):
        print(f"wrote {path}")
    return 0


def configure_lesson(parser: argparse.ArgumentParser) -> None:
    """Options of ``paradigms lesson``."""
    parser.description = (
        "The lesson in its order, every term with its demo and the paradigms' runs, as one self-contained "
        "page for a projector (no network needed)."
    )
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write lesson.html into")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the demos and runs (default: 0)")
    parser.add_argument(
        "--results", type=Path, default=None, metavar="DIR",
        help="read the paradigms' runs from a `paradigms compare --out DIR` folder instead of running them",
    )
    parser.add_argument("--no-runs", action="store_true", help="leave the paradigms' runs out (the demos only)")
    parser.add_argument(
        "--present", action="store_true",
        help="also write present.html: one step per screen, the question first, the figure and answer revealed by key or click",
    )
    parser.add_argument(
        "--handout", action="store_true",
        help="also write handout-student.html (questions, room to answer) and handout-teacher.html (answers), for A4 paper",
    )


COMMANDS = [
    Command(
        name="glossary",
        help="the lesson's terms: `glossary list`, `glossary show TERM`",
        configure=configure,
        handler=_cmd_glossary,
    ),
    Command(
        name="lesson",
        help="the whole lesson as one page for a projector: `lesson --out DIR`",
        configure=configure_lesson,
        handler=_cmd_lesson,
    ),
]
