"""Turn image files (PNG, JPEG, GIF, BMP, TIFF, WebP, ...) into model input, safely.

MNIST digits are white ink on a black background, 28 x 28 pixels. A photo or a
drawing is usually dark ink on light paper, of any size, mode and bit depth.
Reading one goes in three steps, each a function here:

1. :func:`read_grey`: the file, checked before it is decoded, as greyscale
   brightness in [0, 1] whatever its mode: RGB and palette images are converted,
   transparent pixels count as white paper (a drawing app's transparent canvas),
   16-bit images are *rescaled* (65535 -> 1.0), never clipped at 255.
2. :func:`to_ink`: light-on-dark, as MNIST; ``invert="auto"`` inverts an image
   whose border is brighter than mid-grey (dark ink on light paper).
3. A preparation: ``"resize"`` scales the whole image to the model's size (what a
   folder of labelled images gets, see :mod:`.folders`); ``"frame"`` fits the ink
   into the box the training digits fill and centres it by its centre of mass, as
   MNIST itself was made (see :mod:`.framing`; what ``paradigms classify`` does
   for a model trained on MNIST).

Untrusted files: the dimensions are read from the header and checked before any
pixel is decoded (:data:`MAX_PIXELS`; a "decompression bomb" of a few kilobytes
that would unpack to gigabytes is refused in one line), a 0 x 0 image is refused,
and Pillow's own warning above its limit is an error.

>>> import numpy as np
>>> to_ink(np.array([[1.0, 1.0], [0.0, 1.0]]), invert="auto").tolist()  # dark ink on white paper
[[0.0, 0.0], [1.0, 0.0]]
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from ...errors import ConfigError, DataError
from .framing import Framing, frame_like_training

#: The most pixels an image may have (about 8,000 x 6,000, a 48-megapixel photo). A larger
#: header is refused before decoding: a few kilobytes of PNG can claim gigabytes of pixels.
MAX_PIXELS = 50_000_000
#: How a file becomes model input: the whole image resized, or the ink framed like MNIST.
PREPARATIONS = ("resize", "frame")
#: Modes whose pixels are 16-bit (or wider) integers: rescaled from 0-65535, never clipped.
_WIDE_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I")


class ImageProblem(DataError):
    """A file that is not a usable image: ``kind`` is ``empty``, ``not an image`` or ``unreadable``."""

    def __init__(self, path: Path, kind: str, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path, self.kind = path, kind


def _pillow():
    # Start-up time: Pillow loads on the first image read, not with the package. Pillow's own
    # limit (MAX_IMAGE_PIXELS) is left as the user has it: every header is checked against
    # MAX_PIXELS here (_check_size), and Pillow's warning above its limit is an error (read_image).
    from PIL import Image

    return Image


def _check_size(path: Path, width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise ImageProblem(path, "empty", f"an empty image ({width} x {height} pixels)")
    if width * height > MAX_PIXELS:
        raise ConfigError(
            f"{path}: {width:,} x {height:,} pixels is too large to read (at most {MAX_PIXELS:,} pixels; "
            "a decompression bomb?); shrink it first"
        )


def _to_unit(image, size: tuple[int, int] | None) -> np.ndarray:
    """Brightness in [0, 1] of an opened Pillow image of any mode (transparency = white),
    resized to ``size`` (height, width) when given."""
    Image = _pillow()
    mode = image.mode
    if mode in _WIDE_MODES:
        pixels = np.clip(np.asarray(image, dtype=np.float64) / 65535.0, 0.0, 1.0).astype(np.float32)
        return resize(pixels, size) if size else pixels
    if mode == "F":
        pixels = np.nan_to_num(np.asarray(image, dtype=np.float64))
        scale = 1.0 if pixels.max(initial=0.0) <= 1.0 else 255.0 if pixels.max() <= 255.0 else 65535.0
        pixels = np.clip(pixels / scale, 0.0, 1.0).astype(np.float32)
        return resize(pixels, size) if size else pixels
    if mode == "P":
        image = image.convert("RGBA")
    elif mode in ("1", "CMYK", "YCbCr", "LAB", "HSV"):
        image = image.convert("RGB")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, image.convert("RGBA"))
    grey = image.convert("L")
    if size and grey.size != (size[1], size[0]):
        grey = grey.resize((size[1], size[0]), Image.Resampling.LANCZOS)
    return np.asarray(grey, dtype=np.float32) / 255.0


def read_grey(path: str | os.PathLike[str], *, size: tuple[int, int] | None = None) -> np.ndarray:
    """An image file as float32 brightness ``(height, width)`` in [0, 1] (white paper = 1),
    resized (Lanczos) to ``size`` = (height, width) when given.

    Raises :class:`ImageProblem` (a DataError, exit 1) for an empty file, a file that
    is not an image, or one that cannot be decoded (truncated, corrupt), and a
    ConfigError (exit 2) for a header that claims too many pixels. With ``size``, a
    JPEG decodes at a reduced scale close to (not below) twice it, much faster for big photos.
    """
    Image = _pillow()
    from PIL import ImageOps, UnidentifiedImageError

    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise ImageProblem(path, "empty", "an empty file (0 bytes)")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # a bomb is refused, not read
            with Image.open(path) as image:
                _check_size(path, *image.size)
                if size is not None and image.format == "JPEG":
                    image.draft("L", (2 * size[1], 2 * size[0]))
                image.load()
                # a phone stores a photo as the sensor saw it and says in EXIF how to turn it
                return _to_unit(ImageOps.exif_transpose(image), size)
    except (ImageProblem, ConfigError):
        raise
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not an image file") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ConfigError(f"{path}: too large to read (more than {MAX_PIXELS:,} pixels; a decompression "
                          "bomb?); shrink it first") from None
    except UnidentifiedImageError:
        raise ImageProblem(path, "not an image", "not a readable image (no image format recognised)") from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageProblem(path, "unreadable", f"not a readable image ({exc})") from None


def to_ink(grey: np.ndarray, *, invert: bool | str = "auto") -> np.ndarray:
    """Light ink on a dark background, as MNIST: ``1 - grey`` when the image is dark-on-light.

    ``invert="auto"`` inverts when the border pixels are on average brighter than
    mid-grey (paper is light); ``True`` / ``False`` force it.
    """
    if invert == "auto":
        border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
        invert = bool(border.mean() > 0.5)
    return (1.0 - grey) if invert else grey


def resize(ink: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``ink`` (float, any size) scaled to ``size`` = (height, width), Lanczos-filtered, in [0, 1]."""
    Image = _pillow()
    if ink.shape == tuple(size):
        return ink.astype(np.float32)
    scaled = Image.fromarray(ink.astype(np.float32), mode="F").resize((size[1], size[0]), Image.Resampling.LANCZOS)
    return np.clip(np.asarray(scaled, dtype=np.float32), 0.0, 1.0)


