"""Files read and written on the user's behalf: checked first, staged, and never the user's lost.

Three promises, each kept by one mechanism here:

* **Inputs are checked before they are read.** :func:`check_input_file` refuses a
  missing path (exit 2), a folder, and special files (a FIFO, a device), which
  would otherwise be read until the end of time; :func:`read_json_file` reads a
  JSON file the toolkit wrote (bounded size, any failure one line naming the file).
* **Outputs are checked before any work** (:func:`check_output_dir`), then
  **staged**: :class:`StagedOutputs` gives a run a private folder inside the
  output folder and moves its files into place only when the run succeeds, so a
  failed run leaves the previous run's files as they were, never a mix. A staging
  folder is named after the process that owns it; one left by a killed run (its
  process gone) is removed by the next run into that folder
  (:func:`remove_stale_stages`).
* **Every path the program deletes, replaces or writes resolves inside the output
  folder** (:func:`inside_output`): a ``figures/`` that is a symbolic link to a
  folder elsewhere is refused in one line, never written through.
* **The program removes or replaces only files it wrote.** Every committed file
  is recorded in the folder's manifest (:data:`MANIFEST_FILE`); :func:`remove_own_files`
  deletes only files listed there, whatever their extension, and :func:`keep_theirs`
  moves aside (never overwrites) a file of the user's that bears the name of one
  the program is about to write.

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
import re
import shutil
import socket
import stat
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import ConfigError, DataError
from .files import write_atomic
from .untrusted import safe_json

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
        raise ConfigError(f"{path}: is a folder, not {'an' if what[:1] in 'aeiou' else 'a'} {what}")
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{path}: is a special file (a pipe or a device), not a regular {what}")
    if not os.access(path, os.R_OK):
        raise ConfigError(f"{path}: permission denied (cannot read this {what})")
    return path


#: JSON files the toolkit reads back are its own (results, evaluations, settings): a
#: comparison of many seeds with pictures is tens of MB. A larger file is refused unread.
MAX_JSON_BYTES = 256 << 20


#: A JSON escape of a surrogate: where one appears, the strings read are made safe (:func:`safe_json`).
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def read_json_file(path: str | os.PathLike[str], *, what: str = "JSON file", max_bytes: int = MAX_JSON_BYTES) -> Any:
    """The JSON value in ``path``, or a one-line error naming the file.

    The path is checked as :func:`check_input_file` does (missing: a ConfigError),
    its size before it is read; text that is not UTF-8, not JSON, or nested too
    deeply for Python to parse is a DataError. A lone surrogate in a string is
    written out (:func:`paradigms.untrusted.safe_text`), so the value can be written again.
    """
    path = check_input_file(path, what=what)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DataError(f"{path}: {size:,} bytes, more than the {max_bytes:,} a {what} may hold")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start}); this {what} cannot be used") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        value = json.loads(text)
        # a lone surrogate ("\udce9") would make the first write of it raise: written out instead
        return safe_json(value) if _LONE_SURROGATE_ESCAPE.search(text) else value
    except RecursionError:
        raise DataError(f"{path}: JSON nested too deeply to read; this {what} cannot be used") from None
    except ValueError as exc:
        raise DataError(f"{path}: not valid JSON ({' '.join(str(exc).split())}); this {what} cannot be used") from None


def read_saved_header(path: str | os.PathLike[str], *, file_format: str, version: int, what: str,
                      max_bytes: int = MAX_JSON_BYTES) -> dict[str, Any]:
    """The JSON object that describes a saved model (a classifier, a segmenter, an agent), checked
    to be of ``file_format`` and ``version``: the one reading of every paradigm's saved files.

    Anything else is a one-line DataError naming the file (``what`` names the kind, e.g.
    ``"DigitClassifier"``): not JSON or too large (:func:`read_json_file`), another format, or a
    version this toolkit does not read."""
    document = read_json_file(path, what=f"saved {what}", max_bytes=max_bytes)
    if not isinstance(document, dict) or document.get("format") != file_format:
        raise DataError(f"{path}: not a saved {what} (format should be {file_format!r})")
    if document.get("version") != version:
        raise DataError(f"{path}: format version {document.get('version')!r}; this toolkit reads version {version}")
    return document


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


def inside_output(folder: str | os.PathLike[str], name: str | os.PathLike[str]) -> Path:
    """``folder / name``, once its folder is known to resolve inside ``folder``; a ConfigError otherwise.

    The file itself may be a link (a link is moved or skipped, never followed); the
    folders on the way to it may not lead out: a ``figures/`` linked to a folder of
    the user's would have the program delete and overwrite files there.
    """
    folder = Path(folder)
    target = folder / name
    root = folder.resolve()
    where = target.parent.resolve()
    if where != root and root not in where.parents:
        raise ConfigError(f"{target}: its folder leads to {where}, outside the output folder {root}; "
                          f"the program writes only inside it (replace the link with a real folder)")
    return target



def own_files(folder: str | os.PathLike[str]) -> set[str]:
    """The files (relative paths) the program recorded writing into ``folder``."""
    manifest = Path(folder) / MANIFEST_FILE
    try:
        names = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return set()
    return {str(n) for n in names if isinstance(n, str) and not Path(n).is_absolute() and ".." not in Path(n).parts}


@contextmanager
def _flock(path: Path, *, create: bool = False, busy: Callable[[int], BaseException] | None = None) -> Iterator[int | None]:
    """Hold an exclusive ``flock`` on ``path`` (a folder, or a file made if ``create``) for the block,
    which gets the open descriptor; closing it releases the lock, as the process's end does.

    Without ``busy`` a lock held elsewhere is waited for; with it, the block does not wait:
    ``busy(descriptor)`` is raised at once. Where there is no ``flock`` (Windows), no lock (``None``)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield None
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT if create else os.O_RDONLY, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if busy is None else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # raised only under LOCK_NB, that is with busy
            assert busy is not None
            raise busy(fd) from None
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


