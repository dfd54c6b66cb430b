"""Labelled images in folders: one sub-folder per class, the folder's name is the label.

Two layouts are read (the way image-classification tools expect them)::

    pets/cat/001.jpg  pets/dog/a.png ...              one folder per class: a test set
                                                      is carved from it (stratified, seeded)
    pets/train/cat/... pets/train/dog/...             train/ and test/, each laid out so:
    pets/test/cat/...  pets/test/dog/...              the test set is the one you made

Every image goes through :func:`~.images.read_grey` (checked before it is
decoded), :func:`~.images.to_ink` (dark-on-light inverted, as ``paradigms
classify`` does) and :func:`~.images.resize`. Files that are not usable images
are skipped and counted, with an example each (:class:`ImageQuality`); files
beside the class folders and hidden files (``.DS_Store``) are not images of any
class. A picture claiming too many pixels stops the run (a decompression bomb).

What cannot be learned from is a one-line :class:`~paradigms.errors.ConfigError`
naming the folder: no class folders, a single class, no readable image, a class
with fewer than :data:`~..settings.MIN_IMAGES_PER_CLASS` images, a test class
that has no training images.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ...datasets.digits import DigitData
from ...datasets.splits import split_indices
from ...errors import ConfigError
from ...evaluation import DatasetInfo
from ...progress import Progress
from ...untrusted import safe_text
from ..settings import MIN_IMAGES_PER_CLASS
from .images import ImageProblem, read_grey, to_ink, to_uint8

#: Names of the two sub-folders of the split layout.
SPLITS = ("train", "test")


@dataclass
class ImageQuality:
    """What reading a folder found: files read, files skipped (by reason, with an example), images per class."""

    source: str
    layout: str
    files_read: int = 0
    skipped: dict[str, list[Any]] = field(default_factory=dict)  # reason -> [count, example]
    per_class: dict[str, dict[str, int]] = field(default_factory=dict)  # split -> class -> images

    def skip(self, reason: str, path: Path) -> None:
        entry = self.skipped.setdefault(reason, [0, str(path)])
        entry[0] += 1

    @property
    def files_skipped(self) -> int:
        return sum(count for count, _ in self.skipped.values())

    def skipped_reasons(self) -> list[str]:
        """Each reason a file was skipped, with its count and an example: ``unreadable: 3 (e.g. a.png)``."""
        return [f"{reason}: {count:,} (e.g. {example})" for reason, (count, example) in self.skipped.items()]

    def summary(self) -> str:
        """A few lines a person can read: totals, every reason a file was skipped, images per class."""
        lines = [f"{self.source} ({self.layout}): {self.files_read:,} images read, {self.files_skipped:,} files skipped"]
        lines += [f"  {reason}" for reason in self.skipped_reasons()]
        for split, counts in self.per_class.items():
            shown = ", ".join(f"{name} {count:,}" for name, count in counts.items())
            lines.append(f"  {split} images per class: {shown}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the Evaluation's ``metrics["data_quality"]``)."""
        return {
            "source": self.source,
            "layout": self.layout,
            "files_read": self.files_read,
            "files_skipped": self.files_skipped,
            "skipped": [{"reason": r, "files": c, "example": e} for r, (c, e) in self.skipped.items()],
            "images_per_class": self.per_class,
        }


@dataclass(frozen=True)
class FolderImages:
    """Images ``(n, side, side)`` uint8 (light ink on dark) and label indices into ``class_names``,
    per split (``"train"`` and ``"test"``, or ``"all"`` when the folder is not split)."""

    images: dict[str, np.ndarray]
    labels: dict[str, np.ndarray]
    class_names: tuple[str, ...]
    quality: ImageQuality


def _visible(path: Path) -> bool:
    return not path.name.startswith(".")


def _class_folders(folder: Path, quality: ImageQuality) -> dict[str, Path]:
    """The class sub-folders of ``folder`` by name; files lying beside them are skipped."""
    classes = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not _visible(entry):
            continue
        if entry.is_dir():
            classes[safe_text(entry.name)] = entry  # a name that is not UTF-8, written out
        else:
            quality.skip("not in a class folder", entry)
    return classes


def _image_files(folder: Path, quality: ImageQuality) -> list[Path]:
    """Regular, visible files anywhere under ``folder``, in a fixed order; special files are skipped."""
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if name.startswith("."):
                continue
            try:
                mode = path.stat().st_mode
            except OSError:
                quality.skip("unreadable", path)
                continue
            if stat.S_ISREG(mode):
                files.append(path)
            else:
                quality.skip("not a regular file", path)
    return files


def _read_split(
    classes: dict[str, Path], size: int, quality: ImageQuality, split: str, progress: Progress
) -> dict[str, list[np.ndarray]]:
    """Every readable image of every class folder, resized to ``size`` (uint8, light ink on dark)."""
    files = {name: _image_files(path, quality) for name, path in classes.items()}
    images: dict[str, list[np.ndarray]] = {name: [] for name in classes}
    total = sum(len(f) for f in files.values())
    with progress.bar(total=total, desc=f"reading {split} images", unit="image") as bar:
        for name, paths in files.items():
            for path in paths:
                try:
                    grey = read_grey(path, size=(size, size))
                except ImageProblem as problem:
                    quality.skip(problem.kind, path)
                else:
                    images[name].append(to_uint8(to_ink(grey)))
                    quality.files_read += 1
                bar.update(1)
    quality.per_class[split] = {name: len(found) for name, found in images.items()}
    return images


