"""Griffe extension: the project's docstrings, shown as Markdown on the API pages.

The docstrings are written for ``help()`` and doctest: examples as ``>>>`` lines and
Sphinx roles (``:class:`Evaluation```). Markdown would read ``>>>`` as nested quotes, so
each run of ``>>>`` / ``...`` lines and the output under them becomes a ``pycon`` code block,
and a role becomes inline code. The docstrings themselves are not changed.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj|term):`~?\.?([^`]+)`")
DOCTEST_DIRECTIVE = re.compile(r"\s*#\s*doctest:.*$")


def markdown_docstring(text: str) -> str:
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            block = []
            while i < len(lines) and lines[i].strip() and lines[i].startswith(indent):
                block.append(DOCTEST_DIRECTIVE.sub("", lines[i][len(indent):]))
                i += 1
            out += [f"{indent}```pycon", *(indent + b for b in block), f"{indent}```"]
            continue
        out.append(ROLE.sub(r"`\1`", line))
        i += 1
    return "\n".join(out)


class DoctestBlocks(griffe.Extension):
    """Rewrite every object's docstring for Markdown as it is loaded."""

    def on_instance(self, *, node: Any, obj: griffe.Object, agent: Any, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown_docstring(obj.docstring.value)
