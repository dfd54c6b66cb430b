"""The examples in the docstrings of the sweep's modules run, and say what they print."""

import doctest
import importlib

import pytest

MODULES = (
    "paradigms.execution.grid",
    "paradigms.execution.selection",
    "paradigms.execution.threads",
    "paradigms.execution.ray_backend",
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    if name.endswith("ray_backend"):
        pytest.importorskip("ray")
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{name} has no runnable example"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (see above)"
