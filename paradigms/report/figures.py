"""The report's cross-paradigm figures, and turning any figure into PNG bytes.

* :func:`normalized_score_chart`: every paradigm's score rescaled so that 0 is
  its baseline (a trivial program) and 1 its best (perfect or solved), with the
  95% interval over seeds and one dot per seed.
* :func:`learning_curves`: P against E for each paradigm, side by side (their
  units differ, so each gets its own axes), with the baseline and best drawn in.

Both take the paradigms' summaries (:func:`paradigms.report.summary.summarize`)
and return a matplotlib Figure; nothing is drawn on screen.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import EngFormatter, MaxNLocator

from ..evaluation import CURVE_EXPERIENCE, CURVE_PERFORMANCE, Evaluation
from .stats import mean_interval
from .style import PARADIGM_COLOURS, colour_of
from .summary import ParadigmSummary

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = [
    "PARADIGM_COLOURS", "colour_of", "figure_png", "learning_curves", "mean_curve", "normalized_score_chart",
    "report_style",
]

_STYLE: dict[RcKeyType, Any] = {
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e5e7eb",
    "grid.linewidth": 0.8,
    "axes.edgecolor": "#6b7280",
    "axes.labelcolor": "#111827",
    "xtick.color": "#374151",
    "ytick.color": "#374151",
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "svg.hashsalt": "learning-paradigms",
}


@contextmanager
def report_style() -> Iterator[None]:
    """The report's plotting style, applied only inside the ``with`` block."""
    with matplotlib.rc_context(_STYLE):
        yield


def figure_png(figure: Any, dpi: int = 110) -> bytes:
    """Render a matplotlib Figure to PNG bytes (white background, tight box) and close it."""
    buffer = io.BytesIO()
    # A figure with a layout engine (constrained or tight) is laid out already; cropping
    # to a tight box would cost a second full draw.
    crop = "tight" if figure.get_layout_engine() is None else None
    try:
        figure.savefig(
            buffer, format="png", dpi=dpi, bbox_inches=crop, pad_inches=0.08, facecolor="white",
            metadata={"Software": None},
        )
    finally:
        _close(figure)
    return buffer.getvalue()


def _close(figure: Any) -> None:
    import matplotlib.pyplot as plt  # start-up time: pyplot only to close figures a paradigm made with it

    plt.close(figure)


def normalized_score_chart(summaries: Sequence[ParadigmSummary]) -> Figure:
    """Horizontal bars of the normalized score (0 = baseline, 1 = best) per paradigm."""
    names = [summary.name for summary in summaries]
    with report_style():
        figure = Figure(figsize=(7.2, 0.75 + 0.62 * max(len(names), 1)), layout="constrained")
        axes = figure.add_subplot()
        lows, highs = [0.0], [1.0]
        for row, summary in enumerate(summaries):
            y = len(names) - 1 - row
            if summary.score is None:
                axes.text(0.02, y, "failed: no result", va="center", ha="left", color="#b91c1c", fontsize=9)
                continue
            scores = list(summary.score.per_seed)
            interval = summary.score.normalized
            axes.barh(y, interval.mean, height=0.55, color=summary.colour, alpha=0.85, zorder=2)
            if interval.half_width is not None:
                axes.errorbar(
                    interval.mean, y, xerr=interval.half_width, fmt="none", ecolor="#111827",
                    elinewidth=1.2, capsize=4, zorder=3,
                )
                axes.scatter(scores, [y] * len(scores), s=12, color="white", edgecolors="#111827", linewidths=0.7, zorder=4)
            # the axis spans the seeds themselves; a wide interval (few seeds) runs off the edge
            lows.append(min(scores))
            highs.append(max(scores))
        span = max(highs) - min(lows)
        axes.set_xlim(min(lows) - 0.08 * span, max(highs) + 0.08 * span)
        axes.axvline(0.0, color="#374151", linewidth=1.1, zorder=1)
        axes.axvline(1.0, color="#374151", linewidth=1.1, linestyle="--", zorder=1)
        axes.text(0.0, 1.0, " baseline", transform=axes.get_xaxis_transform(), va="bottom", ha="center", fontsize=8.5, color="#374151")
        axes.text(1.0, 1.0, " best", transform=axes.get_xaxis_transform(), va="bottom", ha="center", fontsize=8.5, color="#374151")
        axes.set_yticks(range(len(names)), list(reversed(names)))
        axes.set_ylim(-0.6, len(names) - 0.4)
        axes.grid(axis="y", visible=False)
        axes.set_xlabel("normalized score: (P − baseline) / (best − baseline)")
    return figure


