"""One run of the unsupervised paradigm, from a file (or the generator) to an Evaluation.

The steps, each timed:

1. **data**: generate a log and write it as CSV (without ``--data``), then read
   the file, clean it and compute per-customer features (:func:`~.features.load_customers`);
2. **fit**: :class:`~.estimator.CustomerSegmenter` (log + scaling, choice of k, clustering);
3. **curve**: P against E: the same model fitted on the first 50, 100, ... customers
   (a random order), every customer assigned, the silhouette measured in the
   full model's space on one fixed sample, so the points compare;
4. **evaluate**: silhouette, ARI / NMI against known groups, Calinski-Harabasz,
   Davies-Bouldin, inertia, profiles, a 2-D projection for the plot; files
   ``customer_segments.csv`` and ``segment_profiles.csv`` when ``output_dir`` is set.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..evaluation import DatasetInfo, Evaluation, Measure, write_atomic
from ..progress import Progress
from ..seeding import numpy_rng
from .clustering import partition_scores, sample_rows, silhouette_scores
from .estimator import CustomerSegmenter
from .features import CustomerData, load_customers
from .paradigm import EXPERIENCE, TASK, UnsupervisedSettings
from .profiles import segment_profiles

SEGMENTS_FILE = "customer_segments.csv"
PROFILES_FILE = "segment_profiles.csv"
GENERATED_FILE = "generated_transactions.csv"
PERSONAS_FILE = "generated_personas.csv"
#: Customers shown in the projection plot (and stored in the JSON).
PROJECTION_POINTS = 2000


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _load(settings: UnsupervisedSettings, seed: int, folder: Path, progress: Progress) -> tuple[CustomerData, pd.Series | None, DatasetInfo, dict[str, float]]:
    """Per-customer features, the known groups (if any), the dataset description, timings."""
    timings: dict[str, float] = {}
    truth = None
    if settings.data is None:
        from .generator import PERSONAS, generate_transactions

        start = time.perf_counter()
        progress.note(f"generating a transaction log of {settings.customers:,} customers")
        log = generate_transactions(settings.customers, seed=seed)
        path = log.write(folder / GENERATED_FILE)
        if settings.output_dir is not None:
            write_atomic(folder / PERSONAS_FILE, log.personas.to_csv(index=False))
        timings["generate_seconds"] = time.perf_counter() - start
        personas = log.personas.set_index("customer_id")["persona"]
        name = f"generated online-retail log ({len(PERSONAS)} hidden personas)"
        source = f"paradigms.unsupervised.generator, seed {seed}, {settings.customers:,} customers, read back from CSV"
    else:
        path = Path(settings.data).expanduser()
        name, source, personas = path.name, str(path), None
    start = time.perf_counter()
    data = load_customers(
        path, kind=settings.kind, columns=settings.columns, date_format=settings.date_format,
        id_column=settings.id_column, label_column=settings.label_column, features=settings.feature_list(),
    )
    timings["read_features_seconds"] = time.perf_counter() - start
    if settings.data is None and settings.output_dir is None:  # a temporary file: name it, not its folder
        data = replace(data, quality=replace(data.quality, source=f"{GENERATED_FILE} (temporary)"))
    if settings.label_column:
        truth = data.labels
    elif personas is not None:
        truth = personas.reindex(data.features.index)
    quality = data.quality
    dataset = DatasetInfo(
        name=name,
        source=source,
        sizes={"rows_read": quality.rows_read, "rows_used": quality.rows_used, "customers": data.n_customers,
               "features": data.features.shape[1]},
        checksums={path.name: sha256_of(path)} if path.stat().st_size < (4 << 30) else {},
        notes=f"{quality.kind}; " + "; ".join(
            f"{i.name}: {i.rows:,}" for i in quality.issues if i.rows
        ),
    )
    return data, truth, dataset, timings


def _curve(
    settings: UnsupervisedSettings, seed: int, features: pd.DataFrame, final: CustomerSegmenter,
    Z: np.ndarray, evaluation_rows: np.ndarray, truth: pd.Series | None, progress: Progress,
) -> pd.DataFrame:
    """Silhouette (and ARI / NMI) of the model fitted on more and more customers."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

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
                    model = CustomerSegmenter(
                        n_clusters=min(k, int(size)), algorithm=settings.algorithm, log_transform=_log_option(settings),
                        random_state=seed,
                    ).fit(features.iloc[np.sort(order[:size])])
                predictions.append(model.predict(features))
            bar.update(1)
    silhouettes = silhouette_scores(Z[evaluation_rows], [p[evaluation_rows] for p in predictions])
    curve = pd.DataFrame({"experience": sizes, "performance": silhouettes})
    if truth is not None:
        known = truth.notna().to_numpy()
        curve["adjusted_rand_index"] = [adjusted_rand_score(truth[known], p[known]) for p in predictions]
        curve["normalized_mutual_info"] = [normalized_mutual_info_score(truth[known], p[known]) for p in predictions]
    return curve


def _log_option(settings: UnsupervisedSettings) -> str | bool:
    return {"auto": "auto", "all": True, "none": False}[settings.log_transform]


