"""The supervised paradigm's settings and its T, P, E in words.

Every default and every constraint of the digit classifier is written once,
here: the command line (``paradigms run supervised --help``), the report's
settings table, the run, the training loop and
:class:`~.estimator.DigitClassifier` (whose parameter defaults and checks come
from :class:`SupervisedSettings`) all derive from it. Every other module of the
package imports this one; it imports none of them, and no PyTorch.

>>> SupervisedSettings().hidden_sizes, SupervisedSettings().epochs
((256, 128), 4)
>>> SupervisedSettings(preset="best").hidden_sizes     # a preset fills what you leave alone
(512, 512)
>>> SupervisedSettings(preset="best", epochs=2).epochs, SupervisedSettings(preset="best", epochs=2).dropout
(2, 0.1)
>>> SupervisedSettings(optimizer="adamm")
Traceback (most recent call last):
...
paradigms.errors.ConfigError: optimizer = 'adamm' is not allowed: choose one of adam, adamw, sgd, rmsprop; did you mean adam?
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ..datasets.splits import DEFAULT_TEST_SIZE
from ..devices import DEVICES
from ..errors import ConfigError
from ..settings import Settings, setting

#: Non-linearities after each hidden layer (see :mod:`.model`).
ACTIVATIONS = ("relu", "gelu", "silu", "leaky_relu", "tanh", "sigmoid")
#: How gradients become weight updates (see :mod:`.training`).
OPTIMIZERS = ("adam", "adamw", "sgd", "rmsprop")
#: Learning-rate schedules (see :mod:`.training`).
SCHEDULES = ("onecycle", "cosine", "constant")
#: What predicting a table's --target is (see :mod:`paradigms.datasets.table_features`); auto decides from its values.
TASKS = ("auto", "classification", "regression")
#: The fewest readable images a class folder may hold (one for the test set, the rest to learn from).
MIN_IMAGES_PER_CLASS = 5

#: The paradigm's name: its registration (``paradigms run supervised``) and every Evaluation's ``paradigm``.
NAME = "supervised"
TASK = "classify a 28x28 image of a handwritten digit as 0-9"
MEASURE = "test accuracy (chance 0.10, perfect 1.0)"
EXPERIENCE = "epochs over labelled training images"
#: E of a table's run (``--data TABLE --target COLUMN``): its rows, not images.
TABLE_EXPERIENCE = "epochs over labelled training rows"
FEEDBACK = "the correct label of every training image"
#: What the learning curve plots as P while E grows (the test set is looked at once, at the end).
CURVE_LABEL = "validation accuracy"
DESCRIPTION = """\
Supervised learning: an MLP learns to read handwritten digits from labelled examples.

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

Your own labelled data takes the same path (``--data``):

- a folder of images, one sub-folder per class (or ``train/`` and ``test/``
  each laid out so): any format, size and mode, read as greyscale and resized
  to ``image_size``; the classes are named by their folders;
- a table (CSV, TSV, gzipped, Parquet) and the column to predict
  (``--target``): **classification** when the column holds classes (P: test
  accuracy; the floor: always answering the majority class), **regression**
  when it holds a number (P: R² on the test set, the share of the target's
  variance the predictions explain; 0 is what always answering the training
  mean scores). A linear model (logistic or ridge regression) is scored on the
  same split beside the network.

