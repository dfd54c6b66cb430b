"""``CustomerSegmenter``: customer segmentation as one scikit-learn estimator.

It takes per-customer features (a DataFrame or an array), and learns, in
order: which skewed features to log-transform, how to scale them, how many
segments there are (unless told), and the segments. All of that is part of the
fitted model, so :meth:`CustomerSegmenter.predict` places *new* customers in
the same space and the same segments. Segments are numbered by size, 0 the largest.

Example
-------
>>> import numpy as np
>>> from sklearn.datasets import make_blobs
>>> X, y = make_blobs(600, n_features=4, centers=3, random_state=0)
>>> segmenter = CustomerSegmenter(k_max=6, random_state=0).fit(X)
>>> segmenter.n_clusters_
3
>>> segmenter.predict(X[:5]).shape
(5,)

Attributes (after ``fit``)
--------------------------
``feature_names_in_``, ``log_features_`` (features log-transformed),
``preprocessor_`` (log + scaling), ``n_clusters_``, ``labels_``,
``cluster_centers_`` (in the scaled space), ``model_`` (the fitted clustering),
``k_selection_`` (a DataFrame, one row per k tried; ``None`` when k was given),
``k_choice_`` (the chosen k, the criterion, whether it was clear, why), ``notes_``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin

from ..errors import DataError
from .clustering import (
    ALGORITHMS,
    CRITERIA,
    SELECTION_SAMPLE,
    SILHOUETTE_SAMPLE,
    choose_k,
    fit_clusters,
    sample_rows,
    silhouette_scores,
)

#: A feature whose skewness exceeds this (and which is never negative) is log-transformed by default.
SKEW_THRESHOLD = 1.0


def _as_matrix(X: object, names: list[str] | None = None) -> tuple[np.ndarray, list[str]]:
    """A float matrix and its column names; a clear error for text or missing values."""
    if isinstance(X, pd.DataFrame):
        frame = X
    else:
        array = np.asarray(X)
        if array.ndim != 2:
            raise DataError(f"expected a 2-D table of customers x features, got shape {array.shape}")
        frame = pd.DataFrame(array, columns=names or [f"x{i}" for i in range(array.shape[1])])
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            converted = pd.to_numeric(values, errors="coerce")
            bad = converted.isna() & values.notna()
            if bad.any():
                raise DataError(f"feature {column!r} is not numeric (e.g. {values[bad].iloc[0]!r})")
            frame = frame.assign(**{str(column): converted})
    matrix = frame.to_numpy(dtype=np.float64)
    if not np.isfinite(matrix).all():
        bad_col = frame.columns[np.flatnonzero(~np.isfinite(matrix).all(axis=0))[0]]
        if frame[bad_col].isna().all():
            raise DataError(f"feature {bad_col!r} has no values (all missing)")
        raise DataError(f"feature {bad_col!r} has missing or infinite values: drop or fill those customers first")
    return matrix, [str(c) for c in frame.columns]


class LogScaler(TransformerMixin, BaseEstimator):
    """Log-transform skewed non-negative features (``log1p``), then standardize all.

    ``log_transform``: ``"auto"`` (features never negative whose skewness
    exceeds :data:`SKEW_THRESHOLD`), ``True`` (all never-negative features),
    ``False`` (none).
    """

    def __init__(self, log_transform: str | bool = "auto") -> None:
        self.log_transform = log_transform

    def fit(self, X: np.ndarray, y: object = None) -> LogScaler:
        X = np.asarray(X, dtype=np.float64)
        nonnegative = (X >= 0).all(axis=0)
        if self.log_transform == "auto":
            centred = X - X.mean(axis=0)
            std = X.std(axis=0)
            with np.errstate(divide="ignore", invalid="ignore"):
                skew = np.where(std > 0, (centred**3).mean(axis=0) / std**3, 0.0)
            self.log_mask_ = nonnegative & (skew > SKEW_THRESHOLD)
        elif self.log_transform in (True, "true", "all"):
            self.log_mask_ = nonnegative
        elif self.log_transform in (False, "false", "none"):
            self.log_mask_ = np.zeros(X.shape[1], dtype=bool)
        else:
            raise ValueError(f"log_transform={self.log_transform!r}: use 'auto', True or False")
        logged = self._log(X)
        self.mean_ = logged.mean(axis=0)
        scale = logged.std(axis=0)
        self.constant_ = scale == 0
        self.scale_ = np.where(self.constant_, 1.0, scale)
        return self

    def _log(self, X: np.ndarray) -> np.ndarray:
        out = np.array(X, dtype=np.float64, copy=True)
        out[:, self.log_mask_] = np.log1p(np.maximum(out[:, self.log_mask_], 0.0))
        return out

    def transform(self, X: np.ndarray) -> np.ndarray:
        return (self._log(np.asarray(X, dtype=np.float64)) - self.mean_) / self.scale_

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        out = np.asarray(Z, dtype=np.float64) * self.scale_ + self.mean_
        out[:, self.log_mask_] = np.expm1(out[:, self.log_mask_])
        return out


class CustomerSegmenter(ClusterMixin, BaseEstimator):
    """Segment customers by behaviour; see the module docstring.

    Parameters
    ----------
    n_clusters : int or None
        The number of segments; ``None`` chooses it from ``k_min .. k_max`` by ``criterion``.
    algorithm : ``"kmeans"``, ``"gmm"`` or ``"agglomerative"``.
    criterion : ``"silhouette"``, ``"calinski_harabasz"``, ``"davies_bouldin"`` or ``"bic"`` (mixture only).
    log_transform : ``"auto"``, True or False (see :class:`LogScaler`).
    silhouette_sample, selection_sample : sample sizes that bound the work on large data.
    random_state : int; the same value gives the same segments.
    """

    def __init__(
        self,
        n_clusters: int | None = None,
        *,
        algorithm: str = "kmeans",
        k_min: int = 2,
        k_max: int = 10,
        criterion: str = "silhouette",
        log_transform: str | bool = "auto",
        silhouette_sample: int = SILHOUETTE_SAMPLE,
        selection_sample: int = SELECTION_SAMPLE,
        random_state: int | None = 0,
    ) -> None:
        self.n_clusters = n_clusters
        self.algorithm = algorithm
        self.k_min = k_min
        self.k_max = k_max
        self.criterion = criterion
        self.log_transform = log_transform
        self.silhouette_sample = silhouette_sample
        self.selection_sample = selection_sample
        self.random_state = random_state

    def _check_params(self, n_samples: int) -> None:
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"algorithm={self.algorithm!r}: choose one of {', '.join(ALGORITHMS)}")
        if self.criterion not in CRITERIA:
            raise ValueError(f"criterion={self.criterion!r}: choose one of {', '.join(CRITERIA)}")
        if self.n_clusters is not None:
            if self.n_clusters < 1:
                raise ValueError(f"n_clusters={self.n_clusters} must be at least 1")
            if n_samples < self.n_clusters:
                raise DataError(
                    f"{n_samples} customers cannot form {self.n_clusters} segments: lower k or give more customers"
                )
        else:
            if not 2 <= self.k_min <= self.k_max:
                raise ValueError(f"k range {self.k_min}..{self.k_max}: need 2 <= k_min <= k_max")
            if n_samples <= self.k_min:
                raise DataError(
                    f"{n_samples} customers are too few to choose among {self.k_min}..{self.k_max} segments "
                    f"(the silhouette needs more customers than segments): give more customers or set k"
                )

    def fit(self, X: object, y: object = None, *, progress: object = None) -> CustomerSegmenter:
        """Learn the transformation, the number of segments (unless given) and the segments."""
        matrix, names = _as_matrix(X)
        self._check_params(len(matrix))
        seed = 0 if self.random_state is None else int(self.random_state)
        self.feature_names_in_ = np.array(names, dtype=object)
        self.n_features_in_ = matrix.shape[1]
        self.preprocessor_ = LogScaler(self.log_transform).fit(matrix)
        self.log_features_ = [n for n, m in zip(names, self.preprocessor_.log_mask_, strict=True) if m]
        if self.preprocessor_.constant_.any():
            constant = [n for n, c in zip(names, self.preprocessor_.constant_, strict=True) if c]
            warnings.warn(f"features {', '.join(constant)} are constant and cannot separate customers",
                          UserWarning, stacklevel=2)
        Z = self.preprocessor_.transform(matrix)
        self.notes_ = []
        if self.n_clusters is None:
            selection = choose_k(
                Z, range(self.k_min, self.k_max + 1), algorithm=self.algorithm, criterion=self.criterion,
                seed=seed, silhouette_sample=self.silhouette_sample, selection_sample=self.selection_sample,
                progress=progress,
            )
            self.k_selection_ = selection.table
            self.k_choice_ = selection.to_dict()
            k = selection.k
            fitted = selection.fitted[k]
            if len(selection.rows) < len(Z):  # the scan ran on a sample: now fit everyone
                init = fitted.centers if self.algorithm == "kmeans" else None
                fitted = fit_clusters(Z, k, algorithm=self.algorithm, seed=seed, init=init)
                self.notes_.append(f"k chosen on a random sample of {len(selection.rows):,} customers")
        else:
            self.k_selection_ = None
            self.k_choice_ = {"k": int(self.n_clusters), "criterion": "given", "clear": True,
                              "reason": f"k={self.n_clusters} was given", "customers_scanned": 0}
            fitted = fit_clusters(Z, int(self.n_clusters), algorithm=self.algorithm, seed=seed)
        self.notes_.extend(fitted.notes)
        for note in fitted.notes:
            if note.startswith("agglomerative"):
                warnings.warn(note, UserWarning, stacklevel=2)
        self.model_ = fitted
        counts = np.bincount(fitted.labels, minlength=fitted.k)
        order = np.argsort(-counts, kind="stable")  # new segment i = old segment order[i]
        self._relabel = np.empty(fitted.k, dtype=np.int64)
        self._relabel[order] = np.arange(fitted.k)
        self.labels_ = self._relabel[fitted.labels]
        self.cluster_centers_ = fitted.centers[order]
        self.n_clusters_ = int(fitted.k)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this CustomerSegmenter is not fitted yet: call fit(X) first")

    def transform(self, X: object) -> np.ndarray:
        """Features in the model's space: log-transformed where chosen, then standardized."""
        self._check_fitted()
        matrix, _ = _as_matrix(self._align(X))
        return self.preprocessor_.transform(matrix)

    def predict(self, X: object) -> np.ndarray:
        """The segment of each (new) customer."""
        Z = self.transform(X)
        return self._relabel[self.model_.assign(Z)]

    def score(self, X: object, y: object = None) -> float:
        """Mean silhouette of the predicted segments of ``X`` (on a sample of at most ``silhouette_sample``)."""
        Z = self.transform(X)
        labels = self._relabel[self.model_.assign(Z)]
        rows = sample_rows(len(Z), self.silhouette_sample, 0 if self.random_state is None else self.random_state)
        return float(silhouette_scores(Z[rows], [labels[rows]])[0])

    def _align(self, X: object) -> object:
        """Columns of a DataFrame in the order seen in ``fit``; a clear error when some are missing."""
        if isinstance(X, pd.DataFrame):
            names = list(self.feature_names_in_)
            missing = [n for n in names if n not in X.columns]
            if missing:
                raise DataError(f"missing features {', '.join(missing)} (the model was fitted on {', '.join(names)})")
            return X[names]
        array = np.asarray(X)
        if array.ndim != 2 or array.shape[1] != self.n_features_in_:
            raise DataError(f"expected {self.n_features_in_} features per customer, got shape {array.shape}")
        return array
