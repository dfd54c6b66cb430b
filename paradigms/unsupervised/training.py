"""The learning loop: fitting the segmenter, and P against E (customers seen).

* :func:`fit_segmenter`: :class:`~.estimator.CustomerSegmenter` built from the
  settings and fitted on every customer (log + scaling, choice of k, clustering);
  its warnings are shown and kept for the result.
* :func:`learning_curve`: the same model fitted on the first 50, 100, ...
  customers (a random order), every customer assigned, the silhouette measured
  in the full model's space on one fixed sample, so the points compare; ARI and
  NMI against the known groups when there are any. The last point is the model
  fitted on everyone, so it holds the run's P.
* :func:`final_scores`: what else the fitted segmentation scores: random labels'
  silhouette (P's floor, measured), Calinski-Harabasz, Davies-Bouldin, inertia,
  and the table of known groups against segments.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from ..progress import Progress
from ..seeding import numpy_rng
from .estimator import CustomerSegmenter
from .model import partition_scores, silhouette_scores
from .settings import UnsupervisedSettings


@dataclass(frozen=True)
class Fit:
    """A segmenter fitted on every customer, the warnings it gave, and how long it took."""

    segmenter: CustomerSegmenter
    warnings: list[str]
    seconds: float


def fit_segmenter(settings: UnsupervisedSettings, features: pd.DataFrame, seed: int, progress: Progress) -> Fit:
    """Fit the segmenter ``settings`` describe on every customer; its warnings are shown and kept."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        segmenter = CustomerSegmenter.from_settings(settings, random_state=seed).fit(features, progress=progress)
        seconds = time.perf_counter() - start
    for warning in caught:  # show them, and keep them in the result
        warnings.warn(str(warning.message), warning.category, stacklevel=2)
    return Fit(segmenter, [str(w.message) for w in caught], seconds)


def _agreement(truth: pd.Series, predictions: list[np.ndarray]) -> dict[str, list[float]]:
    """ARI and NMI of each labelling against the known groups (customers without one left out)."""
    known = truth.notna().to_numpy()
    return {
        "adjusted_rand_index": [float(adjusted_rand_score(truth[known], p[known])) for p in predictions],
        "normalized_mutual_info": [float(normalized_mutual_info_score(truth[known], p[known])) for p in predictions],
    }


def learning_curve(
    settings: UnsupervisedSettings, seed: int, features: pd.DataFrame, final: CustomerSegmenter,
    Z: np.ndarray, evaluation_rows: np.ndarray, truth: pd.Series | None, progress: Progress,
) -> pd.DataFrame:
    """Silhouette (and ARI / NMI) of the model fitted on more and more customers; see the module docstring."""
    n, k = len(features), final.n_clusters_
    smallest = min(n, max(2 * k, 10))
    sizes = np.unique(np.round(np.geomspace(smallest, n, settings.curve_points)).astype(int))
    order = numpy_rng(seed, 11).permutation(n)
    predictions = []
    with progress.bar(total=len(sizes), desc="learning curve", unit="fit") as bar:
        for size in sizes:
            if size == n:
                predictions.append(final.labels_)
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # small subsets warn about what the full fit reports
                    model = CustomerSegmenter.from_settings(settings, random_state=seed, n_clusters=min(k, int(size)))
                    model.fit(features.iloc[np.sort(order[:size])])
                predictions.append(model.predict(features))
            bar.update(1)
    silhouettes = silhouette_scores(Z[evaluation_rows], [p[evaluation_rows] for p in predictions])
    curve = pd.DataFrame({"experience": sizes, "performance": silhouettes})
    if truth is not None:
        for column, values in _agreement(truth, predictions).items():
            curve[column] = values
    return curve


def final_scores(
    Z: np.ndarray, labels: np.ndarray, k: int, evaluation_rows: np.ndarray, truth: pd.Series | None, seed: int
) -> dict[str, Any]:
    """Random labels' silhouette (k segments, the same customers), the partition scores, known groups x segments."""
    random_labels = numpy_rng(seed, 12).integers(0, k, len(evaluation_rows))
    scores: dict[str, Any] = {
        "silhouette_random_labels": float(silhouette_scores(Z[evaluation_rows], [random_labels])[0]),
        **partition_scores(Z, labels),
    }
    if truth is not None:
        known = truth.notna().to_numpy()
        table = pd.crosstab(truth[known].to_numpy(), labels[known])
        table.index.name = "known group"
        table.columns = [f"segment {c}" for c in table.columns]
        scores["known_groups"] = int(truth[known].nunique())
        scores["contingency"] = table.reset_index()
    return scores
