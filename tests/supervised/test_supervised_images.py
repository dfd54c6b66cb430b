"""Reading image files: every common mode and bit depth, safely (bombs, empty and broken files)."""

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from paradigms.errors import ConfigError, DataError
from paradigms.supervised.sources.framing import Framing, centre_of_mass, frame_like_training
from paradigms.supervised.sources.images import (
    MAX_PIXELS,
    ImageProblem,
    read_grey,
    read_image,
    to_ink,
)


def png_header_only(path, width, height):
    """A PNG whose header claims ``width`` x ``height`` pixels and that holds no pixel data."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))
    return path


@pytest.fixture
def stroke():
    """A white 12 x 12 picture with a black vertical bar: dark ink on light paper."""
    pixels = np.full((12, 12), 255, np.uint8)
    pixels[2:10, 5:7] = 0
    return pixels


@pytest.mark.parametrize("mode", ["L", "RGB", "P", "LA", "CMYK", "1"])
def test_every_common_mode_reads_as_the_same_grey(tmp_path, stroke, mode):
    path = tmp_path / f"bar-{mode}.png" if mode != "CMYK" else tmp_path / "bar.tiff"
    Image.fromarray(stroke).convert(mode).save(path)
    np.testing.assert_allclose(read_grey(path), stroke / 255.0, atol=0.01)


def test_a_transparent_canvas_counts_as_white_paper(tmp_path, stroke):
    # A drawing app's export: black strokes on transparent pixels that are themselves black.
    rgba = np.zeros((12, 12, 4), np.uint8)
    rgba[..., 3] = 255 - stroke  # only the bar is opaque
    Image.fromarray(rgba, mode="RGBA").save(tmp_path / "drawn.png")
    grey = read_grey(tmp_path / "drawn.png")
    assert grey[0, 0] == 1.0 and grey[5, 5] == 0.0  # paper white, ink black: the bar is not lost


def test_sixteen_bit_images_are_rescaled_not_clipped(tmp_path):
    ramp = np.linspace(0, 65535, 16 * 16).astype(np.uint16).reshape(16, 16)
    Image.fromarray(ramp).save(tmp_path / "ramp16.png")
    grey = read_grey(tmp_path / "ramp16.png")
    np.testing.assert_allclose(grey, ramp / 65535.0, atol=1e-6)
    assert len(np.unique(np.round(grey * 255))) > 200  # the range is kept: clipping at 255 would leave 2 values


def test_dark_on_light_is_inverted_and_light_on_dark_is_not(stroke):
    assert to_ink(stroke / 255.0)[5, 5] == 1.0  # the bar becomes bright ink
    assert to_ink(1 - stroke / 255.0)[5, 5] == 1.0  # already light on dark: unchanged
    assert to_ink(stroke / 255.0, invert=False)[5, 5] == 0.0


def test_resizing_reads_any_size_into_the_model_size(tmp_path, stroke):
    Image.fromarray(np.kron(stroke, np.ones((9, 9), np.uint8))).save(tmp_path / "big.jpg", quality=95)
    image = read_image(tmp_path / "big.jpg", size=(28, 28))
    assert image.shape == (28, 28) and image.dtype == np.uint8
    assert image[14, 14] > 200 and image[2, 2] < 30  # light ink in the middle, dark background


def test_a_decompression_bomb_is_refused_from_its_header(tmp_path):
    side = int(MAX_PIXELS**0.5) + 100
    bomb = png_header_only(tmp_path / "bomb.png", side, side)
    assert bomb.stat().st_size < 100  # a few bytes that claim a huge picture
    with pytest.raises(ConfigError, match="bomb.png: .*too large"):
        read_grey(bomb)
    with pytest.raises(ConfigError, match="bomb.png"):  # Pillow's own limit, far above ours, is refused too
        read_grey(png_header_only(tmp_path / "bomb.png", 20_000, 20_000))


def test_pillows_own_limit_is_left_as_the_user_set_it(tmp_path, stroke, monkeypatch):
    # a notebook that disabled Pillow's limit (or raised it) keeps its setting; ours still holds
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)
    Image.fromarray(stroke).save(tmp_path / "digit.png")
    read_grey(tmp_path / "digit.png")
    assert Image.MAX_IMAGE_PIXELS is None
    side = int(MAX_PIXELS**0.5) + 100
    with pytest.raises(ConfigError, match="bomb.png: .*too large"):
        read_grey(png_header_only(tmp_path / "bomb.png", side, side))


@pytest.mark.parametrize(
    "content, kind",
    [(b"", "empty"), (b"just some text", "not an image"), (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not an image")],
)
def test_files_that_are_not_images_are_named(tmp_path, content, kind):
    path = tmp_path / "thing.png"
    path.write_bytes(content)
    with pytest.raises(ImageProblem, match="thing.png") as caught:
        read_grey(path)
    assert caught.value.kind == kind and isinstance(caught.value, DataError)


def test_a_truncated_image_is_unreadable(tmp_path, stroke):
    Image.fromarray(np.kron(stroke, np.ones((20, 20), np.uint8))).save(tmp_path / "whole.png")
    (tmp_path / "cut.png").write_bytes((tmp_path / "whole.png").read_bytes()[:120])
    with pytest.raises(ImageProblem, match="cut.png") as caught:
        read_grey(tmp_path / "cut.png")
    assert caught.value.kind == "unreadable"


def test_a_zero_by_zero_image_is_refused(tmp_path):
    with pytest.raises(ImageProblem, match="zero.png") as caught:
        read_grey(png_header_only(tmp_path / "zero.png", 0, 0))
    assert caught.value.kind == "not an image"  # Pillow does not open a 0 x 0 PNG at all


def test_framing_fits_the_ink_in_the_box_and_centres_its_mass():
    ink = np.zeros((300, 200), np.float32)
    ink[10:40, 150:160] = 1.0  # small, thin, in a corner
    framed = frame_like_training(ink, Framing.mnist_like((28, 28)))
    rows = np.flatnonzero((framed > 0.5).any(axis=1))
    assert rows[-1] - rows[0] + 1 == 20  # the longer side fills MNIST's 20-pixel box
    assert np.allclose(centre_of_mass(framed), (14, 14), atol=0.6)
    assert framed.max() == pytest.approx(1.0)  # full ink, however thin the stroke was


def test_a_faint_thin_line_becomes_full_ink_and_grey_paper_is_not_ink():
    ink = np.full((400, 400), 0.2, np.float32)  # grey paper after inversion
    ink[50:350, 199:201] += 0.3  # a thin, faint pen line
    framed = frame_like_training(ink, Framing.mnist_like((28, 28)))
    assert framed.max() == pytest.approx(1.0)
    assert framed[0, 0] == 0.0 and (framed > 0.2).sum() < 60  # the paper stayed background


def test_framing_is_measured_on_the_training_images():
    digits = np.zeros((50, 8, 8), np.float32)
    digits[:, 0:8, 2:6] = 1.0  # digits that fill the whole height, like scikit-learn's 8x8 ones
    framing = Framing.measure(digits)
    assert framing.box == 8 and framing.centre == pytest.approx((3.5, 3.5))
    assert Framing.from_dict(framing.to_dict()) == framing


def test_a_photo_stored_rotated_is_read_the_way_its_exif_orientation_says(tmp_path):
    upright = np.zeros((20, 30), dtype=np.uint8)
    upright[:, :5] = 255  # a bright band down the left edge of a landscape picture
    stored = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90)  # as a phone's sensor stores it
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    stored.save(tmp_path / "photo.jpg", exif=exif, quality=100)
    seen = read_grey(tmp_path / "photo.jpg")
    assert seen.shape == (20, 30)
    assert seen[:, :5].mean() > 0.8 and seen[:, 10:].mean() < 0.2
