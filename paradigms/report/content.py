"""The report's content: one :class:`~paradigms.report.document.Document` from a comparison.

Reading order of the page:

1. at a glance: each paradigm's score, failures and fallback data flagged first;
2. what learning means here: Mitchell's definition, baselines, normalized scores;
3. the T/P/E table; 4. scores against baseline and best, with the chart;
5. learning curves of P against E; 6. one section per paradigm (its own figures);
7. data sources; 8. timings; 9. the reproducibility manifest; 10. the glossary.

One task learned from three kinds of feedback (``paradigms compare --task digits``,
and a labelled table) opens with that figure (:mod:`~paradigms.report.same_task`); a
table seen with its labels and without (``paradigms compare --data TABLE
--target COLUMN``) then with that contrast (:mod:`~paradigms.report.table_comparison`).
The default page, three different tasks, says that their normalized scores do not
rank the paradigms.

Each paradigm's numbers and drawings are worked out once
(:func:`~paradigms.report.summary.summarize`); every section reads them from there.
A sweep's page is built by :mod:`~paradigms.report.sweep_content` instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import __version__
from ..same_task import SAME_TASK_COMMAND
from . import appendix
from .comparison import Comparison
from .document import (
    Block,
    Callout,
    Code,
    Document,
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
from .drawings import FigureRenderer
from .figures import figure_png
from .overview import curves_section, scores_section
from .paradigm_section import paradigm_section, section_anchor
from .same_task import DIFFERENT_TASKS_CAVEAT, is_same_task, same_task_section
from .stats import format_number
from .summary import ParadigmSummary, summarize
from .sweep_content import build_sweep_document
from .table_comparison import is_table_comparison, table_comparison_section
from .terms import TermInfo

MITCHELL = (
    "A computer program is said to learn from experience E with respect to some class of "
    "tasks T and performance measure P, if its performance at tasks in T, as measured by P, "
    "improves with experience E."
)


def build_document(
    comparison: Comparison,
    *,
    terms: Sequence[TermInfo] = (),
    render: FigureRenderer = figure_png,
) -> Document:
    """The whole report; ``render`` turns a matplotlib Figure into PNG bytes. A sweep
    (``comparison.sweep``) gets the sweep report (:mod:`~paradigms.report.sweep_content`)."""
    if comparison.sweep is not None:
        return build_sweep_document(comparison, terms=terms, render=render)
    summaries = summarize(comparison, render)
    sections = [
        *([same_task_section(comparison, render)] if is_same_task(comparison) else []),
        *([table_comparison_section(comparison, render)] if is_table_comparison(comparison) else []),
        _intro(comparison),
        _tpe(summaries),
        scores_section(summaries, render),
        curves_section(summaries, render),
        *[paradigm_section(summary) for summary in summaries],
        appendix.data_sources(summaries),
        appendix.timings(summaries),
        appendix.manifest(comparison, summaries),
    ]
    if terms:
        sections.append(appendix.glossary(terms))
    return Document(
        title="Three ways to learn, measured alike",
        subtitle=_subtitle(comparison),
        lead=tuple(_lead(comparison, summaries)),
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


def _lead(comparison: Comparison, summaries: Sequence[ParadigmSummary]) -> list[Block]:
    stats = []
    for summary in summaries:
        anchor = section_anchor(summary.name)
        if summary.score is None or summary.measure is None:
            stats.append(Stat(label=summary.name, value="failed", detail="no result: see its section", anchor=anchor,
                              failed=True))
            continue
        stats.append(
            Stat(
                label=summary.name,
                value=summary.score.value_text(),
                detail=f"{summary.measure.name} · normalized {format_number(summary.score.normalized.mean)}",
                anchor=anchor,
                normalized=summary.score.normalized.mean,
                colour=summary.colour,
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
                "0 is the baseline, 1 the best. The best is a perfect score where there is one (accuracy "
                "1.0) and otherwise a threshold (the return at which a Gymnasium task counts as solved). "
                "A threshold can be passed: a normalized score above 1, say 1.03, means the program went "
                "past the best line by 3% of the distance from baseline to best; it did not beat perfection. "
                "The learning curves show P as E grows: where P improves by more than the curve's noise "
                "(its own ups and downs, or the differences between seeds), the program learns in "
                "Mitchell's sense.",
            )
        ),
    ]
    if not is_same_task(comparison) and not is_table_comparison(comparison) and len(comparison.names) > 1:
        blocks.append(Callout("note", "Three tasks do not rank three paradigms", (
            Plain(DIFFERENT_TASKS_CAVEAT), Code(SAME_TASK_COMMAND), Plain("."))))
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


def _tpe(summaries: Sequence[ParadigmSummary]) -> Section:
    rows = []
    for summary in summaries:
        info = summary.info
        rows.append([Link(summary.name, section_anchor(summary.name)), info.task, info.measure, info.experience,
                     info.feedback])
    return Section(
        "tpe",
        "Task, measure, experience",
        (
            Paragraph(("The same three questions for every paradigm: what is it trying to do (T), "
                       "how is it scored (P), and what does it learn from (E)?",)),
            table(["paradigm", "task T", "measure P", "experience E", "feedback signal"], rows),
        ),
    )
