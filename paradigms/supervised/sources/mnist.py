"""MNIST and the other MNIST-format sets as a supervised run reads them: their validation slice.

Where the images come from is core (:mod:`paradigms.datasets.digits`: find,
download, verify, IDX files): the three paradigms read the same digits. A
supervised run adds one thing, :func:`split_training`: the validation slice,
carved out of the official training images with the seed by
:func:`~paradigms.supervised.validation.holdout`, which
:class:`~paradigms.supervised.estimator.DigitClassifier` draws too, so that the same
seed holds out the same images either way.
"""

from __future__ import annotations

import numpy as np

from ...datasets.digits import DigitData
from ..validation import holdout


def split_training(
    data: DigitData, validation_size: int, seed: int, train_size: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    """(train images, train labels, validation images, validation labels, note).

    The validation slice is drawn with ``seed`` from the official training set
    (:func:`~paradigms.supervised.validation.holdout`; the 8x8 fallback has warned
    already, so its shrinking is silent); ``train_size`` keeps a seeded subset of the rest.
    """
    keep, held, note = holdout(len(data.train_labels), validation_size, seed, train_size=train_size,
                               warn=not data.info.fallback)
    return data.train_images[keep], data.train_labels[keep], data.train_images[held], data.train_labels[held], note
