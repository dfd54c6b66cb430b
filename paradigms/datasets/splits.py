"""Seeded, stratified splits of a data set that comes unsplit: the test rows, drawn once with the seed.

MNIST comes split (60,000 training and 10,000 test images); a folder of images
or a table does not, so a run carves the test set itself, with the seed. For
classes it is *stratified*: every class keeps its share in both parts, and every
class has at least one test example, so the confusion matrix has a row for each.
For a number to predict (regression) the rows are drawn at random.

Core (:mod:`paradigms.datasets`): the supervised paradigm and the table guessing game of
the reinforcement paradigm hold out the same test rows of a table for the same seed.

>>> labels = np.array([0] * 8 + [1] * 2)
>>> keep, held = split_indices(labels, 0.2, seed=0)
>>> len(keep), len(held), sorted(labels[held].tolist())
(7, 3, [0, 0, 1])
"""

from __future__ import annotations

import numpy as np

from ..seeding import numpy_rng

#: The share of a table (or an unsplit folder) held out as the test set unless told otherwise.
DEFAULT_TEST_SIZE = 0.2


def split_indices(
    labels: np.ndarray | None, fraction: float, seed: int, *, n: int | None = None, minimum: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """(kept indices, held-out indices), both sorted: about ``fraction`` of the examples held out.

    With ``labels`` (class indices) the split is stratified: each class holds out
    ``round(fraction * its size)``, at least ``minimum`` and never all of it.
    Without (``labels=None``, ``n`` rows) the rows are drawn at random.
    """
    rng = numpy_rng(seed)
    if labels is None:
        count = int(n or 0)
        order = rng.permutation(count)
        size = min(count - 1, max(minimum, round(fraction * count)))
        return np.sort(order[size:]), np.sort(order[:size])
    labels = np.asarray(labels)
    held = []
    for value in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == value))
        size = min(len(members) - 1, max(minimum, round(fraction * len(members))))
        held.append(members[:size])
    held_all = np.sort(np.concatenate(held)) if held else np.zeros(0, dtype=np.int64)
    keep = np.setdiff1d(np.arange(len(labels)), held_all, assume_unique=True)
    return keep, held_all
