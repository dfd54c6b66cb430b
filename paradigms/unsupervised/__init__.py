"""Unsupervised learning: grouping customers by their shopping behaviour.

The parts, each usable on its own:

* :mod:`.generator`: a seeded one-year transaction log (online-retail CSV layout)
  with hidden personas as ground truth: :func:`generate_transactions`;
* :mod:`.transactions` and :mod:`.features`: read a transaction log or a
  per-customer table (CSV, gzipped CSV, Parquet), clean it with a data-quality
  summary, compute per-customer RFM and basket features: :func:`load_customers`;
* :mod:`.estimator`: :class:`CustomerSegmenter`, a scikit-learn estimator
  (log-transform + scaling, choice of k, k-means / Gaussian mixture / agglomerative);
* :mod:`.profiles` and :mod:`.plots`: what each segment is, in words and pictures;
* :mod:`.paradigm`: the paradigm ``unsupervised`` for ``paradigms run``.

>>> from paradigms.unsupervised import CustomerSegmenter, generate_transactions  # doctest: +SKIP

The names below are imported on first use, so that ``import paradigms`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "CustomerSegmenter": ".estimator",
    "LogScaler": ".estimator",
    "CustomerData": ".features",
    "load_customers": ".features",
    "customer_features": ".features",
    "read_transactions": ".transactions",
    "generate_transactions": ".generator",
    "PERSONAS": ".generator",
    "DataQuality": ".quality",
    "segment_profiles": ".profiles",
    "UnsupervisedSettings": ".paradigm",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
