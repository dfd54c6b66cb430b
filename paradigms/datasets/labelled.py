"""A labelled data set as rows of numbers: train and test examples, their classes, and where they came from.

The same-task comparison (:mod:`paradigms.same_task`) lets three paradigms learn
the same examples with three kinds of feedback, so they need the examples in one
neutral shape: one row of numbers per example (an image's pixels, a table row's
encoded features), a class index per row, and a fixed test split that every
paradigm is measured on. :class:`LabelledExamples` is that shape;
:func:`digit_examples` makes it from the MNIST digits (:mod:`.digits`).

Pixels are kept as bytes (a quarter of the memory of floats; MNIST's 60,000
training images are 47 MB) and scaled to [0, 1] only when rows are read
(:meth:`LabelledSplit.observations`).

>>> import numpy as np
>>> split = LabelledSplit(np.array([[0, 255], [51, 0]], dtype=np.uint8), np.array([1, 0]), scale=1 / 255)
>>> (split.observations() * 255).round().tolist(), len(split)
([[0.0, 255.0], [51.0, 0.0]], 2)
>>> split.correct(np.array([1, 1])).tolist()
[1.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..evaluation import DatasetInfo
from .digits import DigitData

#: Rows scored per call of a classifier when measuring it on a split (bounded memory).
SCORE_BATCH = 2048


@dataclass(frozen=True)
class LabelledSplit:
    """Examples ``features`` (one row each, bytes or floats) and their ``labels`` (class
    indices); ``features * scale`` are the numbers a learner reads (``1 / 255`` for pixels)."""

    features: np.ndarray
    labels: np.ndarray
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.features.ndim != 2 or len(self.features) != len(self.labels):
            raise ValueError(
                f"features must be one row per label: got {self.features.shape} features for {len(self.labels)} labels"
            )
        object.__setattr__(self, "labels", np.asarray(self.labels, dtype=np.int64))

    def __len__(self) -> int:
        return int(len(self.labels))

    @property
    def n_features(self) -> int:
        return int(self.features.shape[1])

    def observations(self, rows: Any = slice(None)) -> np.ndarray:
        """The ``rows`` (an index array or a slice) as float32 numbers a learner reads."""
        chosen = self.features[rows]
        if self.scale == 1.0 and chosen.dtype == np.float32:
            return chosen
        return chosen.astype(np.float32) * np.float32(self.scale)

    def correct(self, guesses: np.ndarray, rows: Any = slice(None)) -> np.ndarray:
        """1.0 where a guess names the class of its row, else 0.0 (float32, one per guess)."""
        return (np.asarray(guesses).reshape(-1) == self.labels[rows]).astype(np.float32)

    def score(self, predict: Callable[[np.ndarray], Any], *, batch: int = SCORE_BATCH) -> np.ndarray:
        """1.0 or 0.0 for every example, by whether ``predict`` (a batch of observations ->
        one class each) names its class; their mean is the accuracy."""
        hits = [
            self.correct(predict(self.observations(slice(start, start + batch))), slice(start, start + batch))
            for start in range(0, len(self), batch)
        ]
        return np.concatenate(hits) if hits else np.zeros(0, dtype=np.float32)


@dataclass(frozen=True)
class HeldOutExamples:
    """The examples a learner is measured on and never learns from: the ``test`` split,
    what its classes are called, and where the data came from (``info``)."""

    test: LabelledSplit
    class_names: tuple[str, ...]
    info: DatasetInfo

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


@dataclass(frozen=True)
class LabelledExamples:
    """A labelled data set split into ``train`` and ``test`` (see the module docstring).

    ``image_shape`` is the (rows, columns) of each example when the rows are images
    (for drawing them), else None; ``subject`` says what the examples are, in words.
    """

    train: LabelledSplit
    test: LabelledSplit
    class_names: tuple[str, ...]
    info: DatasetInfo
    image_shape: tuple[int, int] | None = None
    subject: str = "examples"

    def __post_init__(self) -> None:
        if self.train.n_features != self.test.n_features:
            raise ValueError(
                f"train rows have {self.train.n_features} numbers but test rows {self.test.n_features}"
            )

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def n_features(self) -> int:
        return self.train.n_features

    def held_out(self) -> HeldOutExamples:
        """The test split with what is needed to report on it (no training labels)."""
        return HeldOutExamples(self.test, self.class_names, self.info)


def digit_examples(data: DigitData) -> LabelledExamples:
    """The digits (:func:`.digits.load_digit_data`) as rows of pixels, scaled to [0, 1] when read."""

    def split(images: np.ndarray, labels: np.ndarray) -> LabelledSplit:
        return LabelledSplit(np.ascontiguousarray(images.reshape(len(images), -1)), labels, scale=1 / 255)

    return LabelledExamples(
        train=split(data.train_images, data.train_labels),
        test=split(data.test_images, data.test_labels),
        class_names=tuple(data.class_names),
        info=data.info,
        image_shape=data.image_shape,
        subject=data.subject,
    )
