"""Seeded splits of a user's own data: the test set (core: :func:`paradigms.datasets.splits.split_indices`),
then the validation slice within the rest (here).

>>> keep, held, note = validation_split(np.array([0] * 8 + [1] * 2), 10, 2, seed=0)
>>> len(keep), len(held)
(9, 1)
"""

from __future__ import annotations

import numpy as np

from ..datasets.splits import split_indices
from ..seeding import numpy_rng
from .settings import OWN_VALIDATION_SHARE


def validation_split(
    labels: np.ndarray | None,
    n: int,
    validation_size: int,
    seed: int,
    *,
    train_size: int | None = None,
    share: float = OWN_VALIDATION_SHARE,
) -> tuple[np.ndarray, np.ndarray, str]:
    """(training indices, validation indices, note) within the training part of a user's data.

    The validation slice is ``validation_size`` examples, at most ``share`` of them
    (MNIST's 5,000 would take all of a small folder), stratified by class when there
    are ``labels``; ``train_size`` keeps a seeded subset of the rest.
    """
    fraction = min(share, validation_size / max(n, 1))
    keep, held = split_indices(labels, fraction, seed, n=n, minimum=0)
    if train_size is not None and train_size < len(keep):
        keep = np.sort(numpy_rng(seed, 1).permutation(keep)[:train_size])
    note = f"validation slice: {len(held):,} of the {n:,} training examples"
    if validation_size > len(held):
        note += f" (at most {share:.0%}, not validation_size = {validation_size:,})"
    return keep, held, note
