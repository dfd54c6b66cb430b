"""``paradigms exercise``: the lesson's exercises on the command line.

    paradigms exercise list                    one exercise per line, its term first
    paradigms exercise show TERM               what to do and what to hand in
    paradigms exercise show TERM --solution    ... and the worked answer (for the teacher)
    paradigms exercise check TERM ANSWER       run the check: right or not yet, why, a hint

ANSWER is a value (``1.5``, ``degree=5,train_points=20``) or a Python file
defining what the exercise asks for (``my_neuron.py`` defining ``neuron``).
``check`` exits with 0 when the answer is right and 1 when it is not yet, so a
script can grade a folder of answers.
"""

from __future__ import annotations

import argparse
import textwrap

from paradigms.commands import Command
from paradigms.errors import ConfigError

from .answers import read_answer
from .registry import all_exercises, get_exercise


def _cmd_list(args: argparse.Namespace) -> int:
    exercises = all_exercises()
    width = max(len(exercise.term) for exercise in exercises)
    for exercise in exercises:
        hand_in = f"a function `{exercise.name}`" if exercise.kind == "function" else "a value"
        print(f"{exercise.term:<{width}}  {exercise.title} (hand in {hand_in})")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    exercise = get_exercise(args.term)
    print(exercise.describe())
    print("\nStart from:\n" + textwrap.indent(exercise.placeholder.rstrip(), "    "))
    if args.solution:
        print("\nA worked answer:\n" + textwrap.indent(exercise.solution.rstrip(), "    "))
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    exercise = get_exercise(args.term)
    feedback = exercise.check(read_answer(exercise, args.answer))
    print(feedback)
    return 0 if feedback.passed else 1


def _cmd_exercise(args: argparse.Namespace) -> int:
    raise ConfigError("name an action: `paradigms exercise list`, `show TERM` or `check TERM ANSWER`")


def _debug_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the full traceback on errors")


def configure(parser: argparse.ArgumentParser) -> None:
    """Add ``list``, ``show`` and ``check`` under ``paradigms exercise``."""
    parser.description = "One exercise per term of the lesson, each with a check that runs offline in seconds."
    actions = parser.add_subparsers(dest="exercise_action", metavar="ACTION")
    listing = actions.add_parser("list", help="every exercise, one per line, its term first")
    _debug_option(listing)
    listing.set_defaults(handler=_cmd_list)
    show = actions.add_parser("show", help="what an exercise asks and what to hand in",
                              description="Print TERM's exercise: the task, what to hand in, the stub to start from.")
    show.add_argument("term", metavar="TERM", help="slug, name or alias of a term, e.g. learning-rate, 'batch size'")
    show.add_argument("--solution", action="store_true", help="also print the worked answer (for the teacher)")
    _debug_option(show)
    show.set_defaults(handler=_cmd_show)
    check = actions.add_parser("check", help="check an answer: right or not yet, why, and a hint",
                               description="Run TERM's check on ANSWER. Exit code 0: right; 1: not yet.")
    check.add_argument("term", metavar="TERM", help="slug, name or alias of a term")
    check.add_argument("answer", metavar="ANSWER", help="a value (1.5, degree=5,train_points=20) or a .py file defining what the exercise asks for")
    _debug_option(check)
    check.set_defaults(handler=_cmd_check)


COMMANDS = [
    Command(
        name="exercise",
        help="the lesson's exercises: `exercise list`, `exercise show TERM`, `exercise check TERM ANSWER`",
        configure=configure,
        handler=_cmd_exercise,
    ),
]
