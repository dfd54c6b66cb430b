"""Exercises that check themselves: one per term of the lesson.

Each :class:`Exercise` asks the student to do something (write a cost function,
pick a learning rate that converges in 10 steps, find the epoch to stop at, split
a data set without leaking the test set, choose k, design the reward that teaches
an agent FrozenLake, ...) and ``check(answer)`` runs the answer offline, seeded,
in seconds, on the glossary demos' own machinery and the paradigms' APIs. It
returns :class:`Feedback`: right or not yet, what is right or wrong with the
numbers, why, and a hint.

>>> from glossary.exercises import get_exercise      # doctest: +SKIP
>>> exercise = get_exercise("learning rate")        # doctest: +SKIP
>>> print(exercise.check(2.5))                       # doctest: +SKIP
Not yet (learning-rate): rate 2.5 is past the edge: ...

``examples/exercises.ipynb`` has them all for students and
``examples/exercises_teacher.ipynb`` with worked answers; on the command line:
``paradigms exercise list``, ``paradigms exercise show TERM`` and
``paradigms exercise check TERM ANSWER``.
"""

from __future__ import annotations

from typing import Any

from ._base import Exercise, Feedback
from .answers import load_from_file, read_answer
from .registry import all_exercises, get_exercise


def check(term: str, answer: Any) -> Feedback:
    """Check ``answer`` to the exercise of ``term`` (slug, name or alias)."""
    return get_exercise(term).check(answer)


__all__ = ["Exercise", "Feedback", "all_exercises", "check", "get_exercise", "load_from_file", "read_answer"]
