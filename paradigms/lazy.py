"""Names a package exports but imports only on first use, so ``import paradigms`` stays fast.

A package ``__init__`` lists its public names and the module each comes from,
then hands Python a module-level ``__getattr__`` made here (PEP 562):

    _EXPORTS = {"DigitClassifier": ".estimator", "figures": ".plots"}
    __all__ = sorted(_EXPORTS)
    __getattr__ = lazy_exports(__name__, _EXPORTS, globals())
    __dir__ = lazy_dir(_EXPORTS, globals())

On first use every export of that module is bound at once: importing a
submodule binds its name in the package (``paradigms.report.build`` would become
the module), and the function of the same name must win.

>>> import sys, types
>>> package = types.ModuleType("demo")
>>> package.__getattr__ = lazy_exports("demo", {"sqrt": "math"}, vars(package))
>>> package.__dir__ = lazy_dir({"sqrt": "math"}, vars(package))
>>> "sqrt" in dir(package)
True
>>> package.sqrt(9.0)
3.0
>>> package.cbrt
Traceback (most recent call last):
...
AttributeError: module 'demo' has no attribute 'cbrt'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports ``exports[name]`` on first use."""

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        source = exports[name]
        module = importlib.import_module(source, package)
        namespace.update({n: getattr(module, n) for n, s in exports.items() if s == source})
        return namespace[name]

    return __getattr__


def lazy_dir(exports: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[], list[str]]:
    """A module ``__dir__`` that lists the lazy exports before they are imported (tab completion sees them)."""

    def __dir__() -> list[str]:
        return sorted({*namespace, *exports})

    return __dir__
