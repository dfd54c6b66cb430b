"""Read and write IDX files, the format the MNIST digits are distributed in.

An IDX file is a tiny header followed by one big array, big-endian:

* two zero bytes, a type code (``0x08`` = unsigned byte) and the number of
  dimensions ``d`` (3 for images, 1 for labels): together the *magic number*
  (``2051`` for MNIST images, ``2049`` for labels);
* ``d`` big-endian 32-bit sizes (count, then rows and columns for images);
* the values, row-major.

The files usually come gzip-compressed; :func:`read_idx` accepts both and tells
them apart by their first bytes, not by their name. Every check failure (wrong
magic, a truncated or corrupt file, a size that does not match the header) is a
:class:`~paradigms.errors.DataError` whose one-line message names the file.

>>> import numpy as np, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte.gz"
>>> _ = write_idx(path, np.array([5, 0, 4], dtype=np.uint8))
>>> read_idx(path).tolist()
[5, 0, 4]
"""

from __future__ import annotations

import gzip
import io
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from ..errors import DataError
from ..evaluation import write_atomic

#: Magic numbers of the two MNIST file kinds (unsigned bytes; 3 and 1 dimensions).
IMAGES_MAGIC = 0x00000803  # 2051
LABELS_MAGIC = 0x00000801  # 2049

_GZIP_START = b"\x1f\x8b"
#: IDX type codes -> numpy big-endian dtypes.
_TYPE_CODES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_CODES_BY_KIND = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09}
#: More than this many values is not a file we were meant to read (MNIST train: 47 M).
_MAX_VALUES = 2_000_000_000


def read_idx_bytes(path: str | os.PathLike[str]) -> bytes:
    """The decompressed bytes of an IDX file (gzipped or raw); errors name the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not an IDX file") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    return decompress_if_gzipped(raw, name=str(path))


def decompress_if_gzipped(raw: bytes, *, name: str = "<bytes>") -> bytes:
    """``raw`` itself, or its decompressed content when it starts like a gzip stream."""
    if not raw.startswith(_GZIP_START):
        return raw
    try:
        return gzip.decompress(raw)
    except EOFError:
        raise DataError(
            f"{name}: the gzip file is truncated (an interrupted download?); delete it and fetch it again"
        ) from None
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise DataError(f"{name}: corrupt gzip data ({exc}); delete it and fetch it again") from None


def parse_idx(data: bytes, *, name: str = "<bytes>", expect_magic: int | None = None) -> np.ndarray:
    """Parse decompressed IDX ``data`` into an array (``name`` is used in errors).

    ``expect_magic`` (e.g. :data:`IMAGES_MAGIC`) makes any other kind of IDX an error.
    """
    if len(data) < 4:
        raise DataError(f"{name}: only {len(data)} bytes, too short for an IDX header")
    (magic,) = struct.unpack(">I", data[:4])
    zeros, type_code, ndim = magic >> 16, (magic >> 8) & 0xFF, magic & 0xFF
    if zeros != 0 or type_code not in _TYPE_CODES or ndim == 0:
        raise DataError(
            f"{name}: not an IDX file (magic number {magic:#010x}; MNIST images start with "
            f"{IMAGES_MAGIC:#010x}, labels with {LABELS_MAGIC:#010x})"
        )
    if expect_magic is not None and magic != expect_magic:
        kinds = {IMAGES_MAGIC: "an images file", LABELS_MAGIC: "a labels file"}
        raise DataError(
            f"{name}: magic number {magic:#010x} ({kinds.get(magic, 'an unexpected IDX kind')}), "
            f"expected {expect_magic:#010x} ({kinds.get(expect_magic, 'another kind')}); are the files swapped?"
        )
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise DataError(f"{name}: the header is cut short ({len(data)} bytes, needs {header_size})")
    shape = struct.unpack(f">{ndim}I", data[4:header_size])
    dtype = _TYPE_CODES[type_code]
    count = int(np.prod(shape, dtype=np.int64))
    if count > _MAX_VALUES:
        raise DataError(f"{name}: header claims shape {shape}, which is implausibly large")
    expected = header_size + count * dtype.itemsize
    if len(data) < expected:
        raise DataError(
            f"{name}: truncated: the header promises shape {shape} ({expected:,} bytes) "
            f"but the file holds {len(data):,} bytes"
        )
    if len(data) > expected:
        raise DataError(
            f"{name}: {len(data) - expected:,} unexpected bytes after the data of shape {shape}"
        )
    array = np.frombuffer(data, dtype=dtype, count=count, offset=header_size).reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=False)


def read_idx(path: str | os.PathLike[str], *, expect_magic: int | None = None) -> np.ndarray:
    """Read one IDX file (gzipped or raw) into a NumPy array, checking its header."""
    path = Path(path)
    return parse_idx(read_idx_bytes(path), name=str(path), expect_magic=expect_magic)


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of a uint8 (or int8) array: header, then the values."""
    array = np.asarray(array)
    if array.dtype not in _CODES_BY_KIND:
        raise ValueError(f"IDX writing supports uint8 and int8 arrays, got {array.dtype}")
    if array.ndim == 0 or array.ndim > 255:
        raise ValueError(f"an IDX array needs 1 to 255 dimensions, got {array.ndim}")
    header = struct.pack(">I", (_CODES_BY_KIND[array.dtype] << 8) | array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array).tobytes()


def write_idx(path: str | os.PathLike[str], array: np.ndarray, *, compress: bool | None = None) -> Path:
    """Write ``array`` as an IDX file, atomically; gzip it when ``compress`` is true
    (by default: when the name ends in ``.gz``). Mainly for tests and ``--from``."""
    path = Path(path)
    if compress is None:
        compress = path.suffix == ".gz"
    payload = idx_bytes(array)
    if compress:
        buffer = io.BytesIO()
        # mtime=0: the same array always gives the same bytes (and checksum).
        with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as fh:
            fh.write(payload)
        payload = buffer.getvalue()
    return write_atomic(path, payload)


def read_mnist_pair(images_path: str | os.PathLike[str], labels_path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    """Images ``(n, rows, cols)`` uint8 and labels ``(n,)`` uint8 from two IDX files,
    checked to belong together: same count, labels 0-9."""
    images = read_idx(images_path, expect_magic=IMAGES_MAGIC)
    labels = read_idx(labels_path, expect_magic=LABELS_MAGIC)
    if len(images) != len(labels):
        raise DataError(
            f"{images_path} holds {len(images):,} images but {labels_path} holds {len(labels):,} labels; "
            "they must come from the same split"
        )
    if len(images) == 0:
        raise DataError(f"{images_path}: holds no images")
    if labels.max() > 9:
        raise DataError(f"{labels_path}: label {int(labels.max())} found; digit labels run from 0 to 9")
    return images, labels
