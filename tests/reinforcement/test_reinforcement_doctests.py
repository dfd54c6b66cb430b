"""The examples in the reinforcement docstrings run and print what they say."""

import doctest
import importlib

import pytest

MODULES = ["environments", "spaces", "normalization", "evaluate", "persistence", "agents.qlearning", "render"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"paradigms.reinforcement.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
