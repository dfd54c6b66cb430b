"""The report's content: one :class:`~paradigms.report.document.Document` from a comparison.

Reading order of the page:

1. at a glance: each paradigm's score, failures and fallback data flagged first;
2. what learning means here: Mitchell's definition, baselines, normalized scores;
3. the T/P/E table; 4. scores against baseline and best, with the chart;
5. learning curves of P against E; 6. one section per paradigm (its own figures);
7. data sources; 8. timings; 9. the reproducibility manifest; 10. the glossary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__
from . import appendix
from . import figures as report_figures
from .comparison import Comparison
from .document import (
    Block,
    BulletList,
    Callout,
    Code,
    Document,
    Image,
    Link,
    Paragraph,
    Plain,
    Quote,
    Section,
    Stat,
    StatStrip,
    em,
    strong,
    table,
)
from .paradigm_section import paradigm_section, section_anchor
from .stats import format_amount, format_interval, format_number
from .summary import progression, score_of
from .terms import TermInfo

MITCHELL = (
    "A computer program is said to learn from experience E with respect to some class of "
    "tasks T and performance measure P, if its performance at tasks in T, as measured by P, "
    "improves with experience E."
)

FigureRenderer = Callable[[Any], bytes]


def build_document(
    comparison: Comparison,
    *,
    terms: Sequence[TermInfo] = (),
    render: FigureRenderer = report_figures.figure_png,
) -> Document:
    """The whole report; ``render`` turns a matplotlib Figure into PNG bytes."""
    sections = [
        _intro(comparison),
        _tpe(comparison),
        _scores(comparison, render),
        _curves(comparison, render),
        *[paradigm_section(comparison, name, render) for name in comparison.names],
        appendix.data_sources(comparison),
        appendix.timings(comparison),
        appendix.manifest(comparison),
    ]
    if terms:
        sections.append(appendix.glossary(terms))
    return Document(
        title="Three ways to learn, measured alike",
        subtitle=_subtitle(comparison),
        lead=tuple(_lead(comparison)),
        sections=tuple(sections),
        footer=(
            Plain(f"Made by learning-paradigms {__version__} from results.json; "),
            Code("paradigms report DIR"),
            Plain(" rebuilds this page without rerunning anything."),
        ),
    )


# -- lead --------------------------------------------------------------------------


def _subtitle(comparison: Comparison) -> str:
    run = comparison.run
    seeds = [int(s) for s in run.get("seeds", ())] or sorted({ev.seed for ev in comparison.evaluations})
    if len(seeds) == 1:
        seed_text = f"seed {seeds[0]}"
    elif seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        seed_text = f"{len(seeds)} seeds ({seeds[0]}–{seeds[-1]})"
    else:
        seed_text = f"{len(seeds)} seeds ({', '.join(map(str, seeds))})"
    parts = [f"{len(comparison.names)} paradigm{'s' if len(comparison.names) != 1 else ''}", seed_text]
    if run.get("quick"):
        parts.append("quick budget (--quick): a smoke run, not the full recipe")
    if run.get("created"):
        parts.append(f"run {str(run['created']).replace('T', ' ')}")
    return " · ".join(parts)


def _lead(comparison: Comparison) -> list[Block]:
    stats = []
    for name in comparison.names:
        runs = comparison.evaluations_of(name)
        if not runs:
            stats.append(Stat(label=name, value="failed", detail="no result: see its section", anchor=section_anchor(name), failed=True))
            continue
        score = score_of(runs)
        stats.append(
            Stat(
                label=name,
                value=score.value_text(),
                detail=f"{runs[0].measure.name} · normalized {format_number(score.normalized.mean)}",
                anchor=section_anchor(name),
                normalized=score.normalized.mean,
                colour=report_figures.colour_of(name, comparison.names),
            )
        )
    blocks: list[Block] = [StatStrip(tuple(stats))] if stats else []
    failed = sorted({f.paradigm for f in comparison.failures})
    if failed:
        blocks.append(
            Callout(
                "error",
                "Some runs failed",
                (
                    Plain(f"{len(comparison.failures)} run(s) of {', '.join(failed)} raised an error; "),
                    "the page shows every result that did come back, and each failure in its paradigm's section.",
                ),
            )
        )
    fallbacks = sorted({ev.paradigm for ev in comparison.evaluations if ev.dataset.fallback})
    if fallbacks:
        blocks.append(
            Callout(
                "warning",
                "Stand-in data",
                (
                    Plain(", ".join(fallbacks)),
                    Plain(" could not use its real data set and ran on a stand-in instead "),
                    "(see Data sources); its scores are not comparable with results on the real data.",
                ),
            )
        )
    return blocks


# -- sections -----------------------------------------------------------------------


def _intro(comparison: Comparison) -> Section:
    seeds = len({ev.seed for ev in comparison.evaluations})
    blocks: list[Block] = [
        Paragraph(("One definition, due to Tom Mitchell (1997), holds this page together:",)),
        Quote((Plain(MITCHELL),)),
        Paragraph(
            (
                "Every paradigm below is run and reported in those three words: its task ",
                strong("T"), ", its performance measure ", strong("P"), " and its experience ",
                strong("E"), ". What tells them apart is the feedback they learn from. "
                "In supervised learning every example comes with the correct label; "
                "in unsupervised learning there is no feedback at all, only the data; "
                "in reinforcement learning an agent acts and receives a reward after each action.",
            )
        ),
        Paragraph(
            (
                "A score means little without its floor. Each measure is shown beside its ",
                em("baseline"), " (what a trivial program scores: guessing, a random grouping, "
                "a random policy) and its ", em("best"), " (a perfect score, or the threshold at "
                "which a task counts as solved). The normalized score puts them on one scale: "
                "0 is the baseline, 1 the best. The learning curves show P as E grows: "
                "where the curve rises, the program learns in Mitchell's sense.",
            )
        ),
    ]
    if seeds > 1:
        blocks.append(
            Paragraph(
                (
                    f"Every paradigm ran with {seeds} seeds. Scores read ",
                    em("mean ± half-width"), " of the 95% Student-t confidence interval over the seeds; "
                    "the figures of each paradigm come from its first seed.",
                )
            )
        )
    return Section("learning", "What learning means here", tuple(blocks), short_title="What learning means")


def _tpe(comparison: Comparison) -> Section:
    rows = []
    for name in comparison.names:
        info = comparison.info(name)
        rows.append([Link(name, section_anchor(name)), info.task, info.measure, info.experience, info.feedback])
    return Section(
        "tpe",
        "Task, measure, experience",
        (
            Paragraph(("The same three questions for every paradigm: what is it trying to do (T), "
                       "how is it scored (P), and what does it learn from (E)?",)),
            table(["paradigm", "task T", "measure P", "experience E", "feedback signal"], rows),
        ),
    )


def _scores(comparison: Comparison, render: FigureRenderer) -> Section:
    rows, sentences = [], []
    for name in comparison.names:
        runs = comparison.evaluations_of(name)
        if not runs:
            rows.append([Link(name, section_anchor(name)), "", Plain("failed"), "", "", "", Plain("0")])
            continue
        score = score_of(runs)
        measure = runs[0].measure
        rows.append(
            [
                Link(name, section_anchor(name)),
                measure.name,
                strong(Plain(score.value_text())),
                Plain(format_number(score.baseline)),
                Plain(format_number(score.best)),
                Plain(format_interval(score.normalized)),
                Plain(str(len(runs))),
            ]
        )
        share = score.normalized.mean
        sentences.append(
            (
                strong(Plain(name)),
                Plain(f" scored {score.value_text()} on {measure.name}"),
                Plain(f" against a baseline of {format_number(score.baseline)} and a best of {format_number(score.best)}: "),
                Plain(_share_words(share)),
            )
        )
    several_seeds = any(len(comparison.evaluations_of(name)) > 1 for name in comparison.names)
    blocks: list[Block] = [
        table(
            ["paradigm", "measure P", "score", "baseline", "best", "normalized", "seeds"],
            rows,
            numeric=(2, 3, 4, 5, 6),
        )
    ]
    if sentences:
        blocks.append(BulletList(tuple(sentences)))
    if comparison.names:
        blocks.append(
            Image(
                "normalized-scores.png",
                render(report_figures.normalized_score_chart(comparison)),
                alt="Bar chart of each paradigm's normalized score, from 0 (baseline) to 1 (best).",
                caption=(
                    "Normalized score per paradigm: 0 is the baseline a trivial program reaches, "
                    "1 the best (perfect or solved)."
                    + (" Whiskers: 95% interval over seeds; dots: single seeds." if several_seeds else ""),
                ),
            )
        )
    return Section("scores", "Scores against baseline and best", tuple(blocks), short_title="Scores")


def _share_words(share: float) -> str:
    if share >= 1.0:
        return "at or beyond the best."
    if share <= 0.0:
        return "no better than the baseline."
    return f"{share * 100:.0f}% of the way from the baseline to the best."


def _curves(comparison: Comparison, render: FigureRenderer) -> Section:
    blocks: list[Block] = [
        Paragraph(
            (
                "Mitchell's test, drawn: P (vertical) as the experience E (horizontal) grows. "
                "The units differ between paradigms, so each has its own axes; the dotted line "
                "is the baseline and the dashed line the best.",
            )
        )
    ]
    figure = report_figures.learning_curves(comparison)
    if figure is not None:
        blocks.append(
            Image(
                "learning-curves.png",
                render(figure),
                alt="Learning curves: performance P against experience E, one panel per paradigm.",
                caption=(
                    "Learning curves of P against E."
                    + (" Thin lines: single seeds; thick line: their mean; band: its 95% interval."
                       if any(len(comparison.evaluations_of(n)) > 1 for n in comparison.names) else ""),
                ),
            )
        )
    items = []
    for name in comparison.names:
        runs = comparison.evaluations_of(name)
        moved = progression(runs) if runs else None
        if moved is None:
            continue
        verdict = "it learns in Mitchell's sense." if moved.improved else "it did not improve with more experience."
        items.append(
            (
                strong(Plain(name)),
                Plain(
                    f": P went from {format_number(moved.first)} after {format_amount(moved.first_experience)} "
                    f"to {format_number(moved.last)} after {format_amount(moved.last_experience)} "
                    f"{runs[0].experience} ({runs[0].measure.curve_label}); "
                ),
                verdict,
            )
        )
    if items:
        blocks.append(BulletList(tuple(items)))
    return Section("curves", "Learning curves: P against E", tuple(blocks), short_title="Learning curves")
