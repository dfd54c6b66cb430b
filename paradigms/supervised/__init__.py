"""Supervised learning: a PyTorch MLP that learns from labelled examples: the MNIST digits, or your own.

Importing this package is cheap; the heavy parts load on first use:

>>> from paradigms.supervised import DigitClassifier, load_digit_data  # doctest: +SKIP

The package's layout, the same in every paradigm package:

- :mod:`.settings`: :class:`SupervisedSettings` (every default and constraint, once) and T, P, E in words;
- :mod:`.paradigm`: ``run(settings, seed, progress) -> Evaluation`` and the registration;
- :mod:`.sources`: where each kind of data enters, one module per source. The MNIST digits
  are core (:mod:`paradigms.datasets`: find, download, verify, IDX files, Fashion-MNIST and
  KMNIST), read by all three paradigms; here :mod:`.sources.mnist` (their validation slice),
  :mod:`.sources.folders` (labelled image folders) with :mod:`.sources.images` (image files,
  read safely) and :mod:`.sources.framing` (framed like MNIST), :mod:`.sources.tables` (a
  labelled table's run; the table is read and encoded in core, :mod:`paradigms.datasets.tables`
  and :mod:`paradigms.datasets.table_features`, which the reinforcement paradigm's table
  guessing game reads too);
- :mod:`.validation`: the validation slice of every source, its caps written once (the test
  rows of your own data: :mod:`paradigms.datasets.splits`);
- :mod:`.model`: the MLP;  :mod:`.training`: the learning loop (epochs, early stopping);
  :mod:`.augment`: random shifts of training images;  :mod:`.recipes`: the recipe fitted to
  small data;
- :mod:`.metrics`: scores on the test set;  :mod:`.scoring`: the one look at the test set and
  the run's Evaluation, for every source;
- :mod:`.estimator`: :class:`DigitClassifier`, the scikit-learn classifier;
- :mod:`.persistence`: save / load (a run with ``--out`` keeps its classifier in ``supervised-classifier/``);  :mod:`.plots`: figures of an Evaluation;
  :mod:`.cli`: ``paradigms data`` and ``paradigms classify``.
"""

from __future__ import annotations

from ..lazy import lazy_dir, lazy_exports

_LAZY = {
    "DigitClassifier": ".estimator",
    # the digits are core (paradigms.datasets): all three paradigms read them; offered here too
    "load_digit_data": "..datasets.digits",
    "load_mnist": "..datasets.digits",
    "download_mnist": "..datasets.digits",
    "import_mnist": "..datasets.digits",
    "read_idx": "..datasets.idx",
    "write_idx": "..datasets.idx",
    "read_digit_image": ".sources.images",
    "read_image": ".sources.images",
    "load_image_folder": ".sources.folders",
    "read_table": "..datasets.tables",
    "prepare_table": "..datasets.table_features",
    "SupervisedSettings": ".settings",
    "figures": ".plots",
}

__all__ = sorted(_LAZY)


__getattr__ = lazy_exports(__name__, _LAZY, globals())
__dir__ = lazy_dir(_LAZY, globals())