def _projection(Z: np.ndarray, labels: np.ndarray, truth: pd.Series | None, seed: int) -> dict[str, Any]:
    """2-D PCA coordinates of at most :data:`PROJECTION_POINTS` customers, rounded for a small JSON."""
    rows = sample_rows(len(Z), PROJECTION_POINTS, seed, stream=9)
    centred = Z - Z.mean(axis=0)
    _, singular, vt = np.linalg.svd(centred[sample_rows(len(Z), 50_000, seed, stream=10)], full_matrices=False)
    components = vt[:2] if vt.shape[0] >= 2 else np.vstack([vt, np.zeros_like(vt)])[:2]
    xy = centred[rows] @ components.T
    variance = singular**2 / max((singular**2).sum(), 1e-12)
    projection = {
        "x": np.round(xy[:, 0], 4), "y": np.round(xy[:, 1], 4), "segment": labels[rows],
        "explained_variance": [float(v) for v in variance[:2]],
    }
    if truth is not None:
        projection["truth"] = [None if pd.isna(v) else str(v) for v in truth.iloc[rows]]
    return projection


def run_segmentation(settings: UnsupervisedSettings, seed: int, progress: Progress) -> Evaluation:
    """See the module docstring."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    with tempfile.TemporaryDirectory(prefix="paradigms-customers-") as scratch:
        folder = Path(settings.output_dir) if settings.output_dir is not None else Path(scratch)
        data, truth, dataset, timings = _load(settings, seed, folder, progress)
    features = data.features
    if settings.k is not None and len(features) < settings.k:
        raise DataError(f"{len(features)} customers cannot form {settings.k} segments: lower --k or give more customers")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        segmenter = CustomerSegmenter(
            n_clusters=settings.k, algorithm=settings.algorithm, k_min=settings.k_min,
            k_max=min(settings.k_max, max(settings.k_min, len(features) - 1)), criterion=settings.criterion,
            log_transform=_log_option(settings), silhouette_sample=settings.silhouette_sample, random_state=seed,
        ).fit(features, progress=progress)
        timings["fit_seconds"] = time.perf_counter() - start
    for warning in caught:  # show them, and keep them in the result
        warnings.warn(str(warning.message), warning.category, stacklevel=2)
    labels = segmenter.labels_
    Z = segmenter.transform(features)
    evaluation_rows = sample_rows(len(Z), settings.silhouette_sample, seed, stream=8)

    start = time.perf_counter()
    curve = _curve(settings, seed, features, segmenter, Z, evaluation_rows, truth, progress)
    timings["curve_seconds"] = time.perf_counter() - start

    start = time.perf_counter()
    silhouette = float(curve["performance"].iloc[-1])
    random_labels = numpy_rng(seed, 12).integers(0, segmenter.n_clusters_, len(evaluation_rows))
    metrics: dict[str, Any] = {
        "silhouette": silhouette,
        "silhouette_random_labels": float(silhouette_scores(Z[evaluation_rows], [random_labels])[0]),
        "silhouette_customers": len(evaluation_rows),
        "n_segments": segmenter.n_clusters_,
        **partition_scores(Z, labels),
        "segment_sizes": np.bincount(labels).tolist(),
        "k_choice": segmenter.k_choice_,
        "k_selection": segmenter.k_selection_,
        "features": list(features.columns),
        "log_features": segmenter.log_features_,
        "data_quality": data.quality.to_dict(),
        "notes": list(segmenter.notes_),
        "warnings": [str(w.message) for w in caught],
    }
    if truth is not None:
        known = truth.notna().to_numpy()
        metrics["adjusted_rand_index"] = float(adjusted_rand_score(truth[known], labels[known]))
        metrics["normalized_mutual_info"] = float(normalized_mutual_info_score(truth[known], labels[known]))
        metrics["known_groups"] = int(truth[known].nunique())
        metrics["known_groups_source"] = settings.label_column or "generator personas"
        table = pd.crosstab(truth[known].to_numpy(), labels[known])
        table.index.name = "known group"
        table.columns = [f"segment {c}" for c in table.columns]
        metrics["contingency"] = table.reset_index()
    profiles, z = segment_profiles(features, Z, labels)
    metrics["profiles"] = profiles
    metrics["profile_z"] = {"features": list(z.columns), "z": np.round(z.to_numpy(), 4)}
    metrics["projection"] = _projection(Z, labels, truth, seed)
    timings["evaluate_seconds"] = time.perf_counter() - start

    if settings.output_dir is not None:
        out = Path(settings.output_dir)
        segments = pd.DataFrame({"customer_id": features.index.astype(str), "segment": labels})
        write_atomic(out / SEGMENTS_FILE, segments.to_csv(index=False))
        write_atomic(out / PROFILES_FILE, profiles.to_csv(index=False, float_format="%.6g"))
        metrics["files"] = [str(out / SEGMENTS_FILE), str(out / PROFILES_FILE)]

    return Evaluation(
        paradigm="unsupervised",
        task=TASK,
        experience=EXPERIENCE,
        measure=Measure(
            name="silhouette", value=silhouette, baseline=0.0, best=1.0,
            curve_label=f"silhouette on {len(evaluation_rows):,} customers, model fitted on the customers seen",
        ),
        curve=curve,
        dataset=dataset,
        seed=seed,
        metrics=metrics,
        config=settings.to_dict(),
        timings=timings,
    )
