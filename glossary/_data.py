"""Small data the demos share, found without downloading anything.

* :func:`digits`: the 1,797 handwritten 8x8 digits that ship with scikit-learn.
* :func:`digit_images`: 28x28 digit images (784 pixels, MNIST's layout) for the
  demos about the lesson's 784-input network. Real MNIST when it is already on
  this machine (``$LEARNING_PARADIGMS_DATA`` or the user cache, as the supervised
  paradigm looks for it; never downloaded here), a small random subset so a demo
  stays within seconds; otherwise the 8x8 digits blown up to 20x20 and centred
  in a 28x28 frame, the way MNIST centres its digits, and the result says so.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from paradigms.errors import UserError
from paradigms.seeding import numpy_rng

#: What a demo says about its data when it had to use the enlarged 8x8 digits.
ENLARGED = "scikit-learn's 8x8 digits enlarged to 28x28 (the real MNIST was not found on this machine)"


@cache
def _digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits  # start-up time: scikit-learn loads on first use

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
    import torch  # start-up time: only the demos that enlarge images pay for it
    import torch.nn.functional as F

    images, _ = _digits()
    small = torch.tensor(images)[:, None]
    grown = F.interpolate(small, size=(20, 20), mode="bilinear", align_corners=False)
    framed = F.pad(grown, (4, 4, 4, 4)).clamp(0.0, 1.0)[:, 0].numpy().copy()
    framed.flags.writeable = False
    return framed


@dataclass(frozen=True)
class DigitImages:
    """28x28 digit images in [0, 1] (float32) with labels, and what they are.

    ``name`` is short ("MNIST" or "8x8 digits enlarged"); ``description`` is the
    phrase a finding uses.
    """

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    name: str
    description: str

    def flat(self, which: str) -> np.ndarray:
        """``"train"`` or ``"test"`` images as rows of 784 pixels."""
        images = self.train_images if which == "train" else self.test_images
        return images.reshape(len(images), -1)


@lru_cache(maxsize=2)
def _mnist(where: tuple[str | None, str | None, str | None]):
    """The real MNIST if it is on this machine, else None (``where``: the cache key)."""
    # start-up time: the MNIST reader loads only when 28x28 digits are asked for
    from paradigms.supervised import load_mnist

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "$LEARNING_PARADIGMS_DATA holds no MNIST": we fall back and say so
            return load_mnist(download=False)
    except UserError:
        return None


def _where() -> tuple[str | None, str | None, str | None]:
    return (os.environ.get("LEARNING_PARADIGMS_DATA"), os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME"))


def digit_images(train: int, test: int, seed: int) -> DigitImages:
    """``train`` and ``test`` 28x28 digits: a random subset of the real MNIST where
    it is found, else the enlarged 8x8 digits (as many as there are)."""
    mnist = _mnist(_where())
    rng = numpy_rng(seed, 784)
    if mnist is not None:
        picked_train = rng.choice(len(mnist.train_labels), size=min(train, len(mnist.train_labels)), replace=False)
        picked_test = rng.choice(len(mnist.test_labels), size=min(test, len(mnist.test_labels)), replace=False)
        scale = np.float32(1.0 / 255.0)
        return DigitImages(
            train_images=mnist.train_images[picked_train].astype(np.float32) * scale,
            train_labels=mnist.train_labels[picked_train].astype(np.int64),
            test_images=mnist.test_images[picked_test].astype(np.float32) * scale,
            test_labels=mnist.test_labels[picked_test].astype(np.int64),
            name="MNIST",
            description=f"real MNIST ({len(picked_train):,} training and {len(picked_test):,} test images)",
        )
    images, labels = _digits_28x28(), _digits()[1]
    order = rng.permutation(len(labels))
    test_count = min(test, len(labels) // 3)
    train_part, test_part = order[test_count:][:train], order[:test_count]
    return DigitImages(
        train_images=images[train_part], train_labels=labels[train_part],
        test_images=images[test_part], test_labels=labels[test_part],
        name="8x8 digits enlarged",
        description=f"{ENLARGED}; {len(train_part):,} training and {len(test_part):,} test images",
    )