def _check_classes(folder: Path, images: dict[str, list[np.ndarray]], quality: ImageQuality, minimum: int) -> None:
    if not images:
        raise ConfigError(
            f"{folder}: no class sub-folders; put each class's images in a sub-folder named by its label "
            "(or train/ and test/ each laid out so)"
        )
    if sum(len(found) for found in images.values()) == 0:
        examples = "; ".join(f"{reason}: {example}" for reason, (_, example) in quality.skipped.items())
        raise ConfigError(f"{folder}: no readable images ({quality.files_skipped:,} files skipped" +
                          (f", e.g. {examples})" if examples else ")"))
    if len(images) < 2:
        raise ConfigError(f"{folder}: only one class ({next(iter(images))}); a classifier needs at least two "
                          "class sub-folders")
    for name, found in images.items():
        if len(found) < minimum:
            raise ConfigError(
                f"{folder / name}: {len(found)} readable image{'s' if len(found) != 1 else ''}; "
                f"each class needs at least {minimum}"
            )


def _stack(images: dict[str, list[np.ndarray]], names: tuple[str, ...], size: int) -> tuple[np.ndarray, np.ndarray]:
    index = {name: i for i, name in enumerate(names)}
    pictures = [picture for name in images for picture in images[name]]
    labels = [index[name] for name in images for _ in images[name]]
    stacked = np.stack(pictures) if pictures else np.zeros((0, size, size), np.uint8)
    return stacked, np.asarray(labels, dtype=np.int64)


def read_image_folder(
    folder: str | os.PathLike[str], *, image_size: int = 28, progress: Progress | None = None
) -> FolderImages:
    """Read a folder of labelled images (see the module docstring for the layouts and the checks)."""
    folder = Path(folder).expanduser()
    progress = progress or Progress.silent()
    if not folder.exists():
        raise ConfigError(f"--data {folder}: no such folder")
    if not folder.is_dir():
        raise ConfigError(f"--data {folder}: is a file, not a folder of labelled images")
    subfolders = {p.name.lower(): p for p in folder.iterdir() if p.is_dir() and _visible(p)}
    split_layout = all(name in subfolders for name in SPLITS)
    layout = "train/ and test/ folders, one sub-folder per class" if split_layout else "one sub-folder per class"
    quality = ImageQuality(str(folder), layout)
    if not split_layout:
        images = _read_split(_class_folders(folder, quality), image_size, quality, "all", progress)
        _check_classes(folder, images, quality, MIN_IMAGES_PER_CLASS)
        names = tuple(sorted(images, key=_natural))
        stacked, labels = _stack(images, names, image_size)
        return FolderImages({"all": stacked}, {"all": labels}, names, quality)
    train_dir, test_dir = subfolders["train"], subfolders["test"]
    train = _read_split(_class_folders(train_dir, quality), image_size, quality, "train", progress)
    _check_classes(train_dir, train, quality, MIN_IMAGES_PER_CLASS)
    test = _read_split(_class_folders(test_dir, quality), image_size, quality, "test", progress)
    for name, found in test.items():
        if name not in train and found:
            raise ConfigError(f"{test_dir / name}: class {name!r} has no folder in {train_dir}; "
                              "the model cannot learn a class it never sees")
    test = {name: found for name, found in test.items() if found}
    if not test:
        raise ConfigError(f"{test_dir}: no readable test images; put some in its class sub-folders "
                          "or leave test/ out to carve a test set from train/")
    names = tuple(sorted(train, key=_natural))
    arrays = {"train": _stack(train, names, image_size), "test": _stack(test, names, image_size)}
    return FolderImages({k: v[0] for k, v in arrays.items()}, {k: v[1] for k, v in arrays.items()}, names, quality)


def _natural(name: str) -> tuple[Any, ...]:
    """Sort key putting ``"2"`` before ``"10"`` (numbered class folders read in number order)."""
    return (0, int(name), name) if name.isdigit() else (1, 0, name.lower())


def load_image_folder(
    folder: str | os.PathLike[str],
    *,
    image_size: int = 28,
    test_size: float = 0.2,
    seed: int = 0,
    progress: Progress | None = None,
) -> DigitData:
    """A folder of labelled images as train and test :class:`~paradigms.datasets.digits.DigitData`.

    With ``train/`` and ``test/`` the split is the user's; otherwise ``test_size`` of
    each class is held out as the test set, drawn with ``seed`` (stratified).
    """
    found = read_image_folder(folder, image_size=image_size, progress=progress)
    quality = found.quality
    if "all" in found.images:
        keep, held = split_indices(found.labels["all"], test_size, seed)
        images, labels = found.images["all"], found.labels["all"]
        parts = (images[keep], labels[keep], images[held], labels[held])
        how = f"test set: {test_size:.0%} of each class, drawn with seed {seed}"
    else:
        parts = (found.images["train"], found.labels["train"], found.images["test"], found.labels["test"])
        how = "test set: the test/ folder"
    skipped = "; ".join(quality.skipped_reasons())
    info = DatasetInfo(
        name=Path(quality.source).name or quality.source,
        source=f"labelled image folders in {quality.source} ({quality.layout})",
        sizes={"train": len(parts[1]), "test": len(parts[3]), "classes": len(found.class_names),
               "files_read": quality.files_read, "files_skipped": quality.files_skipped},
        notes=f"{quality.files_read:,} images read, greyscale, dark-on-light inverted, resized to "
              f"{image_size}x{image_size}; {how}" + (f"; skipped {skipped}" if skipped else ""),
    )
    return DigitData(*parts, info, class_names=found.class_names, subject="images", preparation="resize",
                     quality=quality)