def _manifest_lock(folder: Path) -> AbstractContextManager[int | None]:
    """Hold the folder's lock while its manifest is read, changed and written back: runs in
    parallel processes (``compare --jobs``) record their files into one folder at once, and
    an entry lost would make a file of the program's look like the user's. ``flock`` on the
    folder itself (nothing is added to it), waited for."""
    return _flock(folder)


#: The file a sweep holds locked while it writes into its folder (:func:`exclusive_use`).
LOCK_FILE = ".learning-paradigms.lock"


@contextmanager
def exclusive_use(folder: str | os.PathLike[str], *, option: str = "--out") -> Iterator[None]:
    """``with exclusive_use(out):`` the block is the only one of its kind writing ``out``.

    A second sweep into the same folder (whose ledger, results and page would
    interleave with the first's) is refused at once in one line. The lock is an
    ``flock`` on :data:`LOCK_FILE` in the folder, released when the block ends or
    the process dies; the file keeps the holder's process id for the message.
    """
    folder = check_output_dir(folder, option=option)

    def busy(fd: int) -> ConfigError:
        holder = os.read(fd, 32).decode("ascii", "replace").strip() or "another"
        return ConfigError(f"{option} {folder}: a sweep (process {holder}) is writing into this folder now; "
                           "wait for it to finish, or choose another --out")

    with _flock(folder / LOCK_FILE, create=True, busy=busy) as fd:
        if fd is not None:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode("ascii"))
        yield


def record_own_files(folder: str | os.PathLike[str], names: Iterable[str]) -> None:
    """Add ``names`` (relative to ``folder``) to the folder's manifest, atomically, under its lock."""
    folder = Path(folder)
    with _manifest_lock(folder):
        _record(folder, names)


def _record(folder: Path, names: Iterable[str]) -> None:
    files = sorted(own_files(folder) | {str(Path(n).as_posix()) for n in names})
    text = json.dumps({"format": "learning-paradigms/outputs", "files": files}, indent=1)
    write_atomic(folder / MANIFEST_FILE, text)  # atomic, and with the mode every output has (the umask's)


def remove_own_files(folder: str | os.PathLike[str], names: Iterable[str]) -> list[Path]:
    """Delete those of ``names`` that the manifest says the program wrote; nothing else."""
    folder = Path(folder)
    removed = []
    with _manifest_lock(folder):
        mine = own_files(folder)
        for name in names:
            key = str(Path(name).as_posix())
            target = inside_output(folder, key)
            if key in mine and target.is_file() and not target.is_symlink():
                target.unlink()
                removed.append(target)
        if removed:
            (folder / MANIFEST_FILE).unlink(missing_ok=True)
            remaining = mine - {str(p.relative_to(folder).as_posix()) for p in removed}
            if remaining:
                _record(folder, remaining)
    return removed


@contextmanager
def writing_own(folder: str | os.PathLike[str], names: Iterable[str]) -> Iterator[None]:
    """``with writing_own(out, names):`` write those files in ``out``: a file of the user's with
    one of their names is moved aside first (:func:`keep_theirs`), and once the block has
    written them they are recorded as the program's own (:func:`record_own_files`)."""
    names = [str(Path(n).as_posix()) for n in names]
    keep_theirs(folder, names)
    yield
    record_own_files(folder, names)


def keep_theirs(folder: str | os.PathLike[str], names: Iterable[str]) -> list[tuple[Path, Path]]:
    """Move aside each of ``names`` (relative to ``folder``) that is there but not the program's own.

    The program is about to write files of those names; one the manifest does not
    list is the user's (say, their own ``index.html``), so it is renamed
    ``NAME.yours.EXT`` (``NAME.yours-2.EXT``, ... where taken), with a warning,
    rather than overwritten. Returns ``(was, now)`` for each file moved.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "index.html").write_text("my page")
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     [now.name for _, now in keep_theirs(folder, ["index.html", "report.md"])]
    ['index.yours.html']
    """
    folder = Path(folder)
    mine = own_files(folder)
    names = [Path(name).as_posix() for name in names]
    for key in names:  # every name checked before anything moves
        inside_output(folder, key)
    moved = []
    for key in names:
        target = folder / key
        if key in mine or not (target.is_file() or target.is_symlink()):
            continue
        aside = target.with_name(f"{target.stem}.yours{target.suffix}")
        number = 2
        while aside.exists() or aside.is_symlink():
            aside = target.with_name(f"{target.stem}.yours-{number}{target.suffix}")
            number += 1
        os.replace(target, aside)
        warnings.warn(f"{target}: this file is not one the program wrote; kept it as {aside.name} "
                      f"and wrote the new {target.name}", UserWarning, stacklevel=2)
        moved.append((target, aside))
    return moved


