"""The examples in the core's docstrings run, and say what they print.

A docstring example that no longer runs teaches the wrong thing; these modules'
examples are small and need no data, so every one of them is run here.
"""

import doctest
import importlib

import pytest

MODULES = (
    "paradigms.commands",
    "paradigms.console",
    "paradigms.devices",
    "paradigms.evaluation",
    "paradigms.files",
    "paradigms.lazy",
    "paradigms.outputs",
    "paradigms.untrusted",
    "paradigms.legacy",
    "paradigms.pictures",
    "paradigms.progress",
    "paradigms.seeding",
    "paradigms.settings",
    "paradigms.execution.local",
    "paradigms.report.html",
    "paradigms.report.learning",
    "paradigms.report.prose",
    "paradigms.report.stats",
    "paradigms.report.style",
    "paradigms.report.terms",
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{name} has no runnable example"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (see above)"
