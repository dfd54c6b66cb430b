"""Save a fitted :class:`~paradigms.unsupervised.estimator.CustomerSegmenter` and load it back.

A saved segmenter is a folder holding one file, ``segmenter.json``: readable by
people, and nothing in it is code. It holds the estimator's parameters, the
features it was fitted on, the log-transform and scaling (which features are
logged, their means and spreads), the clustering that places a customer (the
k-means or agglomerative centres; the mixture's weights, means and covariances),
the segments' numbering by size, the k scan and its choice. Numbers are written as
JSON numbers, which Python reads back bit for bit, so a loaded segmenter puts every
customer in the segment the saved one did.

What is left out is the training data's own: ``labels_`` (the segments of the
customers it was fitted on; a run writes them to ``customer_segments.csv``).

Loading trusts nothing: the file's size is bounded before it is read, every array
must have the shape the rest of the file implies and hold finite numbers, the
parameters pass the settings' checks, and any failure is one line naming the file.
The file is written atomically (:func:`~paradigms.files.write_atomic`), so a crash
never leaves half of one.

This module knows the format, not the estimator's class: the estimator imports it
(``CustomerSegmenter.save`` / ``.load``) and hands its classes to
:func:`load_segmenter`, so the two files never import each other.

>>> import tempfile
>>> from sklearn.datasets import make_blobs
>>> from paradigms.unsupervised import CustomerSegmenter
>>> X, _ = make_blobs(300, n_features=3, centers=3, random_state=0)
>>> segmenter = CustomerSegmenter(n_clusters=3, random_state=0).fit(X)
>>> loaded = CustomerSegmenter.load(segmenter.save(tempfile.mkdtemp()))
>>> bool((loaded.predict(X) == segmenter.predict(X)).all())
True
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
from sklearn.utils.validation import check_is_fitted

from ..errors import ConfigError, DataError
from ..files import to_jsonable, write_atomic
from ..outputs import read_saved_header
from ..untrusted import one_line
from .model import FittedClusters

__all__ = ["FILE", "FORMAT", "VERSION", "load_segmenter", "save_segmenter"]

FORMAT = "learning-paradigms/customer-segmenter"
VERSION = 1
FILE = "segmenter.json"
#: A saved segmenter is kilobytes (k x features numbers); a mixture's covariances are k x features².
MAX_FILE_BYTES = 64 << 20
MAX_FEATURES = 100_000
MAX_SEGMENTS = 10_000

Segmenter = TypeVar("Segmenter")


def save_segmenter(segmenter: Any, path: str | os.PathLike[str]) -> Path:
    """Write ``segmenter`` (fitted) into the folder ``path`` (made if needed); returns the folder."""
    check_is_fitted(segmenter, "model_")
    folder = Path(path).expanduser()
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder}: is a file; give a folder to save the segmenter into")
    scaler, fitted = segmenter.preprocessor_, segmenter.model_
    names = getattr(segmenter, "feature_names_in_", None)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "params": segmenter.get_params(),
        "n_features_in": int(segmenter.n_features_in_),
        "feature_names_in": None if names is None else [str(n) for n in names],
        "scaling": {
            "feature_labels": list(scaler.feature_labels_),
            "log_mask": scaler.log_mask_,
            "mean": scaler.mean_,
            "scale": scaler.scale_,
            "constant": scaler.constant_,
        },
        "clusters": {
            "algorithm": fitted.algorithm,
            "k": int(fitted.k),
            "centers": fitted.centers,
            "notes": list(fitted.notes),
            **_mixture(fitted),
        },
        "relabel": segmenter._relabel,
        "log_features": list(segmenter.log_features_),
        "notes": list(segmenter.notes_),
        "k_choice": segmenter.k_choice_,
        "k_selection": None if segmenter.k_selection_ is None else segmenter.k_selection_.to_dict(orient="list"),
    }
    write_atomic(folder / FILE, json.dumps(to_jsonable(document), indent=1, allow_nan=False))
    return folder


def _mixture(fitted: FittedClusters) -> dict[str, Any]:
    """A Gaussian mixture's parameters: what its ``predict`` reads."""
    if fitted.algorithm != "gmm":
        return {}
    model = fitted.model
    return {"weights": model.weights_, "means": model.means_, "covariances": model.covariances_,
            "precisions_cholesky": model.precisions_cholesky_}


