"""The unsupervised paradigm: one run, from a file (or the generator) to an Evaluation.

The steps, each timed:

1. **data** (:mod:`.data`): generate a log and write it as CSV (without
   ``--data``), then read the file, clean it and compute per-customer features;
2. **fit** (:mod:`.training`): :class:`~.estimator.CustomerSegmenter` from the
   settings (log + scaling, choice of k, clustering);
3. **curve** (:mod:`.training`): P against E, the model fitted on more and more customers;
4. **evaluate**: silhouette (the curve's last point) beside random labels', ARI /
   NMI against known groups, Calinski-Harabasz, Davies-Bouldin, inertia; the
   figures' raw material (profiles, their z-scores, the k scan, a 2-D projection);
   files ``customer_segments.csv`` and ``segment_profiles.csv`` when ``output_dir`` is set.

The paradigm registers itself as ``unsupervised`` (``paradigms run unsupervised``);
its settings and T/P/E live in :mod:`.settings`.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..evaluation import Evaluation, Measure, write_atomic
from ..progress import Progress
from ..registry import ParadigmSpec, register
from .data import load_run_data
from .plots import figures
from .profiles import segment_profiles
from .sampling import sample_rows
from .settings import DESCRIPTION, EXPERIENCE, FEEDBACK, MEASURE, TASK, UnsupervisedSettings

SEGMENTS_FILE = "customer_segments.csv"
PROFILES_FILE = "segment_profiles.csv"
#: Customers shown in the projection plot (and stored in the JSON).
PROJECTION_POINTS = 2000
#: Customers the projection's principal components are computed from.
PROJECTION_FIT_POINTS = 50_000


def run(settings: UnsupervisedSettings, seed: int, progress: Progress) -> Evaluation:
    """Run the paradigm to an :class:`~paradigms.evaluation.Evaluation`; see the module docstring."""
    # scikit-learn (and SciPy) load on the first run, not when `paradigms list` or `--help` read the settings
    from .training import final_scores, fit_segmenter, learning_curve

    with tempfile.TemporaryDirectory(prefix="paradigms-customers-") as scratch:
        folder = Path(settings.output_dir) if settings.output_dir is not None else Path(scratch)
        loaded = load_run_data(settings, seed, folder, progress)
    features, truth, timings = loaded.customers.features, loaded.truth, dict(loaded.timings)

    fit = fit_segmenter(settings, features, seed, progress)
    timings["fit_seconds"] = fit.seconds
    segmenter = fit.segmenter
    labels = segmenter.labels_
    Z = segmenter.transform(features)
    evaluation_rows = sample_rows(len(Z), settings.silhouette_sample, seed, stream=8)

    start = time.perf_counter()
    curve = learning_curve(settings, seed, features, segmenter, Z, evaluation_rows, truth, progress)
    timings["curve_seconds"] = time.perf_counter() - start

    start = time.perf_counter()
    final = curve.iloc[-1]  # the model fitted on every customer
    scores = final_scores(Z, labels, segmenter.n_clusters_, evaluation_rows, truth, seed)
    metrics: dict[str, Any] = {
        "silhouette": float(final["performance"]),
        "silhouette_random_labels": scores.pop("silhouette_random_labels"),
        "silhouette_customers": len(evaluation_rows),
        "n_segments": segmenter.n_clusters_,
        "calinski_harabasz": scores.pop("calinski_harabasz"),
        "davies_bouldin": scores.pop("davies_bouldin"),
        "inertia": scores.pop("inertia"),
        "segment_sizes": np.bincount(labels, minlength=segmenter.n_clusters_).tolist(),
        "k_choice": segmenter.k_choice_,
        "features": list(features.columns),
        "log_features": segmenter.log_features_,
        "data_quality": loaded.customers.quality.to_dict(),
        "notes": list(segmenter.notes_),
        "warnings": fit.warnings,
    }
    if truth is not None:
        metrics["adjusted_rand_index"] = float(final["adjusted_rand_index"])
        metrics["normalized_mutual_info"] = float(final["normalized_mutual_info"])
        metrics["known_groups"] = scores.pop("known_groups")
        metrics["known_groups_source"] = loaded.truth_source
        metrics["contingency"] = scores.pop("contingency")
    profiles, z = segment_profiles(features, Z, labels)
    figure_data: dict[str, Any] = {
        "profiles": profiles,
        "profile_z": {"features": list(z.columns), "z": np.round(z.to_numpy(), 4)},
        "projection": projection(Z, labels, truth, seed),
    }
    if segmenter.k_selection_ is not None:
        figure_data["k_selection"] = segmenter.k_selection_
    timings["evaluate_seconds"] = time.perf_counter() - start

    if settings.output_dir is not None:
        out = Path(settings.output_dir)
        segments = pd.DataFrame({"customer_id": features.index.astype(str), "segment": labels})
        write_atomic(out / SEGMENTS_FILE, segments.to_csv(index=False))
        write_atomic(out / PROFILES_FILE, profiles.to_csv(index=False, float_format="%.6g"))
        metrics["files"] = [str(out / SEGMENTS_FILE), str(out / PROFILES_FILE)]

    return Evaluation(
        paradigm=SPEC.name,
        task=TASK,
        experience=EXPERIENCE,
        measure=Measure(
            name="silhouette", value=metrics["silhouette"], baseline=0.0, best=1.0,
            curve_label=f"silhouette on {len(evaluation_rows):,} customers, model fitted on the customers seen",
        ),
        curve=curve,
        dataset=loaded.dataset,
        seed=seed,
        metrics=metrics,
        config=settings.to_dict(),
        timings=timings,
        figure_data=figure_data,
    )


def projection(Z: np.ndarray, labels: np.ndarray, truth: pd.Series | None, seed: int) -> dict[str, Any]:
    """2-D PCA coordinates of at most :data:`PROJECTION_POINTS` customers, rounded for a small JSON.

    ``Z`` is the model's space, already centred by its scaling, so its principal
    axes are the right singular vectors of (a sample of) ``Z`` itself."""
    rows = sample_rows(len(Z), PROJECTION_POINTS, seed, stream=9)
    _, singular, vt = np.linalg.svd(Z[sample_rows(len(Z), PROJECTION_FIT_POINTS, seed, stream=10)], full_matrices=False)
    components = vt[:2] if vt.shape[0] >= 2 else np.vstack([vt, np.zeros_like(vt)])[:2]
    xy = Z[rows] @ components.T
    variance = singular**2 / max((singular**2).sum(), 1e-12)
    points = {
        "x": np.round(xy[:, 0], 4), "y": np.round(xy[:, 1], 4), "segment": labels[rows],
        "explained_variance": [float(v) for v in variance[:2]],
    }
    if truth is not None:
        points["truth"] = [None if pd.isna(v) else str(v) for v in truth.iloc[rows]]
    return points


SPEC = register(
    ParadigmSpec(
        name="unsupervised",
        task=TASK,
        measure=MEASURE,
        experience=EXPERIENCE,
        feedback=FEEDBACK,
        settings=UnsupervisedSettings,
        run=run,
        description=DESCRIPTION,
        figures=figures,
    )
)
