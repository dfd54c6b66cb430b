"""What every exercise and every check's answer has in common.

An :class:`Exercise` is one task for a student about one term of the lesson:
what to do (``task``), what to hand in (a value, or a function called
``name``), a stub that runs but is not yet right (``placeholder``, for the
student's notebook), a worked answer (``solution``, for the teacher's) and
``check(answer)``, which runs the answer offline, seeded, in seconds, and returns
:class:`Feedback`: whether it passed, what is right or wrong, why, and a hint.
Never only "wrong".

A check never lets the student's code crash it: an exception raised by the
answer becomes feedback that names it (:func:`call_answer`).
"""

from __future__ import annotations

import ast
import html
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from paradigms.errors import ConfigError


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``passed``, then ``what`` (right or wrong, with the
    numbers), ``why`` (the idea behind it) and ``hint`` (what to try next; on a pass,
    what to notice). ``numbers`` holds the figures the verdict was drawn from."""

    term: str
    passed: bool
    what: str
    why: str
    hint: str
    numbers: Mapping[str, Any] = field(default_factory=dict)

    @property
    def headline(self) -> str:
        return "Right" if self.passed else "Not yet"

    def __str__(self) -> str:
        lines = [f"{self.headline} ({self.term}): {self.what}", f"Why: {self.why}", f"Hint: {self.hint}"]
        return "\n".join(textwrap.fill(line, width=100, subsequent_indent="  ") for line in lines)

    def __repr__(self) -> str:
        return f"<Feedback {self.term}: {self.headline}: {self.what}>"

    def __bool__(self) -> bool:
        return self.passed

    def _repr_html_(self) -> str:
        colour = "#1b7f3b" if self.passed else "#a33a00"
        return (
            f"<div class='exercise-feedback' style='border-left:4px solid {colour};padding-left:0.8em'>"
            f"<p><b style='color:{colour}'>{self.headline}</b> ({html.escape(self.term)}): {html.escape(self.what)}</p>"
            f"<p><b>Why:</b> {html.escape(self.why)}</p><p><b>Hint:</b> {html.escape(self.hint)}</p></div>"
        )


def parse_number(text: str) -> float | int:
    """``"0.5"`` -> 0.5, ``"12"`` -> 12: a value typed on the command line."""
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        raise ConfigError(f"answer {text!r} is not a number: write it like 12 or 0.5") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"answer {text!r} is not a number: write it like 12 or 0.5")
    return value


def parse_settings(text: str) -> dict[str, float | int]:
    """``"degree=5,train_points=20"`` -> ``{"degree": 5, "train_points": 20}``."""
    settings: dict[str, float | int] = {}
    for item in text.replace(" ", ",").split(","):
        if not item:
            continue
        name, sep, value = item.partition("=")
        if not sep:
            raise ConfigError(f"answer {text!r}: write NAME=VALUE pairs, e.g. degree=5,train_points=20")
        settings[name.strip()] = parse_number(value)
    return settings


@dataclass(frozen=True)
class Exercise:
    """One task about one term (see the module docstring).

    ``kind`` is ``"value"`` (hand in a number or settings; ``parse`` reads them
    from the command line) or ``"function"`` (hand in a function called ``name``).
    ``check(answer)`` returns :class:`Feedback`.
    """

    term: str
    title: str
    task: str
    kind: str
    name: str
    placeholder: str
    solution: str
    check: Callable[[Any], Feedback] = field(repr=False, compare=False)
    parse: Callable[[str], Any] = field(default=parse_number, repr=False, compare=False)

    def describe(self) -> str:
        """The exercise as plain text: title, task, what to hand in."""
        if self.kind == "function":
            hand_in = (f"Hand in: a Python file defining `{self.name}` (paradigms exercise check {self.term} FILE.py), "
                       f"or in Python the function itself (check(\"{self.term}\", {self.name})).")
        else:
            hand_in = (f"Hand in: a value (paradigms exercise check {self.term} VALUE), or a Python file defining "
                       f"`{self.name}`; in Python, check(\"{self.term}\", {self.name}).")
        return "\n".join([f"{self.title} ({self.term})", "", textwrap.dedent(self.task).strip(), "", textwrap.fill(hand_in, 104)])

    def solution_answer(self) -> Any:
        """The worked answer, run: the object the teacher's notebook hands to ``check``."""
        return run_source(self.solution, self.name)


def run_source(source: str, name: str) -> Any:
    """Run ``source`` (Python text) and return what it defines as ``name``."""
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<{name}>", "exec"), namespace)  # noqa: S102 - the exercise's own worked answer
    return namespace[name]


class AnswerFailed(Exception):
    """The student's code raised, or returned something of the wrong shape."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def call_answer(function: Any, *args: Any, name: str = "your function") -> Any:
    """Call the student's function; an exception it raises becomes :class:`AnswerFailed`."""
    if not callable(function):
        raise AnswerFailed(f"the answer is {type(function).__name__} {function!r:.60}, not a function")
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - the student's code may raise anything; it becomes feedback
        raise AnswerFailed(f"{name} raised {type(exc).__name__}: {exc}") from None


def checked(term: str, hint: str) -> Callable[[Callable[[Any], Feedback]], Callable[[Any], Feedback]]:
    """Decorate a check so that an :class:`AnswerFailed` becomes feedback with ``hint``."""

    def wrap(check: Callable[[Any], Feedback]) -> Callable[[Any], Feedback]:
        def run(answer: Any) -> Feedback:
            try:
                return check(answer)
            except AnswerFailed as failed:
                return Feedback(
                    term, False, failed.message,
                    "the check calls your answer exactly as the task describes, and could not use what came back",
                    hint,
                )

        run.__doc__ = check.__doc__
        run.__name__ = check.__name__
        return run

    return wrap


def as_number(value: Any, what: str) -> float:
    """``value`` as a float, or :class:`AnswerFailed` that says what came back instead."""
    if isinstance(value, bool):
        raise AnswerFailed(f"{what} is {value!r}, a yes/no, not a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise AnswerFailed(f"{what} is {type(value).__name__} {value!r:.60}, not a number") from None
