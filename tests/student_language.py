"""What a student must not meet on the lesson's pages: the toolkit's class names, module
paths, snake_case keys and the jargon issue 22 lists. Shared by the lesson's unit and
browser tests, which check the text a page really shows."""

from __future__ import annotations

import ast
import html
import re
from functools import cache
from pathlib import Path

#: Patterns of developer's words, each with what it is.
JARGON = {
    r"\bUsed in\b": "a 'Used in' line",
    r"\b(?:paradigms|glossary|torch|sklearn|numpy|np)\.[a-z_]\w*": "a module path",
    r"\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b": "a snake_case key",
    r"eigenvalue|X\.T X": "linear-algebra jargon",
    r"Calinski|Harabasz|Davies-Bouldin": "a clustering score's name",
    r"\bgreedy\b": "reinforcement-learning jargon (greedy)",
    r"\bstd\b": "an abbreviation (std)",
}


@cache
def class_names() -> frozenset[str]:
    """The toolkit's own class names that read as code (two capitals or more: DigitClassifier),
    read from its source (nothing imported)."""
    root = Path(__file__).resolve().parents[1]
    names = set()
    for package in ("paradigms", "glossary"):
        for path in (root / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names.update(node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef))
    return frozenset(n for n in names if sum(c.isupper() for c in n) >= 2 and not n.isupper())


def page_text(page: str) -> str:
    """The text of an HTML page as a reader gets it (tags, style and script dropped), folded parts included."""
    text = re.sub(r"<(style|script)\b[^>]*>.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(text))


def developer_words(text: str) -> list[str]:
    """Every developer's word in ``text``, with what it is and where (empty when the text is fit for a student)."""
    found = []
    for pattern, kind in JARGON.items():
        found += [f"{kind}: ...{text[max(0, m.start() - 50):m.end() + 20]}..." for m in re.finditer(pattern, text)]
    for name in sorted(class_names()):
        found += [f"a class name: ...{text[max(0, m.start() - 50):m.end() + 20]}..." for m in re.finditer(rf"\b{name}\b", text)]
    return found
