"""The unsupervised paradigm's figures, drawn from an Evaluation alone.

Each plot's raw material is in ``evaluation.figure_data`` (``projection``,
``k_selection``, ``profile_z``, ``profiles``), its scores in ``evaluation.metrics``,
so an evaluation loaded back from JSON draws the same figures:

* ``segments``: the customers projected on their first two principal
  components (a sample of at most 2,000), coloured by segment;
* ``k_selection``: silhouette, Calinski-Harabasz, Davies-Bouldin (and BIC)
  against k, the chosen k marked;
* ``profiles``: a heatmap of each segment's z-scores per feature, labelled with
  the data-derived descriptions;
* for a digits clustering (``--kind digits``), the figures of :mod:`.digit_plots`.

Figures are made without pyplot (no global state, no display needed).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..evaluation import Evaluation


def _table(data: Any) -> tuple[list[str], list[list[Any]]]:
    """A DataFrame stored by ``to_jsonable``: ``{"columns": [...], "data": [[...], ...]}``."""
    return list(data["columns"]), list(data["data"])


def _figure(width: float, height: float) -> Any:
    # matplotlib loads when a figure is drawn, not when the paradigm is imported (start-up time)
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def projection_figure(evaluation: Evaluation) -> Any:
    """2-D PCA projection of (a sample of) the customers, coloured by segment."""
    projection = evaluation.figure_data["projection"]
    x, y = np.asarray(projection["x"], float), np.asarray(projection["y"], float)
    segment = np.asarray(projection["segment"], int)
    descriptions = {row[0]: row[3] for row in _table(evaluation.figure_data["profiles"])[1]}
    fig = _figure(7.5, 5.5)
    ax = fig.add_subplot()
    cmap = _colors(int(segment.max()) + 1 if len(segment) else 1)
    for s in np.unique(segment):
        mask = segment == s
        label = f"{s}: {descriptions.get(int(s), '')}"
        ax.scatter(x[mask], y[mask], s=9, alpha=0.65, color=cmap[s], label=label[:64], linewidths=0)
    explained = projection.get("explained_variance", [None, None])
    ax.set_xlabel(_pc_label(1, explained[0]))
    ax.set_ylabel(_pc_label(2, explained[1]))
    title = f"Segments found ({len(x):,} customers shown)"
    ari = evaluation.metrics.get("adjusted_rand_index")
    if ari is not None:
        title += f"; ARI vs known groups = {ari:.2f}"
    ax.set_title(title)
    ax.legend(fontsize=7, markerscale=1.5, loc="best", frameon=True)
    return fig


def _pc_label(i: int, share: float | None) -> str:
    return f"principal component {i}" + (f" ({share:.0%} of variance)" if share is not None else "")


def _colors(k: int) -> list[Any]:
    # matplotlib loads when a figure is drawn (start-up time)
    from matplotlib import colormaps

    cmap = colormaps["tab10" if k <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(k)]


def k_selection_figure(evaluation: Evaluation) -> Any:
    """The criteria of the k scan against k, with the chosen k marked."""
    columns, rows = _table(evaluation.figure_data["k_selection"])
    data = {c: np.array([r[i] if r[i] is not None else np.nan for r in rows], float) for i, c in enumerate(columns)}
    panels = [("silhouette", "silhouette (higher is better)"),
              ("calinski_harabasz", "Calinski-Harabasz (higher is better)"),
              ("davies_bouldin", "Davies-Bouldin (lower is better)")]
    if np.isfinite(data.get("bic", np.array([np.nan]))).any():
        panels.append(("bic", "BIC (lower is better)"))
    choice = evaluation.metrics.get("k_choice", {})
    fig = _figure(3.2 * len(panels), 3.4)
    axes = fig.subplots(1, len(panels))
    for ax, (column, title) in zip(np.atleast_1d(axes), panels, strict=True):
        ax.plot(data["k"], data[column], marker="o", color="#1f77b4")
        if choice.get("k") is not None:
            ax.axvline(choice["k"], color="#d62728", linestyle="--", linewidth=1, label=f"chosen k = {choice['k']}")
        ax.set_xlabel("k (number of segments)")
        ax.set_title(title, fontsize=9)
        ax.set_xticks(data["k"])
    np.atleast_1d(axes)[0].legend(fontsize=8)
    clear = "" if choice.get("clear", True) else " (no clear choice)"
    fig.suptitle(f"Choosing k by {choice.get('criterion', 'silhouette')}{clear}", fontsize=10)
    return fig


def profile_figure(evaluation: Evaluation) -> Any:
    """Heatmap of segment z-scores per feature, rows labelled with size and description."""
    heat = evaluation.figure_data["profile_z"]
    z = np.array([[v if v is not None else np.nan for v in row] for row in heat["z"]], float)
    features = heat["features"]
    profiles = _table(evaluation.figure_data["profiles"])[1]
    labels = [f"{row[0]}: {row[3][:56]} (n={row[1]:,})" for row in profiles]
    fig = _figure(1.1 * len(features) + 4.5, 0.55 * len(labels) + 2.2)
    ax = fig.add_subplot()
    limit = max(1.0, float(np.nanmax(np.abs(z)))) if z.size else 1.0
    image = ax.imshow(z, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(range(len(features)), [f.replace("_", " ") for f in features], rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            if np.isfinite(z[i, j]):
                ax.text(j, i, f"{z[i, j]:+.1f}", ha="center", va="center", fontsize=7,
                        color="white" if abs(z[i, j]) > 0.6 * limit else "black")
    fig.colorbar(image, ax=ax, label="segment mean, in standard deviations from all customers")
    ax.set_title("Segment profiles (scaled features)")
    return fig


def figures(evaluation: Evaluation) -> dict[str, Any]:
    """All figures of an unsupervised Evaluation, by name (the report's hook); a figure
    whose data is absent (no k scan when k was given) is left out. A digits clustering
    has its own (:mod:`.digit_plots`)."""
    if evaluation.figure_data.get("cluster_centres"):
        from .digit_plots import centres_figure, cluster_digits_figure

        return {"cluster_centres": centres_figure(evaluation), "cluster_digits": cluster_digits_figure(evaluation)}
    makers = (
        ("segments", projection_figure, "projection"),
        ("k_selection", k_selection_figure, "k_selection"),
        ("profiles", profile_figure, "profile_z"),
    )
    return {name: maker(evaluation) for name, maker, needs in makers if evaluation.figure_data.get(needs)}
