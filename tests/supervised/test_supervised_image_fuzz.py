"""Property-based tests of the image reader behind ``--data DIR``, ``classify`` and ``predict_files``.

Random bytes, truncations and mutations of small valid PNG files (8-bit grey, RGBA,
16-bit, palette) and a GIF must end in a 28 x 28 MNIST-like image or a one-line
:class:`~paradigms.errors.UserError` naming the file, never another exception, each
within the deadline.
"""

import io
import tempfile
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from paradigms.errors import UserError
from paradigms.supervised.sources.images import read_digit_image, read_image


def _encoded(image: Image.Image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


_DIGIT = np.full((12, 10), 255, np.uint8)
_DIGIT[2:10, 4:6] = 0  # a dark "1" on white paper
VALID = {
    "grey.png": _encoded(Image.fromarray(_DIGIT)),
    "rgba.png": _encoded(Image.fromarray(np.dstack([_DIGIT] * 3 + [np.full_like(_DIGIT, 255)]))),
    "sixteen.png": _encoded(Image.fromarray(_DIGIT.astype(np.uint16) * 257)),
    "palette.png": _encoded(Image.fromarray(_DIGIT).convert("P")),
    "digit.gif": _encoded(Image.fromarray(_DIGIT), "GIF"),
}
FUZZ = settings(max_examples=40, deadline=timedelta(seconds=2), database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


def _read(name: str, content: bytes, reader=read_image):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            image = reader(path)
        except UserError as exc:
            message = str(exc)
            assert message and "\n" not in message and str(path) in message, repr(exc)
            return exc
    assert image.shape == (28, 28) and image.dtype == np.uint8
    return image


@pytest.mark.parametrize("name", sorted(VALID))
def test_every_valid_kind_reads_as_a_bright_digit_on_black(name):
    image = _read(name, VALID[name], read_digit_image)
    assert isinstance(image, np.ndarray)
    assert image.max() > 200 and np.median(image) < 30  # ink light, paper dark, as MNIST


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(content):
    _read("random.png", content)


@FUZZ
@given(st.sampled_from(sorted(VALID)), st.data())
def test_truncations(name, data):
    content = VALID[name]
    _read(name, content[: data.draw(st.integers(0, len(content) - 1))], read_digit_image)


@FUZZ
@given(st.sampled_from(sorted(VALID)), st.data())
def test_mutations(name, data):
    content = bytearray(VALID[name])
    for _ in range(data.draw(st.integers(1, 6))):
        content[data.draw(st.integers(0, len(content) - 1))] = data.draw(st.integers(0, 255))
    _read(name, bytes(content), read_digit_image)
