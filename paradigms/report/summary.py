"""Each paradigm's results, worked out once: what every part of the page says about it.

:func:`summarize` reads a :class:`~paradigms.report.comparison.Comparison` once
and gives one :class:`ParadigmSummary` per paradigm: its score over the seeds
(mean and 95% interval of P and of the normalized score), how P moved along the
learning curve (:mod:`~paradigms.report.learning`), its table of one-number
metrics, and its drawings (figures rendered to PNG, its own pictures). The page's
sections (:mod:`~paradigms.report.content`, :mod:`~paradigms.report.paradigm_section`,
:mod:`~paradigms.report.appendix`) and the comparison figures
(:mod:`~paradigms.report.figures`) only read these summaries, so ``index.html``
and ``report.md`` say the same numbers, computed one time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..evaluation import Evaluation, Measure
from ..execution import Failure
from .comparison import Comparison, ParadigmInfo
from .drawings import Drawing, FigureProblem, FigureRenderer, paradigm_drawings
from .learning import Progression, progression
from .stats import Interval, format_interval, format_number, mean_interval
from .style import colour_of

#: Metric strings longer than this are data for a figure, not a value to list.
_LONG_TEXT = 120
_SHORT_LIST = 12


@dataclass(frozen=True)
class Score:
    """P over one paradigm's seeds: the raw value and the normalized score."""

    value: Interval
    normalized: Interval
    baseline: float
    best: float
    spread: float | None  # the measure's own std, for a single seed (e.g. over evaluation episodes)
    per_seed: tuple[float, ...] = ()  # the normalized score of each seed, in seed order

    def value_text(self) -> str:
        text = format_interval(self.value)
        if self.value.half_width is None and self.spread is not None:
            text += f" (std {format_number(self.spread)})"
        return text


def score_of(runs: Sequence[Evaluation]) -> Score:
    """Mean and 95% interval of P and of the normalized score over ``runs``."""
    if not runs:
        raise ValueError("score_of needs at least one evaluation")
    measure = runs[0].measure
    normalized = [ev.normalized_score for ev in runs]
    return Score(
        value=mean_interval([ev.measure.value for ev in runs]),
        normalized=mean_interval(normalized),
        baseline=measure.baseline,
        best=measure.best,
        spread=measure.std if len(runs) == 1 else None,
        per_seed=tuple(normalized),
    )


@dataclass(frozen=True)
class MetricRow:
    """One line of a paradigm's metrics table: its name and its value as text.
    ``number`` rows sit beside P; words and short lists go to a second table."""

    name: str
    text: str
    number: bool


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def scalar_metrics(runs: Sequence[Evaluation]) -> list[MetricRow]:
    """Every metric that is one number, a short word or a short list in every run:
    numbers as mean ± interval over seeds. Tables and long lists are left to the
    paradigm's figures."""
    if not runs:
        return []
    rows = []
    for key in runs[0].metrics:
        values: list[Any] = [ev.metrics.get(key) for ev in runs]  # any JSON value: each branch checks them
        if all(_is_number(v) for v in values):
            same = all(v == values[0] for v in values)
            text = format_number(values[0]) if same else format_interval(mean_interval(values))
            rows.append(MetricRow(key, text, True))
        elif all(isinstance(v, bool) for v in values):
            rows.append(MetricRow(key, ", ".join(sorted({"yes" if v else "no" for v in values})), True))
        elif all(isinstance(v, str) and len(v) <= _LONG_TEXT for v in values):
            rows.append(MetricRow(key, ", ".join(dict.fromkeys(values)), False))
        elif all(_short_list(v) for v in values):
            texts = dict.fromkeys(", ".join(format_number(x) if _is_number(x) else str(x) for x in v) for v in values)
            rows.append(MetricRow(key, " | ".join(texts), False))
    return rows


def _short_list(value: Any) -> bool:
    """A short list of numbers or words, e.g. the layer sizes [784, 256, 128, 10]."""
    return (
        isinstance(value, list)
        and 0 < len(value) <= _SHORT_LIST
        and all(_is_number(x) or (isinstance(x, str) and len(x) <= 20) for x in value)
    )


@dataclass(frozen=True)
class ParadigmSummary:
    """Everything the page says about one paradigm, computed once.

    ``score``, ``progression`` and ``metrics`` are empty (``None``, ``()``) when
    every run of the paradigm failed; ``drawings`` come from its first seed.
    """

    name: str
    info: ParadigmInfo
    runs: tuple[Evaluation, ...]
    failures: tuple[Failure, ...]
    colour: str
    score: Score | None
    progression: Progression | None
    metrics: tuple[MetricRow, ...]
    drawings: tuple[Drawing | FigureProblem, ...]

    @property
    def first(self) -> Evaluation | None:
        """The run whose figures, data and settings the page shows (the first seed)."""
        return self.runs[0] if self.runs else None

    @property
    def measure(self) -> Measure | None:
        return self.runs[0].measure if self.runs else None

    @property
    def several(self) -> bool:
        """Whether it ran with several seeds (scores then carry an interval)."""
        return len(self.runs) > 1


def summarize_paradigm(comparison: Comparison, name: str, render: FigureRenderer) -> ParadigmSummary:
    """The :class:`ParadigmSummary` of paradigm ``name``; ``render`` turns its figures into PNG."""
    runs = tuple(comparison.evaluations_of(name))
    return ParadigmSummary(
        name=name,
        info=comparison.info(name),
        runs=runs,
        failures=tuple(comparison.failures_of(name)),
        colour=colour_of(name, comparison.names),
        score=score_of(runs) if runs else None,
        progression=progression(runs) if runs else None,
        metrics=tuple(scalar_metrics(runs)),
        drawings=paradigm_drawings(name, runs[0], render, several=len(runs) > 1) if runs else (),
    )


def summarize(comparison: Comparison, render: FigureRenderer) -> list[ParadigmSummary]:
    """One summary per paradigm of ``comparison``, in its order (failed ones included)."""
    return [summarize_paradigm(comparison, name, render) for name in comparison.names]