Without ``train/`` and ``test/``, ``test_size`` of the data becomes the
**test set** (stratified by class, drawn with the seed) and a **validation
set** is carved from the rest.
"""

#: ``preset="best"``: a wider net with dropout, trained longer, for about 99% test accuracy.
#: Settings you do not give take these values: what you give wins, then the ``--quick`` values,
#: then the preset, then the defaults (``SupervisedSettings(preset="best", epochs=2)`` and
#: ``--preset best --epochs 2`` train the same network).
BEST_PRESET: dict[str, Any] = {
    "hidden_sizes": (512, 512),
    "dropout": 0.1,
    "label_smoothing": 0.1,
    "learning_rate": 3e-3,
    "batch_size": 256,
    "epochs": 8,
    "patience": 5,
}
PRESETS: dict[str, dict[str, Any]] = {"default": {}, "best": BEST_PRESET}


@dataclass(frozen=True)
class SupervisedSettings(Settings):
    """Settings of the supervised paradigm (``paradigms run supervised --help``)."""

    #: What a run learns from without ``data``, in a tracked run's name (:mod:`paradigms.tracking`).
    DEFAULT_DATA: ClassVar[str] = "mnist"
    #: The presets the setting ``preset`` names, applied by :class:`~paradigms.settings.Settings`'s one rule.
    PRESETS: ClassVar[Mapping[str, Mapping[str, Any]]] = PRESETS

    preset: str = setting(
        "default", "named group of settings: 'best' trades time for accuracy (settings you give still win)",
        choices=tuple(PRESETS),
    )
    hidden_sizes: tuple[int, ...] = setting(
        (256, 128), "neurons in each hidden layer, comma-separated; 64,64,64,64,64,64,64,64,64,64 "
        "is a ten-layered network", min=1, max=16_384,
    )
    activation: str = setting("relu", "non-linearity after each hidden layer", choices=ACTIVATIONS)
    dropout: float = setting(0.0, "fraction of hidden neurons silenced at random while training", min=0.0, max=0.95)
    optimizer: str = setting("adam", "how gradients become weight updates (sgd: Nesterov momentum 0.9)", choices=OPTIMIZERS)
    learning_rate: float = setting(8e-3, "peak learning rate (step size)", min=0.0, min_inclusive=False, max=10.0)
    schedule: str = setting(
        "onecycle", "learning-rate schedule: onecycle warms up then anneals; cosine; constant", choices=SCHEDULES,
    )
    batch_size: int = setting(512, "examples per gradient step", min=1, max=65_536, quick=128)
    epochs: int = setting(4, "passes over the training images (E)", min=1, max=10_000, quick=3)
    patience: int = setting(3, "early stopping: epochs without a better validation loss (0 = never stop)", min=0)
    weight_decay: float = setting(0.0, "L2 penalty on the weights", min=0.0, max=10.0)
    label_smoothing: float = setting(0.0, "share of each label's target spread over the other classes", min=0.0, max=0.5)
    augment_shift: int = setting(
        1, "data augmentation: move each training image by up to this many pixels at random (0 = off)",
        min=0, max=8,
    )
    validation_size: int = setting(5000, "training images held out for the learning curve and early stopping", min=1, max=1_000_000, quick=2000)
    train_size: int | None = setting(
        None, "train on a seeded subset of this many images (none: all left after the validation slice)",
        min=1, max=100_000_000, quick=10000,
    )
    device: str = setting("auto", "where to compute: auto (a CUDA GPU if present, else CPU), cpu or cuda", choices=DEVICES)
    threads: int | None = setting(None, "CPU threads for PyTorch (none: chosen from the cores and how busy they are)", min=1, max=1024)
    data: Path | None = setting(
        None, "your own labelled data: a folder of images with one sub-folder per class (or train/ and test/ "
        "each laid out so), or a table (CSV, TSV, .gz or Parquet) with --target; none: MNIST",
    )
    target: str | None = setting(None, "the table's column to predict (needs --data TABLE)")
    task: str = setting(
        "auto", "what predicting --target is: classification (classes) or regression (a number); "
        "auto decides from the column's values", choices=TASKS,
    )
    id_column: str | None = setting(None, "a table's column of row ids, never a feature (none: detected, e.g. 'id')")
    test_size: float = setting(
        DEFAULT_TEST_SIZE, "share of your --data held out as the test set, stratified by class, drawn with the seed "
        "(MNIST and train/ + test/ folders come split)", min=0.0, min_inclusive=False, max=0.5,
    )
    image_size: int = setting(28, "side in pixels of the square images a folder's pictures are resized to", min=8, max=128)
    data_dir: Path | None = setting(
        None, "folder holding the four MNIST-format IDX files (else $LEARNING_PARADIGMS_DATA, the user cache, "
        "a download); Fashion-MNIST and KMNIST are recognised by their checksums",
    )
    class_names: str | None = setting(
        None, "names of the labels 0, 1, 2, ... of IDX files, comma-separated (none: known for MNIST, "
        "Fashion-MNIST and KMNIST, else the numbers)",
    )
    download: bool = setting(True, "download MNIST into the user cache when it is not found")
    misclassified: int = setting(16, "misclassified test digits kept in the result for the report", min=0, max=100)
    test_curve: bool = setting(
        False, "also score the test images as training goes (the same-task comparison's curve; nothing is "
        "chosen on it)"
    )
    output_dir: Path | None = setting(
        None, "folder for the trained classifier (supervised-classifier/: weights.pt and config.json; image runs "
        "only); the CLI's --out (none: not saved)",
    )
    save_model: Path | None = setting(
        None, "deprecated: --out DIR keeps the classifier in DIR/supervised-classifier; this writes it into "
        "this folder itself (weights + config.json)",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.target is not None and self.data is None:
            raise ConfigError(f"target = {self.target!r} needs --data TABLE: the table that holds the column")
        if self.task != "auto" and self.target is None:
            raise ConfigError(f"task = {self.task!r} is for tables: give --data TABLE --target COLUMN")
        if self.data is not None and self.data_dir is not None:
            raise ConfigError("give either --data (your own labelled data) or --data-dir (MNIST-format IDX files), not both")
        if self.class_names is not None and self.data is not None:
            raise ConfigError("class_names is for IDX files (--data-dir): a folder's classes are named by its "
                              "sub-folders, a table's by the values of --target")


#: Every setting's default (``DEFAULTS.epochs``): what the estimator's parameters default to. A settings
#: instance, as in every paradigm package: frozen, checked like any settings, read by attribute.
DEFAULTS = SupervisedSettings()
