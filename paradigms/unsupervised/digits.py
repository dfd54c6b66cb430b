"""The digits learned from nothing: ``paradigms run unsupervised --kind digits``.

The unsupervised side of the same-task comparison (:mod:`paradigms.same_task`):
the same MNIST images the supervised MLP learns from their labels and the
reinforcement agent from a reward, grouped here from the pixels alone.

1. **data**: the MNIST digits (:func:`paradigms.datasets.digits.load_digit_data`,
   scikit-learn's 8x8 digits where MNIST cannot be had), the training images
   shuffled with the seed;
2. **curve**: a :class:`~.digit_clusters.DigitClusterer` fitted on the first n
   shuffled training images, for n growing to ``digit_images`` (the last point is
   the final model), each scored on all the test images;
3. **score**: the test images' clusters matched one-to-one to digits (Hungarian,
   :mod:`.matching`): P is the share of test images whose cluster was matched to
   their digit, against chance (1 / number of classes); ARI and NMI beside it.

The labels are read from the files with the images, and used for scoring only:
the clusterer's ``fit`` has no labels parameter.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..datasets.digits import DigitData, load_digit_data
from ..errors import DataError
from ..evaluation import DatasetInfo, Evaluation, Measure
from ..files import write_atomic
from ..progress import Progress
from ..same_task import EXAMPLES_SEEN, TEST_ACCURACY
from ..seeding import numpy_rng
from .digit_clusters import DigitClusterer
from .matching import ClusterMatch, match_clusters
from .settings import DIGITS_EXPERIENCE, NAME, UnsupervisedSettings

DIGITS_MEASURE = "clustering accuracy"
#: The curve's first point, in training images (fewer where fewer are clustered).
FIRST_CURVE_POINT = 500
#: The run's file of test-image assignments (with ``output_dir``).
ASSIGNMENTS_FILE = "digit_clusters.csv"
SCORING_NOTE = ("the labels are never used for fitting: the clusters are found from the pixels alone, then "
                "each cluster is matched one-to-one to a digit (Hungarian method) to score them")


def curve_sizes(n: int, points: int, first: int = FIRST_CURVE_POINT) -> list[int]:
    """Training-image counts of the curve, spaced evenly on a log scale from ``first`` to ``n``.

    >>> curve_sizes(60_000, 6)
    [500, 1300, 3400, 8800, 23000, 60000]
    >>> curve_sizes(300, 4)
    [300]
    """
    if n <= first:
        return [n]
    sizes = [int(float(f"{v:.2g}")) for v in np.geomspace(first, n, points)[:-1]]
    return sorted({*sizes, n})


def run_digits(settings: UnsupervisedSettings, seed: int, progress: Progress, folder: Path | None) -> Evaluation:
    """Cluster the digits and score the clusters on the test images; see the module docstring."""
    # scikit-learn loads on the first run, not on import
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    timings: dict[str, float] = {}
    start = time.perf_counter()
    data = load_digit_data(settings.data_dir, progress=progress)
    timings["data_seconds"] = time.perf_counter() - start
    n_classes = len(data.class_names)
    k = settings.k or n_classes
    notes = [SCORING_NOTE]
    available = len(data.train_images)
    n = min(settings.digit_images, available)
    if n < settings.digit_images:
        notes.append(f"{data.info.name} holds {available:,} training images: all of them are clustered "
                     f"(digit_images = {settings.digit_images:,})")
    if n < k:
        raise DataError(f"{data.info.source}: {n:,} training images cannot make k = {k} clusters; lower --k")
    order = numpy_rng(seed, 19, 1).permutation(available)[:n]

    start = time.perf_counter()
    rows = []
    sizes = curve_sizes(n, settings.curve_points)
    with progress.bar(total=len(sizes), desc="clustering digits", unit="fit") as bar:
        for size in sizes:
            fitted = time.perf_counter()
            clusterer = DigitClusterer(k, representation=settings.representation, seed=seed)
            clusterer.fit(data.train_images[order[:size]])
            test_clusters = clusterer.predict(data.test_images)
            match = match_clusters(test_clusters, data.test_labels, k, n_classes)
            rows.append({
                "experience": size, "performance": match.accuracy, EXAMPLES_SEEN: size,
                TEST_ACCURACY: match.accuracy,
                "adjusted_rand_index": float(adjusted_rand_score(data.test_labels, test_clusters)),
                "seconds": time.perf_counter() - fitted,
            })
            bar.update(1)
    timings["curve_seconds"] = time.perf_counter() - start - rows[-1]["seconds"]
    timings["fit_seconds"] = rows[-1]["seconds"]

    start = time.perf_counter()
    train_match = match_clusters(clusterer.labels_, data.train_labels[order], k, n_classes)
    metrics: dict[str, Any] = {
        TEST_ACCURACY: match.accuracy,
        "adjusted_rand_index": rows[-1]["adjusted_rand_index"],  # the last point of the curve: all the images
        "normalized_mutual_info": float(normalized_mutual_info_score(data.test_labels, test_clusters)),
        "train_clustering_accuracy": train_match.accuracy,
        "n_segments": k,
        "n_classes": n_classes,
        "representation": settings.representation,
        "principal_components": clusterer.components_,
        "training_images": n,
        "test_images": len(data.test_images),
        "cluster_sizes": np.bincount(test_clusters, minlength=k).tolist(),
        "digit_of_cluster": [_class_name(data, c) for c in match.class_of_cluster],
        "notes": notes,
    }
    figure_data = {
        "cluster_centres": cluster_centres(data.train_images[order], clusterer.labels_, k),
        "cluster_digit_table": {
            "counts": match.table.tolist(), "class_names": list(data.class_names),
            "digit_of_cluster": match.class_of_cluster.tolist(),
        },
    }
    timings["evaluate_seconds"] = time.perf_counter() - start

    evaluation = Evaluation(
        paradigm=NAME,
        task=(f"group {n:,} {data.subject} ({data.info.name} training images) into {k} clusters without their "
              f"labels, then put each of the {len(data.test_images):,} test images in a cluster"),
        experience=DIGITS_EXPERIENCE,
        measure=Measure(
            name=DIGITS_MEASURE, value=match.accuracy, baseline=1.0 / n_classes, best=1.0,
            curve_label="clustering accuracy on the test images (labels used only to score)",
        ),
        curve=pd.DataFrame(rows),
        dataset=_with_note(data.info, SCORING_NOTE),
        seed=seed,
        metrics=metrics,
        config=settings.to_dict(),
        timings=timings,
        figure_data=figure_data,
    )
    if folder is not None:
        path = folder / ASSIGNMENTS_FILE
        write_atomic(path, assignments_table(data, test_clusters, match).to_csv(index=False))
        evaluation = evaluation.with_updates(metrics={**evaluation.metrics, "files": [str(path)]})
    return evaluation


def cluster_centres(images: np.ndarray, clusters: np.ndarray, k: int) -> list[list[list[int]]]:
    """The mean training image of each cluster, as 0-255 integers (a blank image for an empty cluster)."""
    centres = np.zeros((k, *images.shape[1:]))
    for c in range(k):
        members = images[clusters == c]
        if len(members):
            centres[c] = members.mean(axis=0)
    return np.rint(centres).astype(int).tolist()


def assignments_table(data: DigitData, clusters: np.ndarray, match: ClusterMatch) -> pd.DataFrame:
    """One row per test image: its cluster, the digit that cluster was matched to, and its own digit."""
    return pd.DataFrame({
        "test_image": np.arange(len(clusters)),
        "cluster": clusters,
        "matched_digit": [_class_name(data, c) for c in match.class_of_cluster[clusters]],
        "digit": [data.class_names[int(y)] for y in data.test_labels],
    })


def _class_name(data: DigitData, index: int) -> str | None:
    return None if index < 0 else str(data.class_names[int(index)])


def _with_note(info: DatasetInfo, note: str) -> DatasetInfo:
    return dataclasses.replace(info, notes="; ".join(filter(None, [info.notes, note])))
