"""One paradigm's section of the report: what it is, how it scored, its own figures
and pictures, its data, its settings, and any run that failed. It reads the
paradigm's :class:`~paradigms.report.summary.ParadigmSummary` and computes nothing again."""

from __future__ import annotations

from typing import Any

from ..evaluation import Evaluation
from .comparison import ParadigmInfo
from .document import (
    Block,
    BulletList,
    Callout,
    Code,
    Image,
    Inline,
    Paragraph,
    Plain,
    Section,
    Table,
    inlines,
    strong,
)
from .drawings import Drawing, FigureProblem
from .prose import description_blocks, has_tpe_list
from .stats import format_interval, format_number
from .summary import ParadigmSummary, Score
from .terms import safe_slug

#: Up to this many measures, one measure/value column pair; more, two pairs side by side.
_ONE_COLUMN_ROWS = 10


def section_anchor(name: str) -> str:
    return f"paradigm-{safe_slug(name)}"


def paradigm_section(summary: ParadigmSummary) -> Section:
    """The section of one paradigm (its failures included)."""
    name, info = summary.name, summary.info
    blocks: list[Block] = description_blocks(info.description)
    if not has_tpe_list(info.description):
        blocks.append(
            BulletList(
                (
                    (strong("T"), Plain(" (task): "), info.task or "—"),
                    (strong("P"), Plain(" (measure): "), info.measure or "—"),
                    (strong("E"), Plain(" (experience): "), info.experience or "—"),
                    (strong("feedback"), Plain(": "), info.feedback or "—"),
                )
            )
        )
    for failure in summary.failures:
        blocks.append(
            Callout(
                "error",
                f"The run with seed {failure.seed} failed",
                (Plain(failure.error),),
                detail=failure.traceback,
            )
        )
    if summary.score is not None:
        blocks.extend(_results(summary, summary.score))
    blocks.extend(_drawing_block(item) for item in summary.drawings)
    if summary.first is not None:
        blocks.extend(_data(summary.first))
    blocks.extend(_settings(info, summary.first))
    title = name if not info.task else f"{name}: {info.task}"
    return Section(section_anchor(name), title, tuple(blocks), short_title=name)


def _results(summary: ParadigmSummary, score: Score) -> list[Block]:
    """P beside its baseline and best, then every other one-number metric (in two
    column pairs when there are many, so the table stays short)."""
    measure = summary.runs[0].measure
    pairs: list[tuple[Inline, Inline]] = [
        (strong(Plain(f"{measure.name} (P)")), strong(Plain(score.value_text()))),
        (Plain("baseline"), Plain(format_number(score.baseline))),
        (Plain("best"), Plain(format_number(score.best))),
        (Plain("normalized score"), Plain(format_interval(score.normalized))),
    ]
    pairs.extend((Plain(row.name), Plain(row.text)) for row in summary.metrics if row.number)
    words = tuple(((Plain(row.name),), (Plain(row.text),)) for row in summary.metrics if not row.number)
    seeds = ", ".join(str(ev.seed) for ev in summary.runs)
    caption = f"Seeds {seeds}: mean ± half-width of the 95% interval." if summary.several else f"Seed {seeds}."
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    if len(pairs) <= _ONE_COLUMN_ROWS:
        rows = tuple(((name,), (value,)) for name, value in pairs)
        blocks: list[Block] = [Table(header=("measure", "value"), rows=rows, caption=caption, numeric=frozenset({1}))]
    else:
        half = (len(pairs) + 1) // 2
        left, right = pairs[:half], pairs[half:] + [(Plain(""), Plain(""))] * (half - len(pairs[half:]))
        rows = tuple(((a,), (b,), (c,), (d,)) for (a, b), (c, d) in zip(left, right, strict=True))
        blocks = [
            Table(header=("measure", "value", "measure", "value"), rows=rows, caption=caption,
                  numeric=frozenset({1, 3}))
        ]
    if words:
        blocks.append(Table(header=("detail", "value"), rows=words))
    return blocks


def _drawing_block(item: Drawing | FigureProblem) -> Block:
    """A figure or picture as an image; a figure that could not be drawn as a notice."""
    if isinstance(item, Drawing):
        return Image(item.filename, item.data, alt=item.alt, caption=(Plain(item.caption),), mime=item.mime)
    if item.not_installed:
        return Paragraph((Plain(item.message),))
    title = f"Figure {item.figure!r} could not be drawn" if item.figure else "Its figures could not be drawn"
    return Callout("error", title, (Plain(item.message),))


def _data(evaluation: Evaluation) -> list[Block]:
    data = evaluation.dataset
    sizes = ", ".join(f"{format_number(v)} {k}" for k, v in data.sizes.items())
    text: list[Inline] = [Plain("Data: "), strong(Plain(data.name)), Plain(f", from {data.source}")]
    if sizes:
        text.append(Plain(f" ({sizes})"))
    text.append(Plain("."))
    if data.notes:
        notes = data.notes.strip()
        text.append(Plain(" " + notes[:1].upper() + notes[1:] + ("" if notes.endswith(".") else ".")))
    blocks: list[Block] = [Paragraph(tuple(text))]
    if data.fallback:
        blocks.append(
            Callout(
                "warning",
                "Stand-in data",
                (
                    Plain(f"The real data set was unavailable, so this run used {data.name} instead. "),
                    "Its scores are not comparable with results on the real data; "
                    "rerun where the real data can be found or downloaded.",
                ),
            )
        )
    return blocks


def _settings(info: ParadigmInfo, evaluation: Evaluation | None) -> list[Block]:
    config = evaluation.config if evaluation is not None else {}
    rows = []
    described = {str(row.get("name")): row for row in info.settings}
    for key in dict.fromkeys([*described, *config]):
        row = described.get(key, {})
        used = config.get(key, row.get("default"))
        default = row.get("default", used)
        value: tuple[Inline, ...] = (Code(_show(used)),)
        if key in described and _show(used) != _show(default):
            value = (strong(Code(_show(used))), Plain(f" (default {_show(default)})"))
        rows.append(((Code(key),), value, inlines(str(row.get("help", "")) or Plain(""))))
    if not rows:
        return []
    return [
        Paragraph((strong(Plain("Settings")), Plain(" (changed values in bold; "),
                   Code(f"paradigms run {info.name} --help"), Plain(" lists them):"))),
        Table(header=("setting", "value", "meaning"), rows=tuple(rows)),
    ]


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value)) or "(empty)"
    if value is None:
        return "none"
    return str(value)