def load_segmenter(
    make: Callable[..., Segmenter], make_scaler: Callable[..., Any], path: str | os.PathLike[str]
) -> Segmenter:
    """Read a folder (or its ``segmenter.json``) written by :func:`save_segmenter` into a fitted segmenter.

    ``make(**params)`` builds the unfitted estimator from its saved parameters and
    ``make_scaler(log_transform)`` its log-and-scale step (``CustomerSegmenter.load``
    passes its classes); their learned attributes are then restored, each checked.
    Every failure is a one-line error that names the file.
    """
    folder = Path(path).expanduser()
    if folder.name == FILE and not folder.is_dir():
        folder = folder.parent
    file = folder / FILE
    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such folder; give the folder a segmenter was saved into")
    if not file.exists() and not file.is_symlink():
        raise ConfigError(f"{file}: no such file; is {folder} a folder written by CustomerSegmenter.save?")
    document = read_saved_header(file, file_format=FORMAT, version=VERSION, what="CustomerSegmenter",
                                 max_bytes=MAX_FILE_BYTES)
    try:
        segmenter: Any = make(**document["params"])
        settings, _ = segmenter._checked_settings()  # the parameters pass the settings' checks (else a ConfigError)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # rebuilding the k-means may warn about its one-point clusters
            _restore(segmenter, make_scaler(settings.log_transform), document)
    except ConfigError as exc:
        raise DataError(f"{file}: its parameters are refused ({exc})") from None
    except (KeyError, TypeError, ValueError, OverflowError, AttributeError) as exc:
        reason = f"missing {exc}" if isinstance(exc, KeyError) else one_line(exc)
        raise DataError(f"{file}: incomplete or invalid ({reason})") from None
    return segmenter


def _array(value: Any, name: str, shape: tuple[int, ...], kind: str = "f") -> np.ndarray:
    """``value`` as an array of ``shape``: finite numbers (``kind`` "f"), whole numbers ("i") or booleans ("b")."""
    if kind == "b":
        if not isinstance(value, list) or not all(isinstance(v, bool) for v in value):
            raise ValueError(f"{name} must be a list of true/false")
        array = np.asarray(value, dtype=bool)
    else:
        array = np.asarray(value, dtype=np.int64 if kind == "i" else np.float64)
        if not np.isfinite(array).all():
            raise ValueError(f"{name} holds missing, NaN or infinite values")
    if array.shape != shape:
        raise ValueError(f"{name} has shape {array.shape}, expected {shape}")
    return array


