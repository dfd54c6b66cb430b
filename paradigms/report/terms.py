"""Glossary terms in the report's prose, linked to their definitions.

The glossary package (``glossary.all_terms()``) lists the vocabulary with a
slug, a name, a definition, what to look for, related terms and aliases. The
report links the first mention of each term in a section to its entry in the
page's glossary. Where the glossary is not installed (or not written yet) the
report simply has no links: :func:`load_terms` returns an empty list.

>>> linker = TermLinker([TermInfo(slug="epoch", name="epoch", definition="one pass")])
>>> linker.split("three epochs, then an epoch", seen=set())
[('three ', None), ('epochs', 'epoch'), (', then an epoch', None)]
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


def safe_slug(text: str) -> str:
    """Letters, digits and dashes only: safe as an HTML id and a Markdown anchor."""
    return _SLUG_UNSAFE.sub("-", str(text).lower()).strip("-") or "x"


@dataclass(frozen=True)
class TermInfo:
    """What the report needs from a glossary term."""

    slug: str
    name: str
    definition: str
    look_for: str = ""
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @classmethod
    def from_term(cls, term: Any) -> TermInfo:
        """Read any object with the glossary's ``Term`` attributes (missing ones are empty)."""

        def text(name: str) -> str:
            value = getattr(term, name, "") or ""
            return " ".join(str(value).split())

        def names(name: str) -> tuple[str, ...]:
            value = getattr(term, name, ()) or ()
            if isinstance(value, str):
                value = (value,)
            return tuple(str(getattr(v, "slug", v)) for v in value)

        return cls(
            slug=safe_slug(getattr(term, "slug", "") or text("name")),
            name=text("name") or str(getattr(term, "slug", "")),
            definition=text("definition"),
            look_for=text("look_for"),
            related=tuple(safe_slug(s) for s in names("related")),
            aliases=names("aliases"),
        )

    @property
    def anchor(self) -> str:
        return f"term-{self.slug}"


def load_terms() -> list[TermInfo]:
    """The glossary's terms, sorted by name; empty when the glossary is unavailable."""
    try:
        from glossary import all_terms  # type: ignore[attr-defined]
    except ImportError:
        return []
    try:
        terms = [TermInfo.from_term(term) for term in all_terms()]
    except Exception as exc:  # noqa: BLE001 - a broken glossary must not sink the report
        warnings.warn(
            f"the report has no glossary links: glossary.all_terms() failed ({type(exc).__name__}: {exc})",
            UserWarning,
            stacklevel=2,
        )
        return []
    unique = {term.slug: term for term in terms if term.name}
    return sorted(unique.values(), key=lambda term: term.name.lower())


def _forms(word: str) -> set[str]:
    """A term and its plural forms, lower-cased ("epoch" -> epoch, epochs, epoches)."""
    word = " ".join(word.lower().split())
    forms = {word, word + "s", word + "es"}
    if word.endswith("y") and len(word) > 2:
        forms.add(word[:-1] + "ies")
    return forms


class TermLinker:
    """Finds glossary terms (names, aliases, plurals) in text, case-insensitively."""

    def __init__(self, terms: Sequence[TermInfo]) -> None:
        self.terms = {term.slug: term for term in terms}
        self._slug_of: dict[str, str] = {}
        for term in terms:
            for word in (term.name, *term.aliases):
                if len(word.strip()) < 2:
                    continue
                for form in _forms(word):
                    self._slug_of.setdefault(form, term.slug)
        if self._slug_of:
            alternatives = sorted(self._slug_of, key=len, reverse=True)
            body = "|".join(r"\s+".join(map(re.escape, a.split())) for a in alternatives)
            self._pattern: re.Pattern[str] | None = re.compile(
                rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE
            )
        else:
            self._pattern = None

    def __bool__(self) -> bool:
        return bool(self.terms)

    def split(self, text: str, seen: set[str]) -> list[tuple[str, str | None]]:
        """``text`` cut into (piece, slug-or-None); only the first mention of a term
        not yet in ``seen`` gets its slug, and that slug is added to ``seen``."""
        if self._pattern is None or not text:
            return [(text, None)]
        pieces: list[tuple[str, str | None]] = []
        position = 0
        for match in self._pattern.finditer(text):
            slug = self._slug_of.get(" ".join(match.group(0).lower().split()))
            if slug is None or slug in seen:
                continue
            seen.add(slug)
            if match.start() > position:
                pieces.append((text[position : match.start()], None))
            pieces.append((match.group(0), slug))
            position = match.end()
        if position < len(text):
            pieces.append((text[position:], None))
        return pieces or [(text, None)]


def related_pairs(term: TermInfo, known: Iterable[str], names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """(slug, name) of ``term``'s related terms that the page defines."""
    known = set(known)
    return tuple((slug, names[slug]) for slug in term.related if slug in known and slug != term.slug)
