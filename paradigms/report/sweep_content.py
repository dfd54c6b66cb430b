"""The sweep report: what each swept setting does, and which cell the sweep chose.

Reading order of the page:

1. at a glance: the chosen cell, its chooser and its P, runs done and failed;
2. what was swept: the settings and values, the seeds, and which measure chose
   (a validation measure, never the test set, where the paradigm has one);
3. every cell: a table of the chooser, P, seconds per run and per unit of E, rates;
4. what each setting does: figures against each setting, the heat map of a
   two-setting grid, every cell's learning curve, and each setting's effect in words;
5. failed runs, each with its error; 6. the chosen cell's own section (its figures);
7. data sources, the reproducibility manifest and the glossary.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from .. import __version__
from ..execution import show_value
from . import appendix
from .comparison import Comparison
from .document import (
    Block,
    BulletList,
    Callout,
    Code,
    Document,
    Image,
    Paragraph,
    Plain,
    Preformatted,
    Section,
    Stat,
    StatStrip,
    em,
    strong,
    table,
)
from .drawings import FigureRenderer
from .figures import figure_png
from .paradigm_section import paradigm_section
from .stats import Interval, format_amount, format_interval, pretty_key
from .summary import summarize_paradigm
from .sweep_figures import cell_curves, cost_against_settings, heat_map, measure_against_settings
from .sweep_summary import CellSummary, SweepSummary, summarize_sweep
from .terms import TermInfo


def build_sweep_document(
    comparison: Comparison, *, terms: Sequence[TermInfo] = (), render: FigureRenderer = figure_png
) -> Document:
    """The whole sweep report of ``comparison`` (made by :meth:`Comparison.from_sweep`)."""
    summary = summarize_sweep(comparison)
    chosen = _chosen_summary(comparison, summary, render)
    sections = [_swept(summary), _cells(summary), _effects(summary, render)]
    if summary.failures:
        sections.append(_failures(summary))
    if chosen is not None and summary.chosen is not None:  # (made from summary.chosen)
        section = paradigm_section(chosen)
        sections.append(dataclasses.replace(
            section, anchor="chosen", title=f"The chosen cell: {summary.chosen.label}", short_title="Chosen cell"))
        sections.append(appendix.data_sources([chosen]))
    sections.append(appendix.manifest(comparison, [chosen] if chosen is not None else []))
    if terms:
        sections.append(appendix.glossary(terms))
    return Document(
        title=_title(summary),
        subtitle=_subtitle(comparison, summary),
        lead=tuple(_lead(comparison, summary)),
        sections=tuple(sections),
        footer=(Plain(f"Made by learning-paradigms {__version__} from results.json; "), Code("paradigms report DIR"),
                Plain(" rebuilds this page without rerunning anything.")),
        kicker="learning-paradigms · sweep report",
    )


def _chosen_summary(comparison: Comparison, summary: SweepSummary, render: FigureRenderer) -> Any:
    """The chosen cell as a one-paradigm comparison's summary, for its own section and data."""
    if summary.chosen is None:
        return None
    alone = Comparison(evaluations=summary.chosen.runs, paradigms=comparison.paradigms, run=comparison.run)
    return summarize_paradigm(alone, summary.grid.paradigm, render)


def _title(summary: SweepSummary) -> str:
    names = [axis.setting for axis in summary.grid.axes]
    if len(names) == 1:
        return f"What does {names[0]} do?"
    return f"What do {', '.join(names[:-1])} and {names[-1]} do?"


def _subtitle(comparison: Comparison, summary: SweepSummary) -> str:
    seeds = [int(s) for s in comparison.run.get("seeds", ())]
    parts = [f"a sweep of {summary.grid.paradigm}", summary.grid.describe(),
             f"{len(seeds)} seed{'s' if len(seeds) != 1 else ''} per cell" if seeds else ""]
    if summary.grid.quick:
        parts.append("quick budget (--quick)")
    if comparison.run.get("created"):
        parts.append(f"run {str(comparison.run['created']).replace('T', ' ')}")
    return " · ".join(p for p in parts if p)


def _text(interval: Interval | None) -> str:
    return format_interval(interval) if interval is not None else "—"


