"""Render a :class:`~paradigms.report.document.Document` as Markdown (``report.md``).

The same content as the page; pictures are files in ``figures/`` beside the
Markdown file. Text from data is escaped twice over: ``<``, ``>`` and ``&`` as
HTML entities (Markdown passes raw HTML through) and Markdown's own
punctuation with backslashes, so a column named ``<script>alert(1)</script>``
or ``*bold*`` shows as typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from .document import (
    Block,
    Break,
    BulletList,
    Callout,
    Code,
    CodeBlock,
    Document,
    Em,
    GlossaryList,
    Image,
    Inline,
    Link,
    Paragraph,
    Plain,
    Preformatted,
    Quote,
    Section,
    StatStrip,
    Strong,
    Table,
)
from .terms import TermLinker

FIGURES_DIR = "figures"
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_ENTITY = re.compile(r"&(?=[A-Za-z0-9#]+;)")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def md_escape(text: str) -> str:
    """Text that Markdown shows literally (no emphasis, links, tables or raw HTML)."""
    text = _ENTITY.sub("&amp;", str(text)).replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return " ".join(text.splitlines())


def md_code(text: str) -> str:
    """An inline code span that survives backticks and table pipes in ``text``."""
    text = " ".join(str(text).splitlines()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


class MarkdownRenderer:
    def __init__(self, linker: TermLinker | None = None) -> None:
        self.linker = linker or TermLinker([])
        self._seen: set[str] = set()
        self._link_terms = True

    def inline(self, item: Inline) -> str:
        if isinstance(item, str):
            return self.prose(item)
        if isinstance(item, Plain):
            return md_escape(item.text)
        if isinstance(item, Em):
            return f"*{self.inlines(item.content)}*"
        if isinstance(item, Strong):
            return f"**{self.inlines(item.content)}**"
        if isinstance(item, Code):
            return md_code(item.text)
        if isinstance(item, Break):
            return "<br>"
        if isinstance(item, Link):
            return f"[{md_escape(item.text)}](#{item.anchor})"
        raise TypeError(f"not an inline: {item!r}")

    def inlines(self, items: Sequence[Inline]) -> str:
        return "".join(self.inline(item) for item in items)

    def prose(self, text: str) -> str:
        if not self._link_terms or not self.linker:
            return md_escape(text)
        out = []
        for piece, slug in self.linker.split(text, self._seen):
            if slug is None:
                out.append(md_escape(piece))
            else:
                out.append(f"[{md_escape(piece)}](#{self.linker.terms[slug].anchor})")
        return "".join(out)

    def paragraph(self, items: Sequence[Inline]) -> str:
        text = self.inlines(items)
        return _LINE_START.sub(r"\1\\\2", text)

    def block(self, block: Block) -> str:
        if isinstance(block, Paragraph):
            return self.paragraph(block.content)
        if isinstance(block, Quote):
            return "> " + self.paragraph(block.content)
        if isinstance(block, BulletList):
            return "\n".join(f"- {self.inlines(item)}" for item in block.items)
        if isinstance(block, Callout):
            mark = {"warning": "Warning", "error": "Error"}.get(block.kind, "Note")
            text = f"> **{mark}: {md_escape(block.title)}.** {self.inlines(block.content)}"
            if block.detail:
                text += "\n\n" + _details("details", block.detail, "text")
            return text
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Image):
            text = f"![{md_escape(block.alt)}]({FIGURES_DIR}/{block.filename})"
            if block.caption:
                text += f"\n\n*{self.inlines(block.caption)}*"
            return text
        if isinstance(block, CodeBlock):
            return _fenced(block.text, "")
        if isinstance(block, Preformatted):
            return _details(block.summary, block.text, "json")
        if isinstance(block, StatStrip):
            rows = [
                ("[" + md_escape(s.label) + f"](#{s.anchor})", md_escape(s.value), md_escape(s.detail))
                for s in block.stats
            ]
            return _pipe_table(("paradigm", "score", "measure"), rows, numeric={1})
        if isinstance(block, GlossaryList):
            entries = []
            for entry in block.entries:
                text = f'<a id="term-{entry.slug}"></a>**{md_escape(entry.name)}**: {md_escape(entry.definition)}'
                if entry.look_for:
                    text += f"  \n*Look for:* {md_escape(entry.look_for)}"
                text += f"  \n*Try it:* {md_code('paradigms glossary show ' + entry.slug)}"
                if entry.related:
                    text += "  \n*Related:* " + ", ".join(f"[{md_escape(n)}](#term-{s})" for s, n in entry.related)
                entries.append(text)
            return "\n\n".join(entries)
        raise TypeError(f"not a block: {block!r}")

    def table(self, table: Table) -> str:
        rows = [tuple(self.inlines(c) for c in row) for row in table.rows]
        text = _pipe_table(tuple(md_escape(h) or " " for h in table.header), rows, numeric=table.numeric)
        if table.caption:
            text += f"\n\n*{md_escape(table.caption)}*"
        return text

    def section(self, section: Section, level: int = 2) -> str:
        self._seen = set()
        self._link_terms = section.link_terms
        parts = [f'<a id="{section.anchor}"></a>\n\n{"#" * level} {md_escape(section.title)}']
        parts.extend(self.block(b) for b in section.blocks)
        parts.extend(self.section(s, level + 1) for s in section.subsections)
        return "\n\n".join(parts)

    def document(self, document: Document) -> str:
        self._seen, self._link_terms = set(), True
        parts = [f"# {md_escape(document.title)}", f"*{md_escape(document.subtitle)}*"]
        parts.extend(self.block(b) for b in document.lead)
        parts.append(
            "**Contents:** "
            + " · ".join(f"[{md_escape(s.short_title or s.title)}](#{s.anchor})" for s in document.sections)
        )
        parts.extend(self.section(s) for s in document.sections)
        self._link_terms = False
        if document.footer:
            parts.append("---\n\n" + self.inlines(document.footer))
        return "\n\n".join(parts) + "\n"


def _pipe_table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: frozenset[int] | set[int]) -> str:
    def cell(text: str) -> str:
        return text.replace("\n", " ") or " "

    align = ["---:" if i in numeric else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "| " + " | ".join(align) + " |"]
    lines.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def _fenced(text: str, language: str) -> str:
    """A fenced code block whose fence is longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def _details(summary: str, text: str, language: str) -> str:
    return f"<details><summary>{escape(summary)}</summary>\n\n{_fenced(text, language)}\n\n</details>"


def render_markdown(document: Document, linker: TermLinker | None = None) -> str:
    """The whole report as Markdown; images are referenced as ``figures/NAME``."""
    return MarkdownRenderer(linker).document(document)
