"""Where the MNIST digits come from, and what happens when they cannot be found.

The four MNIST files are looked for, in this order:

1. ``--data-dir DIR`` (setting ``data_dir``): a folder holding the four files, or an
   ``mnist/`` sub-folder that does. A folder given explicitly must exist and hold them.
2. ``$LEARNING_PARADIGMS_DATA``: the same, for a shared data folder (CI points it at one).
3. The user cache: ``$XDG_CACHE_HOME/learning-paradigms/mnist`` (``~/.cache/...`` by default).
4. A download from the known mirrors (each serves the same four files) into the cache.
   Every file is checked against its published SHA-256 before it is written, atomically;
   a mismatch is refused and nothing is cached. ``LEARNING_PARADIGMS_OFFLINE=1`` skips
   this step; ``LEARNING_PARADIGMS_MNIST_MIRRORS`` (comma-separated URLs) replaces the mirrors.

Where all of that fails, :func:`load_digit_data` warns, then falls back to
scikit-learn's bundled 8x8 digits, recorded in ``DatasetInfo(fallback=True)`` so the
report says so. ``paradigms data fetch mnist`` runs step 4 on request, and
``--from DIR`` imports files you already have (checked the same way).
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ConfigError, DataError
from ..evaluation import DatasetInfo, write_atomic
from ..progress import Progress
from .idx import IMAGES_MAGIC, LABELS_MAGIC, decompress_if_gzipped, parse_idx

ENV_DATA = "LEARNING_PARADIGMS_DATA"
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


@dataclass(frozen=True)
class DigitData:
    """Images ``(n, rows, cols)`` uint8 (0 = background, 255 = ink) and labels 0-9,
    split into the official train and test sets, with where they came from."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    info: DatasetInfo

    @property
    def image_shape(self) -> tuple[int, int]:
        return tuple(self.train_images.shape[1:])  # type: ignore[return-value]


# -- where the files are ---------------------------------------------------------------


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


def _missing_names(folder: Path) -> list[str]:
    return [s.name for s in MNIST_FILES.values() if not any((folder / n).is_file() for n in _candidates(s))]


def locate_mnist(data_dir: str | os.PathLike[str] | None = None) -> tuple[dict[str, Path], str] | None:
    """The four files and a phrase saying where they were found, or None.

    A ``data_dir`` given explicitly must exist and hold the files (a ConfigError
    otherwise); ``$LEARNING_PARADIGMS_DATA`` and the cache are only looked in.
    """
    if data_dir is not None:
        folder = Path(data_dir).expanduser()
        if not folder.is_dir():
            raise ConfigError(f"--data-dir {folder}: no such folder")
        files = find_files(folder)
        if files is None:
            raise ConfigError(
                f"--data-dir {folder}: missing {', '.join(_missing_names(folder))}; "
                f"run `paradigms data fetch mnist --data-dir {folder}` or point it at the folder holding them"
            )
        return files, f"--data-dir {folder}"
    env = os.environ.get(ENV_DATA)
    if env:
        files = find_files(Path(env).expanduser())
        if files is not None:
            return files, f"${ENV_DATA} ({files['train_images'].parent})"
        warnings.warn(
            f"${ENV_DATA}={env} holds no MNIST files (neither there nor in its mnist/ sub-folder); "
            "looking in the user cache instead",
            UserWarning,
            stacklevel=2,
        )
    files = find_files(cache_dir())
    if files is not None:
        return files, f"user cache ({cache_dir()})"
    return None


# -- reading ----------------------------------------------------------------------------


