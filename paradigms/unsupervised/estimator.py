"""``CustomerSegmenter``: customer segmentation as one scikit-learn estimator.

It takes per-customer features (a DataFrame or an array), and learns, in
order: which skewed features to log-transform, how to scale them, how many
segments there are (unless told), and the segments. All of that is part of the
fitted model, so :meth:`CustomerSegmenter.predict` places *new* customers in
the same space and the same segments. Segments are numbered by size, 0 the largest.
Its parameters' defaults and constraints are those of
:class:`~.settings.UnsupervisedSettings` (``n_clusters`` is the setting ``k``).
It passes scikit-learn's own estimator checks (``tests/unsupervised``). Like
KMeans it accepts ``n_clusters=1`` (everyone in one segment, whose silhouette is
undefined); a run of the paradigm refuses ``k = 1`` for that reason.

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
``n_features_in_``, ``feature_names_in_`` (fitted on a DataFrame with text column
names), ``log_features_`` (features log-transformed), ``preprocessor_`` (log +
scaling), ``n_clusters_``, ``labels_``, ``cluster_centers_`` (in the scaled space),
``model_`` (the fitted clustering), ``k_selection_`` (a DataFrame, one row per k
tried; ``None`` when k was given), ``k_choice_`` (the chosen k, the criterion,
whether it was clear, why), ``notes_``.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..errors import ConfigError, DataError
from ..parameters import ParameterMap
from .model import choose_k, fit_clusters, silhouette_scores
from .persistence import load_segmenter, save_segmenter
from .sampling import sample_rows
from .settings import DEFAULTS, UnsupervisedSettings

#: A feature whose skewness exceeds this (and which is never negative) is log-transformed by default.
SKEW_THRESHOLD = 1.0
#: ``log_transform`` as a bool, in the settings' words.
_LOG_WORDS = {True: "all", False: "none"}
#: The settings that are the estimator's parameters (``k`` is its ``n_clusters``).
MODEL: ParameterMap[UnsupervisedSettings] = ParameterMap(
    UnsupervisedSettings,
    ("k", "algorithm", "k_min", "k_max", "criterion", "log_transform", "silhouette_sample", "selection_sample"),
    renames={"k": "n_clusters"},
)
#: Setting name -> parameter name, for the settings that are the estimator's parameters.
PARAMETER_OF_SETTING = MODEL.parameter_of


def _log_word(value: str | bool) -> str:
    """``log_transform`` in the settings' words: True is ``"all"``, False ``"none"``."""
    return _LOG_WORDS[value] if isinstance(value, (bool, np.bool_)) else value


def _numeric_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns as numbers, or a DataError naming the column that is text, empty or incomplete."""
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            converted = pd.to_numeric(values, errors="coerce")
            bad = converted.isna() & values.notna()
            if bad.any():
                raise DataError(f"feature {column!r} is not numeric (e.g. {values[bad].iloc[0]!r})")
            frame = frame.assign(**{str(column): converted})
    finite = np.isfinite(frame.to_numpy(dtype=np.float64))
    if not finite.all():
        column = frame.columns[np.flatnonzero(~finite.all(axis=0))[0]]
        if frame[column].isna().all():
            raise DataError(f"feature {column!r} has no values (all missing)")
        raise DataError(f"feature {column!r} has missing or infinite values: drop or fill those customers first")
    return frame


class LogScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Log-transform skewed non-negative features (``log1p``), then standardize all.

    ``log_transform``: ``"auto"`` (features never negative whose skewness
    exceeds :data:`SKEW_THRESHOLD`), ``"all"`` or True (all never-negative
    features), ``"none"`` or False (none). Values too large to scale (near
    1e308, whose spread overflows) are a one-line DataError naming the feature
    (``feature_names`` in :meth:`fit`, the DataFrame's, or ``x0``, ``x1``, ...).
    """

    def __init__(self, log_transform: str | bool = DEFAULTS.log_transform) -> None:
        self.log_transform = log_transform

    def fit(self, X: Any, y: object = None, *, feature_names: list[str] | None = None) -> LogScaler:
        X = validate_data(self, X, dtype=np.float64)
        self.feature_labels_ = [str(n) for n in (
            feature_names if feature_names is not None
            else getattr(self, "feature_names_in_", [f"x{j}" for j in range(X.shape[1])])
        )]
        nonnegative = (X >= 0).all(axis=0)
        word = _log_word(self.log_transform)
        if word == "auto":
            with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # an overflow means: very skewed
                centred = X - X.mean(axis=0)
                std = X.std(axis=0)
                skew = np.where(std > 0, (centred**3).mean(axis=0) / std**3, 0.0)
            self.log_mask_ = nonnegative & (skew > SKEW_THRESHOLD)
        elif word == "all":
            self.log_mask_ = nonnegative
        elif word == "none":
            self.log_mask_ = np.zeros(X.shape[1], dtype=bool)
        else:
            raise ConfigError(f"log_transform = {self.log_transform!r}: use 'auto', 'all' (True) or 'none' (False)")
        logged = self._log(X)
        with np.errstate(over="ignore", invalid="ignore"):
            self.mean_ = logged.mean(axis=0)
            scale = logged.std(axis=0)
        self._check_finite(np.vstack([self.mean_, scale]), X)
        self.constant_ = scale == 0
        self.scale_ = np.where(self.constant_, 1.0, scale)
        return self

    def _log(self, X: np.ndarray) -> np.ndarray:
        out = np.array(X, dtype=np.float64, copy=True)
        out[:, self.log_mask_] = np.log1p(np.maximum(out[:, self.log_mask_], 0.0))
        return out

    def transform(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        with np.errstate(over="ignore", invalid="ignore"):
            Z = (self._log(X) - self.mean_) / self.scale_
        self._check_finite(Z, X)
        return Z

    def _check_finite(self, values: np.ndarray, X: np.ndarray) -> None:
        """A DataError naming the first feature whose scaling overflowed (values near 1e308)."""
        bad = ~np.isfinite(values).all(axis=0)
        if bad.any():
            j = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"feature {self.feature_labels_[j]!r} has values too large to scale (up to "
                f"{np.abs(X[:, j]).max():.3g}); rescale it first, e.g. to thousands"
            )

    def inverse_transform(self, Z: Any) -> np.ndarray:
        check_is_fitted(self)
        out = validate_data(self, Z, dtype=np.float64, reset=False) * self.scale_ + self.mean_
        out[:, self.log_mask_] = np.expm1(out[:, self.log_mask_])
        return out


