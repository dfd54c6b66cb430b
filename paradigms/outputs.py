"""Files read and written on the user's behalf: checked first, staged, and never the user's lost.

Three promises, each kept by one mechanism here:

* **Inputs are checked before they are read.** :func:`check_input_file` refuses a
  missing path (exit 2), a folder, and special files (a FIFO, a device), which
  would otherwise be read until the end of time.
* **Outputs are checked before any work** (:func:`check_output_dir`), then
  **staged**: :class:`StagedOutputs` gives a run a private folder inside the
  output folder and moves its files into place only when the run succeeds, so a
  failed run leaves the previous run's files as they were, never a mix.
* **The program removes or replaces only files it wrote.** Every committed file
  is recorded in the folder's manifest (:data:`MANIFEST_FILE`); :func:`remove_own_files`
  deletes only files listed there, whatever their extension.

CSV files written from user data go through :func:`spreadsheet_safe`: a text
cell that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) gets a leading apostrophe (OWASP's rule).

>>> import pandas as pd
>>> spreadsheet_safe(pd.DataFrame({"name": ["=1+1", "ok", "-2"], "n": [-1, 2, 3]}))["name"].tolist()
["'=1+1", 'ok', "'-2"]
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .errors import ConfigError, DataError

#: The manifest of the files the program wrote into an output folder (relative paths).
MANIFEST_FILE = ".learning-paradigms-outputs.json"
#: Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def check_input_file(path: str | os.PathLike[str], *, what: str = "file") -> Path:
    """``path`` as a Path if it names a regular file; a one-line ConfigError otherwise.

    A FIFO or a device is refused before it is opened: reading one may never end.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such {what}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read this {what} ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise ConfigError(f"{path}: is a folder, not a {what}")
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{path}: is a special file (a pipe or a device), not a regular {what}")
    if not os.access(path, os.R_OK):
        raise ConfigError(f"{path}: permission denied (cannot read this {what})")
    return path


def check_output_dir(path: str | os.PathLike[str], *, option: str = "--out") -> Path:
    """Make sure ``path`` is (or can become) a writable folder, before any work starts."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{option} {path}: is a file, not a folder; choose a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{option} {path}: cannot create this folder ({exc.strerror or exc})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"{option} {path}: permission denied (cannot write into this folder)")
    return path


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) cannot run as spreadsheet formulas."""

    def neutral(value: object) -> object:
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            return "'" + value
        return value

    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutral)
    safe.columns = [neutral(c) for c in safe.columns]
    if safe.index.dtype == object:
        safe.index = safe.index.map(neutral)
    return safe


# -- the manifest of the program's own files ---------------------------------------


def own_files(folder: str | os.PathLike[str]) -> set[str]:
    """The files (relative paths) the program recorded writing into ``folder``."""
    manifest = Path(folder) / MANIFEST_FILE
    try:
        names = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return set()
    return {str(n) for n in names if isinstance(n, str) and not Path(n).is_absolute() and ".." not in Path(n).parts}


def record_own_files(folder: str | os.PathLike[str], names: Iterable[str]) -> None:
    """Add ``names`` (relative to ``folder``) to the folder's manifest, atomically."""
    folder = Path(folder)
    files = sorted(own_files(folder) | {str(Path(n).as_posix()) for n in names})
    text = json.dumps({"format": "learning-paradigms/outputs", "files": files}, indent=1)
    fd, tmp = tempfile.mkstemp(prefix=f".{MANIFEST_FILE}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, folder / MANIFEST_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_own_files(folder: str | os.PathLike[str], names: Iterable[str]) -> list[Path]:
    """Delete those of ``names`` that the manifest says the program wrote; nothing else."""
    folder = Path(folder)
    mine = own_files(folder)
    removed = []
    for name in names:
        key = str(Path(name).as_posix())
        target = folder / key
        if key in mine and target.is_file() and not target.is_symlink():
            target.unlink()
            removed.append(target)
    if removed:
        remaining = mine - {str(p.relative_to(folder).as_posix()) for p in removed}
        _write_manifest(folder, remaining)
    return removed


def _write_manifest(folder: Path, files: set[str]) -> None:
    (folder / MANIFEST_FILE).unlink(missing_ok=True)
    if files:
        record_own_files(folder, files)


# -- staging -------------------------------------------------------------------------


class StagedOutputs:
    """A private folder inside ``final`` where a run writes; :meth:`commit` moves its files into place.

    Each file is moved with ``os.replace`` (same file system, so each move is
    atomic) and recorded in the manifest. :meth:`discard` removes the staging
    folder and leaves ``final`` untouched.
    """

    def __init__(self, final: str | os.PathLike[str]) -> None:
        self.final = check_output_dir(final)
        self.path = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.final))

    def files(self) -> list[Path]:
        return sorted(p for p in self.path.rglob("*") if p.is_file())

    def commit(self) -> list[Path]:
        """Move every staged file into ``final`` (replacing the program's own older copies)."""
        moved, names = [], []
        for source in self.files():
            relative = source.relative_to(self.path)
            target = self.final / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir():
                raise DataError(f"{target}: a folder stands where the run wants to write a file; move it away")
            os.replace(source, target)
            moved.append(target)
            names.append(relative.as_posix())
        record_own_files(self.final, names)
        self.discard()
        return moved

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


@contextmanager
def staged_outputs(final: str | os.PathLike[str]) -> Iterator[StagedOutputs]:
    """``with staged_outputs(out) as stage:`` write under ``stage.path``; committed on success only."""
    stage = StagedOutputs(final)
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    stage.commit()
