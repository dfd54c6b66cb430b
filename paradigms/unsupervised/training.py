"""The learning loop: fitting the segmenter, and P against E (customers seen).

* :func:`fit_segmenter`: :class:`~.estimator.CustomerSegmenter` built from the
  settings and fitted on every customer (log + scaling, choice of k, clustering);
  its warnings are shown and kept for the result.
* :func:`learning_curve`: what more experience buys. A fixed, seeded set of
  customers is held out (a fifth, at most :data:`HELD_OUT_MAX`); the model (k
  fixed at the full fit's) is fitted on the first n of a random order of the
  others, for n from k up to all of them, and its segments of the held-out
  customers are compared (adjusted Rand index, ARI: 0 = chance, 1 = the same
  grouping) with a reference: the known groups where there are any, otherwise
  the segments of the model fitted on all the data. Each n is drawn
  ``curve_draws`` times (fresh random orders); the curve keeps the mean and the
  spread (``std``), so a change within the noise reads as flat. The silhouette of
  the held-out customers' segments sits beside it: it hardly moves with n, which
  is why it is not the curve.
* :func:`final_scores`: what the segmentation of everyone scores: P (the
  silhouette) beside random labels' (P's floor, measured), Calinski-Harabasz,
  Davies-Bouldin, inertia; against the known groups ARI, NMI, purity and the
  table of known groups against segments.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from ..errors import DataError
from ..progress import Progress
from ..seeding import numpy_rng
from .estimator import CustomerSegmenter
from .model import partition_scores, silhouette_scores
from .sampling import sample_rows
from .settings import UnsupervisedSettings


@dataclass(frozen=True)
class Fit:
    """A segmenter fitted on every customer, the warnings it gave, and how long it took."""

    segmenter: CustomerSegmenter
    warnings: list[str]
    seconds: float


#: The curve's columns by their tags in TensorBoard and MLflow (E, the step: customers fitted on).
CURVE_TAGS = {"performance": "curve/adjusted_rand_index", "std": "curve/adjusted_rand_index_std",
              "silhouette": "curve/silhouette"}


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


#: Share of the customers held out to score the learning curve ...
HELD_OUT_SHARE = 0.2
#: ... and at most this many (plenty for a stable ARI).
HELD_OUT_MAX = 10_000
#: Above this many known groups the class-by-segment table is left out (a note says why).
CONTINGENCY_MAX_GROUPS = 50


@dataclass(frozen=True)
class LearningCurve:
    """The curve (``experience``, ``performance`` = mean ARI, ``std``, ``draws``, ``silhouette``,
    ``reference``), the reference in words, and how many customers scored it."""

    table: pd.DataFrame
    reference: str
    held_out: int

    @property
    def label(self) -> str:
        """What the curve's ``performance`` column tracks (the measure's ``curve_label``)."""
        return (f"ARI between the {self.reference} of {self.held_out:,} held-out customers and the segments "
                "a model fitted on the customers seen puts them in")


def held_out_rows(n: int, k: int, seed: int) -> np.ndarray:
    """The customers the curve is scored on: a seeded fifth (at most :data:`HELD_OUT_MAX`),
    leaving at least ``k`` to fit on; empty when fewer than two could be held out."""
    size = min(HELD_OUT_MAX, round(HELD_OUT_SHARE * n), n - k)
    if size < 2:
        return np.zeros(0, dtype=np.int64)
    return np.sort(numpy_rng(seed, 13).choice(n, size=size, replace=False))


def learning_curve(
    settings: UnsupervisedSettings, seed: int, features: pd.DataFrame, final: CustomerSegmenter,
    Z: np.ndarray, truth: pd.Series | None, progress: Progress, *, truth_source: str | None = None,
) -> LearningCurve:
    """Agreement on held-out customers of the model fitted on more and more customers; see the module docstring."""
    n, k = len(features), final.n_clusters_
    held = held_out_rows(n, k, seed)
    if len(held) < 2:
        table = pd.DataFrame({"experience": [n], "performance": [np.nan], "std": [np.nan], "draws": [0],
                              "silhouette": [np.nan], "reference": ["too few customers to hold any out"]})
        return LearningCurve(table, "too few customers to hold any out", len(held))
    reference, words = _reference(truth, truth_source, final.labels_, held, n)
    pool = np.setdiff1d(np.arange(n), held)
    sizes = np.unique(np.round(np.geomspace(k, len(pool), settings.curve_points)).astype(int))
    orders = [pool[numpy_rng(seed, 11, d).permutation(len(pool))] for d in range(settings.curve_draws)]
    held_features = features.iloc[held]
    rows = []
    with progress.bar(total=len(sizes), desc="learning curve", unit="n") as bar:
        for size in sizes:
            draws = orders[:1] if size == len(pool) else orders  # all of the pool: one draw is all there is
            predictions = [_segments(settings, seed, features.iloc[np.sort(order[:size])], k, held_features)
                           for order in draws]
            rows.append(_point(size, predictions, reference, Z[held], settings.silhouette_sample, seed))
            progress.log(size, {tag: rows[-1][column] for column, tag in CURVE_TAGS.items()})
            bar.update(1)
    table = pd.DataFrame(rows)
    table["reference"] = words
    return LearningCurve(table, words, len(held))


def _reference(
    truth: pd.Series | None, source: str | None, labels: np.ndarray, held: np.ndarray, n: int
) -> tuple[np.ndarray, str]:
    """The held-out customers' reference grouping (``None`` where unknown) and its name."""
    if truth is not None:
        known = truth.iloc[held]
        if known.notna().sum() >= 2:
            return known.to_numpy(dtype=object), f"known groups ({source})" if source else "known groups"
    return labels[held].astype(object), f"segments of all {n:,} customers"


