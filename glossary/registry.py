"""Finding terms: the glossary in lesson order, lookup by slug, name or alias.

>>> [t.slug for t in all_terms()][:3]
['neuron', 'neural-network', 'deep']
>>> get_term("Batch size").slug
'batch-size'
>>> get_term("epochs").slug
'epoch'
"""

from __future__ import annotations

import difflib
import importlib
import re
from functools import cache

from paradigms.errors import ConfigError

from ._base import Term

#: One module per term, in the order the lesson introduces them.
TERM_MODULES = (
    "neuron",
    "neural_network",
    "deep",
    "backpropagation",
    "supervised_learning",
    "unsupervised_learning",
    "reinforcement_learning",
    "cost_function",
    "overfitting",
    "underfitting",
    "classification",
    "regression",
    "training_set",
    "validation_set",
    "test_set",
    "batch_size",
    "epoch",
    "learning_rate",
    "mitchell",
)


def normalize(text: str) -> str:
    """``"Batch_Size "`` -> ``"batch-size"``: the form every lookup compares."""
    text = text.strip().lower().replace("\u2019", "'")
    return re.sub(r"[\s_]+", "-", text)


def all_terms() -> list[Term]:
    """Every term, in lesson order (imports each term's module on first use)."""
    return list(_terms())


@cache
def _terms() -> tuple[Term, ...]:
    terms = []
    for name in TERM_MODULES:
        module = importlib.import_module(f"glossary.{name}")
        term = module.TERM
        if term.module != module.__name__:
            raise RuntimeError(f"{module.__name__}: TERM.slug {term.slug!r} does not match the module name")
        terms.append(term)
    return tuple(terms)


@cache
def _index() -> dict[str, Term]:
    index: dict[str, Term] = {}
    for term in all_terms():
        for key in (term.slug, *term.words):
            index.setdefault(normalize(key), term)
    return index


def get_term(slug_or_name: str | Term) -> Term:
    """The term called ``slug_or_name`` (slug, name or alias, any case).

    An unknown word raises a :class:`~paradigms.errors.ConfigError` that
    suggests the closest terms.
    """
    if isinstance(slug_or_name, Term):
        return slug_or_name
    key = normalize(str(slug_or_name))
    index = _index()
    if key in index:
        return index[key]
    close = difflib.get_close_matches(key, list(index), n=6, cutoff=0.6)
    slugs = list(dict.fromkeys(index[word].slug for word in close))[:3]
    if not slugs:  # a part of a word: "valid" -> validation-set
        slugs = [t.slug for t in all_terms() if key and key in t.slug][:3]
    hint = f"did you mean {', '.join(slugs)}? " if slugs else ""
    raise ConfigError(f"unknown glossary term {slug_or_name!r}: {hint}(see `paradigms glossary list`)")


def link_index() -> dict[str, str]:
    """Every phrase that should link to a term (lower case) -> the term's slug,
    longest phrase first, so "validation loss" is tried before "loss"."""
    pairs: dict[str, str] = {}
    for term in all_terms():
        for word in term.words:
            pairs.setdefault(word.lower(), term.slug)
    return dict(sorted(pairs.items(), key=lambda item: (-len(item[0]), item[0])))
