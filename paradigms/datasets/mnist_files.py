"""The four MNIST files: what they are, where they are kept, and how to get them.

- :data:`MNIST_FILES`: the published names, sizes and SHA-256 checksums (of the
  ``.gz`` files and of their content);
- :func:`cache_dir`: the user cache, ``$XDG_CACHE_HOME/learning-paradigms/mnist``
  (``~/.cache/learning-paradigms/mnist`` by default);
- :func:`download_mnist`: fetch them from the known mirrors (each serves the same
  four files), check every file against its published SHA-256 before writing it,
  atomically; a mismatch is refused and nothing is written.
  ``LEARNING_PARADIGMS_OFFLINE=1`` forbids downloading, ``LEARNING_PARADIGMS_MNIST_MIRRORS``
  (comma-separated URLs) replaces the mirrors;
- :func:`import_mnist`: copy files you already have, checked the same way.

:mod:`.data` decides where a run reads them from.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, DataError
from ..evaluation import write_atomic
from ..files import sha256_of
from ..progress import Progress
from .idx import IMAGES_MAGIC, LABELS_MAGIC, idx_bytes, read_idx_file

ENV_OFFLINE = "LEARNING_PARADIGMS_OFFLINE"
ENV_MIRRORS = "LEARNING_PARADIGMS_MNIST_MIRRORS"

#: Hosts known to serve the four original files (tried in order).
DEFAULT_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
#: Seconds to wait for a connection (and for each read); short, so an offline machine gives up fast.
DEFAULT_TIMEOUT = 5.0


@dataclass(frozen=True)
class MnistFile:
    """One of the four files: its name, published size and SHA-256s (gzipped and raw)."""

    name: str
    size: int
    sha256: str
    raw_sha256: str
    magic: int

    @property
    def raw_name(self) -> str:
        return self.name.removesuffix(".gz")


#: The published files (see shared/data/mnist/README.md), keyed by role.
MNIST_FILES: dict[str, MnistFile] = {
    "train_images": MnistFile(
        "train-images-idx3-ubyte.gz", 9_912_422,
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", IMAGES_MAGIC,
    ),
    "train_labels": MnistFile(
        "train-labels-idx1-ubyte.gz", 28_881,
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", LABELS_MAGIC,
    ),
    "test_images": MnistFile(
        "t10k-images-idx3-ubyte.gz", 1_648_877,
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", IMAGES_MAGIC,
    ),
    "test_labels": MnistFile(
        "t10k-labels-idx1-ubyte.gz", 4_542,
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", LABELS_MAGIC,
    ),
}


class DownloadError(DataError):
    """No mirror delivered a file whose checksum matches the published one."""


# -- where the files are kept ----------------------------------------------------------


def cache_dir() -> Path:
    """The user cache folder for MNIST (created only when something is written there)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "learning-paradigms" / "mnist"


def _candidates(spec: MnistFile) -> list[str]:
    """File names accepted for one file: gzipped or raw, with '-' or '.' before 'idx'."""
    names = [spec.name, spec.raw_name]
    dotted = spec.raw_name.replace("-idx", ".idx")
    return names + [dotted + ".gz", dotted]


def find_files(folder: str | os.PathLike[str]) -> dict[str, Path] | None:
    """The four files in ``folder`` (or its ``mnist/`` sub-folder), or None if any is missing."""
    folder = Path(folder)
    for root in (folder, folder / "mnist"):
        found: dict[str, Path] = {}
        for key, spec in MNIST_FILES.items():
            match = next((root / n for n in _candidates(spec) if (root / n).is_file()), None)
            if match is None:
                break
            found[key] = match
        else:
            return found
    return None


def missing_names(folder: Path) -> list[str]:
    return [s.name for s in MNIST_FILES.values() if not any((folder / n).is_file() for n in _candidates(s))]


# -- getting them --------------------------------------------------------------------


def mirrors_from_environment() -> tuple[str, ...]:
    """``$LEARNING_PARADIGMS_MNIST_MIRRORS`` (comma-separated URLs), else the known mirrors."""
    env = os.environ.get(ENV_MIRRORS, "")
    urls = tuple(u.strip() for u in env.split(",") if u.strip())
    return urls or DEFAULT_MIRRORS


def offline() -> bool:
    """True when ``$LEARNING_PARADIGMS_OFFLINE`` asks never to download."""
    return os.environ.get(ENV_OFFLINE, "").strip().lower() not in ("", "0", "false", "no", "off")