def _segments(
    settings: UnsupervisedSettings, seed: int, customers: pd.DataFrame, k: int, held: pd.DataFrame
) -> np.ndarray:
    """The held-out customers' segments, by the model fitted on ``customers``. A few customers
    may all look alike (every feature constant among them): such a model puts everyone in one segment."""
    model = CustomerSegmenter.from_settings(settings, random_state=seed, n_clusters=min(k, len(customers)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # small subsets warn about what the full fit reports
        try:
            return model.fit(customers).predict(held)
        except DataError:
            return np.zeros(len(held), dtype=np.int64)


def _point(
    size: int, predictions: list[np.ndarray], reference: np.ndarray, Z_held: np.ndarray, sample: int, seed: int,
) -> dict[str, Any]:
    """One point of the curve: mean and spread of the ARI over the draws, and their mean silhouette."""
    known = pd.notna(reference)
    scores = np.array([adjusted_rand_score(reference[known], p[known]) for p in predictions])
    rows = sample_rows(len(Z_held), sample, seed, stream=14)
    silhouettes = silhouette_scores(Z_held[rows], [p[rows] for p in predictions])
    return {
        "experience": int(size),
        "performance": float(scores.mean()),
        "std": round(float(scores.std(ddof=1)), 10) if len(scores) > 1 else np.nan,
        "draws": len(scores),
        "silhouette": float(np.nanmean(silhouettes)) if np.isfinite(silhouettes).any() else np.nan,
    }


def final_scores(
    Z: np.ndarray, labels: np.ndarray, k: int, evaluation_rows: np.ndarray, truth: pd.Series | None, seed: int
) -> dict[str, Any]:
    """P (the silhouette) and random labels' (k segments, the same customers), the partition
    scores, and against the known groups: ARI, NMI, purity, known groups x segments."""
    random_labels = numpy_rng(seed, 12).integers(0, k, len(evaluation_rows))
    silhouette, floor = silhouette_scores(Z[evaluation_rows], [labels[evaluation_rows], random_labels])
    scores: dict[str, Any] = {
        "silhouette": float(silhouette),
        "silhouette_random_labels": float(floor),
        **partition_scores(Z, labels),
    }
    if truth is not None:
        known = truth.notna().to_numpy()
        groups, segments = truth[known].astype(str).to_numpy(), labels[known]
        table = pd.crosstab(groups, segments)
        scores["adjusted_rand_index"] = float(adjusted_rand_score(groups, segments))
        scores["normalized_mutual_info"] = float(normalized_mutual_info_score(groups, segments))
        scores["purity"] = float(table.max(axis=0).sum() / max(int(known.sum()), 1))
        scores["known_groups"] = int(len(table))
        if len(table) > CONTINGENCY_MAX_GROUPS:  # a continuous column, most likely: no table of hundreds of rows
            scores["known_groups_note"] = (
                f"{len(table):,} distinct known groups: too many for a class-by-segment table (is the label "
                "column a continuous number? ARI and NMI treat each value as a group)")
            return scores
        table.index.name = "known group"
        table.columns = [f"segment {c}" for c in table.columns]
        scores["contingency"] = table.reset_index()
    return scores
