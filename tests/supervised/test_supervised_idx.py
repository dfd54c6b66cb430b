import gzip
import hashlib
import os
import struct
import tracemalloc
import zlib

import numpy as np
import pytest

from paradigms.datasets.idx import (
    IMAGES_MAGIC,
    LABELS_MAGIC,
    idx_bytes,
    read_idx,
    read_idx_file,
    read_mnist_pair,
    write_idx,
)
from paradigms.errors import ConfigError, DataError


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
    with pytest.raises(ConfigError, match="no such IDX file"):  # exit 2: the path given is wrong
        read_idx(tmp_path / "absent.gz")
    (tmp_path / "empty").write_bytes(b"")
    with pytest.raises(DataError, match="too short"):
        read_idx(tmp_path / "empty")


def _gzip_of(header: bytes, zeros: int) -> bytes:
    """A gzip stream of ``header`` and then ``zeros`` zero bytes, made chunk by chunk (a decompression bomb)."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)
    parts, chunk = [packer.compress(header)], bytes(1 << 20)
    for start in range(0, zeros, len(chunk)):
        parts.append(packer.compress(chunk[: min(len(chunk), zeros - start)]))
    return b"".join(parts) + packer.flush()


def test_a_gzip_bomb_is_refused_before_it_is_expanded(tmp_path):
    # 64 MB of zeros after a header promising ten images: a few hundred kB on disk
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(_gzip_of(idx_bytes(np.zeros((10, 28, 28), np.uint8)), 64 << 20))
    tracemalloc.start()
    try:
        with pytest.raises(DataError) as info:
            read_idx(path, expect_magic=IMAGES_MAGIC)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(path) in _one_line(info) and "unexpected bytes after the data" in str(info.value)
    assert peak < 8 << 20, f"peak {peak:,} bytes"


@pytest.mark.parametrize(
    "shape, message",
    [((2**31, 28, 28), "more than the 1,073,741,824 this reader accepts"),
     ((500_000, 28, 28), "more than a gzip file of")],
)
def test_a_header_that_promises_too_much_is_refused_before_reading(tmp_path, shape, message):
    header = struct.pack(">I", IMAGES_MAGIC) + struct.pack(">3I", *shape)
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(header + bytes(1000)))
    with pytest.raises(DataError, match=message) as info:
        read_idx(path)
    assert str(path) in _one_line(info)


def test_folders_and_pipes_are_refused_without_reading(tmp_path):
    with pytest.raises(ConfigError, match="is a folder"):
        read_idx(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="special file"):  # opening it would wait for a writer forever
        read_idx(fifo)


def test_checksums_are_of_the_stored_file_and_of_its_content(tmp_path, images):
    path = write_idx(tmp_path / "x.gz", images)
    read = read_idx_file(path)
    assert read.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert read.content_sha256 == hashlib.sha256(idx_bytes(images)).hexdigest()
