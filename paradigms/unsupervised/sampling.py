"""Seeded samples of customers, which keep the work bounded on large data.

The choice of k, the silhouette (O(n²) work), the projection plot and the
mixture's fit each look at a random sample of at most a fixed number of
customers. Each use draws from its own numbered stream, so the same seed gives
the same samples, and one use never shifts another's.

>>> sample_rows(5, 10, seed=0).tolist()
[0, 1, 2, 3, 4]
>>> len(sample_rows(1000, 10, seed=0, stream=3))
10
"""

from __future__ import annotations

import numpy as np

from ..seeding import numpy_rng


def sample_rows(n: int, size: int | None, seed: int, stream: int = 0) -> np.ndarray:
    """Sorted indices of a random sample of ``size`` rows out of ``n`` (all rows when n <= size)."""
    if size is None or n <= size:
        return np.arange(n)
    return np.sort(numpy_rng(seed, 7, stream).choice(n, size=size, replace=False))
