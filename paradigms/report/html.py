"""Render a :class:`~paradigms.report.document.Document` as one self-contained HTML page.

Everything is inline: the stylesheet, and every picture as a ``data:`` URL, so
the page opens from disk and makes no network request (its Content Security
Policy forbids any). Every piece of text is escaped with :func:`html.escape`,
so a column named ``<script>alert(1)</script>`` shows as text. Glossary terms
in prose link to their entries in the page's glossary (first mention per section).

Low-level helpers, stable for any other page of the toolkit (the glossary's
lesson page builds on them):

* :func:`escape_html` (also :func:`e`): any text, quotes included, safe in HTML;
* :func:`data_url`: PNG or GIF bytes as a ``data:`` URL the policy allows;
* :data:`CONTENT_SECURITY_POLICY`: no network, no scripts, inline styles and
  ``data:`` images only;
* :func:`content_security_policy`: that policy, or the same with one inline
  script allowed by its SHA-256 hash (and nothing else: no other script, no
  network), for a page that needs one (the lesson's presenter mode);
* :func:`page_shell`: a whole page around a body, with that policy, the inline
  stylesheet (:data:`paradigms.report.style.CSS`), a masthead and a contents list,
  and optionally that one script;
* :func:`render_html`: a :class:`~paradigms.report.document.Document` as a page.

>>> "<b>" in page_shell(title="A <b>lesson</b>", main="<p>hi</p>")
False
>>> data_url(b"GIF89a", "image/gif")
'data:image/gif;base64,R0lGODlh'
"""

from __future__ import annotations

import base64
import hashlib
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
from .style import CSS
from .terms import TermLinker

#: No network, no scripts: only inline styles and data: images.
CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def content_security_policy(script: str = "") -> str:
    """The page's policy: :data:`CONTENT_SECURITY_POLICY`, plus ``script-src`` with the
    SHA-256 hash of ``script`` when one is given, so that exactly that inline script runs
    (an edited or injected one is refused by the browser)."""
    if not script:
        return CONTENT_SECURITY_POLICY
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"{CONTENT_SECURITY_POLICY}; script-src 'sha256-{digest}'"


_COLOUR = re.compile(r"^#[0-9a-fA-F]{3,8}$")


def escape_html(text: object) -> str:
    """Escape any text for HTML, quotes included (safe in element text and attribute values)."""
    return escape(str(text), quote=True)


#: The short name the renderers use for :func:`escape_html`.
e = escape_html


def data_url(data: bytes, mime: str = "image/png") -> str:
    """``data:MIME;base64,...`` for a picture; a type other than PNG or GIF is sent as PNG,
    the only two the page's policy and the report write."""
    mime = mime if mime in ("image/png", "image/gif") else "image/png"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def page_shell(
    *,
    title: str,
    main: str,
    subtitle: str = "",
    kicker: str = "learning-paradigms",
    contents: Sequence[tuple[str, str]] = (),
    footer: str = "",
    css: str = CSS,
    script: str = "",
) -> str:
    """A whole self-contained page: ``main`` (HTML, already escaped) inside the masthead
    (``kicker``, ``title``, ``subtitle``: plain text, escaped here), a contents list of
    ``(anchor, text)`` pairs, and ``footer`` (HTML). The head carries the Content
    Security Policy and the inline stylesheet ``css``; ``script`` (JavaScript, trusted:
    written by the toolkit, never from data) runs at the end of the body, allowed by its
    hash in the policy (:func:`content_security_policy`)."""
    toc = "".join(f'<li><a href="#{e(anchor)}">{e(text)}</a></li>' for anchor, text in contents)
    if "</script" in script.lower():
        raise ValueError("a page script must not contain '</script'")
    script_element = f"<script>{script}</script>\n" if script else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{e(content_security_policy(script))}">
