"""One paradigm's section of the report: what it is, how it scored, its own figures,
its data, its settings, and any run that failed."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from .. import registry
from ..errors import ConfigError
from ..evaluation import Evaluation
from .comparison import Comparison, ParadigmInfo
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
from .prose import description_blocks, has_tpe_list
from .stats import format_interval, format_number
from .summary import embedded_images, pretty_title, scalar_metrics, score_of
from .terms import safe_slug

FigureRenderer = Callable[[Any], bytes]
#: Up to this many measures, one measure/value column pair; more, two pairs side by side.
_ONE_COLUMN_ROWS = 10


def section_anchor(name: str) -> str:
    return f"paradigm-{safe_slug(name)}"


def paradigm_section(comparison: Comparison, name: str, render: FigureRenderer) -> Section:
    """The section of paradigm ``name`` (its failures included)."""
    info = comparison.info(name)
    runs = comparison.evaluations_of(name)
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
    for failure in comparison.failures_of(name):
        blocks.append(
            Callout(
                "error",
                f"The run with seed {failure.seed} failed",
                (Plain(failure.error),),
                detail=failure.traceback,
            )
        )
    if runs:
        blocks.extend(_results(runs))
        blocks.extend(_figures(name, runs[0], render, several=len(runs) > 1))
        blocks.extend(_data(runs[0]))
    blocks.extend(_settings(info, runs[0] if runs else None))
    title = name if not info.task else f"{name}: {info.task}"
    return Section(section_anchor(name), title, tuple(blocks), short_title=name)


def _results(runs: list[Evaluation]) -> list[Block]:
    """P beside its baseline and best, then every other one-number metric (in two
    column pairs when there are many, so the table stays short)."""
    score = score_of(runs)
    measure = runs[0].measure
    pairs: list[tuple[Inline, Inline]] = [
        (strong(Plain(f"{measure.name} (P)")), strong(Plain(score.value_text()))),
        (Plain("baseline"), Plain(format_number(score.baseline))),
        (Plain("best"), Plain(format_number(score.best))),
        (Plain("normalized score"), Plain(format_interval(score.normalized))),
    ]
    metrics = scalar_metrics(runs)
    pairs.extend((Plain(key), Plain(value)) for key, value, number in metrics if number)
    words = tuple(((Plain(key),), (Plain(value),)) for key, value, number in metrics if not number)
    seeds = ", ".join(str(ev.seed) for ev in runs)
    caption = f"Seeds {seeds}: mean ± half-width of the 95% interval." if len(runs) > 1 else f"Seed {seeds}."
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


def _figures(name: str, evaluation: Evaluation, render: FigureRenderer, *, several: bool) -> list[Block]:
    blocks: list[Block] = []
    where = f" (seed {evaluation.seed})" if several else ""
    slug = safe_slug(name)
    try:
        spec = registry.get(name)
    except ConfigError:
        spec = None
    if spec is not None and spec.figures is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # e.g. tight_layout on odd figures
                made = dict(spec.figures(evaluation))
        except Exception as exc:  # noqa: BLE001 - one paradigm's plot must not sink the page
            blocks.append(Callout("error", "Its figures could not be drawn", (Plain(f"{type(exc).__name__}: {exc}"),)))
            made = {}
        for index, (title, figure) in enumerate(made.items()):
            try:
                data = render(figure)
            except Exception as exc:  # noqa: BLE001
                blocks.append(Callout("error", f"Figure {title!r} could not be drawn", (Plain(f"{type(exc).__name__}: {exc}"),)))
                continue
            blocks.append(
                Image(
                    f"{slug}-{index + 1}-{safe_slug(str(title))}.png",
                    data,
                    alt=f"{name}: {title}",
                    caption=(Plain(pretty_title(str(title)) + where),),
                )
            )
    elif spec is None:
        blocks.append(Paragraph((Plain(f"The paradigm {name!r} is not installed here, so its own figures are not drawn."),)))
    for picture in embedded_images(evaluation.metrics):
        facts = ", ".join(
            text.format(format_number(picture.details[key]))
            for key, text in (("episode_return", "return {}"), ("length", "{} steps"))
            if key in picture.details
        )
        animated = ", animated" if picture.mime == "image/gif" else ""
        blocks.append(
            Image(
                f"{slug}-{safe_slug(picture.key)}.{picture.extension}",
                picture.data,
                alt=f"{name}: {picture.key}",
                caption=(Plain(pretty_title(picture.key) + animated + (f" ({facts})" if facts else "") + where),),
                mime=picture.mime,
            )
        )
    return blocks


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
