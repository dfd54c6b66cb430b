import gzip

import numpy as np
import pytest

from paradigms.errors import DataError
from paradigms.supervised.idx import (
    IMAGES_MAGIC,
    LABELS_MAGIC,
    idx_bytes,
    read_idx,
    read_mnist_pair,
    write_idx,
)


@pytest.fixture
def images():
    return np.random.default_rng(0).integers(0, 256, size=(5, 28, 28), dtype=np.uint8)


@pytest.mark.parametrize("name", ["images-idx3-ubyte.gz", "images-idx3-ubyte"])
def test_round_trip_gzipped_and_raw(tmp_path, images, name):
    path = write_idx(tmp_path / name, images)
    assert path.read_bytes()[:2] == (b"\x1f\x8b" if name.endswith(".gz") else b"\x00\x00")
    back = read_idx(path, expect_magic=IMAGES_MAGIC)
    assert back.dtype == np.uint8 and back.shape == (5, 28, 28)
    np.testing.assert_array_equal(back, images)


def test_header_layout_matches_the_mnist_description(images):
    data = idx_bytes(images)
    assert int.from_bytes(data[:4], "big") == IMAGES_MAGIC == 2051
    assert [int.from_bytes(data[i : i + 4], "big") for i in (4, 8, 12)] == [5, 28, 28]
    assert len(data) == 16 + 5 * 28 * 28
    assert int.from_bytes(idx_bytes(np.zeros(3, np.uint8))[:4], "big") == LABELS_MAGIC == 2049


def test_gzip_is_detected_by_content_not_name(tmp_path, images):
    path = tmp_path / "looks-raw"
    path.write_bytes(gzip.compress(idx_bytes(images)))
    np.testing.assert_array_equal(read_idx(path), images)


def test_pair_reads_images_and_labels(tmp_path, images):
    write_idx(tmp_path / "i.gz", images)
    write_idx(tmp_path / "l.gz", np.arange(5, dtype=np.uint8))
    x, y = read_mnist_pair(tmp_path / "i.gz", tmp_path / "l.gz")
    assert x.shape == (5, 28, 28) and y.tolist() == [0, 1, 2, 3, 4]


def _one_line(exc_info) -> str:
    message = str(exc_info.value)
    assert "\n" not in message
    return message


def test_truncated_gzip_names_the_file(tmp_path, images):
    path = write_idx(tmp_path / "train-images-idx3-ubyte.gz", images)
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(DataError) as info:
        read_idx(path)
    message = _one_line(info)
    assert str(path) in message and "truncated" in message


def test_corrupt_gzip_names_the_file(tmp_path, images):
    path = write_idx(tmp_path / "x.gz", images)
    data = bytearray(path.read_bytes())
    data[20:40] = b"\xff" * 20
    path.write_bytes(bytes(data))
    with pytest.raises(DataError) as info:
        read_idx(path)
    message = _one_line(info)
    assert str(path) in message and ("corrupt" in message or "truncated" in message)


def test_truncated_data_is_reported_with_sizes(tmp_path, images):
    path = tmp_path / "x"
    path.write_bytes(idx_bytes(images)[:-100])
    with pytest.raises(DataError, match=r"truncated: the header promises shape \(5, 28, 28\)"):
        read_idx(path)


def test_trailing_bytes_are_an_error(tmp_path, images):
    path = tmp_path / "x"
    path.write_bytes(idx_bytes(images) + b"junk")
    with pytest.raises(DataError, match="4 unexpected bytes"):
        read_idx(path)


def test_wrong_magic_is_not_an_idx_file(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(DataError) as info:
        read_idx(path)
    assert "not an IDX file" in _one_line(info) and str(path) in str(info.value)


def test_labels_where_images_are_expected_suggests_swapped_files(tmp_path):
    path = write_idx(tmp_path / "labels.gz", np.zeros(4, np.uint8))
    with pytest.raises(DataError, match="swapped"):
        read_idx(path, expect_magic=IMAGES_MAGIC)


def test_mismatched_counts_name_both_files(tmp_path, images):
    write_idx(tmp_path / "i.gz", images)
    write_idx(tmp_path / "l.gz", np.zeros(4, np.uint8))
    with pytest.raises(DataError) as info:
        read_mnist_pair(tmp_path / "i.gz", tmp_path / "l.gz")
    message = _one_line(info)
    assert "5 images" in message and "4 labels" in message and "l.gz" in message


def test_labels_out_of_range(tmp_path, images):
    write_idx(tmp_path / "i.gz", images)
    write_idx(tmp_path / "l.gz", np.array([0, 1, 2, 3, 12], np.uint8))
    with pytest.raises(DataError, match="label 12"):
        read_mnist_pair(tmp_path / "i.gz", tmp_path / "l.gz")


def test_missing_file_and_empty_file(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_idx(tmp_path / "absent.gz")
    (tmp_path / "empty").write_bytes(b"")
    with pytest.raises(DataError, match="too short"):
        read_idx(tmp_path / "empty")