def to_uint8(unit: np.ndarray) -> np.ndarray:
    """Values in [0, 1] as 0-255 bytes (MNIST's pixel scale)."""
    return np.rint(np.clip(unit, 0.0, 1.0) * 255.0).astype(np.uint8)


def read_image(
    path: str | os.PathLike[str],
    *,
    size: tuple[int, int] = (28, 28),
    invert: bool | str = "auto",
    preparation: str = "resize",
    framing: Framing | None = None,
) -> np.ndarray:
    """One image file as a ``size`` uint8 array, light ink on dark like MNIST.

    ``preparation="resize"`` scales the whole picture; ``"frame"`` fits the ink into
    ``framing``'s box and centres it by mass (default: MNIST's 20 x 20 box in 28 x 28).
    """
    if preparation not in PREPARATIONS:
        raise ConfigError(f"preparation = {preparation!r}: choose one of {', '.join(PREPARATIONS)}")
    size = (int(size[0]), int(size[1]))
    if preparation == "frame":
        ink = to_ink(read_grey(path), invert=invert)
        return to_uint8(frame_like_training(ink, framing or Framing.mnist_like(size)))
    return to_uint8(to_ink(read_grey(path, size=size), invert=invert))


def read_digit_image(
    path: str | os.PathLike[str],
    *,
    size: tuple[int, int] = (28, 28),
    invert: bool | str = "auto",
    framing: Framing | None = None,
) -> np.ndarray:
    """A picture of a digit as MNIST would show it: ink framed in a 20 x 20 box, centred by
    mass in 28 x 28 (see :func:`read_image` with ``preparation="frame"``)."""
    return read_image(path, size=size, invert=invert, preparation="frame", framing=framing)
