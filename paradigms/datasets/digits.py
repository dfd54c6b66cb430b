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

This is core, below the paradigm packages: the supervised MLP learns these images
from their labels, the unsupervised paradigm clusters them without, and the
reinforcement paradigm's digit-guessing environment rewards guesses about them,
so all three read the same images through :func:`load_digit_data`.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError, DataError
from ..evaluation import DatasetInfo
from ..progress import Progress
from .idx import read_idx_file
from .idx_sets import DIGIT_NAMES, identify, parse_class_names
from .mnist_files import (  # noqa: F401 - re-exported: the data API in one place
    DEFAULT_MIRRORS,
    DEFAULT_TIMEOUT,
    ENV_MIRRORS,
    ENV_OFFLINE,
    MNIST_FILES,
    DownloadError,
    MnistFile,
    cache_dir,
    download_mnist,
    find_files,
    import_mnist,
    mirrors_from_environment,
    missing_names,
    offline,
)

ENV_DATA = "LEARNING_PARADIGMS_DATA"


@dataclass(frozen=True)
class DigitData:
    """Images ``(n, rows, cols)`` uint8 (0 = background, 255 = ink) and labels (indices
    into ``class_names``), split into train and test sets, with where they came from.

    ``subject`` says what the images show (for the task in words); ``preparation``
    how new image files must be read to look like these (``paradigms.supervised.sources.images.PREPARATIONS``:
    MNIST-like sets are ``"frame"``-d, a folder's pictures were ``"resize"``-d);
    ``quality`` is a folder's data-quality summary (``paradigms.supervised.sources.folders.ImageQuality``).
    """

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    info: DatasetInfo
    class_names: tuple[str, ...] = DIGIT_NAMES
    subject: str = "handwritten digits"
    preparation: str = "frame"
    quality: Any = None

    @property
    def image_shape(self) -> tuple[int, int]:
        return tuple(self.train_images.shape[1:])


# -- where the files are --------------------------------------------------------------


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
                f"--data-dir {folder}: missing {', '.join(missing_names(folder))}; "
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


# -- reading --------------------------------------------------------------------------


def _read_verified(path: Path, spec: MnistFile) -> tuple[np.ndarray, str, bool]:
    """(array, SHA-256 of the file as stored, whether it matches a published checksum).

    Read in bounded memory: sizes the header promises are checked before anything is expanded."""
    idx = read_idx_file(path, expect_magic=spec.magic)
    verified = idx.sha256 == spec.sha256 or idx.content_sha256 == spec.raw_sha256
    return idx.array, idx.sha256, verified


def read_mnist(files: Mapping[str, Path], source: str, *, class_names: str | None = None) -> DigitData:
    """Read and check the four files found by :func:`locate_mnist`.

    MNIST is recognised by its published checksums, and so are Fashion-MNIST and
    KMNIST, each with its class names (:mod:`.idx_sets`); ``class_names``
    (comma-separated) names the labels of any other set, and wins over known names.
    """
    arrays, checksums, unverified, by_role = {}, {}, [], {}
    for key, spec in MNIST_FILES.items():
        arrays[key], checksums[files[key].name], verified = _read_verified(files[key], spec)
        by_role[key] = checksums[files[key].name]
        if not verified:
            unverified.append(files[key].name)
    known = identify(by_role) if unverified else None
    names = parse_class_names(class_names) if class_names is not None else known.class_names if known else DIGIT_NAMES
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if len(images) != len(labels):
            raise DataError(
                f"{files[f'{split}_images']} holds {len(images):,} images but {files[f'{split}_labels']} "
                f"holds {len(labels):,} labels; they must come from the same split"
            )
        if len(labels) and int(labels.max()) >= len(names):
            raise DataError(
                f"{files[f'{split}_labels']}: label {int(labels.max())} found, but there are {len(names)} class "
                f"names (labels 0 to {len(names) - 1}); name every class with --class-names"
            )
        if len(images) == 0:
            raise DataError(f"{files[f'{split}_images']}: holds no images")
    if arrays["train_images"].shape[1:] != arrays["test_images"].shape[1:]:
        raise DataError(
            f"train images are {arrays['train_images'].shape[1:]} but test images "
            f"{arrays['test_images'].shape[1:]}; both must have the same size"
        )
    name, subject = "MNIST", "handwritten digits"
    notes = "the four files match their published SHA-256 checksums"
    if known:
        name, subject = known.name, known.subject
        notes = f"the four files match the published {known.name} SHA-256 checksums"
    elif unverified:
        name, subject = "MNIST-format images (unverified)", "images"
        notes = (f"not the published MNIST bytes: {', '.join(unverified)} differ from the published checksums "
                 "(nor are they Fashion-MNIST or KMNIST)")
    info = DatasetInfo(
        name=name,
        source=source,
        sizes={"train": len(arrays["train_labels"]), "test": len(arrays["test_labels"])},
        checksums={f"{file} (sha256)": digest for file, digest in checksums.items()},
        notes=notes,
    )
    return DigitData(arrays["train_images"], arrays["train_labels"], arrays["test_images"], arrays["test_labels"],
                     info, class_names=names, subject=subject)


# -- the data a run uses --------------------------------------------------------------


def load_mnist(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    download: bool = True,
    progress: Progress | None = None,
    class_names: str | None = None,
) -> DigitData:
    """The real MNIST (or another IDX set in ``data_dir``), found or downloaded as the module docstring says.

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
    return read_mnist(*found, class_names=class_names)


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
    class_names: str | None = None,
) -> DigitData:
    """MNIST if it can be had (see :func:`load_mnist`), else the 8x8 digits with a warning.

    Only a missing data set falls back; a bad ``data_dir`` or a corrupt file is an error.
    """
    try:
        return load_mnist(data_dir, download=download, progress=progress, class_names=class_names)
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
