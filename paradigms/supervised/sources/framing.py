"""Frame a drawn digit the way MNIST's digits were framed, so a model trained on MNIST can read it.

MNIST's makers fitted each handwritten digit into a 20 x 20 box (keeping its
aspect ratio; the anti-aliasing gives the grey levels) and then placed it in a
28 x 28 field so that its centre of mass sits at the centre. A network trained
on those images has only ever seen digits of that size at that place: a digit
drawn small in a corner of a phone screen, or filling a whole page, looks like
nothing it knows. :func:`frame_like_training` does to a new picture what was
done to the training digits:

1. find the ink (pixels above a quarter of the brightest) and crop to its box;
2. scale the crop so that its longer side fills the box (aspect kept);
3. stretch the contrast so the darkest stroke is full ink: a thin pen line
   shrunk from a large canvas would otherwise fade to grey;
4. paste it so that its centre of mass lands where the training digits' did.

The box and the centre are a :class:`Framing`, measured on the training images
themselves (:meth:`Framing.measure`): for MNIST a 20-pixel box centred at
(14, 14), for scikit-learn's 8 x 8 digits an 8-pixel box.

>>> import numpy as np
>>> ink = np.zeros((100, 100)); ink[70:90, 5:15] = 1.0          # a small blob in a corner
>>> framed = frame_like_training(ink, Framing.mnist_like((28, 28)))
>>> framed.shape, int((framed > 0.5).sum(axis=0).max()), [round(c) for c in centre_of_mass(framed)]
((28, 28), 20, [14, 14])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np

#: Pixels brighter than this share of the brightest one are ink when finding the digit's box.
INK_SHARE = 0.25


@dataclass(frozen=True)
class Framing:
    """Where the training images put their ink: a ``size`` field, a ``box`` the longer
    side of the ink fills, and the ``centre`` (row, column) of its mass."""

    size: tuple[int, int]
    box: float
    centre: tuple[float, float]

    @classmethod
    def mnist_like(cls, size: tuple[int, int]) -> Framing:
        """MNIST's own framing (a 20 x 20 box in 28 x 28, centred at (14, 14)), scaled to ``size``."""
        height, width = int(size[0]), int(size[1])
        return cls((height, width), 20 / 28 * min(height, width), (height / 2, width / 2))

    @classmethod
    def measure(cls, images: np.ndarray, *, sample: int = 5000) -> Framing:
        """The framing of ``(n, height, width)`` training images: the median longer side of
        their ink's box and the mean centre of mass (of at most ``sample`` evenly spaced images)."""
        step = max(1, len(images) // sample)
        chosen = np.asarray(images[::step], dtype=np.float32)
        size = (int(chosen.shape[1]), int(chosen.shape[2]))
        peak = chosen.max(axis=(1, 2), keepdims=True)
        ink = chosen > INK_SHARE * np.where(peak > 0, peak, np.inf)
        has_ink = ink.any(axis=(1, 2))
        if not has_ink.any():
            return cls.mnist_like(size)
        rows, cols = ink[has_ink].any(axis=2), ink[has_ink].any(axis=1)
        sides = np.maximum(_extent(rows), _extent(cols))  # type: ignore[arg-type]  # numpy's stub: any(axis=...) of a 3-D array is an array
        mass = chosen[has_ink].sum(axis=(1, 2))
        cy = (chosen[has_ink].sum(axis=2) @ np.arange(size[0])) / mass
        cx = (chosen[has_ink].sum(axis=1) @ np.arange(size[1])) / mass
        return cls(size, float(np.median(sides)), (float(cy.mean()), float(cx.mean())))

    def to_dict(self) -> dict[str, Any]:
        return {"size": list(self.size), "box": self.box, "centre": list(self.centre)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Framing:
        size = cast("tuple[int, int]", tuple(int(v) for v in data["size"]))  # (persistence checks both lengths)
        centre = cast("tuple[float, float]", tuple(float(v) for v in data["centre"]))
        return cls(size, float(data["box"]), centre)


def _extent(mask: np.ndarray) -> np.ndarray:
    """Per row of ``mask`` (n, length): last True index - first True index + 1."""
    length = mask.shape[1]
    first = mask.argmax(axis=1)
    last = length - 1 - mask[:, ::-1].argmax(axis=1)
    return last - first + 1


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the intensity-weighted mean position; the middle for a blank image."""
    total = float(image.sum())
    if total <= 0:
        return (image.shape[0] - 1) / 2, (image.shape[1] - 1) / 2
    rows = image.sum(axis=1) @ np.arange(image.shape[0]) / total
    cols = image.sum(axis=0) @ np.arange(image.shape[1]) / total
    return float(rows), float(cols)


def _scale(patch: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    # Start-up time: Pillow loads with the first picture, not with the package.
    from PIL import Image

    if patch.shape == shape:
        return patch
    shrinking = shape[0] < patch.shape[0] or shape[1] < patch.shape[1]
    method = Image.Resampling.LANCZOS if shrinking else Image.Resampling.BILINEAR
    scaled = Image.fromarray(patch.astype(np.float32), mode="F").resize((shape[1], shape[0]), method)
    return np.clip(np.asarray(scaled, dtype=np.float32), 0.0, None)


def frame_like_training(ink: np.ndarray, framing: Framing) -> np.ndarray:
    """``ink`` (light-on-dark floats, any size) framed as the training images were: see the module docstring.

    A blank picture (no ink at all) comes back blank.
    """
    ink = np.asarray(ink, dtype=np.float32)
    height, width = framing.size
    canvas = np.zeros((height, width), dtype=np.float32)
    background = float(np.median(np.concatenate([ink[0], ink[-1], ink[:, 0], ink[:, -1]])))
    ink = np.clip(ink - background, 0.0, None)  # grey paper or a shadow is not ink
    peak = float(ink.max(initial=0.0))
    if peak <= 0:
        return canvas
    mask = ink > INK_SHARE * peak
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    patch = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    factor = min(framing.box / patch.shape[0], framing.box / patch.shape[1])
    shape = (
        min(height, max(1, round(patch.shape[0] * factor))),
        min(width, max(1, round(patch.shape[1] * factor))),
    )
    patch = _scale(patch, shape)
    patch = np.clip(patch / max(float(patch.max()), 1e-6), 0.0, 1.0)
    cy, cx = centre_of_mass(patch)
    top = int(np.clip(round(framing.centre[0] - cy), 0, height - shape[0]))
    left = int(np.clip(round(framing.centre[1] - cx), 0, width - shape[1]))
    canvas[top : top + shape[0], left : left + shape[1]] = patch
    return canvas
