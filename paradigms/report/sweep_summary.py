"""A sweep's cells, worked out once: what every part of the sweep page says about each.

For each cell of the grid (:class:`~paradigms.execution.grid.Cell`), over its
seeds: P (mean and 95% interval), the number the sweep chooses on
(:mod:`paradigms.execution.selection`), the seconds per run and per unit of
experience, and the rates the paradigm records (metrics named ``..._per_...``,
such as the supervised ``updates_per_epoch`` or ``examples_per_second``). Then the
chosen cell. The sweep's sections and figures only read this summary.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..evaluation import CURVE_EXPERIENCE, Evaluation, Measure
from ..execution import Cell, Failure, Grid, choose, selection_name, selection_value
from .comparison import Comparison, ParadigmInfo
from .stats import Interval, mean_interval

#: Timings that measure the learning itself, best first (data loading and the final test excluded).
_FIT_TIMINGS = ("fit_seconds", "train_seconds")


@dataclass(frozen=True)
class CellSummary:
    """One cell over its seeds; an interval is ``None`` where no run has the number."""

    cell: Cell
    runs: tuple[Evaluation, ...]
    failures: tuple[Failure, ...]
    score: Interval | None
    chooser: Interval | None
    seconds: Interval | None
    seconds_per_experience: Interval | None
    rates: tuple[tuple[str, Interval], ...]

    @property
    def label(self) -> str:
        return self.cell.label


@dataclass(frozen=True)
class SweepSummary:
    """The whole sweep: its grid, the paradigm, each cell, and the chosen one.

    ``chooser_name`` says what chose (``best validation accuracy``); ``on_p`` is
    true where the paradigm has no separate validation measure and P itself chose.
    """

    grid: Grid
    info: ParadigmInfo
    cells: tuple[CellSummary, ...]
    chosen: CellSummary | None
    measure: Measure | None
    chooser_name: str
    on_p: bool
    experience: str

    @property
    def runs(self) -> int:
        return sum(len(c.runs) for c in self.cells)

    @property
    def failures(self) -> int:
        return sum(len(c.failures) for c in self.cells)

    @property
    def rate_names(self) -> list[str]:
        return list(dict.fromkeys(name for cell in self.cells for name, _ in cell.rates))

    def unit(self) -> str:
        """One unit of experience, for "seconds per ...": the phrase before any qualifier (`` over ...``,
        ``(...)``), ``seen`` dropped, its last word singular: ``epochs over labelled training images`` ->
        ``epoch``, ``environment steps`` -> ``environment step``, ``customers seen`` -> ``customer``,
        ``guesses (training examples seen, ...)`` -> ``guess``."""
        words = self.experience.split("(")[0].split(" over ")[0].split()
        if len(words) > 1 and words[-1] == "seen":
            words = words[:-1]
        if not words:
            return "unit of experience"
        last = words[-1]
        if last.endswith(("sses", "shes", "ches", "xes")):
            words[-1] = last[:-2]
        elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
            words[-1] = last[:-1]
        return " ".join(words)


def _interval(values: Sequence[float | None]) -> Interval | None:
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    return mean_interval(finite) if finite else None


def _fit_seconds(run: Evaluation) -> float | None:
    for key in _FIT_TIMINGS:
        if key in run.timings:
            return run.timings[key]
    return run.timings.get("total_seconds")


def _per_experience(run: Evaluation) -> float | None:
    """Seconds of learning per unit of E: the fit time over the curve's last amount of experience."""
    seconds = _fit_seconds(run)
    experience = run.curve[CURVE_EXPERIENCE].astype(float).dropna()
    if seconds is None or experience.empty or not experience.iloc[-1] > 0:
        return None
    return seconds / float(experience.iloc[-1])


def _rates(runs: Sequence[Evaluation]) -> tuple[tuple[str, Interval], ...]:
    """The numeric metrics named ``..._per_...`` (how fast, how many per unit), over seeds."""
    names = [k for k in (runs[0].metrics if runs else {}) if "_per_" in k]
    found = []
    for name in names:
        values = [run.metrics.get(name) for run in runs]
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            interval = _interval(values)
            if interval is not None:
                found.append((name, interval))
    return tuple(found)


def summarize_cell(cell: Cell, runs: Sequence[Evaluation], failures: Sequence[Failure], rule: str | None) -> CellSummary:
    runs = tuple(sorted(runs, key=lambda ev: ev.seed))
    return CellSummary(
        cell=cell,
        runs=runs,
        failures=tuple(sorted(failures, key=lambda f: f.seed)),
        score=_interval([run.measure.value for run in runs]),
        chooser=_interval([selection_value(run, rule) for run in runs]),
        seconds=_interval([run.timings.get("total_seconds") for run in runs]),
        seconds_per_experience=_interval([_per_experience(run) for run in runs]),
        rates=_rates(runs),
    )


def summarize_sweep(comparison: Comparison) -> SweepSummary:
    """The :class:`SweepSummary` of a comparison made from a sweep (``comparison.sweep`` set)."""
    if comparison.sweep is None:
        raise ValueError("this comparison is not a sweep")
    grid = comparison.sweep.grid
    runs: dict[str, list[Evaluation]] = {cell.id: [] for cell in grid.cells}
    failed: dict[str, list[Failure]] = {cell.id: [] for cell in grid.cells}
    for evaluation, cell_id in zip(comparison.evaluations, comparison.sweep.evaluation_cells, strict=True):
        runs.setdefault(cell_id, []).append(evaluation)
    for failure, cell_id in zip(comparison.failures, comparison.sweep.failure_cells, strict=True):
        failed.setdefault(cell_id, []).append(failure)
    cells = tuple(summarize_cell(cell, runs[cell.id], failed[cell.id], grid.selection) for cell in grid.cells)
    best = choose({c.cell.id: c.runs for c in cells if c.runs}, grid.selection)
    first = next((c.runs[0] for c in cells if c.runs), None)
    measure = first.measure if first is not None else None
    return SweepSummary(
        grid=grid,
        info=comparison.info(grid.paradigm),
        cells=cells,
        chosen=next((c for c in cells if c.cell.id == best), None),
        measure=measure,
        chooser_name=selection_name(grid.selection, measure) if measure is not None else "",
        on_p=grid.selection is None,
        experience=first.experience if first is not None else "",
    )
