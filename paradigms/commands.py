"""The sub-command contract: how a package adds a command to ``paradigms``.

A module listed in the command line's ``EXTENSION_MODULES`` exposes ``COMMANDS``,
a list of :class:`Command`. The contract lives here, in the core, so that the
packages which contribute commands (``paradigms.supervised.cli``, ``glossary.cli``)
and the command line that loads them both import it from below: nothing imports
``paradigms.cli``.

>>> import argparse
>>> hello = Command("hello", "say hello", configure=lambda p: None, handler=lambda args: 0)
>>> hello.handler(argparse.Namespace())
0
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

#: The program's name, as error messages and recorded commands spell it.
PROG = "paradigms"


@dataclass(frozen=True)
class Command:
    """A sub-command: its name, a help line, how to add its options, and what it does.

    ``handler(args)`` returns the exit code (0 success, 1 a failed run, 2 bad usage);
    it raises :class:`~paradigms.errors.UserError` for messages meant for the user.
    """

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]