def mean_curve(runs: Sequence[Evaluation]) -> pd.DataFrame | None:
    """Mean and 95% interval of P over the seeds at each amount of experience.

    Where the seeds measured P at different points of E (periodic evaluations of
    RL), each curve is interpolated onto 40 points of the range they share.
    """
    if len(runs) < 2:
        return None
    curves = [run.curve[[CURVE_EXPERIENCE, CURVE_PERFORMANCE]].astype(float).dropna() for run in runs]
    curves = [curve.sort_values(CURVE_EXPERIENCE) for curve in curves if len(curve)]
    if len(curves) < 2:
        return None
    grids = [tuple(curve[CURVE_EXPERIENCE]) for curve in curves]
    if len(set(grids)) == 1:
        grid = np.asarray(grids[0])
        values = np.vstack([curve[CURVE_PERFORMANCE].to_numpy() for curve in curves])
    else:
        start = max(curve[CURVE_EXPERIENCE].iloc[0] for curve in curves)
        stop = min(curve[CURVE_EXPERIENCE].iloc[-1] for curve in curves)
        if not stop > start:
            return None
        grid = np.linspace(start, stop, 40)
        values = np.vstack([np.interp(grid, curve[CURVE_EXPERIENCE], curve[CURVE_PERFORMANCE]) for curve in curves])
    rows = []
    for column, experience in enumerate(grid):
        interval = mean_interval(values[:, column])
        rows.append({"experience": experience, "mean": interval.mean, "low": interval.low, "high": interval.high})
    return pd.DataFrame(rows)


def _label_line(axes: Any, y: float, text: str, colour: str) -> None:
    """Write ``text`` just above a horizontal line, at the right edge of the axes."""
    axes.annotate(
        text, xy=(1.0, y), xycoords=("axes fraction", "data"), xytext=(-2, 2), textcoords="offset points",
        ha="right", va="bottom", fontsize=8, color=colour,
    )


def learning_curves(summaries: Sequence[ParadigmSummary]) -> Figure | None:
    """P against E, one panel per paradigm; ``None`` when no paradigm has a curve.

    One line per seed; with several seeds, a thick line for their mean and a band
    for its 95% interval (where the seeds share their points of E). The
    baseline (dotted) and best (dashed) are drawn and labelled in each panel.
    """
    shown = [summary for summary in summaries if summary.runs]
    if not shown:
        return None
    columns = min(3, len(shown))
    rows = math.ceil(len(shown) / columns)
    with report_style():
        figure = Figure(figsize=(3.3 * columns + 0.3, 2.9 * rows + 0.2), layout="constrained")
        for index, summary in enumerate(shown):
            axes = figure.add_subplot(rows, columns, index + 1)
            runs, colour, measure = summary.runs, summary.colour, summary.runs[0].measure
            mean = mean_curve(runs)
            for run in runs:
                curve = run.curve
                axes.plot(
                    curve[CURVE_EXPERIENCE].astype(float), curve[CURVE_PERFORMANCE].astype(float),
                    color=colour, linewidth=1.0 if len(runs) > 1 else 2.0,
                    alpha=0.35 if len(runs) > 1 else 1.0, marker="o" if len(curve) <= 12 else None,
                    markersize=3,
                )
            if mean is not None:
                axes.fill_between(mean["experience"], mean["low"], mean["high"], color=colour, alpha=0.15, linewidth=0)
                axes.plot(mean["experience"], mean["mean"], color=colour, linewidth=2.2)
            # the axis spans the curves, baseline and best; a wide band (few seeds) is cut off
            seen = np.concatenate([run.curve[CURVE_PERFORMANCE].to_numpy(dtype=float) for run in runs])
            seen = np.concatenate([seen[np.isfinite(seen)], [measure.baseline, measure.best]])
            margin = 0.08 * (seen.max() - seen.min() or 1.0)
            axes.set_ylim(seen.min() - margin, seen.max() + margin)
            axes.axhline(measure.baseline, color="#6b7280", linewidth=1.0, linestyle=":")
            axes.axhline(measure.best, color="#374151", linewidth=1.0, linestyle="--")
            _label_line(axes, measure.baseline, f"baseline {measure.baseline:.3g}", "#4b5563")
            _label_line(axes, measure.best, f"best {measure.best:.3g}", "#374151")
            experience = np.concatenate([run.curve[CURVE_EXPERIENCE].to_numpy(dtype=float) for run in runs])
            finite = experience[np.isfinite(experience)]
            integer = bool(finite.size) and bool(np.all(np.mod(finite, 1) == 0))
            axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=integer))
            if finite.size and np.abs(finite).max() >= 10_000:
                axes.xaxis.set_major_formatter(EngFormatter(sep=""))
            axes.set_title(summary.name, color=colour)
            axes.set_xlabel(f"E: {runs[0].experience}")
            # P where the curve tracks P itself; otherwise the curve's own measure, so the two are not confused
            tracked = "P" if measure.curve_label == measure.name else "curve"
            axes.set_ylabel(textwrap.fill(f"{tracked}: {measure.curve_label}", 34))
    return figure
