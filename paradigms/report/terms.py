"""Glossary terms in the report's prose, linked to their definitions.

The report does not know where terms come from: whoever builds it hands them in
(``build(..., terms=...)``). The command line hands in the glossary package's
(``glossary.all_terms()``); a notebook may hand in its own. A term is anything
with the attributes of :class:`GlossaryTerm` (a slug, a name, a definition, what
to look for, related slugs and aliases); :func:`report_terms` reads them into the
report's own :class:`TermInfo`. The report links the first mention of each term
in a section to its entry in the page's glossary; with no terms, it has no links
and no glossary section.

>>> linker = TermLinker([TermInfo(slug="epoch", name="epoch", definition="one pass")])
>>> linker.split("three epochs, then an epoch", seen=set())
[('three ', None), ('epochs', 'epoch'), (', then an epoch', None)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


def safe_slug(text: str) -> str:
    """Letters, digits and dashes only: safe as an HTML id and a Markdown anchor."""
    return _SLUG_UNSAFE.sub("-", str(text).lower()).strip("-") or "x"


class GlossaryTerm(Protocol):
    """What a term handed to the report provides (``glossary.Term`` does).

    ``related`` names other terms by slug (or holds objects with a ``slug``);
    ``aliases`` are other words for the term in running text. Only ``slug`` (or
    ``name``) is required: a missing attribute reads as empty.
    """

    # read-only properties, so that a frozen dataclass (glossary.Term) provides them
    @property
    def slug(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def definition(self) -> str: ...

    @property
    def look_for(self) -> str: ...

    @property
    def related(self) -> Sequence[str]: ...

    @property
    def aliases(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class TermInfo:
    """What the report needs from a glossary term, normalized: slugs safe as anchors,
    text on one line."""

    slug: str
    name: str
    definition: str
    look_for: str = ""
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @classmethod
    def from_term(cls, term: GlossaryTerm | Any) -> TermInfo:
        """Read any object with :class:`GlossaryTerm`'s attributes (missing ones are empty)."""

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


def report_terms(terms: Iterable[GlossaryTerm | TermInfo] | None) -> list[TermInfo]:
    """``terms`` as the report uses them: one :class:`TermInfo` per slug (the first
    wins), nameless ones left out, sorted by name; ``None`` gives none."""
    unique: dict[str, TermInfo] = {}
    for term in terms or ():
        info = term if isinstance(term, TermInfo) else TermInfo.from_term(term)
        if info.name:
            unique.setdefault(info.slug, info)
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