# -- staging -------------------------------------------------------------------------


#: Staging folders open in this process, each with the folder it commits into.
_OPEN_STAGES: dict[Path, Path] = {}
#: How a staging folder's name starts; then ``PID@HOST.`` of the process that owns it.
STAGE_PREFIX = ".staging-"
_STAGE_NAME = re.compile(r"^\.staging-(\d+)@([A-Za-z0-9.-]*)\.[^/]*$")


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname())[:64]


def _process_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: it runs, as another user
        return False
    return False


def remove_stale_stages(folder: str | os.PathLike[str], *, within: bool = False) -> list[Path]:
    """Remove the staging folders in ``folder`` (``within``: at any depth) whose process is
    gone: what a run killed before it could commit or discard leaves. A stage of a
    process alive, of another machine, or with a name of another form is left alone."""
    folder = Path(folder)
    removed: list[Path] = []
    try:
        found = list(folder.rglob(f"{STAGE_PREFIX}*") if within else folder.glob(f"{STAGE_PREFIX}*"))
    except OSError:
        return removed
    for path in found:
        match = _STAGE_NAME.match(path.name)
        if (match is None or match.group(2) != _host() or not path.is_dir() or path.is_symlink()
                or not _process_gone(int(match.group(1)))):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


class StagedOutputs:
    """A private folder inside ``final`` where a run writes; :meth:`commit` moves its files into place.

    Each file is moved with ``os.replace`` (same file system, so each move is
    atomic) and recorded in the manifest. :meth:`discard` removes the staging
    folder and leaves ``final`` untouched.
    """

    def __init__(self, final: str | os.PathLike[str]) -> None:
        self.final = check_output_dir(final)
        remove_stale_stages(self.final)
        self.path = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}@{_host()}.", dir=self.final))
        _OPEN_STAGES[self.path.resolve()] = self.final

    def files(self) -> list[Path]:
        return sorted(p for p in self.path.rglob("*") if p.is_file())

    def commit(self) -> list[Path]:
        """Move every staged file into ``final``, replacing the program's own older copies (a file of
        the user's with the same name is moved aside, :func:`keep_theirs`)."""
        staged = [source.relative_to(self.path) for source in self.files()]
        names = [relative.as_posix() for relative in staged if relative.name != MANIFEST_FILE]
        manifests = [relative for relative in staged if relative.name == MANIFEST_FILE]
        for relative in manifests:  # a manifest written inside the stage adds to the real one, inside too
            inside_output(self.final, relative)
        # every name checked to lie inside (inside_output) before anything moves; the user's files are
        # moved aside before a staged manifest could list their names as the program's own
        keep_theirs(self.final, names)
        moved = []
        for name in names:
            target = self.final / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir():
                raise DataError(f"{target}: a folder stands where the run wants to write a file; move it away")
            os.replace(self.path / name, target)
            moved.append(target)
        for relative in manifests:
            folder = (self.final / relative).parent
            folder.mkdir(parents=True, exist_ok=True)
            record_own_files(folder, own_files((self.path / relative).parent))
        record_own_files(self.final, names)
        self.discard()
        return moved

    def discard(self) -> None:
        _OPEN_STAGES.pop(self.path.resolve(), None)
        shutil.rmtree(self.path, ignore_errors=True)


class _WithinStage(StagedOutputs):
    """``final`` is itself (inside) an open staging folder: write there directly; the
    stage that is already open commits or discards everything, so nothing is staged twice."""

    def __init__(self, path: Path, final: Path) -> None:
        self.path, self.final = path, final

    def commit(self) -> list[Path]:
        return []

    def discard(self) -> None:
        pass


def open_stage_of(folder: str | os.PathLike[str]) -> tuple[Path, Path] | None:
    """``(stage, final)`` when ``folder`` is an open staging folder of this process or lies inside one."""
    resolved = Path(folder).resolve()
    for stage, final in _OPEN_STAGES.items():
        if resolved == stage or stage in resolved.parents:
            return stage, final
    return None


@contextmanager
def staged_outputs(final: str | os.PathLike[str]) -> Iterator[StagedOutputs]:
    """``with staged_outputs(out) as stage:`` write under ``stage.path``; committed on success only.

    Inside an open stage (``paradigms.registry.run`` stages every run with an
    ``output_dir``), ``stage.path`` is ``out`` itself and ``stage.final`` where its
    files will end up; the open stage commits them.
    """
    within = open_stage_of(final)
    if within is not None:
        stage_root, root_final = within
        yield _WithinStage(check_output_dir(final), root_final / Path(final).resolve().relative_to(stage_root))
        return
    stage = StagedOutputs(final)
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    try:
        stage.commit()
    finally:
        stage.discard()
