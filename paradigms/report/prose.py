"""A paradigm's description (a Markdown docstring) as report blocks.

Paradigm descriptions are written like Gymnasium's docstrings: paragraphs,
``- `` bullet lists, ``**bold**``, ``*emphasis*``, ``code`` in single or
double backticks, and Sphinx roles such as ``:mod:`x```. This turns that small
subset into :mod:`~paradigms.report.document` blocks; anything else stays text
(and is escaped by the renderers like all text).

>>> [type(b).__name__ for b in description_blocks("One line.\\n\\n- **T**: a task\\n- *E*: data\\n\\n    run it")]
['Paragraph', 'BulletList', 'CodeBlock']
"""

from __future__ import annotations

import re
import textwrap

from .document import Block, BulletList, Code, CodeBlock, Inline, Paragraph, Plain, em, strong

_INLINE = re.compile(
    r":[a-z]+(?::[a-z]+)?:`~?(?P<role>[^`]+)`"
    r"|``(?P<code2>.+?)``"
    r"|`(?P<code1>[^`]+)`"
    r"|\*\*(?P<strong>[^*]+?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*])"
)
_BULLET = re.compile(r"^\s*[-*+]\s+")
_HEADING = re.compile(r"^#+\s*(?P<text>.+?)\s*#*$")


def inline_markup(text: str) -> tuple[Inline, ...]:
    """``**x**``, ``*x*``, backticks and roles as inlines; the rest stays prose."""
    parts: list[Inline] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            parts.append(text[position : match.start()])
        if match.group("role") is not None:
            parts.append(Code(match.group("role")))
        elif match.group("code2") is not None:
            parts.append(Code(match.group("code2")))
        elif match.group("code1") is not None:
            parts.append(Code(match.group("code1")))
        elif match.group("strong") is not None:
            parts.append(strong(Plain(match.group("strong"))))
        else:
            parts.append(em(match.group("em")))
        position = match.end()
    if position < len(text):
        parts.append(text[position:])
    return tuple(parts)


def description_blocks(text: str) -> list[Block]:
    """Paragraphs, bullet lists and headings (as bold lines) of a Markdown description."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith(("    ", "\t")) for line in lines):
            blocks.append(CodeBlock(textwrap.dedent("\n".join(lines))))
            continue
        heading = _HEADING.match(lines[0].strip())
        if heading and len(lines) == 1:
            blocks.append(Paragraph((strong(Plain(heading.group("text"))),)))
            continue
        if _BULLET.match(lines[0]):
            items: list[str] = []
            for line in lines:
                if _BULLET.match(line):
                    items.append(_BULLET.sub("", line))
                elif items:
                    items[-1] += " " + line.strip()
            blocks.append(BulletList(tuple(inline_markup(" ".join(item.split())) for item in items)))
            continue
        blocks.append(Paragraph(inline_markup(" ".join(" ".join(lines).split()))))
    return blocks


def has_tpe_list(text: str) -> bool:
    """Whether a description already names T, P and E in bold (``**T**``), so the
    report does not repeat its own list."""
    return set(re.findall(r"\*\*(T|P|E)\*\*", text)) == {"T", "P", "E"}