def _fetch(url: str, limit: int, timeout: float, progress: Progress, label: str) -> bytes:
    """The body of ``url``, at most ``limit`` bytes (more is cut off, so it fails its checksum)."""
    request = urllib.request.Request(url, headers={"User-Agent": "learning-paradigms"})
    chunks, received = [], 0
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - fixed http(s) mirrors
        total = int(response.headers.get("Content-Length") or limit)
        with progress.bar(total=min(total, limit), desc=label, unit="B", unit_scale=True) as bar:
            while received <= limit:
                chunk = response.read(min(1 << 16, limit + 1 - received))
                if not chunk:
                    break
                chunks.append(chunk)
                received += len(chunk)
                bar.update(len(chunk))
    return b"".join(chunks)


def _file_sha256(path: Path) -> str | None:
    try:
        return sha256_of(path)
    except OSError:
        return None


def download_mnist(
    dest: str | os.PathLike[str] | None = None,
    *,
    mirrors: Sequence[str] | None = None,
    files: Mapping[str, MnistFile] = MNIST_FILES,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> Path:
    """Download the four files into ``dest`` (default: the user cache) and return it.

    Each file is tried on every mirror in turn; its SHA-256 must equal the published
    one before it is written (atomically). A mirror that cannot be reached is not
    tried again for the other files. Files already present with the right checksum
    are kept. Raises :class:`DownloadError` (one line, every mirror's reason) when a
    file cannot be had.
    """
    dest = Path(dest).expanduser() if dest is not None else cache_dir()
    mirrors = list(mirrors if mirrors is not None else mirrors_from_environment())
    progress = progress or Progress.silent()
    unreachable: set[str] = set()
    for spec in files.values():
        target = dest / spec.name
        if target.is_file() and _file_sha256(target) == spec.sha256:
            continue
        reasons = []
        for mirror in mirrors:
            url = mirror.rstrip("/") + "/" + spec.name
            if mirror in unreachable:
                continue
            try:
                body = _fetch(url, spec.size, timeout, progress, spec.name)
            except (urllib.error.URLError, OSError, ValueError) as exc:
                if isinstance(exc, urllib.error.HTTPError):  # the host answered: keep trying it
                    reason = f"HTTP {exc.code} {exc.reason}"
                else:
                    reason = str(getattr(exc, "reason", None) or exc)
                    unreachable.add(mirror)
                reasons.append(f"{url}: {reason}")
                continue
            digest = hashlib.sha256(body).hexdigest()
            if digest != spec.sha256:
                reasons.append(
                    f"{url}: SHA-256 {digest[:16]}... does not match the published {spec.sha256[:16]}... (refused)"
                )
                continue
            write_atomic(target, body)
            break
        else:
            tried = "; ".join(reasons) or "no mirror left to try"
            raise DownloadError(f"could not download {spec.name} into {dest}: {tried}")
    return dest


def import_mnist(source: str | os.PathLike[str], dest: str | os.PathLike[str] | None = None) -> Path:
    """Copy MNIST files you already have (gzipped or raw) into ``dest`` (default: the cache).

    Each must match a published checksum (of the ``.gz`` or of the raw file): to
    train on other IDX files as they are, point ``--data-dir`` at them instead.
    """
    source = Path(source).expanduser()
    if not source.is_dir():
        raise ConfigError(f"--from {source}: no such folder")
    files = find_files(source)
    if files is None:
        raise ConfigError(f"--from {source}: missing {', '.join(missing_names(source))}")
    dest = Path(dest).expanduser() if dest is not None else cache_dir()
    payloads = {}
    for key, spec in MNIST_FILES.items():
        idx = read_idx_file(files[key], expect_magic=spec.magic)  # bounded memory, whatever the file claims
        if idx.sha256 == spec.sha256:
            payloads[spec.name] = files[key].read_bytes()
            continue
        if idx.content_sha256 != spec.raw_sha256:
            raise DataError(
                f"{files[key]}: matches neither published SHA-256 of {spec.name} (gzipped or raw); "
                f"nothing was imported (to train on these files as they are, use --data-dir {source})"
            )
        content = idx_bytes(idx.array)  # the very bytes the checksum verified
        payloads[spec.name] = gzip.compress(content, compresslevel=1, mtime=0)  # fast; verified by content
    for name, payload in payloads.items():  # only once all four passed
        write_atomic(dest / name, payload)
    return dest
