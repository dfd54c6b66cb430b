"""Command-line additions of the supervised paradigm.

    paradigms data fetch mnist [--data-dir DIR] [--from DIR]   download (or import) and verify MNIST
    paradigms data info mnist [--data-dir DIR]                  where MNIST would be read from
    paradigms classify MODEL_DIR IMAGE... [--show-preprocessed OUT.png]
                                                                 digits in image files, by a saved model

Imports stay light here (no PyTorch, no scikit-learn) so that every ``paradigms`` command starts fast.
"""

from __future__ import annotations

import argparse
import io
import os
from pathlib import Path

import numpy as np

from ..commands import Command
from ..datasets.digits import (
    DEFAULT_TIMEOUT,
    ENV_DATA,
    ENV_OFFLINE,
    cache_dir,
    download_mnist,
    find_files,
    import_mnist,
    locate_mnist,
    mirrors_from_environment,
    offline,
    read_mnist,
)
from ..errors import ConfigError
from ..files import write_atomic
from ..outputs import check_input_file
from ..progress import Progress

DATASETS = ("mnist",)


def _progress(args: argparse.Namespace) -> Progress:
    return Progress(enabled=None if getattr(args, "progress", True) else False)


def _configure_data(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Get the data sets the paradigms learn from. MNIST is looked for in --data-dir, "
        "then $LEARNING_PARADIGMS_DATA, then the user cache; `fetch` puts it there."
    )
    actions = parser.add_subparsers(dest="data_action", metavar="ACTION", parser_class=type(parser))
    fetch = actions.add_parser(
        "fetch", help="download MNIST (or import files you have) and verify the checksums",
        description="Download the four MNIST files from the known mirrors, check each against its "
        "published SHA-256 and write it atomically; --from DIR imports files you already have instead.",
    )
    fetch.add_argument("dataset", choices=DATASETS, help="the data set (only mnist for now)")
    fetch.add_argument("--data-dir", type=Path, default=None, metavar="DIR",
                       help="where to put the files (default: the user cache)")
    fetch.add_argument("--from", dest="from_dir", type=Path, default=None, metavar="DIR",
                       help="copy the files from this folder (gzipped or raw) instead of downloading")
    fetch.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                       help="seconds to wait for each mirror to answer (default: 5)")
    info = actions.add_parser("info", help="where MNIST would be read from, and whether it is verified")
    info.add_argument("dataset", choices=DATASETS, help="the data set (only mnist for now)")
    info.add_argument("--data-dir", type=Path, default=None, metavar="DIR", help="look here first")
    parser.set_defaults(data_parser=parser)


def _cmd_data(args: argparse.Namespace) -> int:
    action = getattr(args, "data_action", None)
    if action == "fetch":
        return _fetch(args)
    if action == "info":
        return _info(args)
    args.data_parser.print_help()
    return 2


def _fetch(args: argparse.Namespace) -> int:
    dest = args.data_dir.expanduser() if args.data_dir else cache_dir()
    if dest.exists() and not dest.is_dir():
        raise ConfigError(f"--data-dir {dest}: is a file, not a folder")
    if args.from_dir is not None:
        import_mnist(args.from_dir, dest)
        how = f"imported from {args.from_dir}"
    else:
        if offline():
            raise ConfigError(f"${ENV_OFFLINE} is set: unset it to download, or use --from DIR")
        timeout = args.timeout if args.timeout and args.timeout > 0 else DEFAULT_TIMEOUT
        download_mnist(dest, timeout=timeout, progress=_progress(args))
        how = "downloaded (or already present)"
    files = find_files(dest)
    if files is None:  # pragma: no cover - both paths above write all four or raise
        raise ConfigError(f"{dest}: the MNIST files are not all there after the fetch")
    data = read_mnist(files, str(dest))
    sizes = ", ".join(f"{k} {v:,}" for k, v in data.info.sizes.items())
    print(f"MNIST {how}: {dest} ({sizes}); {data.info.notes}")
    if args.data_dir and Path(args.data_dir).expanduser() != cache_dir():
        print(f"  use it with --data-dir {dest} or LEARNING_PARADIGMS_DATA={dest}")
    return 0