def _lead(comparison: Comparison, summary: SweepSummary) -> list[Block]:
    total = len(summary.grid.cells) * max(1, len(comparison.run.get("seeds", ()) or [0]))
    stats = []
    if summary.chosen is not None and summary.measure is not None:
        chosen = summary.chosen
        stats.append(Stat("chosen cell", chosen.label, f"{summary.chooser_name}: {_text(chosen.chooser)}", "cells"))
        if not summary.on_p:
            stats.append(Stat(f"its {summary.measure.name}", _text(chosen.score),
                              "P of the chosen cell, reported beside the choice, not used for it", "chosen"))
    stats.append(Stat("runs", f"{summary.runs} of {total}", f"{summary.failures} failed" if summary.failures else
                      "none failed", "cells", failed=summary.failures > 0))
    blocks: list[Block] = [StatStrip(tuple(stats))]
    if summary.failures:
        blocks.append(Callout("error", "Some runs failed", (
            Plain(f"{summary.failures} run(s) raised an error; "),
            "the page shows every result that did come back, and each failure under Failed runs.")))
    if any(ev.dataset.fallback for ev in comparison.evaluations):
        blocks.append(Callout("warning", "Stand-in data", (
            "Some runs could not use the real data set and ran on a stand-in instead (see Data sources); "
            "their scores are not comparable with results on the real data.",)))
    return blocks


def _swept(summary: SweepSummary) -> Section:
    grid, info = summary.grid, summary.info
    helps = {str(row.get("name")): str(row.get("help", "")) for row in info.settings}
    rows = [[Code(axis.setting), Plain(", ".join(axis.labels)), helps.get(axis.setting, "")] for axis in grid.axes]
    fixed = ", ".join(f"{k}={show_value(v)}" for k, v in grid.fixed.items())
    blocks: list[Block] = [
        Paragraph((f"Each cell of the grid is one combination of the values below; each ran with every seed, "
                   f"so each number is a mean with its 95% interval over the seeds. {grid.paradigm} learns to "
                   f"{info.task or 'do its task'}; P is its {info.measure or 'measure'}.",)),
        table(["setting", "values", "meaning"], rows),
    ]
    if fixed:
        blocks.append(Paragraph((Plain("Fixed for every cell: "), Code(fixed), Plain("."))))
    blocks.append(_selection_note(summary))
    record = {k: v for k, v in grid.to_dict().items() if k != "cells"}  # each cell's settings: in the manifest
    blocks.append(Preformatted("The grid (JSON)", json.dumps(record, indent=1)))
    return Section("swept", "What was swept", tuple(blocks))


def _selection_note(summary: SweepSummary) -> Callout:
    """Which measure chose, and why not the test set."""
    measure = summary.measure.name if summary.measure is not None else "P"
    if summary.on_p:
        return Callout("note", f"Chosen on {measure} itself", (
            Plain(f"{summary.grid.paradigm} names no separate validation measure, so the best cell is the one "
                  f"with the best mean {measure}. "),
            "That is sound for a measure computed from the data alone, with no held-out labels "
            "(a clustering's silhouette); for a measure taken on a test set it would be leakage.",))
    return Callout("note", f"Chosen on {summary.chooser_name}, not on {measure}", (
        Plain(f"The best cell is the one with the best mean {summary.chooser_name}, "
              f"measured on held-out data during training. Its {measure} is reported beside it, "),
        "but never used to choose: choosing settings by their test score, then reporting that score, is "
        "leakage. The test set would have taken part in training through the choice, and the score "
        "would flatter the model.",))


def _cells(summary: SweepSummary) -> Section:
    rates = summary.rate_names
    measure = summary.measure.name if summary.measure is not None else "P"
    header = [axis.setting for axis in summary.grid.axes]
    header += ([summary.chooser_name + " (chooses)"] if not summary.on_p else [])
    header += [measure + (" (chooses)" if summary.on_p else ""), "s per run", f"s per {summary.unit()}"]
    header += [pretty_key(name) for name in rates] + ["runs"]
    rows = []
    for cell in summary.cells:
        chosen = summary.chosen is not None and cell.cell.id == summary.chosen.cell.id
        values: list[Any] = [Plain(show_value(cell.cell.values.get(axis.setting))) for axis in summary.grid.axes]
        numbers = ([cell.chooser] if not summary.on_p else []) + [cell.score, cell.seconds, cell.seconds_per_experience]
        numbers += [dict(cell.rates).get(name) for name in rates]
        values += [Plain(_text(n)) for n in numbers]
        values.append(Plain(f"{len(cell.runs)}" + (f" ({len(cell.failures)} failed)" if cell.failures else "")))
        if chosen:
            values = [strong(v) for v in values]
            values[0] = strong(Plain("★ " + show_value(cell.cell.values.get(summary.grid.axes[0].setting))))
        rows.append(values)
    first = len(summary.grid.axes)
    caption = "★ the chosen cell. Mean ± half-width of the 95% interval over seeds; s = seconds."
    return Section("cells", "Every cell", (table(header, rows, numeric=range(first, len(header)), caption=caption),),
                   short_title="Every cell")


