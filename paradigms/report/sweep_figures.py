"""The sweep page's figures: what each swept setting does to P, to time, to the learning curve.

* :func:`measure_against_settings`: the number the sweep chooses on, and P, against
  each swept setting (mean and 95% interval over seeds; the chosen cell ringed);
* :func:`cost_against_settings`: seconds per run, seconds per unit of experience and
  the paradigm's rates (updates per epoch, examples per second) against each setting;
* :func:`cell_curves`: the learning curve of every cell on one pair of axes;
* :func:`heat_map`: for a grid of two settings, every cell's chooser (and P) as a table of colours.

Each takes a :class:`~paradigms.report.sweep_summary.SweepSummary` and returns a
matplotlib Figure (``None`` where there is nothing to draw).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FixedLocator, NullLocator

from ..evaluation import CURVE_EXPERIENCE, CURVE_PERFORMANCE
from ..execution import Axis, show_value
from .figures import mean_curve, report_style
from .stats import Interval, format_number, pretty_key
from .sweep_summary import CellSummary, SweepSummary

CHOSEN_COLOUR = "#dc2626"
Reading = Callable[[CellSummary], "Interval | None"]


def _positions(axis: Axis) -> tuple[list[float], bool]:
    """Where each value of ``axis`` sits on the x axis, and whether that axis is logarithmic."""
    if axis.numeric and len(axis.values) > 1:
        values = [float(v) for v in axis.values]
        spread = max(values) / min(values) if min(values) > 0 else 0.0
        return values, spread >= 10
    return [float(i) for i in range(len(axis.values))], False


def _groups(summary: SweepSummary, axis_index: int) -> dict[str, list[CellSummary]]:
    """The cells along one axis, grouped by the values of the other axes (one line each)."""
    others = [a.setting for i, a in enumerate(summary.grid.axes) if i != axis_index]
    groups: dict[str, list[CellSummary]] = {}
    for cell in summary.cells:
        key = ", ".join(f"{name}={show_value(cell.cell.values.get(name))}" for name in others)
        groups.setdefault(key, []).append(cell)
    return groups


def _line(axes: Any, summary: SweepSummary, axis_index: int, reading: Reading, *, dashed: bool = False,
          label: str = "", colours: Sequence[str] = ()) -> list[float]:
    """One line per group of cells along ``axis_index``: mean and 95% interval of ``reading``.
    Returns the span of the seeds (each mean ± its standard deviation), for :func:`_fit_y`."""
    span: list[float] = []
    axis = summary.grid.axes[axis_index]
    positions, log = _positions(axis)
    where = {value: x for value, x in zip(axis.values, positions, strict=True)}
    groups = _groups(summary, axis_index)
    for index, (group, cells) in enumerate(groups.items()):
        colour = colours[index % len(colours)] if colours else "#2563eb"
        xs, ys, errors = [], [], []
        for cell in cells:
            value = reading(cell)
            if value is None:
                continue
            xs.append(where[cell.cell.values.get(axis.setting)])
            ys.append(value.mean)
            errors.append(value.half_width or 0.0)
            span.extend((value.mean - (value.std or 0.0), value.mean + (value.std or 0.0)))
            if summary.chosen is not None and cell.cell.id == summary.chosen.cell.id:
                axes.scatter([xs[-1]], [ys[-1]], s=140, facecolors="none", edgecolors=CHOSEN_COLOUR, linewidths=1.8,
                             zorder=5)
        if not xs:
            continue
        name = " · ".join(part for part in (label, group) if part)
        axes.errorbar(xs, ys, yerr=errors, color=colour, marker="s" if dashed else "o", markersize=4,
                      linestyle="--" if dashed else "-", linewidth=1.6, capsize=3, label=name or None)
    if log:
        axes.set_xscale("log")
    axes.xaxis.set_major_locator(FixedLocator(positions))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.set_xticks(positions, list(axis.labels), rotation=30 if max(map(len, axis.labels)) > 6 else 0)
    axes.set_xlabel(axis.setting)
    return span


def _fit_y(axes: Any, span: Sequence[float], *, floor: float | None = None) -> None:
    """Let the y axis span the seeds, not the 95% intervals: with two or three seeds
    an interval is wide (Student's t), and would flatten every difference; it is cut off."""
    if not span:
        return
    low, high = min(span), max(span)
    margin = 0.12 * (high - low) or 0.05 * (abs(high) or 1.0)
    low, high = low - margin, high + margin
    if floor is not None:
        low = max(low, floor)
    axes.set_ylim(low, high)


def _palette(count: int) -> list[str]:
    return [to_hex(colormaps["tab10"](i % 10)) for i in range(max(1, count))]


def measure_against_settings(summary: SweepSummary) -> Figure | None:
    """The chooser (solid) and P (dashed) against each swept setting; the chosen cell ringed."""
    if summary.measure is None:
        return None
    columns = len(summary.grid.axes)
    with report_style():
        figure = Figure(figsize=(3.6 * columns + 0.6, 3.2), layout="constrained")
        for index in range(columns):
            axes = figure.add_subplot(1, columns, index + 1)
            colours = _palette(len(_groups(summary, index)))
            if summary.on_p:
                span = _line(axes, summary, index, lambda c: c.score, label=summary.measure.name, colours=colours)
            else:
                span = _line(axes, summary, index, lambda c: c.chooser, label=summary.chooser_name, colours=colours)
                span += _line(axes, summary, index, lambda c: c.score, dashed=True, label=summary.measure.name,
                              colours=colours)
            _fit_y(axes, span)
            axes.set_ylabel(summary.chooser_name if summary.on_p else "score")
            axes.legend(loc="best")  # each panel's lines: the measures, per value of the other settings
    return figure


def cost_against_settings(summary: SweepSummary) -> Figure | None:
    """Seconds per run, seconds per unit of E and each rate the paradigm records, against each setting."""
    rows: list[tuple[str, Reading]] = [
        ("seconds per run", lambda c: c.seconds),
        (f"seconds per {summary.unit()}", lambda c: c.seconds_per_experience),
    ]
    for name in summary.rate_names:
        rows.append((pretty_key(name), lambda c, name=name: dict(c.rates).get(name)))  # type: ignore[misc]  # mypy cannot infer a lambda with a default argument
    rows = [(title, reading) for title, reading in rows if any(reading(c) is not None for c in summary.cells)]
    if not rows:
        return None
    columns = len(summary.grid.axes)
    with report_style():
        figure = Figure(figsize=(3.6 * columns + 0.6, 2.3 * len(rows) + 0.3), layout="constrained")
        for row, (title, reading) in enumerate(rows):
            for index in range(columns):
                axes = figure.add_subplot(len(rows), columns, row * columns + index + 1)
                span = _line(axes, summary, index, reading, colours=_palette(len(_groups(summary, index))))
                _fit_y(axes, span, floor=0.0)
                axes.set_ylabel(textwrap.fill(title, 28))
                if row < len(rows) - 1:
                    axes.set_xlabel("")
    return figure


def cell_curves(summary: SweepSummary) -> Figure | None:
    """Every cell's learning curve (its mean over seeds) on shared axes; the chosen cell thick.
    Cells are coloured in grid order, so along one numeric setting the colour follows the value."""
    shown = [cell for cell in summary.cells if cell.runs]
    if not shown or summary.measure is None:
        return None
    cmap = colormaps["viridis"]
    with report_style():
        figure = Figure(figsize=(7.2, 4.0), layout="constrained")
        axes = figure.add_subplot()
        for index, cell in enumerate(shown):
            colour = cmap(0.85 * index / max(1, len(shown) - 1))
            chosen = summary.chosen is not None and cell.cell.id == summary.chosen.cell.id
            mean = mean_curve(cell.runs)
            if mean is not None:  # no band: with a few seeds it would cover the other cells' lines
                x, y = mean["experience"], mean["mean"]
            else:
                curve = cell.runs[0].curve
                x, y = curve[CURVE_EXPERIENCE].astype(float), curve[CURVE_PERFORMANCE].astype(float)
            axes.plot(x, y, color=colour, linewidth=3.0 if chosen else 1.5, marker="o" if len(x) <= 12 else None,
                      markersize=3, label=cell.label + ("  (chosen)" if chosen else ""))
        measure = summary.measure
        axes.set_ylim(*_curve_span(shown))
        axes.axhline(measure.baseline, color="#6b7280", linewidth=1.0, linestyle=":")
        axes.set_xlabel(f"E: {summary.experience}")
        axes.set_ylabel(textwrap.fill(f"P: {measure.curve_label or measure.name}", 40))
        axes.legend(loc="best", fontsize=7.5 if len(shown) > 6 else 8.5, ncol=1 if len(shown) <= 8 else 2)
    return figure


def _curve_span(cells: Sequence[CellSummary]) -> tuple[float, float]:
    """The y range of every seed's curve (a band of few seeds may run past it)."""
    values = np.concatenate([run.curve[CURVE_PERFORMANCE].to_numpy(dtype=float) for c in cells for run in c.runs])
    values = values[np.isfinite(values)]
    if not values.size:
        return 0.0, 1.0
    margin = 0.08 * (values.max() - values.min()) or 0.05 * (abs(values.max()) or 1.0)
    return float(values.min() - margin), float(values.max() + margin)


def heat_map(summary: SweepSummary) -> Figure | None:
    """For two swept settings: the chooser (and P) of every cell as a coloured table."""
    if len(summary.grid.axes) != 2 or summary.measure is None:
        return None
    rows_axis, cols_axis = summary.grid.axes
    panels: list[tuple[str, Reading]] = [(summary.chooser_name, lambda c: c.chooser)]
    if not summary.on_p:
        panels.append((summary.measure.name, lambda c: c.score))
    where = {(c.cell.values[rows_axis.setting], c.cell.values[cols_axis.setting]): c for c in summary.cells}
    with report_style():
        figure = Figure(figsize=(3.2 + 2.6 * len(panels) * max(1.0, len(cols_axis.values) / 4), 0.9 + 0.5 * len(rows_axis.values) + 1.2),
                        layout="constrained")
        for panel, (title, reading) in enumerate(panels):
            axes = figure.add_subplot(1, len(panels), panel + 1)
            grid = np.full((len(rows_axis.values), len(cols_axis.values)), np.nan)
            for i, r in enumerate(rows_axis.values):
                for j, c in enumerate(cols_axis.values):
                    cell = where.get((r, c))
                    value = reading(cell) if cell is not None else None
                    if value is not None:
                        grid[i, j] = value.mean
            cmap = colormaps["viridis" if summary.measure.higher_is_better else "viridis_r"].with_extremes(bad="#e5e7eb")
            image = axes.imshow(np.ma.masked_invalid(grid), cmap=cmap, aspect="auto")
            finite = grid[np.isfinite(grid)]
            middle = float(np.mean([finite.min(), finite.max()])) if finite.size else 0.0
            for i in range(grid.shape[0]):
                for j in range(grid.shape[1]):
                    text = "failed" if math.isnan(grid[i, j]) else format_number(grid[i, j])
                    dark = not math.isnan(grid[i, j]) and (grid[i, j] < middle) == summary.measure.higher_is_better
                    axes.text(j, i, text, ha="center", va="center", fontsize=8, color="white" if dark else "#111827")
            if summary.chosen is not None:
                key = (summary.chosen.cell.values[rows_axis.setting], summary.chosen.cell.values[cols_axis.setting])
                i, j = rows_axis.values.index(key[0]), cols_axis.values.index(key[1])
                axes.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=CHOSEN_COLOUR, linewidth=2.5))
            axes.set_xticks(range(len(cols_axis.values)), list(cols_axis.labels))
            axes.set_yticks(range(len(rows_axis.values)), list(rows_axis.labels))
            axes.set_xlabel(cols_axis.setting)
            axes.set_ylabel(rows_axis.setting)
            axes.grid(False)
            axes.set_title(title)
            figure.colorbar(image, ax=axes, shrink=0.8)
    return figure
