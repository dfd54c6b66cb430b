"""Unsupervised learning: grouping customers by their shopping behaviour.

The package follows the layout every paradigm shares:

* :mod:`.settings`: :class:`UnsupervisedSettings` (every default and constraint,
  once) and the paradigm's T, P, E in words;
* :mod:`.paradigm`: ``run(settings, seed, progress) -> Evaluation`` and the
  registration as ``unsupervised`` for ``paradigms run``;
* data: :mod:`.generator` (a seeded one-year transaction log in the online-retail
  CSV layout, hidden personas as ground truth: :func:`generate_transactions`),
  the user's file read by the one table reader of the core (:mod:`paradigms.datasets.table_files`,
  :mod:`paradigms.datasets.tables`), :mod:`.columns` (text to numbers), :mod:`.transactions`
  (a log read in memory), :mod:`.log_features` (a log streamed through DuckDB, larger than
  memory), :mod:`.quality` and :mod:`.features`
  (read a log or a per-customer table, clean it with a data-quality summary,
  per-customer RFM and basket features: :func:`load_customers`), :mod:`.data`
  (the run's data and the groups known about it);
* :mod:`.model`: the clustering algorithms (k-means, Gaussian mixture,
  agglomerative) and the choice of k; :mod:`.sampling`: the samples that bound the work;
* :mod:`.training`: fitting, and the learning curve of P against customers seen;
* :mod:`.estimator`: :class:`CustomerSegmenter`, a scikit-learn estimator
  (log-transform + scaling, choice of k, clustering); :mod:`.persistence`: its
  ``save`` / ``load`` (one JSON file, nothing unpickled; a run with ``--out`` keeps
  it in ``unsupervised-segmenter/``);
* :mod:`.profiles` and :mod:`.plots`: what each segment is, in words and pictures;
* the digits without their labels (``kind="digits"``, the same-task comparison):
  :mod:`.digits` (the run), :mod:`.digit_clusters` (:class:`DigitClusterer`: PCA or
  UMAP, then k-means; its ``fit`` takes no labels), :mod:`.matching` (the clustering
  accuracy: clusters matched one-to-one to classes, Hungarian) and :mod:`.digit_plots`.

>>> from paradigms.unsupervised import CustomerSegmenter, generate_transactions  # doctest: +SKIP

The names below are imported on first use, so that ``import paradigms`` stays fast.
"""

from __future__ import annotations

from ..lazy import lazy_dir, lazy_exports

_LAZY = {
    "CustomerSegmenter": ".estimator",
    "LogScaler": ".estimator",
    "CustomerData": ".features",
    "load_customers": ".features",
    "customer_features": ".features",
    "read_transactions": ".transactions",
    "generate_transactions": ".generator",
    "PERSONAS": ".generator",
    "DataQuality": ".quality",
    "segment_profiles": ".profiles",
    "figures": ".plots",
    "UnsupervisedSettings": ".settings",
    "DigitClusterer": ".digit_clusters",
    "clustering_accuracy": ".matching",
    "match_clusters": ".matching",
}

__all__ = sorted(_LAZY)


__getattr__ = lazy_exports(__name__, _LAZY, globals())
__dir__ = lazy_dir(_LAZY, globals())
