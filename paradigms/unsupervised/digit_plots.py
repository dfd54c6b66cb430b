"""The figures of a digits clustering (``--kind digits``), drawn from an Evaluation alone.

* ``cluster_centres``: the mean training image of each cluster, titled with the
  digit it was matched to and its share of test images on that digit (and the
  digit most of them are, where that is another): what the clusterer found,
  seen without a single label;
* ``cluster_digits``: the cluster x digit table of the test images, the matched
  cells outlined: where each digit went, and which digits share a cluster.

Their raw material is ``figure_data["cluster_centres"]`` and
``figure_data["cluster_digit_table"]`` (:mod:`.digits`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..evaluation import Evaluation


def _figure(width: float, height: float) -> Any:
    # matplotlib loads when a figure is drawn, not when the paradigm is imported (start-up time)
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _table(evaluation: Evaluation) -> tuple[np.ndarray, list[str], np.ndarray]:
    """(counts: clusters x classes, class names, matched class of each cluster or -1)."""
    table = evaluation.figure_data["cluster_digit_table"]
    return np.asarray(table["counts"], int), [str(n) for n in table["class_names"]], np.asarray(
        table["digit_of_cluster"], int)


def _order(matched: np.ndarray) -> list[int]:
    """Clusters in the order of their matched digit (unmatched clusters last)."""
    return sorted(range(len(matched)), key=lambda c: (matched[c] < 0, matched[c], c))


def centres_figure(evaluation: Evaluation) -> Any:
    """The mean image of each cluster, in the order of the digits they were matched to."""
    centres = np.asarray(evaluation.figure_data["cluster_centres"], float)
    counts, names, matched = _table(evaluation)
    order = _order(matched)
    columns = min(len(order), 5)
    rows = -(-len(order) // columns)
    fig = _figure(1.6 * columns + 0.4, 1.85 * rows + 0.7)
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    for ax in axes:
        ax.set_axis_off()
    for ax, c in zip(axes, order, strict=False):
        ax.imshow(centres[c], cmap="gray_r", vmin=0, vmax=255, interpolation="nearest")
        size = int(counts[c].sum())
        if matched[c] >= 0:
            share = counts[c, matched[c]] / size if size else 0.0
            title = f"cluster {c} → {names[matched[c]]}\n{share:.0%} of {size:,} are {names[matched[c]]}"
            if size and counts[c].argmax() != matched[c]:  # its digit went to another cluster: say what it holds
                title += f", most {names[counts[c].argmax()]}"
        else:
            title = f"cluster {c} (unmatched)\n{size:,} test images"
        ax.set_title(title, fontsize=8)
    accuracy = evaluation.measure.value
    fig.suptitle(f"The clusters' mean training images, found without labels (clustering accuracy {accuracy:.1%})",
                 fontsize=10)
    return fig


def cluster_digits_figure(evaluation: Evaluation) -> Any:
    """The test images' cluster x digit counts, clusters in matched-digit order, matches outlined."""
    from matplotlib.patches import Rectangle

    counts, names, matched = _table(evaluation)
    order = _order(matched)
    table = counts[order]
    fig = _figure(0.55 * len(names) + 3.0, 0.45 * len(order) + 1.8)
    ax = fig.add_subplot()
    share = table / np.maximum(table.sum(axis=1, keepdims=True), 1)
    image = ax.imshow(share, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            if table[i, j]:
                ax.text(j, i, f"{table[i, j]:,}", ha="center", va="center", fontsize=7,
                        color="white" if share[i, j] > 0.6 else "black")
        if matched[order[i]] >= 0:
            ax.add_patch(Rectangle((matched[order[i]] - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#d62728",
                                   linewidth=1.6))
    ax.set_xticks(range(len(names)), names)
    ax.set_yticks(range(len(order)), [f"cluster {c}" for c in order], fontsize=8)
    ax.set_xlabel("true digit (used only for this scoring)")
    ax.set_ylabel("cluster found without labels")
    fig.colorbar(image, ax=ax, label="share of the cluster's test images")
    ax.set_title("Test images: cluster by digit (red: the one-to-one match, Hungarian method)", fontsize=9)
    return fig
