"""Writing result files: values as plain JSON, and files written atomically.

Every file the toolkit writes (an evaluation, ``results.json``, a saved model's
config, the report's pages) goes through :func:`write_atomic`, so a crash never
leaves half a file behind; every value stored in JSON goes through
:func:`to_jsonable`, so numpy scalars, tuples, paths and DataFrames become plain
JSON and NaN becomes ``null`` (strict JSON that browsers read).

>>> to_jsonable({"n": np.int64(3), "widths": (64, 32), "loss": float("nan")})
{'n': 3, 'widths': [64, 32], 'loss': None}
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import math
import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from .errors import DataError


def to_jsonable(value: Any) -> Any:
    """Convert ``value`` into plain JSON types (numpy scalars and arrays, tuples,
    paths, DataFrames included). NaN and infinities become ``None``, so the JSON
    stays valid for browsers and the round trip stays exact."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, pd.DataFrame):
        return {
            "columns": [str(c) for c in value.columns],
            "data": to_jsonable(value.to_numpy(dtype=object).tolist()),
        }
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value))
    raise TypeError(f"cannot store a {type(value).__name__} in an Evaluation: {value!r:.80}")


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Errors of writing that say nothing is wrong with the program, only with where it writes.
_NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)


def write_atomic(path: str | os.PathLike[str], content: str | bytes) -> Path:
    """Write ``content`` to ``path`` via a temporary file in the same folder and a
    rename, so a crash never leaves a half-written file behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(content, bytes) else "w"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if mode == "wb" else "utf-8") as fh:
            fh.write(content)
        os.chmod(tmp, 0o666 & ~_current_umask())  # mkstemp makes 0600; give the usual mode
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.errno in _NO_ROOM:  # a full disk, a quota, a read-only file system: say where
            raise DataError(f"{path}: cannot be written ({exc.strerror or exc}); free some space "
                            "or write somewhere else") from None
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def sha256_of(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks (a dataset's checksum in its Evaluation)."""
    with open(path, "rb") as fh:
        return sha256_of_stream(fh)


def sha256_of_stream(stream: BinaryIO) -> str:
    """The SHA-256 of what is left to read in an open binary file, read in 1 MiB blocks
    (``hashlib.file_digest`` does this from Python 3.11; the project runs on 3.10)."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()
