"""The validation slice of the digit images a supervised run trains on.

:func:`holdout` and :func:`split_training` carve the validation slice out of the
training images with the seed: the paradigm and :class:`~..estimator.DigitClassifier`
share them, so the same seed holds out the same images either way. Where the
images come from is core (:mod:`paradigms.datasets.digits`): the three paradigms
read the same digits.
"""

from __future__ import annotations

import warnings

import numpy as np

from ...datasets.digits import DigitData
from ...seeding import numpy_rng

# -- the validation slice -------------------------------------------------------------


def holdout(
    n: int, validation_size: int | float, seed: int, *, train_size: int | None = None, warn: bool = True
) -> tuple[np.ndarray, np.ndarray, str]:
    """(kept indices, held-out indices, note): a seeded validation slice of ``n`` examples.

    ``validation_size`` is a count, a fraction (a float below 1) or 0 for none. A
    count larger than a fifth of ``n`` (as on the small 8x8 fallback set) is shrunk
    to a fifth, with a warning unless ``warn`` is false, so that training keeps
    most; the note says so. ``train_size`` keeps only that many of the rest, drawn
    with the same seed. Both index arrays are sorted (the data keeps its order).

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
        if size > n // 5:
            note = f"validation slice shrunk from {size} to {n // 5} examples (a fifth of the {n} training examples)"
            if warn:
                warnings.warn(f"validation_size = {size} would take too much of the training data: {note}",
                              UserWarning, stacklevel=3)
            size = n // 5
    order = numpy_rng(seed).permutation(n)
    held, keep = order[:size], order[size:]
    if train_size is not None:
        keep = keep[:train_size]
    return np.sort(keep), np.sort(held), note


def split_training(
    data: DigitData, validation_size: int, seed: int, train_size: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    """(train images, train labels, validation images, validation labels, note).

    The validation slice is drawn with ``seed`` from the official training set
    (:func:`holdout`; the 8x8 fallback has warned already, so its shrinking is
    silent); ``train_size`` keeps a seeded subset of the rest.
    """
    keep, held, note = holdout(len(data.train_labels), validation_size, seed, train_size=train_size,
                               warn=not data.info.fallback)
    return data.train_images[keep], data.train_labels[keep], data.train_images[held], data.train_labels[held], note
