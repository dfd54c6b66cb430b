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
Memory is bounded by what the header promises, checked first (:func:`read_idx_file`):
a small gzip file that would expand to gigabytes is refused before it is expanded.

>>> import numpy as np, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte.gz"
>>> _ = write_idx(path, np.array([5, 0, 4], dtype=np.uint8))
>>> read_idx(path).tolist()
[5, 0, 4]
"""

from __future__ import annotations

import gzip
import hashlib
import io
import math
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import numpy as np

from ..errors import DataError
from ..evaluation import write_atomic
from ..files import sha256_of_stream
from ..outputs import check_input_file
from ..untrusted import GZIP_MAGIC, MAX_DEFLATE_RATIO, one_line

#: Magic numbers of the two MNIST file kinds (unsigned bytes; 3 and 1 dimensions).
IMAGES_MAGIC = 0x00000803  # 2051
LABELS_MAGIC = 0x00000801  # 2049

#: IDX type codes -> numpy big-endian dtypes.
_TYPE_CODES: dict[int, np.dtype] = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_CODES_BY_KIND = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09}
#: More bytes of values than this is not a digit file we were meant to read: MNIST's training
#: images are 47 MB, EMNIST's largest file 550 MB. Checked against the header before anything is read.
MAX_IDX_BYTES = 1 << 30
_CHUNK = 1 << 20


@dataclass(frozen=True)
class IdxFile:
    """An IDX file read and checked: its array, and the SHA-256 of the file as stored and of its content."""

    array: np.ndarray
    sha256: str
    content_sha256: str


def read_idx_file(
    path: str | os.PathLike[str], *, expect_magic: int | None = None, max_bytes: int = MAX_IDX_BYTES
) -> IdxFile:
    """Read one IDX file (gzipped or raw) in bounded memory, with its checksums.

    The header is read first; the sizes it promises are checked against
    ``max_bytes``, against the file's size (raw) or what a gzip stream of that
    size can hold, and the content is then read (decompressed) into an array of
    exactly that size. A stream that runs past it is refused as soon as it does:
    a small gzip that expands to gigabytes costs no more memory than its header
    promised. A missing path is a ConfigError; a folder, a pipe or a device is
    refused before it is opened; everything else wrong is a one-line DataError
    that names the file.
    """
    path = check_input_file(path, what="IDX file")
    name = str(path)
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            compressed = fh.read(2) == GZIP_MAGIC
            fh.seek(0)
            if compressed:
                with gzip.GzipFile(fileobj=fh, mode="rb") as stream:
                    array, content_sha256 = _read_idx_stream(stream, name, expect_magic, max_bytes, size, True)
                fh.seek(0)
                stored_sha256 = sha256_of_stream(fh)
            else:
                array, content_sha256 = _read_idx_stream(fh, name, expect_magic, max_bytes, size, False)
                stored_sha256 = content_sha256
    except EOFError:
        raise DataError(f"{name}: the gzip file is truncated (an interrupted download?); delete it and fetch it again") from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise DataError(f"{name}: corrupt gzip data ({one_line(exc)}); delete it and fetch it again") from None
    except OSError as exc:
        raise DataError(f"{name}: cannot be read ({exc.strerror or one_line(exc)})") from None
    return IdxFile(array, stored_sha256, content_sha256)


def _read_idx_stream(
    stream: io.BufferedIOBase, name: str, expect_magic: int | None, max_bytes: int, size: int, compressed: bool
) -> tuple[np.ndarray, str]:
    """The array of an IDX ``stream`` (decompressed already) and the SHA-256 of its bytes.

    ``size`` is the size of the file as stored: for a raw file it must be the
    header plus the values exactly; for a gzip file it bounds what the header may promise.
    """
    head = stream.read(4)
    if len(head) < 4:
        raise DataError(f"{name}: only {len(head)} bytes, too short for an IDX header")
    (magic,) = struct.unpack(">I", head)
    _check_magic(magic, name, expect_magic)
    ndim = magic & 0xFF
    dims = stream.read(4 * ndim)
    header_size = 4 + 4 * ndim
    if len(dims) < 4 * ndim:
        raise DataError(f"{name}: the header is cut short ({4 + len(dims)} bytes, needs {header_size})")
    shape = struct.unpack(f">{ndim}I", dims)
    dtype = _TYPE_CODES[(magic >> 8) & 0xFF]
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes > max_bytes:
        raise DataError(
            f"{name}: the header claims shape {shape} ({nbytes:,} bytes of values), more than the "
            f"{max_bytes:,} this reader accepts (MNIST's training images are 47,040,000); not a digit file"
        )
    expected = header_size + nbytes
    if not compressed and size != expected:
        _size_mismatch(name, shape, expected, size)
    if compressed and nbytes > size * MAX_DEFLATE_RATIO + 4096:
        raise DataError(
            f"{name}: the header claims shape {shape} ({nbytes:,} bytes), more than a gzip file of "
            f"{size:,} bytes can hold; the file is damaged or not what it claims"
        )
    buffer = np.empty(nbytes, dtype=np.uint8)  # pages are touched only as the data arrives
    view, filled = memoryview(buffer), 0  # type: ignore[arg-type]  # numpy's stub: ndarray has the buffer protocol only from Python 3.12 on
    while filled < nbytes:
        got = stream.readinto(view[filled : filled + _CHUNK])
        if not got:
            break
        filled += got
    if filled < nbytes:
        _size_mismatch(name, shape, expected, header_size + filled)
    extra = len(stream.read(_CHUNK))  # at most one chunk more, whatever the stream would expand to
    if extra:
        more = "or more " if extra == _CHUNK else ""
        raise DataError(f"{name}: {extra:,} {more}unexpected bytes after the data of shape {shape}")
    digest = hashlib.sha256(head)
    digest.update(dims)
    digest.update(view)
    array = buffer.view(dtype).reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=False), digest.hexdigest()


def _check_magic(magic: int, name: str, expect_magic: int | None) -> None:
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


def _size_mismatch(name: str, shape: tuple[int, ...], expected: int, actual: int) -> NoReturn:
    if actual < expected:
        raise DataError(
            f"{name}: truncated: the header promises shape {shape} ({expected:,} bytes) "
            f"but the file holds {actual:,} bytes"
        )
    raise DataError(f"{name}: {actual - expected:,} unexpected bytes after the data of shape {shape}")


def read_idx(path: str | os.PathLike[str], *, expect_magic: int | None = None) -> np.ndarray:
    """Read one IDX file (gzipped or raw) into a NumPy array, checking its header (see :func:`read_idx_file`)."""
    return read_idx_file(path, expect_magic=expect_magic).array


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
