"""Supervised learning: an MLP learns to read handwritten digits from labelled examples.

- **T**: classify a 28 x 28 greyscale image of a handwritten digit as 0-9.
- **P**: accuracy on the 10,000 MNIST test images, touched once, at the end
  (chance: 0.10; perfect: 1.0). The learning curve tracks validation accuracy.
- **E**: epochs, i.e. passes over the labelled training images (the curve also
  counts the examples seen).
- **Feedback**: the correct label of every training image (that is what makes
  it *supervised*); backpropagation turns the error into weight updates.

784 pixels in, one input neuron each; hidden layers of ``hidden_sizes``
neurons; ten output neurons, one per digit. A validation slice (default 5,000
images) is carved from the 60,000 training images with the seed, for the
learning curve and early stopping. ``--preset best`` trains a wider net with
dropout for longer, for a higher accuracy.
"""

# This module only declares the settings and registers the paradigm; it imports no
# PyTorch, so that `paradigms list` stays fast. The work is in `.experiment`.

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..evaluation import Evaluation
from ..progress import Progress
from ..registry import ParadigmSpec, register
from ..settings import Settings, setting

TASK = "classify a 28x28 image of a handwritten digit as 0-9"

#: ``preset="best"``: a wider net with dropout, trained longer, for about 99% test accuracy.
#: Settings you leave at their defaults take these values.
BEST_PRESET: dict[str, Any] = {
    "hidden_sizes": (512, 512),
    "dropout": 0.1,
    "label_smoothing": 0.1,
    "learning_rate": 3e-3,
    "batch_size": 256,
    "epochs": 8,
    "patience": 5,
}
PRESETS = {"default": {}, "best": BEST_PRESET}


@dataclass(frozen=True)
class SupervisedSettings(Settings):
    """Settings of the supervised paradigm (``paradigms run supervised --help``)."""

    preset: str = setting(
        "default", "named group of settings: 'best' trades time for accuracy (settings you give still win)",
        choices=tuple(PRESETS),
    )
    hidden_sizes: tuple[int, ...] = setting(
        (256, 128), "neurons in each hidden layer, comma-separated; 64,64,64,64,64,64,64,64,64,64 "
        "is a ten-layered network", min=1,
    )
    activation: str = setting(
        "relu", "non-linearity after each hidden layer",
        choices=("relu", "gelu", "silu", "leaky_relu", "tanh", "sigmoid"),
    )
    dropout: float = setting(0.0, "fraction of hidden neurons silenced at random while training", min=0.0, max=0.95)
    optimizer: str = setting("adam", "how gradients become weight updates", choices=("adam", "adamw", "sgd", "rmsprop"))
    learning_rate: float = setting(8e-3, "peak learning rate (step size)", min=0.0, min_inclusive=False, max=10.0)
    schedule: str = setting(
        "onecycle", "learning-rate schedule: onecycle warms up then anneals; cosine; constant",
        choices=("onecycle", "cosine", "constant"),
    )
    batch_size: int = setting(512, "examples per gradient step", min=1, quick=128)
    epochs: int = setting(4, "passes over the training images (E)", min=1, quick=3)
    patience: int = setting(3, "early stopping: epochs without a better validation loss (0 = never stop)", min=0)
    weight_decay: float = setting(0.0, "L2 penalty on the weights", min=0.0)
    label_smoothing: float = setting(0.0, "share of each label's target spread over the other classes", min=0.0, max=0.5)
    augment_shift: int = setting(
        1, "data augmentation: move each training image by up to this many pixels at random (0 = off)",
        min=0, max=8,
    )
    validation_size: int = setting(5000, "training images held out for the learning curve and early stopping", min=1, quick=2000)
    train_size: int | None = setting(
        None, "train on a seeded subset of this many images (none: all left after the validation slice)",
        min=1, quick=10000,
    )
    device: str = setting("auto", "where to compute: auto (a CUDA GPU if present, else CPU), cpu or cuda", choices=("auto", "cpu", "cuda"))
    threads: int | None = setting(None, "CPU threads for PyTorch (none: all cores)", min=1)
    data_dir: Path | None = setting(
        None, "folder holding the four MNIST files (else $LEARNING_PARADIGMS_DATA, the user cache, a download)",
    )
    download: bool = setting(True, "download MNIST into the user cache when it is not found")
    misclassified: int = setting(16, "misclassified test digits kept in the result for the report", min=0, max=100)
    save_model: Path | None = setting(None, "save the trained model into this folder (weights + config.json)")

    def __post_init__(self) -> None:
        super().__post_init__()
        preset = PRESETS[self.preset]
        defaults = {f.name: f.default for f in dataclasses.fields(self)}
        untouched = all(getattr(self, name) == defaults[name] for name in preset)
        if preset and untouched:  # applied once: a preset never overrides what was given
            for name, value in preset.items():
                object.__setattr__(self, name, value)

    @classmethod
    def from_overrides(cls, overrides: dict[str, Any] | None = None, *, quick: bool = False) -> SupervisedSettings:
        """As :meth:`Settings.from_overrides`, with a preset's values under the explicit ones."""
        overrides = {k.replace("-", "_"): v for k, v in (overrides or {}).items()}
        preset = PRESETS.get(str(overrides.get("preset")), {})
        has_quick = {f.name for f in dataclasses.fields(cls) if f.metadata.get("quick", dataclasses.MISSING) is not dataclasses.MISSING}
        # Order of precedence: explicit overrides, then --quick values, then the preset, then defaults.
        merged = {k: v for k, v in preset.items() if not (quick and k in has_quick)}
        merged.update(overrides)
        return super().from_overrides(merged, quick=quick)  # type: ignore[return-value]


def run_supervised(settings: SupervisedSettings, seed: int, progress: Progress) -> Evaluation:
    """Load the digits, train the MLP, score it once on the test set."""
    from .experiment import run_experiment

    return run_experiment(settings, seed, progress)


def supervised_figures(evaluation: Evaluation) -> dict[str, Any]:
    """The report's figures: learning curves, confusion matrix, misclassified digits."""
    from .plots import figures

    return figures(evaluation)


SPEC = register(
    ParadigmSpec(
        name="supervised",
        task=TASK,
        measure="test accuracy (chance 0.10, perfect 1.0)",
        experience="epochs over labelled training images",
        feedback="the correct label of every training image",
        settings=SupervisedSettings,
        run=run_supervised,
        description=__doc__ or "",
        figures=supervised_figures,
    ),
    replace=True,
)
