"""The examples in the supervised package's docstrings run, and say what they print."""

import doctest
import importlib

import pytest

MODULES = (
    "paradigms.supervised.settings",
    "paradigms.supervised.data",
    "paradigms.supervised.idx",
    "paradigms.supervised.images",
    "paradigms.supervised.augment",
    "paradigms.supervised.model",
    "paradigms.supervised.paradigm",
    "paradigms.supervised.estimator",
    "paradigms.supervised.framing",
    "paradigms.supervised.idx_sets",
    "paradigms.supervised.splits",
    "paradigms.supervised.tables",
    "paradigms.supervised.features",
    "paradigms.supervised.metrics",
    "paradigms.supervised.recipes",
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0, f"{name} has no runnable example"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (see above)"