def _info(args: argparse.Namespace) -> int:
    rows = {
        "--data-dir": args.data_dir or "(not given)",
        f"${ENV_DATA}": os.environ.get(ENV_DATA) or "(not set)",
        "user cache": cache_dir(),
        "download": "off ($LEARNING_PARADIGMS_OFFLINE)" if offline() else ", ".join(mirrors_from_environment()),
    }
    for label, value in rows.items():
        print(f"{label + ':':<26} {value}")
    found = locate_mnist(args.data_dir)
    if found is None:
        print("MNIST: not found; `paradigms data fetch mnist` downloads it (runs fall back to the 8x8 digits)")
        return 1
    data = read_mnist(*found)
    sizes = ", ".join(f"{k} {v:,}" for k, v in data.info.sizes.items())
    print(f"MNIST: {data.info.source}; {sizes}; {data.info.notes}")
    return 0


def _configure_classify(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read the digit in each image file with a model saved by "
        "`paradigms run supervised --out DIR` (in DIR/supervised-classifier) or DigitClassifier.save."
    )
    parser.add_argument("model", type=Path, metavar="MODEL_DIR",
                        help="folder of a saved model: OUT/supervised-classifier after `paradigms run supervised --out OUT`")
    parser.add_argument("images", type=Path, nargs="+", metavar="IMAGE", help="PNG (or other) image files")
    parser.add_argument("--invert", choices=("auto", "yes", "no"), default="auto",
                        help="invert dark-on-light images to MNIST's light-on-dark (default: auto)")
    parser.add_argument("--show-preprocessed", type=Path, default=None, metavar="OUT.png",
                        help="save the images exactly as the model sees them (28x28 for MNIST, side by side) "
                        "into this PNG file")


def _save_preprocessed(images: np.ndarray, path: Path) -> Path:
    """The model's inputs side by side, one pixel per pixel, as a PNG (atomically)."""
    # Start-up time: Pillow loads only when the picture is saved.
    from PIL import Image

    path = path.expanduser()
    if path.is_dir():
        raise ConfigError(f"--show-preprocessed {path}: is a folder; give a file name such as seen.png")
    buffer = io.BytesIO()
    Image.fromarray(np.concatenate(list(images), axis=1)).save(buffer, format="PNG")
    return write_atomic(path, buffer.getvalue())


def _cmd_classify(args: argparse.Namespace) -> int:
    # Start-up time: PyTorch loads only for this command, so that every other one starts fast.
    from .estimator import DigitClassifier

    for image in args.images:  # a missing, folder or special path is bad usage (exit 2), found before any work
        check_input_file(image, what="image file")
    classifier = DigitClassifier.load(args.model)
    if classifier.image_shape_ is None:
        raise ConfigError(f"{args.model}: this model was trained on table rows, not images; it cannot read pictures")
    invert_choices: dict[str, bool | str] = {"auto": "auto", "yes": True, "no": False}
    invert = invert_choices[args.invert]
    images = classifier.prepare_files(args.images, invert=invert)  # framed like the training images
    proba = classifier.predict_proba(images)
    for path, row in zip(args.images, proba, strict=True):
        best = int(row.argmax())
        print(f"{path}: {classifier.classes_[best]} ({row[best]:.1%} sure)")
    if args.show_preprocessed is not None:
        print(f"  the model saw {_save_preprocessed(images, args.show_preprocessed)}")
    return 0


COMMANDS = [
    Command("data", "fetch or inspect the data sets (MNIST)", _configure_data, _cmd_data),
    Command("classify", "read digits in image files with a saved supervised model", _configure_classify, _cmd_classify),
]
