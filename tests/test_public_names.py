"""Every name a package lists in ``__all__`` can be imported from it (lazy exports included).

The packages load their heavy parts on first use (:mod:`paradigms.lazy`), so a name
whose module moved would only fail when a user reached for it.
"""

import importlib

import pytest

PACKAGES = ("paradigms", "paradigms.supervised", "paradigms.unsupervised", "paradigms.reinforcement",
            "paradigms.execution", "paradigms.report", "paradigms.tracking", "glossary")


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_name_resolves(name):
    package = importlib.import_module(name)
    assert package.__all__, f"{name} lists no public names"
    missing = [public for public in package.__all__ if not hasattr(package, public)]
    assert missing == [], f"{name}: {missing}"