class CustomerSegmenter(ClusterMixin, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Segment customers by behaviour; see the module docstring.

    Parameters
    ----------
    Defaults and allowed values are those of :class:`~.settings.UnsupervisedSettings`.

    n_clusters : int or None
        The number of segments (the setting ``k``); ``None`` chooses it from
        ``k_min .. k_max`` by ``criterion``.
    algorithm : ``"kmeans"``, ``"gmm"`` or ``"agglomerative"``.
    criterion : ``"silhouette"``, ``"calinski_harabasz"``, ``"davies_bouldin"`` or ``"bic"`` (mixture only).
    log_transform : ``"auto"``, ``"all"`` (or True) or ``"none"`` (or False); see :class:`LogScaler`.
    silhouette_sample, selection_sample : sample sizes that bound the work on large data.
    random_state : int; the same value gives the same segments.
    """

    def __init__(
        self,
        n_clusters: int | None = DEFAULTS.k,
        *,
        algorithm: str = DEFAULTS.algorithm,
        k_min: int = DEFAULTS.k_min,
        k_max: int = DEFAULTS.k_max,
        criterion: str = DEFAULTS.criterion,
        log_transform: str | bool = DEFAULTS.log_transform,
        silhouette_sample: int = DEFAULTS.silhouette_sample,
        selection_sample: int = DEFAULTS.selection_sample,
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

    @classmethod
    def from_settings(
        cls, settings: UnsupervisedSettings, *, random_state: int | None = 0, **changes: Any
    ) -> CustomerSegmenter:
        """The segmenter ``settings`` describe; ``changes`` replace some parameters (e.g. ``n_clusters``)."""
        segmenter = cls(**{**MODEL.from_settings(settings), **changes}, random_state=random_state)
        MODEL.remember(segmenter, settings)
        return segmenter

    def _checked_settings(self) -> tuple[UnsupervisedSettings, int | None]:
        """The parameters, checked by the one place that knows their constraints, and k.

        ``n_clusters=1`` is the one value the estimator allows beyond the settings
        (scikit-learn's conventions, and its checks, expect a single cluster to fit);
        a run refuses it, since P, the silhouette, needs two segments."""
        single = isinstance(self.n_clusters, (int, np.integer)) and self.n_clusters == 1
        replaced: dict[str, Any] = {"log_transform": _log_word(self.log_transform)}
        if single:
            replaced["n_clusters"] = None
        try:
            settings = MODEL.settings_of(self, **replaced)
        except ConfigError as exc:
            raise ConfigError(f"CustomerSegmenter: {exc}") from None  # (its setting k is n_clusters here)
        return settings, 1 if single else settings.k

    def _validate(self, X: Any, *, reset: bool) -> np.ndarray:
        """``X`` as a float matrix, through scikit-learn's checks (shape, feature count and
        names, sparse, complex); a DataFrame's text or missing values first get an error
        naming the column, and its columns are matched to ``fit``'s by name."""
        if isinstance(X, pd.DataFrame):
            X = _numeric_frame(X if reset else self._align(X))
        return validate_data(self, X, reset=reset, dtype=np.float64, ensure_min_samples=2 if reset else 1)

    def _align(self, X: pd.DataFrame) -> pd.DataFrame:
        """The columns of ``fit``, in its order, found by name; a DataError names the missing ones."""
        names = list(getattr(self, "feature_names_in_", ()))
        if not names or list(X.columns) == names:
            return X
        missing = [n for n in names if n not in X.columns]
        if missing:
            raise DataError(f"missing features {', '.join(missing)} (the model was fitted on {', '.join(names)})")
        return X[names]

    def fit(self, X: Any, y: object = None, *, progress: object = None) -> CustomerSegmenter:
        """Learn the transformation, the number of segments (unless given) and the segments."""
        params, k = self._checked_settings()
        matrix = self._validate(X, reset=True)
        self._check_size(len(matrix), k, params)
        seed = 0 if self.random_state is None else int(self.random_state)
        names = [str(n) for n in getattr(self, "feature_names_in_", [f"x{i}" for i in range(matrix.shape[1])])]
        self.preprocessor_ = LogScaler(params.log_transform).fit(matrix, feature_names=names)
        self.log_features_ = [n for n, m in zip(names, self.preprocessor_.log_mask_, strict=True) if m]
        if self.preprocessor_.constant_.all():
            raise DataError(f"every feature is constant ({', '.join(names[:5])}{', ...' if len(names) > 5 else ''}): "
                            "the customers cannot be told apart, so there is nothing to segment")
        if self.preprocessor_.constant_.any():
            constant = [n for n, c in zip(names, self.preprocessor_.constant_, strict=True) if c]
            warnings.warn(f"features {', '.join(constant)} are constant and cannot separate customers",
                          UserWarning, stacklevel=2)
        Z = self.preprocessor_.transform(matrix)
        self.notes_ = []
        if k is None:
            selection = choose_k(
                Z, range(params.k_min, params.k_max + 1), algorithm=params.algorithm, criterion=params.criterion,
                seed=seed, silhouette_sample=params.silhouette_sample, selection_sample=params.selection_sample,
                progress=progress,
            )
            self.k_selection_: pd.DataFrame | None = selection.table
            self.k_choice_ = selection.to_dict()
            fitted = selection.fitted[selection.k]
            if len(selection.rows) < len(Z):  # the scan ran on a sample: now fit everyone
                init = fitted.centers if params.algorithm == "kmeans" else None
                fitted = fit_clusters(Z, selection.k, algorithm=params.algorithm, seed=seed, init=init,
                                      selection_sample=params.selection_sample)
                self.notes_.append(f"k chosen on a random sample of {len(selection.rows):,} customers")
        else:
            self.k_selection_ = None
            self.k_choice_ = {"k": k, "criterion": "given", "clear": True,
                              "reason": f"k={k} was given", "customers_scanned": 0}
            fitted = fit_clusters(Z, k, algorithm=params.algorithm, seed=seed,
                                  selection_sample=params.selection_sample)
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

    @staticmethod
    def _check_size(n_samples: int, k: int | None, params: UnsupervisedSettings) -> None:
        """Enough customers for the segments asked for (the data's side of the constraints)."""
        if k is not None and n_samples < k:
            raise DataError(f"{n_samples} customers cannot form {k} segments: lower k or give more customers")
        if k is None and n_samples <= params.k_min:
            raise DataError(
                f"{n_samples} customers are too few to choose among {params.k_min}..{params.k_max} segments "
                f"(the silhouette needs more customers than segments): give more customers or set k"
            )

    def _scaled(self, X: Any) -> np.ndarray:
        """``X`` in the model's space, always an array (``transform`` may be set to give pandas)."""
        check_is_fitted(self)
        return self.preprocessor_.transform(self._validate(X, reset=False))

    def _segments(self, Z: np.ndarray) -> np.ndarray:
        """The segment of each row of the model's space, numbered by size."""
        return self._relabel[self.model_.assign(Z)]

    def transform(self, X: Any) -> np.ndarray:
        """Features in the model's space: log-transformed where chosen, then standardized."""
        return self._scaled(X)

    def predict(self, X: Any) -> np.ndarray:
        """The segment of each (new) customer."""
        return self._segments(self._scaled(X))

    def score(self, X: Any, y: object = None) -> float:
        """Mean silhouette of the predicted segments of ``X`` (on a sample of at most ``silhouette_sample``)."""
        Z = self._scaled(X)
        rows = sample_rows(len(Z), self.silhouette_sample, 0 if self.random_state is None else self.random_state)
        return float(silhouette_scores(Z[rows], [self._segments(Z[rows])])[0])

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the fitted segmenter into the folder ``path`` (``segmenter.json``, no pickle; see
        :mod:`.persistence`); returns the folder."""
        return save_segmenter(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> CustomerSegmenter:
        """A fitted segmenter read from a folder written by :meth:`save`; a damaged or foreign file is a
        one-line error naming it."""
        return load_segmenter(cls, LogScaler, path)
