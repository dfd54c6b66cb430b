"""The model: clustering algorithms and the choice of k, fast on large data.

Three algorithms, each fitted by :func:`fit_clusters` on already scaled features:

* ``kmeans``: scikit-learn's :class:`~sklearn.cluster.KMeans` (k-means++ seeding,
  ten restarts on small data); above :data:`MINIBATCH_THRESHOLD` customers
  :class:`~sklearn.cluster.MiniBatchKMeans`, started from centres found on a sample.
* ``gmm``: a Gaussian mixture (full covariances); fitted on at most
  :data:`GMM_SAMPLE` customers, then every customer is assigned.
* ``agglomerative``: Ward linkage, which needs memory growing with n²: fitted on
  at most :data:`AGGLOMERATIVE_SAMPLE` customers, the others joining the segment
  whose centre is nearest (with a warning saying so).

:func:`choose_k` fits every k of a range and scores each partition with the
silhouette (internal cohesion against separation, -1 .. 1), Calinski-Harabasz
(higher is better), Davies-Bouldin (lower is better), the inertia and, for the
mixture, BIC (lower is better). On large data the scan runs on a random sample
of :data:`SELECTION_SAMPLE` customers and the silhouette on a smaller one;
:func:`silhouette_scores` scores all the k at once from one pass over the
pairwise distances of that sample, in blocks, so memory stays bounded. When no
k stands out, it warns: the data may have no natural number of groups.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from .sampling import sample_rows
from .settings import ALGORITHMS, DEFAULTS, UnsupervisedSettings

#: Above this many customers k-means becomes MiniBatchKMeans.
MINIBATCH_THRESHOLD = 50_000
#: The k scan runs on at most this many customers (the ``selection_sample`` setting's default).
SELECTION_SAMPLE = DEFAULTS.selection_sample
#: The silhouette is computed on at most this many customers (O(n²) work; the ``silhouette_sample`` setting).
SILHOUETTE_SAMPLE = DEFAULTS.silhouette_sample
GMM_SAMPLE = 100_000
AGGLOMERATIVE_SAMPLE = 5_000
#: Fits on at most this many rows use one thread.
SINGLE_THREAD_ROWS = 20_000
#: A silhouette margin below this between the best k and the runner-up is "no clear choice".
CLEAR_MARGIN = 0.02
#: Below this best silhouette the structure is weak (Kaufman and Rousseeuw's bands) and we say so.
WEAK_SILHOUETTE = 0.5
_HIGHER_IS_BETTER = {"silhouette": True, "calinski_harabasz": True, "davies_bouldin": False, "bic": False}
_LABELS = {"silhouette": "silhouette", "calinski_harabasz": "Calinski-Harabasz",
           "davies_bouldin": "Davies-Bouldin", "bic": "BIC"}


def silhouette_scores(X: np.ndarray, label_sets: list[np.ndarray], *, block: int = 1024) -> np.ndarray:
    """The mean silhouette of each labelling of the rows of ``X``, in one pass.

    For a point, ``a`` is its mean distance to the other members of its cluster,
    ``b`` the smallest mean distance to the members of another cluster, and its
    silhouette ``(b - a) / max(a, b)`` (0 for a point alone in its cluster), as
    in :func:`sklearn.metrics.silhouette_score`. The distances are computed once
    per block of rows and reused for every labelling (a matrix product with each
    one-hot labelling), so scoring nine values of k costs little more than one.
    """
    X = np.asarray(X, dtype=np.float64)
    n = len(X)
    squared = np.einsum("ij,ij->i", X, X)
    codes, widths = [], []
    for labels in label_sets:
        _, code = np.unique(labels, return_inverse=True)
        codes.append(code.ravel())
        widths.append(int(code.max()) + 1 if n else 0)
    offsets = np.concatenate([[0], np.cumsum(widths)]).astype(int)
    onehot = np.zeros((n, offsets[-1]))  # every labelling side by side: one matrix product per block
    for code, offset in zip(codes, offsets[:-1], strict=True):
        onehot[np.arange(n), offset + code] = 1.0
    sums = np.empty((n, offsets[-1]))
    for start in range(0, n, block):
        stop = min(start + block, n)
        d2 = squared[start:stop, None] + squared[None, :] - 2.0 * (X[start:stop] @ X.T)
        np.maximum(d2, 0.0, out=d2)
        distances = np.sqrt(d2, out=d2)
        distances[np.arange(stop - start), np.arange(start, stop)] = 0.0
        sums[start:stop] = distances @ onehot
    scores = []
    rows = np.arange(n)
    for code, lo, hi in zip(codes, offsets[:-1], offsets[1:], strict=True):
        total = sums[:, lo:hi]
        counts = onehot[:, lo:hi].sum(axis=0)
        if len(counts) < 2:
            scores.append(np.nan)
            continue
        own_count = counts[code]
        a = total[rows, code] / np.maximum(own_count - 1, 1)
        others = total / counts
        others[rows, code] = np.inf
        b = others.min(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.where(own_count > 1, (b - a) / np.maximum(a, b), 0.0)
        scores.append(float(np.nan_to_num(s).mean()))
    return np.array(scores)


@dataclass
class FittedClusters:
    """A fitted clustering: the model, the labels of the rows it was fitted on, the centres."""

    algorithm: str
    k: int
    model: Any
    labels: np.ndarray
    centers: np.ndarray
    notes: list[str] = field(default_factory=list)

    def assign(self, X: np.ndarray) -> np.ndarray:
        """Segments for new rows: the model's own rule (k-means, mixture) or the nearest centre."""
        if self.algorithm == "agglomerative":
            return nearest_center(X, self.centers)
        return self.model.predict(np.asarray(X, dtype=np.float64))


