"""Finding exercises: one per glossary term, in the lesson's order, looked up like the terms.

>>> [exercise.term for exercise in all_exercises()][:3]
['neuron', 'neural-network', 'deep']
>>> get_exercise("Batch size").name
'answer'
"""

from __future__ import annotations

from functools import cache

from paradigms.errors import ConfigError

from ..registry import all_terms, get_term
from . import data_sets, fitting, learners, networks, training
from ._base import Exercise

GROUPS = (networks, learners, fitting, data_sets, training)


@cache
def _by_term() -> dict[str, Exercise]:
    exercises = {exercise.term: exercise for group in GROUPS for exercise in group.EXERCISES}
    slugs = [term.slug for term in all_terms()]
    if sorted(exercises) != sorted(slugs):
        raise RuntimeError(f"exercises for {sorted(exercises)} but terms {sorted(slugs)}")
    return {slug: exercises[slug] for slug in slugs}


def all_exercises() -> list[Exercise]:
    """Every exercise, one per term, in the lesson's order."""
    return list(_by_term().values())


def get_exercise(term: str) -> Exercise:
    """The exercise of ``term`` (slug, name or alias, any case, as ``paradigms glossary show`` takes)."""
    try:
        slug = get_term(term).slug
    except ConfigError as error:
        raise ConfigError(str(error).replace("`paradigms glossary list`", "`paradigms exercise list`")) from None
    return _by_term()[slug]
