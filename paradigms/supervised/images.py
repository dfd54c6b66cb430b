"""Turn pictures of digits (PNG and other image files, or arrays) into model input.

MNIST digits are white ink on a black background, 28 x 28 pixels, the digit
centred. A photo or a drawing is usually dark ink on white paper, of another
size: :func:`read_digit_image` converts it to greyscale, inverts it when the
background is light (``invert="auto"``), and resizes it.

>>> import numpy as np
>>> to_image_batch(np.zeros((28, 28), dtype=np.uint8)).shape
(1, 28, 28)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import DataError


def read_digit_image(
    path: str | os.PathLike[str],
    *,
    size: tuple[int, int] = (28, 28),
    invert: bool | str = "auto",
) -> np.ndarray:
    """One image file as a ``size`` uint8 array, white digit on black like MNIST.

    ``invert="auto"`` inverts when the border pixels are brighter than mid-grey
    (a dark digit on light paper); ``True``/``False`` force it.
    """
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    try:
        with Image.open(path) as image:
            grey = image.convert("L")
            if grey.size != (size[1], size[0]):
                grey = grey.resize((size[1], size[0]), Image.Resampling.LANCZOS)
            pixels = np.asarray(grey, dtype=np.uint8).copy()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise DataError(f"{path}: not a readable image ({exc})") from None
    if invert == "auto":
        border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
        invert = bool(border.mean() > 127)
    return 255 - pixels if invert else pixels


def read_digit_images(paths: Sequence[str | os.PathLike[str]], **kwargs) -> np.ndarray:
    """Several image files as one ``(n, 28, 28)`` uint8 batch."""
    if not paths:
        raise DataError("no image files given")
    return np.stack([read_digit_image(p, **kwargs) for p in paths])


def to_image_batch(images: np.ndarray) -> np.ndarray:
    """A single ``(h, w)`` image becomes a batch of one; batches pass through."""
    images = np.asarray(images)
    return images[np.newaxis] if images.ndim == 2 else images