def nearest_center(X: np.ndarray, centers: np.ndarray, block: int = 65536) -> np.ndarray:
    """Index of the nearest centre for every row (in blocks, bounded memory)."""
    out = np.empty(len(X), dtype=np.int64)
    c2 = np.einsum("ij,ij->i", centers, centers)
    for start in range(0, len(X), block):
        part = X[start:start + block]
        out[start:start + block] = np.argmin(c2[None, :] - 2.0 * part @ centers.T, axis=1)
    return out


def _centers_of(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """The mean of each cluster's rows (one bincount per feature: fast on millions of rows)."""
    counts = np.maximum(np.bincount(labels, minlength=k), 1).astype(float)
    return np.column_stack([np.bincount(labels, weights=X[:, j], minlength=k) for j in range(X.shape[1])]) / counts[:, None]


def fit_clusters(
    X: np.ndarray, k: int, *, algorithm: str = "kmeans", seed: int = 0, init: np.ndarray | None = None,
    selection_sample: int = SELECTION_SAMPLE,
) -> FittedClusters:
    """Fit one algorithm with ``k`` clusters on scaled features ``X`` (see the module docstring).

    ``init``: k-means centres found on a sample of ``selection_sample`` customers
    (without it, on large data, such centres are found first)."""
    X = np.asarray(X, dtype=np.float64)
    n = len(X)
    # On small data one thread is faster, and OpenMP threads that wait on a busy machine are very slow.
    with threadpool_limits(limits=1 if n <= SINGLE_THREAD_ROWS else None):
        return _fit(X, k, algorithm, seed, init, selection_sample)


def _fit(
    X: np.ndarray, k: int, algorithm: str, seed: int, init: np.ndarray | None, selection_sample: int
) -> FittedClusters:
    n = len(X)
    if algorithm == "kmeans":
        if n > MINIBATCH_THRESHOLD:
            if init is None:
                rows = sample_rows(n, selection_sample, seed, stream=1)
                init = KMeans(k, n_init=3, random_state=seed).fit(X[rows]).cluster_centers_
            model = MiniBatchKMeans(k, init=init, n_init=1, batch_size=16384, random_state=seed).fit(X)
            sample = min(n, selection_sample)
            note = f"MiniBatchKMeans on {n:,} customers, started from k-means centres of a {sample:,}-customer sample"
            return FittedClusters(algorithm, k, model, model.labels_, model.cluster_centers_, [note])
        if init is not None:  # centres found on a sample: polish them on everyone
            model = KMeans(k, init=init, n_init=1, random_state=seed).fit(X)
        else:
            model = KMeans(k, n_init=10 if n <= SINGLE_THREAD_ROWS else 3, random_state=seed).fit(X)
        return FittedClusters(algorithm, k, model, model.labels_, model.cluster_centers_)
    if algorithm == "gmm":
        rows = sample_rows(n, GMM_SAMPLE, seed, stream=2)
        model = GaussianMixture(k, covariance_type="full", n_init=2, reg_covar=1e-4, random_state=seed).fit(X[rows])
        labels = model.predict(X)
        notes = [f"mixture fitted on a sample of {len(rows):,} customers"] if len(rows) < n else []
        return FittedClusters(algorithm, k, model, labels, model.means_, notes)
    if algorithm == "agglomerative":
        rows = sample_rows(n, AGGLOMERATIVE_SAMPLE, seed, stream=3)
        model = AgglomerativeClustering(n_clusters=k, linkage="ward").fit(X[rows])
        centers = _centers_of(X[rows], model.labels_, k)
        labels = nearest_center(X, centers) if len(rows) < n else model.labels_
        notes = []
        if len(rows) < n:
            notes.append(
                f"agglomerative clustering needs memory growing with n²: fitted on a sample of {len(rows):,} "
                f"customers, the other {n - len(rows):,} joined the segment with the nearest centre"
            )
        return FittedClusters(algorithm, k, model, labels, centers, notes)
    raise ValueError(f"algorithm {algorithm!r}: choose one of {', '.join(ALGORITHMS)}")


def partition_scores(X: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Calinski-Harabasz, Davies-Bouldin and inertia (sum of squared distances to the cluster means)."""
    k = int(labels.max()) + 1 if len(labels) else 0
    used = len(np.unique(labels))
    inertia = float(((X - _centers_of(X, labels, k)[labels]) ** 2).sum())
    if used < 2 or used >= len(X):
        return {"calinski_harabasz": np.nan, "davies_bouldin": np.nan, "inertia": inertia}
    return {
        "calinski_harabasz": float(calinski_harabasz_score(X, labels)),
        "davies_bouldin": float(davies_bouldin_score(X, labels)),
        "inertia": inertia,
    }


@dataclass
class KSelection:
    """The k scan: one row per k, the chosen k, and whether the choice was clear."""

    table: pd.DataFrame
    k: int
    criterion: str
    clear: bool
    reason: str
    fitted: dict[int, FittedClusters]
    rows: np.ndarray

    def to_dict(self) -> dict[str, Any]:
        return {"k": self.k, "criterion": self.criterion, "clear": self.clear, "reason": self.reason,
                "customers_scanned": int(len(self.rows))}


def choose_k(
    X: np.ndarray,
    k_values: list[int] | range,
    *,
    algorithm: str = "kmeans",
    criterion: str = "silhouette",
    seed: int = 0,
    silhouette_sample: int = SILHOUETTE_SAMPLE,
    selection_sample: int = SELECTION_SAMPLE,
    progress: Any = None,
) -> KSelection:
    """Fit each k and pick the best by ``criterion``; warn when no k stands out."""
    UnsupervisedSettings(algorithm=algorithm, criterion=criterion)  # the settings hold the constraints
    X = np.asarray(X, dtype=np.float64)
    rows = sample_rows(len(X), selection_sample, seed, stream=4)
    scan = X[rows]
    k_values = [k for k in k_values if 2 <= k < len(scan)]
    if not k_values:
        raise ValueError(f"no k to try: {len(scan)} customers allow k from 2 to {len(scan) - 1}")
    in_silhouette = sample_rows(len(scan), silhouette_sample, seed, stream=5)
    fitted, records = {}, []
    bar = progress.bar(total=len(k_values), desc="choosing k", unit="k") if progress else None
    try:
        for k in k_values:
            fit = fit_clusters(scan, k, algorithm=algorithm, seed=seed, selection_sample=selection_sample)
            fitted[k] = fit
            record = {"k": k, **partition_scores(scan, fit.labels)}
            record["bic"] = float(fit.model.bic(scan)) if algorithm == "gmm" else np.nan
            records.append(record)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    silhouettes = silhouette_scores(scan[in_silhouette], [fitted[k].labels[in_silhouette] for k in k_values])
    table = pd.DataFrame(records)
    table.insert(1, "silhouette", silhouettes)
    if getattr(progress, "tracking", False):  # the k-selection scores, k as the step
        for row in table.to_dict("records"):
            progress.log(int(row["k"]), {f"k_selection/{name}": value for name, value in row.items() if name != "k"})
    k, clear, reason = _decide(table, criterion)
    if not clear:
        warnings.warn(f"no clear choice of k: {reason}. Look at the k-selection plot and set k yourself (--k N)",
                      UserWarning, stacklevel=2)
    best_silhouette = float(table.loc[table.k == k, "silhouette"].iloc[0])
    if best_silhouette < WEAK_SILHOUETTE:
        strength = "no substantial structure" if best_silhouette < 0.25 else "weak structure, possibly artificial"
        warnings.warn(
            f"{strength}: the silhouette at k={k} is only {best_silhouette:.2f} (Kaufman and Rousseeuw: "
            "above 0.5 reasonable, above 0.7 strong); the segments are a convenient partition of the "
            "customers, not necessarily natural groups",
            UserWarning, stacklevel=2,
        )
    return KSelection(table, k, criterion, clear, reason, fitted, rows)


def _decide(table: pd.DataFrame, criterion: str) -> tuple[int, bool, str]:
    """The k the criterion prefers, whether it stands out, and why, in words."""
    ranked = table.dropna(subset=[criterion]).sort_values(criterion, ascending=not _HIGHER_IS_BETTER[criterion])
    if ranked.empty:
        return int(table.k.iloc[0]), False, f"{_LABELS[criterion]} could not be computed"
    best = ranked.iloc[0]
    k = int(best.k)
    picks = {}
    for other in ("silhouette", "calinski_harabasz", "davies_bouldin"):
        column = table.dropna(subset=[other])
        if not column.empty:
            index = column[other].idxmax() if _HIGHER_IS_BETTER[other] else column[other].idxmin()
            picks[other] = int(table.k[index])
    agree = [_LABELS[c] for c, kk in picks.items() if c != criterion and kk == k]
    disagree = [f"{_LABELS[c]} prefers k={kk}" for c, kk in picks.items() if c != criterion and kk != k]
    if len(ranked) < 2:
        return k, True, f"only k={k} was tried"
    second = ranked.iloc[1]
    value, runner = float(best[criterion]), float(second[criterion])
    if criterion == "silhouette":
        margin = (value - runner) / CLEAR_MARGIN
    elif criterion == "bic":
        margin = (runner - value) / 10.0  # a BIC difference of 10 is "very strong" evidence
    else:
        margin = abs(value - runner) / (0.05 * abs(value))
    # clear: ahead by a good margin with another criterion agreeing, or all criteria agreeing
    clear = (margin >= 1 and bool(agree)) or (not disagree and margin >= 0.25)
    ahead = "clearly ahead of" if margin >= 1 else "just ahead of"
    text = f"{_LABELS[criterion]} picks k={k} ({value:.3g}), {ahead} k={int(second.k)} ({runner:.3g})"
    if agree:
        text += f"; {' and '.join(agree)} {'agrees' if len(agree) == 1 else 'agree'}"
    if disagree:
        text += f"; {', '.join(disagree)}"
    return k, clear, text
