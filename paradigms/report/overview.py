"""The two sections that put the paradigms side by side: scores against baseline and
best (with the normalized-score chart), and the learning curves (with, for each
paradigm, whether its curve shows learning in Mitchell's sense)."""

from __future__ import annotations

from collections.abc import Sequence

from . import figures as report_figures
from .document import Block, BulletList, Image, Link, Paragraph, Plain, Section, strong, table
from .drawings import FigureRenderer
from .paradigm_section import section_anchor
from .stats import format_amount, format_interval, format_number
from .summary import ParadigmSummary


def scores_section(summaries: Sequence[ParadigmSummary], render: FigureRenderer) -> Section:
    """Every score beside its baseline and best, in a table, in words and as a chart."""
    rows, sentences = [], []
    for summary in summaries:
        name, score, measure = summary.name, summary.score, summary.measure
        if score is None or measure is None:
            rows.append([Link(name, section_anchor(name)), "", Plain("failed"), "", "", "", Plain("0")])
            continue
        rows.append(
            [
                Link(name, section_anchor(name)),
                measure.name,
                strong(Plain(score.value_text())),
                Plain(format_number(score.baseline)),
                Plain(format_number(score.best)),
                Plain(format_interval(score.normalized)),
                Plain(str(len(summary.runs))),
            ]
        )
        sentences.append(
            (
                strong(Plain(name)),
                Plain(f" scored {score.value_text()} on {measure.name}"),
                Plain(f" against a baseline of {format_number(score.baseline)} and a best of {format_number(score.best)}: "),
                Plain(share_words(score.normalized.mean)),
            )
        )
    several_seeds = any(summary.several for summary in summaries)
    blocks: list[Block] = [
        table(
            ["paradigm", "measure P", "score", "baseline", "best", "normalized", "seeds"],
            rows,
            numeric=(2, 3, 4, 5, 6),
        )
    ]
    if sentences:
        blocks.append(BulletList(tuple(sentences)))
    if summaries:
        beyond = any(s.score is not None and s.score.normalized.mean > 1.0 for s in summaries)
        blocks.append(
            Image(
                "normalized-scores.png",
                render(report_figures.normalized_score_chart(summaries)),
                alt="Bar chart of each paradigm's normalized score, from 0 (baseline) to 1 (best).",
                caption=(
                    "Normalized score per paradigm: 0 is the baseline a trivial program reaches, "
                    "1 the best (perfect or solved)."
                    + (" A bar past 1 went beyond a threshold, which can be passed, unlike a perfect score."
                       if beyond else "")
                    + (" Whiskers: 95% interval over seeds; dots: single seeds." if several_seeds else ""),
                ),
            )
        )
    return Section("scores", "Scores against baseline and best", tuple(blocks), short_title="Scores")


def share_words(share: float) -> str:
    """Where a normalized score ``share`` lies, in words, for a reader who was told "1 = best"."""
    if share > 1.0:
        return (
            f"beyond the best. A normalized score of {format_number(share)} means it passed the best line by "
            f"{(share - 1.0) * 100:.0f}% of the distance from baseline to best: that line is a threshold "
            "(the score at which the task counts as solved), not a perfect score, so it can be passed."
        )
    if share == 1.0:
        return "exactly at the best."
    if share < 0.0:
        return "below the baseline: worse than a trivial program."
    if share == 0.0:
        return "no better than the baseline."
    return f"{share * 100:.0f}% of the way from the baseline to the best."


def curves_section(summaries: Sequence[ParadigmSummary], render: FigureRenderer) -> Section:
    """The learning curves side by side, and for each paradigm how P moved along its curve."""
    blocks: list[Block] = [
        Paragraph(
            (
                "Mitchell's test, drawn: P (vertical) as the experience E (horizontal) grows. "
                "The units differ between paradigms, so each has its own axes; the dotted line "
                "is the baseline and the dashed line the best. A paradigm learns here when P improves "
                "along its curve by more than the curve's noise: more than the interval between seeds "
                "with several seeds, more than the curve's own largest step back with one.",
            )
        )
    ]
    figure = report_figures.learning_curves(summaries)
    if figure is not None:
        blocks.append(
            Image(
                "learning-curves.png",
                render(figure),
                alt="Learning curves: performance P against experience E, one panel per paradigm.",
                caption=(
                    "Learning curves of P against E."
                    + (" Thin lines: single seeds; thick line: their mean; band: its 95% interval."
                       if any(summary.several for summary in summaries) else ""),
                ),
            )
        )
    items = []
    for summary in summaries:
        moved, first = summary.progression, summary.first
        if moved is None or first is None:
            continue
        measure = first.measure
        moved_text = (
            f"went from {format_number(moved.first)} after {format_amount(moved.first_experience)} "
            f"to {format_number(moved.last)} after {format_amount(moved.last_experience)} {first.experience}"
        )
        if measure.curve_label == measure.name:
            text, subject = f": P {moved_text}; ", "P"
        else:  # the curve tracks another number than P: say which, so the two are not mistaken for one
            text, subject = (
                f": its curve tracks the {measure.curve_label}, not P (the {measure.name}, measured once at the "
                f"end); it {moved_text}; ",
                "it",
            )
        items.append((strong(Plain(summary.name)), Plain(text), moved.trend.sentence(subject)))
    if items:
        blocks.append(BulletList(tuple(items)))
    return Section("curves", "Learning curves: P against E", tuple(blocks), short_title="Learning curves")
