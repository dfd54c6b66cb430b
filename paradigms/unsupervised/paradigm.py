"""The unsupervised paradigm: one run, from a file (or the generator) to an Evaluation.

The steps, each timed:

1. **data** (:mod:`.data`): generate a log and write it as CSV (without
   ``--data``), then read the file, clean it and compute per-customer features;
2. **fit** (:mod:`.training`): :class:`~.estimator.CustomerSegmenter` from the
   settings (log + scaling, choice of k, clustering);
3. **curve** (:mod:`.training`): what more customers buy: the segments of the
   model fitted on n customers against a reference, on fixed held-out customers;
4. **evaluate**: P, the silhouette of everyone's segments, beside random
   labels'; ARI / NMI / purity and the known groups x segments table against known
   groups; Calinski-Harabasz, Davies-Bouldin, inertia; the figures' raw material
   (profiles, their z-scores, the k scan, a 2-D projection).

With ``output_dir`` set, the run's files (``customer_segments.csv``,
``segment_profiles.csv``, the generated log, and the fitted segmenter in
``unsupervised-segmenter/``, which ``CustomerSegmenter.load`` reads back) are written there; ``paradigms.run``
gives the paradigm a staging folder and moves them into place only when the run
succeeds (:func:`paradigms.outputs.staged_outputs`): a run that fails leaves the
previous run's files as they were. The CSVs written from the user's data go through
:func:`paradigms.outputs.spreadsheet_safe` (no cell runs as a formula).

The paradigm registers itself as ``unsupervised`` (``paradigms run unsupervised``);
its settings and T/P/E live in :mod:`.settings`.
"""

from __future__ import annotations

import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..evaluation import Evaluation, Measure
from ..outputs import spreadsheet_safe
from ..progress import Progress
from ..registry import ParadigmSpec, register
from ..same_task import DIGITS_KIND
from .data import RunData, load_run_data
from .plots import figures
from .profiles import segment_profiles
from .sampling import sample_rows
from .settings import (
    DESCRIPTION,
    EXPERIENCE,
    FEEDBACK,
    MEASURE,
    NAME,
    TASK,
    UnsupervisedSettings,
    experience_for,
    task_for,
)

if TYPE_CHECKING:  # scikit-learn loads on the first run, not on import
    from .estimator import CustomerSegmenter

SEGMENTS_FILE = "customer_segments.csv"
#: The fitted segmenter's folder under ``output_dir`` (as the agent's is ``reinforcement-agent/``).
SEGMENTER_DIR = "unsupervised-segmenter"
PROFILES_FILE = "segment_profiles.csv"
#: Customers shown in the projection plot (and stored in the JSON).
PROJECTION_POINTS = 2000
#: Customers the projection's principal components are computed from.
PROJECTION_FIT_POINTS = 50_000


def run(settings: UnsupervisedSettings, seed: int, progress: Progress) -> Evaluation:
    """Run the paradigm to an :class:`~paradigms.evaluation.Evaluation`; see the module docstring
    (and :mod:`.digits` for ``kind="digits"``: the MNIST images clustered without their labels)."""
    if settings.kind == DIGITS_KIND:
        from .digits import run_digits  # the digits' modules load only for the digits

        folder = None if settings.output_dir is None else Path(settings.output_dir)
        return run_digits(settings, seed, progress, folder)
    with ExitStack() as stack:
        if settings.output_dir is not None:  # paradigms.run stages it: moved into place only if the run succeeds
            folder = Path(settings.output_dir)
            folder.mkdir(parents=True, exist_ok=True)
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="paradigms-customers-")))
        loaded = load_run_data(settings, seed, folder, progress)
        evaluation, tables, segmenter = _learn(settings, seed, loaded, progress)
        if settings.output_dir is not None:
            for name, table in tables.items():
                (folder / name).write_text(spreadsheet_safe(table).to_csv(index=False, float_format="%.6g"),
                                           encoding="utf-8")
            saved = segmenter.save(folder / SEGMENTER_DIR)  # a folder, as the agent's and the classifier's are
            files = sorted({*(str(folder / p.name) for p in folder.iterdir() if p.is_file()), str(saved)})
            evaluation = evaluation.with_updates(metrics={**evaluation.metrics, "files": files})
    return evaluation


