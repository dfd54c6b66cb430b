"""Scoring clusters against classes: the clustering accuracy of the deep-clustering literature.

A clustering names its groups 0..k-1 in no particular order, so "accuracy" needs
a translation first: each cluster is matched to one class, one-to-one, so that as
many examples as possible land on their own class (the Hungarian method,
:func:`scipy.optimize.linear_sum_assignment`, on the cluster x class table). The
share of examples whose cluster was matched to their class is the *clustering
accuracy* (Xie et al. 2016, DEC). With more clusters than classes the unmatched
clusters count as wrong; with fewer, the unmatched classes do.

The labels are used here, after fitting, and nowhere else: this is the scoring,
not the learning.

>>> clustering_accuracy([0, 0, 1, 1, 2, 2], [2, 2, 0, 0, 1, 1])  # the same groups, renamed
1.0
>>> round(clustering_accuracy([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 1, 1]), 3)
0.833
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


def cluster_class_table(clusters: ArrayLike, classes: ArrayLike, n_clusters: int | None = None,
                        n_classes: int | None = None) -> np.ndarray:
    """Counts ``(n_clusters, n_classes)``: how many examples of each class fell in each cluster."""
    c, y = _as_indices(clusters, "clusters"), _as_indices(classes, "classes")
    if len(c) != len(y):
        raise ValueError(f"{len(c)} cluster assignments but {len(y)} classes: one of each per example")
    rows = max(int(n_clusters or 0), int(c.max()) + 1 if len(c) else 1)
    columns = max(int(n_classes or 0), int(y.max()) + 1 if len(y) else 1)
    table = np.zeros((rows, columns), dtype=np.int64)
    np.add.at(table, (c, y), 1)
    return table


@dataclass(frozen=True)
class ClusterMatch:
    """The one-to-one matching of clusters to classes, and what it scores.

    ``class_of_cluster[i]`` is the class cluster ``i`` was matched to, or -1 where
    there were more clusters than classes and ``i`` was left unmatched."""

    table: np.ndarray
    class_of_cluster: np.ndarray
    accuracy: float


def match_clusters(clusters: ArrayLike, classes: ArrayLike, n_clusters: int | None = None,
                   n_classes: int | None = None) -> ClusterMatch:
    """Match clusters to classes one-to-one, maximising the examples on their own class (Hungarian)."""
    # SciPy loads on the first scoring, not on import
    from scipy.optimize import linear_sum_assignment

    table = cluster_class_table(clusters, classes, n_clusters, n_classes)
    rows, columns = linear_sum_assignment(table, maximize=True)
    class_of_cluster = np.full(table.shape[0], -1, dtype=np.int64)
    class_of_cluster[rows] = columns
    total = int(table.sum())
    accuracy = float(table[rows, columns].sum() / total) if total else 0.0
    return ClusterMatch(table, class_of_cluster, accuracy)


def clustering_accuracy(classes: ArrayLike, clusters: ArrayLike) -> float:
    """The share of examples whose cluster is matched to their class (one-to-one, Hungarian)."""
    return match_clusters(clusters, classes).accuracy


def _as_indices(values: ArrayLike, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if len(array) and (not np.issubdtype(array.dtype, np.integer) or array.min() < 0):
        raise ValueError(f"{name} must be whole numbers from 0 (indices), got {array.dtype} values")
    return array.astype(np.int64)