def _count(value: Any, name: str, largest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= largest:
        raise ValueError(f"{name} = {value!r:.40} must be a whole number from 1 to {largest:,}")
    return value


def _restore(segmenter: Any, scaler: Any, document: dict[str, Any]) -> None:
    """Set the fitted attributes of ``segmenter`` from ``document``, every size and number checked first."""
    d = _count(document["n_features_in"], "n_features_in", MAX_FEATURES)
    clusters = document["clusters"]
    k = _count(clusters["k"], "clusters.k", MAX_SEGMENTS)
    algorithm = clusters["algorithm"]
    if algorithm != segmenter.algorithm:
        raise ValueError(f"clusters.algorithm {algorithm!r:.40} is not the parameters' {segmenter.algorithm!r}")
    names = document.get("feature_names_in")
    if names is not None and (len(names) != d or not all(isinstance(n, str) for n in names)):
        raise ValueError(f"feature_names_in must be {d} names")
    scaling = document["scaling"]
    labels = scaling["feature_labels"]
    if len(labels) != d or not all(isinstance(n, str) for n in labels):
        raise ValueError(f"scaling.feature_labels must be {d} names")
    scale = _array(scaling["scale"], "scaling.scale", (d,))
    if (scale <= 0).any():
        raise ValueError("scaling.scale must be positive: the features cannot be scaled by it")
    relabel = _array(document["relabel"], "relabel", (k,), "i")
    if sorted(relabel.tolist()) != list(range(k)):
        raise ValueError(f"relabel must number the {k} segments 0..{k - 1}, each once")
    centers = _array(clusters["centers"], "clusters.centers", (k, d))

    scaler.n_features_in_ = d
    scaler.feature_labels_ = labels
    scaler.log_mask_ = _array(scaling["log_mask"], "scaling.log_mask", (d,), "b")
    scaler.mean_ = _array(scaling["mean"], "scaling.mean", (d,))
    scaler.scale_ = scale
    scaler.constant_ = _array(scaling["constant"], "scaling.constant", (d,), "b")

    if names is not None:
        segmenter.feature_names_in_ = np.asarray(names, dtype=object)
    segmenter.n_features_in_ = d
    segmenter.preprocessor_ = scaler
    segmenter.log_features_ = [str(n) for n in document["log_features"]]
    segmenter.notes_ = [str(n) for n in document["notes"]]
    segmenter.k_choice_ = dict(document["k_choice"])
    selection = document.get("k_selection")
    segmenter.k_selection_ = None if selection is None else pd.DataFrame(dict(selection)).apply(pd.to_numeric)
    segmenter.model_ = FittedClusters(algorithm, k, _clustering(algorithm, clusters, centers, k, d),
                                      np.empty(0, dtype=np.int64), centers, [str(n) for n in clusters["notes"]])
    segmenter._relabel = relabel
    order = np.argsort(relabel, kind="stable")  # segment i (by size) = the clustering's cluster order[i]
    segmenter.cluster_centers_ = centers[order]
    segmenter.n_clusters_ = k


def _clustering(algorithm: str, clusters: dict[str, Any], centers: np.ndarray, k: int, d: int) -> Any:
    """The fitted model whose rule places new customers (``FittedClusters.assign``): k-means and the
    mixture predict as scikit-learn's own do; agglomerative clustering places by the nearest centre."""
    if algorithm == "kmeans":
        # A KMeans fitted on its own centres, started there (each centre its own cluster), then given the
        # saved centres exactly: its predict is scikit-learn's, with nothing of it unpickled.
        model = KMeans(k, init=centers, n_init=1, max_iter=1).fit(centers)
        model.cluster_centers_ = centers
        return model
    if algorithm == "gmm":
        weights = _array(clusters["weights"], "clusters.weights", (k,))
        if (weights <= 0).any() or not np.isclose(weights.sum(), 1.0):
            raise ValueError("clusters.weights must be positive and sum to 1")
        model = GaussianMixture(k, covariance_type="full")
        model.weights_ = weights
        model.means_ = _array(clusters["means"], "clusters.means", (k, d))
        model.covariances_ = _array(clusters["covariances"], "clusters.covariances", (k, d, d))
        cholesky = _array(clusters["precisions_cholesky"], "clusters.precisions_cholesky", (k, d, d))
        if not (np.diagonal(cholesky, axis1=1, axis2=2) > 0).all():
            raise ValueError("clusters.precisions_cholesky must have a positive diagonal")
        model.precisions_cholesky_ = cholesky
        model.precisions_ = cholesky @ np.transpose(cholesky, (0, 2, 1))
        model.converged_, model.n_iter_, model.n_features_in_ = True, 0, d
        return model
    if algorithm == "agglomerative":
        return None  # its customers join the nearest centre (FittedClusters.assign)
    raise ValueError(f"clusters.algorithm {algorithm!r:.40} is none of kmeans, gmm, agglomerative")
