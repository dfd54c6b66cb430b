"""Every example in the docstrings of ``paradigms`` and ``glossary`` runs, and says what it prints.

A docstring example that no longer runs teaches the wrong thing. The modules are
found, not listed: any module whose source holds an example (``>>>``) is run, so
a new module's examples are tested from the day they are written. Examples that
need data or minutes of training are marked ``# doctest: +SKIP`` where they stand.
"""

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("paradigms", "glossary")
#: Modules whose examples need an optional engine: the module -> the engine's import name.
NEEDS = {"paradigms.execution.ray_backend": "ray"}


def modules_with_examples() -> list[str]:
    """Dotted names of the modules whose source holds ``>>>``."""
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if ">>>" in path.read_text(encoding="utf-8"):
                parts = path.relative_to(ROOT).with_suffix("").parts
                names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = modules_with_examples()


def test_the_examples_are_found():
    # the discovery itself: the core, every paradigm and the glossary have examples
    assert len(MODULES) > 50
    for name in ("paradigms.settings", "paradigms.supervised.model", "paradigms.unsupervised.generator",
                 "paradigms.reinforcement.evaluate", "paradigms.execution.grid", "glossary.registry"):
        assert name in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    if name in NEEDS:
        pytest.importorskip(NEEDS[name])
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (see above)"
