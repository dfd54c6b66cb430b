"""Reading an answer from the command line: a value, or a Python file of the student's own.

``paradigms exercise check TERM ANSWER``: when ANSWER names a Python file
(``*.py``), the file is run, as the student's own code, and the object the
exercise asks for (``neuron``, ``answer``, ...) is taken from it; otherwise
ANSWER is a value the exercise reads (a number, or ``degree=5,train_points=20``).
A missing file, a file that fails to run, or one without the expected name is a
one-line :class:`~paradigms.errors.ConfigError`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from paradigms.errors import ConfigError

from ._base import Exercise


def load_from_file(path: str | Path, name: str) -> Any:
    """Run the student's file ``path`` and return what it defines as ``name``."""
    path = Path(path).expanduser()
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        raise ConfigError(f"{path}: {what}; name the Python file that defines `{name}`")
    spec = importlib.util.spec_from_file_location(f"exercise_answer_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"{path}: not a Python file; name a .py file that defines `{name}`")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and pickling look the module up by name
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        raise ConfigError(f"{path}, line {error.lineno}: syntax error: {error.msg}") from None
    except Exception as error:  # noqa: BLE001 - the student's file may raise anything; say so in one line
        raise ConfigError(f"{path}: running it raised {type(error).__name__}: {error}") from None
    finally:
        sys.modules.pop(spec.name, None)
    if not hasattr(module, name):
        defined = sorted(n for n in vars(module) if not n.startswith("_"))
        listing = f" (it defines {', '.join(defined[:6])})" if defined else ""
        raise ConfigError(f"{path} defines no `{name}`{listing}: the exercise asks for `{name}`")
    return getattr(module, name)


def read_answer(exercise: Exercise, text: str) -> Any:
    """ANSWER as typed on the command line: a ``.py`` file's ``exercise.name``, or a value."""
    if text.endswith(".py") or Path(text).expanduser().is_file():
        return load_from_file(text, exercise.name)
    if exercise.kind == "function":
        raise ConfigError(f"the {exercise.term} exercise asks for a function `{exercise.name}`: name a .py file that defines it")
    return exercise.parse(text)
