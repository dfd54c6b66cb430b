"""The IDX data sets in MNIST's format that the run recognises, and their class names.

Fashion-MNIST (Zalando's clothing pictures) and Kuzushiji-MNIST (cursive Japanese
characters) are drop-in replacements for MNIST: the same four file names, the
same 28 x 28 images, ten classes. Point ``--data-dir`` at a folder holding one of
them and the run reads it like MNIST; it knows which set it is from the SHA-256
checksums of the four ``.gz`` files as their publishers distribute them (the
ones torchvision and TensorFlow Datasets check too), and names the classes
accordingly in the confusion matrix, the confident mistakes and a saved model.
Uncompressed copies, or any other IDX set, are read as "MNIST-format images"
with classes 0, 1, 2, ...; ``--class-names`` names them (comma-separated, in
label order).

>>> identify(FASHION_MNIST.sha256).name
'Fashion-MNIST'
>>> parse_class_names("cat, dog ,bird")
('cat', 'dog', 'bird')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ConfigError
from ..untrusted import repeated_names

#: MNIST's classes: the digits, by name.
DIGIT_NAMES = tuple(str(digit) for digit in range(10))


@dataclass(frozen=True)
class KnownIdxSet:
    """A published IDX data set: its name, what its images show, its class names, the SHA-256 of each ``.gz``."""

    name: str
    subject: str
    class_names: tuple[str, ...]
    sha256: Mapping[str, str]


FASHION_MNIST = KnownIdxSet(
    "Fashion-MNIST", "pictures of clothing",
    ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
    {
        "train_images": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "train_labels": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "test_images": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "test_labels": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    },
)
KMNIST = KnownIdxSet(
    "Kuzushiji-MNIST", "cursive Japanese characters",
    ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
    {
        "train_images": "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4",
        "train_labels": "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17",
        "test_images": "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5",
        "test_labels": "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c",
    },
)
KNOWN_SETS = (FASHION_MNIST, KMNIST)


def identify(sha256: Mapping[str, str]) -> KnownIdxSet | None:
    """The known set whose four published checksums all match ``sha256`` (by file role), or None."""
    for known in KNOWN_SETS:
        if all(sha256.get(role) == digest for role, digest in known.sha256.items()):
            return known
    return None


def parse_class_names(text: str) -> tuple[str, ...]:
    """``"cat, dog"`` -> ``("cat", "dog")``; empty or repeated names are refused."""
    names = tuple(part.strip() for part in text.split(","))
    if len(names) < 2 or not all(names):
        raise ConfigError(f"class_names = {text!r}: give at least two non-empty names, comma-separated")
    repeated = repeated_names(names)
    if repeated:
        raise ConfigError(f"class_names = {text!r}: {', '.join(repeated)} given more than once")
    return names