def _effects(summary: SweepSummary, render: FigureRenderer) -> Section:
    blocks: list[Block] = []
    sentences = [_effect_sentence(summary, index) for index in range(len(summary.grid.axes))]
    if any(sentences):
        blocks.append(BulletList(tuple(s for s in sentences if s)))
    figures = [
        (measure_against_settings(summary), "sweep-measure.png",
         f"{summary.chooser_name} (solid) and P (dashed) against each setting" if not summary.on_p
         else f"{summary.chooser_name} against each setting",
         "Mean and 95% interval over seeds; the ring marks the chosen cell."),
        (heat_map(summary), "sweep-heat-map.png", "Every cell of the two-setting grid",
         "The outlined cell is the chosen one; grey cells have no result."),
        (cost_against_settings(summary), "sweep-cost.png", "Time and rates against each setting",
         "Seconds per run, seconds per unit of experience, and the rates the paradigm records."),
        (cell_curves(summary), "sweep-curves.png", "The learning curve of every cell",
         "P against E on shared axes, each line a cell's mean over its seeds; the thick line is the chosen cell."),
    ]
    for figure, filename, alt, caption in figures:
        if figure is not None:
            blocks.append(Image(filename, render(figure), alt=alt, caption=(Plain(f"{alt}. {caption}"),)))
    return Section("effects", "What each setting does", tuple(blocks), short_title="Effects")


def _along(summary: SweepSummary, index: int) -> list[CellSummary]:
    """The cells along axis ``index`` with the other settings at the chosen cell's values (else the first cell's)."""
    anchor = summary.chosen or summary.cells[0]
    others = [a.setting for i, a in enumerate(summary.grid.axes) if i != index]
    return [c for c in summary.cells
            if all(c.cell.values.get(name) == anchor.cell.values.get(name) for name in others) and c.runs]


def _effect_sentence(summary: SweepSummary, index: int) -> tuple[Any, ...]:
    """``batch_size from 32 to 2048: best validation accuracy 0.981 → 0.962; seconds per epoch 9.1 → 2.0; ...``."""
    axis, cells = summary.grid.axes[index], _along(summary, index)
    if len(cells) < 2:
        return ()
    first, last = cells[0], cells[-1]
    readings = [(summary.chooser_name, lambda c: c.chooser)] if not summary.on_p else []
    if summary.measure is not None:
        readings.append((summary.measure.name, lambda c: c.score))
    readings += [("seconds per run", lambda c: c.seconds), (f"seconds per {summary.unit()}", lambda c: c.seconds_per_experience)]
    readings += [(pretty_key(name), lambda c, name=name: dict(c.rates).get(name)) for name in summary.rate_names]  # type: ignore[misc]  # mypy cannot infer a lambda with a default argument
    changes = []
    for name, reading in readings:
        a, b = reading(first), reading(last)
        if a is not None and b is not None:
            changes.append(f"{name} {format_amount(a.mean)} → {format_amount(b.mean)}")
    frm, to = show_value(first.cell.values[axis.setting]), show_value(last.cell.values[axis.setting])
    return (strong(Code(axis.setting)), Plain(f" from {frm} to {to}: "), Plain("; ".join(changes) + "."),
            *((em(Plain(" (other settings as in the chosen cell)")),) if len(summary.grid.axes) > 1 else ()))


def _failures(summary: SweepSummary) -> Section:
    blocks: list[Block] = [Paragraph(("Every run that raised an error, with its traceback; the other runs are kept.",))]
    for cell in summary.cells:
        for failure in cell.failures:
            blocks.append(Callout("error", f"{cell.label}, seed {failure.seed}", (Plain(failure.error),),
                                  detail=failure.traceback))
    return Section("failures", "Failed runs", tuple(blocks))
