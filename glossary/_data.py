"""Small data the demos share: scikit-learn's bundled 8x8 digits, nothing downloaded.

The glossary must run anywhere in seconds, so it uses the 1,797 handwritten
digits that ship with scikit-learn. Where a demo needs MNIST's shape (28x28 =
784 pixels), :func:`digits_28x28` blows the 8x8 images up to 20x20 and centres
them in a 28x28 frame, the way MNIST centres its 20x20 digits.
"""

from __future__ import annotations

from functools import cache

import numpy as np


@cache
def _digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = (bunch.images / 16.0).astype(np.float32)  # 0..16 ink levels -> 0..1
    labels = bunch.target.astype(np.int64)
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def digits() -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: 1,797 digits as rows of 64 pixels in [0, 1], and their labels 0-9."""
    images, labels = _digits()
    return images.reshape(len(images), -1), labels


@cache
def _digits_28x28() -> np.ndarray:
    import torch
    import torch.nn.functional as F

    images, _ = _digits()
    small = torch.tensor(images)[:, None]
    grown = F.interpolate(small, size=(20, 20), mode="bilinear", align_corners=False)
    framed = F.pad(grown, (4, 4, 4, 4)).clamp(0.0, 1.0)[:, 0].numpy().copy()
    framed.flags.writeable = False
    return framed


def digits_28x28() -> tuple[np.ndarray, np.ndarray]:
    """``(images, y)``: the same digits as 28x28 images (784 pixels), MNIST's layout."""
    return _digits_28x28(), _digits()[1]
