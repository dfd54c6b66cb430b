"""The validation slice, for every source: the training examples held out to choose the epoch.

A supervised run trains on most of its training examples and holds a seeded
slice out: the learning curve is scored on it and early stopping watches its
loss; the test set is looked at once, at the end. How much the slice may take is
capped, by source, in :data:`VALIDATION_CAPS` (the why beside each cap).
:func:`validation_cap` turns a cap into a number of examples for :func:`holdout`;
:func:`validation_split` hands the stratified split the cap as a share, which it rounds
class by class, so a small folder or table may hold out a few examples more or fewer
than the cap's count (8 of 60 images for the folders' 10% with four classes of 15).

* :func:`holdout`: MNIST-format training images and
  :class:`~paradigms.supervised.estimator.DigitClassifier`'s own ``validation_size``,
  so that the same seed holds out the same images either way;
* :func:`validation_split`: a user's own folder or table, within the rows left
  once the test set is out (core: :func:`paradigms.datasets.splits.split_indices`),
  stratified by class.

>>> keep, held, note = validation_split(np.array([0] * 8 + [1] * 2), 10, 2, seed=0)
>>> len(keep), len(held)
(9, 1)
>>> validation_cap(1437, "digits"), validation_cap(100, "folder"), validation_cap(100, "table")
(287, 10, 20)
"""

from __future__ import annotations

import warnings
from fractions import Fraction
from typing import Literal

import numpy as np

from ..datasets.splits import split_indices
from ..seeding import numpy_rng

#: Where the training examples come from, for their validation cap.
Source = Literal["digits", "folder", "table"]

#: The most of the training examples the validation slice may take, by source. Training
#: needs the rest; the slice only has to be large enough for its loss to be steady.
VALIDATION_CAPS: dict[str, Fraction] = {
    # MNIST-format images and DigitClassifier: a count is asked for (MNIST's 5,000 of 60,000,
    # a twelfth); on scikit-learn's 8x8 fallback (1,437 images) it would take almost all, so
    # a count above a fifth shrinks to a fifth, with a warning. A fraction is taken as given.
    "digits": Fraction(1, 5),
    # A folder of your own images: often a few hundred; the 5,000 asked for MNIST would take
    # all of it, and each class needs most of its few images to learn from: a tenth at most.
    "folder": Fraction(1, 10),
    # A table: few rows, and early stopping on a noisy few would stop at random: a fifth.
    "table": Fraction(1, 5),
}


def validation_cap(n: int, source: Source) -> int:
    """The most validation examples of ``n`` training examples from ``source`` (rounded down)."""
    cap = VALIDATION_CAPS[source]
    return n * cap.numerator // cap.denominator


def holdout(
    n: int, validation_size: int | float, seed: int, *, train_size: int | None = None, warn: bool = True
) -> tuple[np.ndarray, np.ndarray, str]:
    """(kept indices, held-out indices, note): a seeded validation slice of ``n`` examples.

    ``validation_size`` is a count, a fraction (a float below 1) or 0 for none. A
    count above the digits' cap (:data:`VALIDATION_CAPS`: a fifth of ``n``, as on the
    small 8x8 fallback set) is shrunk to it, with a warning unless ``warn`` is false,
    so that training keeps most; the note says so. ``train_size`` keeps only that many
    of the rest, drawn with the same seed. Both index arrays are sorted (the data
    keeps its order).

    >>> keep, held, note = holdout(10, 2, seed=0)
    >>> len(keep), len(held), sorted([*keep, *held]) == list(range(10)), note
    (8, 2, True, '')
    """
    note = ""
    if isinstance(validation_size, float) and 0 < validation_size < 1:
        size = int(round(validation_size * n))
        if size >= n:
            raise ValueError(f"validation_size = {validation_size} leaves no training examples out of {n}")
    else:
        size = int(validation_size)
        if size < 0 or size != validation_size:
            raise ValueError(f"validation_size = {validation_size!r} must be a count >= 0 or a fraction below 1")
        cap = validation_cap(n, "digits")
        if size > cap:
            share = VALIDATION_CAPS["digits"]
            note = (f"validation slice shrunk from {size} to {cap} examples ({share.numerator}/{share.denominator} "
                    f"of the {n} training examples)")
            if warn:
                warnings.warn(f"validation_size = {size} would take too much of the training data: {note}",
                              UserWarning, stacklevel=3)
            size = cap
    order = numpy_rng(seed).permutation(n)
    held, keep = order[:size], order[size:]
    if train_size is not None:
        keep = keep[:train_size]
    return np.sort(keep), np.sort(held), note


def validation_split(
    labels: np.ndarray | None,
    n: int,
    validation_size: int,
    seed: int,
    *,
    source: Source = "folder",
    train_size: int | None = None,
) -> tuple[np.ndarray, np.ndarray, str]:
    """(training indices, validation indices, note) within the training part of a user's data.

    The validation slice is ``validation_size`` examples, at most the ``source``'s cap
    (:data:`VALIDATION_CAPS`) as a share, stratified by class when there are ``labels``
    (the share is rounded class by class: the count may differ from the cap's by a few);
    ``train_size`` keeps a seeded subset of the rest.
    """
    share = float(VALIDATION_CAPS[source])
    fraction = min(share, validation_size / max(n, 1))
    keep, held = split_indices(labels, fraction, seed, n=n, minimum=0)
    if train_size is not None and train_size < len(keep):
        keep = np.sort(numpy_rng(seed, 1).permutation(keep)[:train_size])
    note = f"validation slice: {len(held):,} of the {n:,} training examples"
    if validation_size > len(held):
        note += f" (the cap: at most {share:.0%}, rounded class by class; not validation_size = {validation_size:,})"
    return keep, held, note
