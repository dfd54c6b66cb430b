"""The training recipe, fitted to the data at hand when the user left it at its defaults.

The defaults are tuned for MNIST: 55,000 training images, batches of 512, four
epochs (about 430 gradient steps). A folder of 500 pictures or a table of 300
rows would get one step per epoch and learn next to nothing. So, for data other
than MNIST, a batch size and a number of epochs the user did not set are
adapted: the batch shrinks until an epoch has about :data:`STEPS_PER_EPOCH`
steps, and epochs are added until training makes at least :data:`MIN_STEPS`
steps (at most :data:`MAX_EPOCHS` epochs), and for images early stopping waits
as many steps as it does on MNIST (:data:`PATIENCE_STEPS`), not as many short
epochs: a one-cycle schedule still warming up makes the validation loss wobble
(tables keep the default patience: their network memorises a few hundred rows
quickly, and stopping early is what keeps it honest). A table's standardised features get a gentler peak learning
rate (:data:`TABLE_LEARNING_RATE`, Adam's usual one): with a few hundred rows
the default step lets the network memorise its training rows within a couple
of epochs (on scikit-learn's diabetes table, R² 0.42 against 0.52 with it).
Whatever is adapted is said in the result's notes. The 8x8 digits that stand in for
MNIST when it is unavailable get their batch and random shift adapted the same way, but
keep MNIST's epochs and patience (``keep_length``): they show MNIST's recipe in seconds.

>>> from .settings import SupervisedSettings
>>> adapted, note = adapt_to_data(SupervisedSettings(), n_train=400, side=None)
>>> adapted.batch_size, adapted.epochs, note
(20, 30, 'recipe adapted to 400 training examples: batch size 512 -> 20, epochs 4 -> 30, learning rate 0.008 -> 0.001')
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from .settings import DEFAULTS, SupervisedSettings

#: The ``--quick`` value of each setting that has one: like a default, not a choice the user made.
QUICK = {f.name: f.metadata["quick"] for f in dataclasses.fields(SupervisedSettings)
         if f.metadata.get("quick", dataclasses.MISSING) is not dataclasses.MISSING}

#: An epoch should have about this many gradient steps (the batch shrinks to get them).
STEPS_PER_EPOCH = 20
#: The fewest gradient steps training should make in all (epochs are added to get them).
MIN_STEPS = 600
#: Early stopping waits at least this many gradient steps without a better validation loss.
PATIENCE_STEPS = 300
#: The most epochs the adaptation asks for.
MAX_EPOCHS = 60
#: The smallest batch the adaptation chooses.
MIN_BATCH = 16
#: The peak learning rate for a table's network (the default suits MNIST's 55,000 images).
TABLE_LEARNING_RATE = 1e-3


def adapt_to_data(
    settings: SupervisedSettings, *, n_train: int, side: int | None, keep_length: bool = False
) -> tuple[SupervisedSettings, str]:
    """``settings`` with batch size, epochs (and, for images smaller than MNIST's 28 pixels,
    the random shift; for a table, ``side=None``, the learning rate) fitted to ``n_train``
    training examples; and a note saying what changed.

    Only settings still at their default (or their ``--quick`` value) change: a value the user gave
    wins. ``keep_length`` keeps the epochs and the patience: the 8x8 stand-in for MNIST shows
    MNIST's recipe in seconds, with MNIST's number of epochs.
    """

    def untouched(name: str) -> bool:
        default = getattr(DEFAULTS, name)
        return getattr(settings, name) in (default, QUICK.get(name, default))

    changes: dict[str, Any] = {}
    if untouched("batch_size") and n_train // STEPS_PER_EPOCH < settings.batch_size:
        changes["batch_size"] = max(min(MIN_BATCH, n_train), n_train // STEPS_PER_EPOCH)
    batch = changes.get("batch_size", settings.batch_size)
    steps = math.ceil(n_train / batch)
    if not keep_length and untouched("epochs") and steps * settings.epochs < MIN_STEPS:
        changes["epochs"] = min(MAX_EPOCHS, max(settings.epochs, math.ceil(MIN_STEPS / steps)))
    epochs = changes.get("epochs", settings.epochs)
    if (side is not None and not keep_length and untouched("patience") and settings.patience
            and steps * settings.patience < PATIENCE_STEPS):
        changes["patience"] = min(epochs, max(settings.patience, math.ceil(PATIENCE_STEPS / steps)))
    if side is None and untouched("learning_rate"):
        changes["learning_rate"] = TABLE_LEARNING_RATE
    if side is not None and side < 28 and settings.augment_shift:
        changes["augment_shift"] = int(settings.augment_shift * side / 28)  # 1 MNIST pixel is 0.3 of an 8x8 one
    changes = {k: v for k, v in changes.items() if v != getattr(settings, k)}
    if not changes:
        return settings, ""
    words = {"batch_size": "batch size", "epochs": "epochs", "augment_shift": "augment shift",
             "learning_rate": "learning rate", "patience": "patience"}
    said = ", ".join(f"{words[k]} {getattr(settings, k)} -> {v}" for k, v in changes.items())
    return dataclasses.replace(settings, **changes), f"recipe adapted to {n_train:,} training examples: {said}"