def _read_verified(path: Path, spec: MnistFile) -> tuple[np.ndarray, str, bool]:
    """(array, SHA-256 of the file as stored, whether it matches a published checksum)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    digest = hashlib.sha256(raw).hexdigest()
    content = decompress_if_gzipped(raw, name=str(path))
    verified = digest == spec.sha256
    if not verified:
        content_digest = digest if content is raw else hashlib.sha256(content).hexdigest()
        verified = content_digest == spec.raw_sha256
    return parse_idx(content, name=str(path), expect_magic=spec.magic), digest, verified


def read_mnist(files: Mapping[str, Path], source: str) -> DigitData:
    """Read and check the four files found by :func:`locate_mnist`."""
    arrays, checksums, unverified = {}, {}, []
    for key, spec in MNIST_FILES.items():
        arrays[key], checksums[files[key].name], verified = _read_verified(files[key], spec)
        if not verified:
            unverified.append(files[key].name)
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if len(images) != len(labels):
            raise DataError(
                f"{files[f'{split}_images']} holds {len(images):,} images but {files[f'{split}_labels']} "
                f"holds {len(labels):,} labels; they must come from the same split"
            )
        if len(labels) and int(labels.max()) > 9:
            raise DataError(f"{files[f'{split}_labels']}: label {int(labels.max())} found; digits run from 0 to 9")
        if len(images) == 0:
            raise DataError(f"{files[f'{split}_images']}: holds no images")
    if arrays["train_images"].shape[1:] != arrays["test_images"].shape[1:]:
        raise DataError(
            f"train images are {arrays['train_images'].shape[1:]} but test images "
            f"{arrays['test_images'].shape[1:]}; both must have the same size"
        )
    notes = "the four files match their published SHA-256 checksums"
    if unverified:
        notes = f"not the published MNIST bytes: {', '.join(unverified)} differ from the published checksums"
    info = DatasetInfo(
        name="MNIST" if not unverified else "MNIST-format digits (unverified)",
        source=source,
        sizes={"train": len(arrays["train_labels"]), "test": len(arrays["test_labels"])},
        checksums={f"{name} (sha256)": digest for name, digest in checksums.items()},
        notes=notes,
    )
    return DigitData(arrays["train_images"], arrays["train_labels"], arrays["test_images"], arrays["test_labels"], info)


# -- getting the files --------------------------------------------------------------------


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
        return hashlib.sha256(path.read_bytes()).hexdigest()
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
    progress = progress or Progress(enabled=False)
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
                    reason = getattr(exc, "reason", None) or exc
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
    import gzip

    source = Path(source).expanduser()
    if not source.is_dir():
        raise ConfigError(f"--from {source}: no such folder")
    files = find_files(source)
    if files is None:
        raise ConfigError(f"--from {source}: missing {', '.join(_missing_names(source))}")
    dest = Path(dest).expanduser() if dest is not None else cache_dir()
    payloads = {}
    for key, spec in MNIST_FILES.items():
        raw = files[key].read_bytes()
        if hashlib.sha256(raw).hexdigest() == spec.sha256:
            payloads[spec.name] = raw
            continue
        content = decompress_if_gzipped(raw, name=str(files[key]))
        if hashlib.sha256(content).hexdigest() != spec.raw_sha256:
            raise DataError(
                f"{files[key]}: matches neither published SHA-256 of {spec.name} (gzipped or raw); "
                f"nothing was imported (to train on these files as they are, use --data-dir {source})"
            )
        payloads[spec.name] = gzip.compress(content, compresslevel=1, mtime=0)  # fast; verified by content
    for name, payload in payloads.items():  # only once all four passed
        write_atomic(dest / name, payload)
    return dest


# -- the data a run uses -------------------------------------------------------------------


def load_mnist(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    progress: Progress | None = None,
) -> DigitData:
    """The real MNIST, found or downloaded as the module docstring says.

    Raises ConfigError for a bad ``data_dir``, DataError for unusable files, and
    :class:`DownloadError` when the files are nowhere and cannot be downloaded.
    """
    found = locate_mnist(data_dir)
    if found is None:
        if not download or offline():
            why = f"${ENV_OFFLINE} is set" if offline() else "downloading is switched off"
            raise DownloadError(f"MNIST is not in {cache_dir()} and {why}")
        dest = download_mnist(progress=progress)
        files = find_files(dest)
        if files is None:  # pragma: no cover - download_mnist raises first
            raise DownloadError(f"the download into {dest} left files missing")
        found = files, f"downloaded into the user cache ({dest})"
    return read_mnist(*found)


def load_sklearn_digits(reason: str = "") -> DigitData:
    """scikit-learn's bundled 1,797 8x8 digits as uint8 images (0-255), split 80/20.

    The split is fixed (stratified, seed 0) whatever the run's seed, like MNIST's
    official one, so that runs with different seeds share one test set.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    bunch = load_digits()
    images = np.clip(np.rint(bunch.images * (255.0 / 16.0)), 0, 255).astype(np.uint8)
    labels = bunch.target.astype(np.uint8)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=0.2, stratify=labels, random_state=0
    )
    info = DatasetInfo(
        name="scikit-learn digits (8x8)",
        source="bundled with scikit-learn (sklearn.datasets.load_digits)",
        sizes={"train": len(y_train), "test": len(y_test)},
        fallback=True,
        notes=("MNIST was unavailable: " + reason if reason else "used instead of MNIST")
        + "; 1,797 8x8 digits, pixel values 0-16 rescaled to 0-255",
    )
    return DigitData(x_train, y_train, x_test, y_test, info)


def load_digit_data(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    progress: Progress | None = None,
) -> DigitData:
    """MNIST if it can be had (see :func:`load_mnist`), else the 8x8 digits with a warning.

    Only a missing data set falls back; a bad ``data_dir`` or a corrupt file is an error.
    """
    try:
        return load_mnist(data_dir, download=download, progress=progress)
    except DownloadError as exc:
        reason = str(exc)
    warnings.warn(
        f"the real MNIST is unavailable ({reason}); using scikit-learn's 8x8 digits instead. "
        f"To use MNIST, run `paradigms data fetch mnist`, or set ${ENV_DATA} or --data-dir "
        "to a folder holding the four files",
        UserWarning,
        stacklevel=2,
    )
    if progress is not None:
        progress.note("falling back to scikit-learn's 8x8 digits: " + reason)
    return load_sklearn_digits(reason)
