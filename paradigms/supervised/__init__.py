"""Supervised learning: a PyTorch MLP that learns the MNIST digits from labelled examples.

Importing this package is cheap; the heavy parts load on first use:

>>> from paradigms.supervised import DigitClassifier, load_digit_data  # doctest: +SKIP

- :mod:`.idx`: read and write IDX files;  :mod:`.data`: find, download, verify MNIST;
- :mod:`.model`: the MLP;  :mod:`.train`: the training loop;
- :mod:`.estimator`: :class:`DigitClassifier`, the scikit-learn-style classifier;
- :mod:`.persistence`: save / load;  :mod:`.plots`: figures of an Evaluation;
- :mod:`.paradigm`: the settings and the registered paradigm.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "DigitClassifier": ".estimator",
    "load_digit_data": ".data",
    "load_mnist": ".data",
    "download_mnist": ".data",
    "import_mnist": ".data",
    "read_idx": ".idx",
    "write_idx": ".idx",
    "read_digit_image": ".images",
    "SupervisedSettings": ".paradigm",
    "figures": ".plots",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