<meta name="generator" content="learning-paradigms">
<title>{e(title)}</title>
<style>{css}</style>
</head>
<body>
<div class="page">
<header class="masthead">
<p class="kicker">{e(kicker)}</p>
<h1>{e(title)}</h1>
<p class="subtitle">{e(subtitle)}</p>
</header>
<nav class="toc" aria-label="Contents"><div><p class="toc-title">Contents</p><ol>{toc}</ol></div></nav>
<main>
{main}
</main>
<footer><p>{footer}</p></footer>
</div>
{script_element}</body>
</html>
"""


class HtmlRenderer:
    """Turns a Document into HTML; ``linker`` finds glossary terms in prose."""

    def __init__(self, linker: TermLinker | None = None) -> None:
        self.linker = linker or TermLinker([])
        self._seen: set[str] = set()
        self._link_terms = True

    # -- inline --------------------------------------------------------------

    def inline(self, item: Inline) -> str:
        if isinstance(item, str):
            return self.prose(item)
        if isinstance(item, Plain):
            return e(item.text)
        if isinstance(item, Em):
            return f"<em>{self.inlines(item.content)}</em>"
        if isinstance(item, Strong):
            return f"<strong>{self.inlines(item.content)}</strong>"
        if isinstance(item, Code):
            return f"<code>{e(item.text)}</code>"
        if isinstance(item, Break):
            return "<br>"
        if isinstance(item, Link):
            return f'<a href="#{e(item.anchor)}">{e(item.text)}</a>'
        raise TypeError(f"not an inline: {item!r}")

    def inlines(self, items: Sequence[Inline]) -> str:
        return "".join(self.inline(item) for item in items)

    def prose(self, text: str) -> str:
        """Escaped text with its first mention of each glossary term linked."""
        if not self._link_terms or not self.linker:
            return e(text)
        out = []
        for piece, slug in self.linker.split(text, self._seen):
            if slug is None:
                out.append(e(piece))
            else:
                term = self.linker.terms[slug]
                out.append(f'<a class="term" href="#{e(term.anchor)}" title="{e(term.definition)}">{e(piece)}</a>')
        return "".join(out)

    # -- blocks --------------------------------------------------------------

    def block(self, block: Block) -> str:
        if isinstance(block, Paragraph):
            return f"<p>{self.inlines(block.content)}</p>"
        if isinstance(block, Quote):
            return f"<blockquote><p>{self.inlines(block.content)}</p></blockquote>"
        if isinstance(block, BulletList):
            items = "".join(f"<li>{self.inlines(item)}</li>" for item in block.items)
            return f'<ul class="points">{items}</ul>'
        if isinstance(block, Callout):
            kind = block.kind if block.kind in ("note", "warning", "error") else "note"
            detail = ""
            if block.detail:
                detail = f"<details><summary>details</summary><pre>{e(block.detail)}</pre></details>"
            role = "alert" if kind == "error" else "note"
            return (
                f'<div class="callout {kind}" role="{role}"><p class="callout-title">{e(block.title)}</p>'
                f"<p>{self.inlines(block.content)}</p>{detail}</div>"
            )
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Image):
            caption = f"<figcaption>{self.inlines(block.caption)}</figcaption>" if block.caption else ""
            return f'<figure><img src="{data_url(block.data, block.mime)}" alt="{e(block.alt)}">{caption}</figure>'
        if isinstance(block, CodeBlock):
            return f'<pre class="code"><code>{e(block.text)}</code></pre>'
        if isinstance(block, Preformatted):
            return f"<details><summary>{e(block.summary)}</summary><pre><code>{e(block.text)}</code></pre></details>"
        if isinstance(block, StatStrip):
            return self.stats(block)
        if isinstance(block, GlossaryList):
            return self.glossary(block)
        raise TypeError(f"not a block: {block!r}")

    def table(self, table: Table) -> str:
        def cls(index: int) -> str:
            return ' class="num"' if index in table.numeric else ""

        head = "".join(f"<th{cls(i)} scope=\"col\">{e(name)}</th>" for i, name in enumerate(table.header))
        body = "".join(
            "<tr>" + "".join(f"<td{cls(i)}>{self.inlines(c)}</td>" for i, c in enumerate(row)) + "</tr>"
            for row in table.rows
        )
        caption = f"<caption>{e(table.caption)}</caption>" if table.caption else ""
        return f'<div class="table-wrap"><table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'

    def stats(self, strip: StatStrip) -> str:
        cards = []
        for stat in strip.stats:
            style = f' style="--c: {stat.colour}"' if _COLOUR.match(stat.colour or "") else ""
            bar = ""
            if stat.normalized is not None:
                width = max(0.0, min(1.0, stat.normalized)) * 100
                bar = f'<div class="bar" title="normalized score {stat.normalized:.3f}"><span style="width: {width:.1f}%"></span></div>'
            failed = " failed" if stat.failed else ""
            cards.append(
                f'<a class="stat{failed}" href="#{e(stat.anchor)}"{style}>'
                f'<div class="label">{e(stat.label)}</div><div class="value">{e(stat.value)}</div>'
                f'<div class="detail">{e(stat.detail)}</div>{bar}</a>'
            )
        return f'<div class="stats">{"".join(cards)}</div>'

    def glossary(self, glossary: GlossaryList) -> str:
        entries = []
        for entry in glossary.entries:
            parts = [f"<p>{e(entry.definition)}</p>"]
            if entry.look_for:
                parts.append(f'<p class="look-for"><strong>Look for:</strong> {e(entry.look_for)}</p>')
            parts.append(f'<p class="look-for">Try it: <code>paradigms glossary show {e(entry.slug)}</code></p>')
            if entry.related:
                links = ", ".join(f'<a href="#term-{e(slug)}">{e(name)}</a>' for slug, name in entry.related)
                parts.append(f'<p class="related">Related: {links}</p>')
            entries.append(f'<div id="term-{e(entry.slug)}"><dt>{e(entry.name)}</dt><dd>{"".join(parts)}</dd></div>')
        return f'<dl class="glossary">{"".join(entries)}</dl>'

    # -- sections and page ---------------------------------------------------

    def section(self, section: Section, level: int = 2) -> str:
        self._seen = set()
        self._link_terms = section.link_terms
        heading = f"<h{level}>{e(section.title)}</h{level}>"
        body = "\n".join(self.block(b) for b in section.blocks)
        subsections = "\n".join(self.section(s, level + 1) for s in section.subsections)
        return f'<section id="{e(section.anchor)}">\n{heading}\n{body}\n{subsections}</section>'

    def page(self, document: Document) -> str:
        self._seen, self._link_terms = set(), True
        lead = "\n".join(self.block(b) for b in document.lead)
        sections = "\n".join(self.section(s) for s in document.sections)
        self._link_terms = False
        return page_shell(
            title=document.title,
            main=f"{lead}\n{sections}",
            subtitle=document.subtitle,
            kicker=document.kicker,
            contents=[(s.anchor, s.short_title or s.title) for s in document.sections],
            footer=self.inlines(document.footer),
        )


def render_html(document: Document, linker: TermLinker | None = None) -> str:
    """The whole page as one string."""
    return HtmlRenderer(linker).page(document)