def _learn(
    settings: UnsupervisedSettings, seed: int, loaded: RunData, progress: Progress
) -> tuple[Evaluation, dict[str, pd.DataFrame], CustomerSegmenter]:
    """Fit, the learning curve, the scores: the Evaluation, the tables to write and the fitted segmenter."""
    # scikit-learn (and SciPy) load on the first run, not when `paradigms list` or `--help` read the settings
    from .training import final_scores, fit_segmenter, learning_curve

    features, truth, timings = loaded.customers.features, loaded.truth, dict(loaded.timings)
    fit = fit_segmenter(settings, features, seed, progress)
    timings["fit_seconds"] = fit.seconds
    segmenter = fit.segmenter
    labels = segmenter.labels_
    if len(np.unique(labels)) < 2:  # P, the silhouette, needs two segments
        raise DataError(f"{loaded.customers.quality.source}: all {len(labels):,} customers fall into one segment "
                        "(their features are identical, or nearly): there is nothing to segment")
    Z = segmenter.transform(features)

    start = time.perf_counter()
    curve = learning_curve(settings, seed, features, segmenter, Z, truth, progress, truth_source=loaded.truth_source)
    timings["curve_seconds"] = time.perf_counter() - start

    start = time.perf_counter()
    evaluation_rows = sample_rows(len(Z), settings.silhouette_sample, seed, stream=8)
    scores = final_scores(Z, labels, segmenter.n_clusters_, evaluation_rows, truth, seed)
    if not np.isfinite(scores["silhouette"]):
        raise DataError(f"the silhouette sample of {len(evaluation_rows):,} customers holds a single segment: "
                        "raise --silhouette-sample")
    metrics: dict[str, Any] = {
        "silhouette": scores.pop("silhouette"),
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
        "learning_curve": {"reference": curve.reference, "held_out_customers": curve.held_out,
                           "draws": settings.curve_draws},
        "data_quality": loaded.customers.quality.to_dict(),
        "notes": list(segmenter.notes_),
        "warnings": fit.warnings,
    }
    if truth is not None:
        metrics["known_groups_source"] = loaded.truth_source
        metrics.update(scores)  # adjusted_rand_index, normalized_mutual_info, purity, known_groups, contingency
        if "known_groups_note" in metrics:
            metrics["notes"].append(metrics.pop("known_groups_note"))
    profiles, z = segment_profiles(features, Z, labels)
    figure_data: dict[str, Any] = {
        "profiles": profiles,
        "profile_z": {"features": list(z.columns), "z": np.round(z.to_numpy(), 4)},
        "projection": projection(Z, labels, truth, seed),
    }
    if segmenter.k_selection_ is not None:
        figure_data["k_selection"] = segmenter.k_selection_
    timings["evaluate_seconds"] = time.perf_counter() - start

    evaluation = Evaluation(
        paradigm=NAME,
        task=task_for(loaded.customers.kind, settings.data),
        experience=experience_for(loaded.customers.kind, settings.data),
        measure=Measure(name="silhouette", value=metrics["silhouette"], baseline=0.0, best=1.0,
                        curve_label=curve.label),
        curve=curve.table,
        dataset=loaded.dataset,
        seed=seed,
        metrics=metrics,
        config=settings.to_dict(),
        timings=timings,
        figure_data=figure_data,
    )
    segments = pd.DataFrame({"customer_id": features.index.astype(str), "segment": labels})
    return evaluation, {SEGMENTS_FILE: segments, PROFILES_FILE: profiles}, segmenter


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
        name=NAME,
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
