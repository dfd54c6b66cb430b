"""The report as a small tree of blocks, rendered twice: to HTML and to Markdown.

:mod:`paradigms.report.content` builds one :class:`Document` from the results;
:mod:`paradigms.report.html` and :mod:`paradigms.report.markdown` render it, so
the page and ``report.md`` always carry the same content.

Text is kept as plain strings until a renderer escapes it, so nothing that
comes from data (a column name, a file name, a setting) can turn into markup.
A bare ``str`` inline is prose: a renderer may link glossary terms inside it.
:class:`Plain` is text never linked (names, paths, numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Union


@dataclass(frozen=True)
class Plain:
    """Text shown as is: no glossary links (names, numbers, paths)."""

    text: str


@dataclass(frozen=True)
class Em:
    content: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    content: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Break:
    """A line break inside a paragraph or a table cell."""


@dataclass(frozen=True)
class Link:
    """A link inside the page (``#anchor``); external links are never made."""

    text: str
    anchor: str


Inline = Union[str, Plain, Em, Strong, Code, Break, Link]  # noqa: UP007 - a runtime alias


def em(*content: Inline) -> Em:
    return Em(tuple(content))


def strong(*content: Inline) -> Strong:
    return Strong(tuple(content))


def inlines(content: Inline | Sequence[Inline]) -> tuple[Inline, ...]:
    """One inline or a sequence of them, as a tuple."""
    if isinstance(content, (str, Plain, Em, Strong, Code, Break, Link)):
        return (content,)
    return tuple(content)


@dataclass(frozen=True)
class Paragraph:
    content: tuple[Inline, ...]


@dataclass(frozen=True)
class Quote:
    content: tuple[Inline, ...]


@dataclass(frozen=True)
class Callout:
    """A boxed notice: ``kind`` is "note", "warning" (a fallback data set) or "error" (a failed run)."""

    kind: str
    title: str
    content: tuple[Inline, ...]
    detail: str = ""  # preformatted text shown folded (a traceback)


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Table:
    """Rows of cells; ``numeric`` names the columns aligned right."""

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    caption: str = ""
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Image:
    """A picture: PNG (a matplotlib figure) or GIF (an animation); ``filename`` is
    its name beside ``report.md``."""

    filename: str
    data: bytes
    alt: str
    caption: tuple[Inline, ...] = ()
    mime: str = "image/png"


@dataclass(frozen=True)
class CodeBlock:
    """Lines of code or commands, shown as they are."""

    text: str


@dataclass(frozen=True)
class Preformatted:
    """Monospaced text, folded under ``summary`` in the page."""

    summary: str
    text: str


@dataclass(frozen=True)
class Stat:
    """One headline number of the "at a glance" strip."""

    label: str
    value: str
    detail: str
    anchor: str
    normalized: float | None = None
    failed: bool = False
    colour: str = ""  # "#rrggbb", the paradigm's colour in the figures


@dataclass(frozen=True)
class StatStrip:
    stats: tuple[Stat, ...]


@dataclass(frozen=True)
class GlossaryEntry:
    slug: str
    name: str
    definition: str
    look_for: str = ""
    related: tuple[tuple[str, str], ...] = ()  # (slug, name) of related terms in the page


@dataclass(frozen=True)
class GlossaryList:
    entries: tuple[GlossaryEntry, ...]


Block = Union[  # noqa: UP007
    Paragraph, Quote, Callout, BulletList, Table, Image, CodeBlock, Preformatted, StatStrip, GlossaryList
]


@dataclass(frozen=True)
class Section:
    """A titled part of the page; ``anchor`` is its id (letters, digits, dashes)."""

    anchor: str
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()
    #: Whether glossary terms are linked in this section (not in the glossary itself).
    link_terms: bool = True
    #: A short title for the table of contents (defaults to ``title``).
    short_title: str = ""


@dataclass(frozen=True)
class Document:
    """A whole page: masthead (``kicker``, ``title``, ``subtitle``), the ``lead`` blocks
    above the sections, the sections, and a footer line."""

    title: str
    subtitle: str
    lead: tuple[Block, ...]
    sections: tuple[Section, ...]
    footer: tuple[Inline, ...] = ()
    kicker: str = "learning-paradigms · comparison report"

    def all_images(self) -> list[Image]:
        """Every image in reading order (what ``report.md`` writes beside itself)."""
        found: list[Image] = []

        def visit(blocks: Sequence[Block]) -> None:
            found.extend(b for b in blocks if isinstance(b, Image))

        visit(self.lead)
        stack = list(self.sections)
        while stack:
            section = stack.pop(0)
            visit(section.blocks)
            stack[0:0] = list(section.subsections)
        return found


def lines(items: Sequence[str]) -> tuple[Inline, ...]:
    """Plain lines, one under the other (e.g. several checksums in one table cell)."""
    out: list[Inline] = []
    for item in items:
        if out:
            out.append(Break())
        out.append(Plain(item))
    return tuple(out) or (Plain("—"),)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], *, numeric: Sequence[int] = (), caption: str = "") -> Table:
    """A :class:`Table`; a cell may be a string (prose), an inline or a list of inlines."""
    return Table(
        header=tuple(header),
        rows=tuple(tuple(inlines(c) for c in row) for row in rows),
        caption=caption,
        numeric=frozenset(numeric),
    )
