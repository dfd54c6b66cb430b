"""The reference part of the report: data sources, timings, the reproducibility
manifest and the glossary (the sections a reader looks things up in)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..evaluation import Evaluation
from .comparison import Comparison
from .document import (
    Block,
    BulletList,
    Code,
    GlossaryEntry,
    GlossaryList,
    Link,
    Paragraph,
    Plain,
    Preformatted,
    Section,
    lines,
    strong,
    table,
)
from .paradigm_section import section_anchor
from .stats import format_number, pretty_key
from .summary import ParadigmSummary
from .terms import TermInfo, related_pairs


def data_sources(summaries: Sequence[ParadigmSummary]) -> Section:
    """Where each paradigm's experience came from (its first seed's data set)."""
    rows = []
    for summary in summaries:
        name = summary.name
        if summary.first is None:
            continue
        data = summary.first.dataset
        sizes = lines([f"{format_number(v)} {k}" for k, v in data.sizes.items()])
        checksums = lines([f"{k}: {v[:12]}…" if len(v) > 12 else f"{k}: {v}" for k, v in data.checksums.items()])
        fallback: Any = (
            strong(Plain("yes: the real data set was unavailable, so this stand-in was used"))
            if data.fallback else Plain("no")
        )
        rows.append([Link(name, section_anchor(name)), Plain(data.name), Plain(data.source), sizes, fallback, checksums])
    blocks: list[Block] = [
        Paragraph(("Where each paradigm's experience came from. A stand-in (fallback) data set is used only "
                   "when the real one cannot be found or downloaded; the run still completes, and says so here.",)),
        table(["paradigm", "data set", "source", "sizes", "stand-in?", "checksums"], rows),
    ]
    notes = [(strong(Plain(ev.paradigm)), Plain(": " + ev.dataset.notes)) for ev in _first_runs(summaries) if ev.dataset.notes]
    if notes:
        blocks.append(BulletList(tuple(notes)))
    return Section("data", "Data sources", tuple(blocks))


def _first_runs(summaries: Sequence[ParadigmSummary]) -> list[Evaluation]:
    return [summary.first for summary in summaries if summary.first is not None]


def timings(summaries: Sequence[ParadigmSummary]) -> Section:
    """Total seconds per run, and each paradigm's own breakdown (data, fit, evaluation...)."""
    rows = []
    for summary in summaries:
        name, runs = summary.name, summary.runs
        if not runs:
            continue
        means: dict[str, float] = {}
        for key in dict.fromkeys(k for ev in runs for k in ev.timings):
            values = [ev.timings[key] for ev in runs if key in ev.timings]
            means[key] = sum(values) / len(values)
        total = means.pop("total_seconds", None)
        parts = [f"{pretty_key(key).removesuffix(' (s)')} {format_number(value)} s" for key, value in means.items()]
        rows.append([Link(name, section_anchor(name)), Plain(format_number(total)), Plain(" · ".join(parts) or "—"),
                     Plain(str(len(runs)))])
    text = "Wall-clock seconds per run (mean over seeds), as measured on the machine in the manifest below."
    return Section(
        "timings",
        "Timings",
        (Paragraph((text,)), table(["paradigm", "total (s)", "of which", "runs"], rows, numeric=(1, 3))),
    )


def manifest(comparison: Comparison, summaries: Sequence[ParadigmSummary]) -> Section:
    """Everything needed to rerun the numbers: command, seeds, machine, versions, settings."""
    run = comparison.run
    first = _first_runs(summaries)
    manifest = first[0].manifest if first else {}
    rows: list[list[Any]] = []
    if run.get("command"):
        rows.append(["command", Code(str(run["command"]))])
    if run.get("created"):
        rows.append(["run at (UTC)", Plain(str(run["created"]))])
    seeds = sorted({ev.seed for ev in comparison.evaluations} | {f.seed for f in comparison.failures})
    rows.append(["seeds", Plain(", ".join(map(str, seeds)) or "—")])
    for key in ("python", "platform", "machine", "cpu_count"):
        if key in manifest:
            rows.append([key.replace("_", " "), Plain(str(manifest[key]))])
    devices = {ev.paradigm: str(ev.manifest.get("device", "?")) for ev in first}
    if devices:
        rows.append(["device", Plain(", ".join(f"{n}: {d}" for n, d in devices.items()))])
    for package, version in (manifest.get("packages") or {}).items():
        rows.append([f"package {package}", Plain(str(version) if version else "not installed")])
    configs = {
        summary.name: {"seeds": [ev.seed for ev in summary.runs], "config": summary.runs[0].config}
        for summary in summaries
        if summary.runs
    }
    blocks: list[Block] = [
        Paragraph(("Everything needed to rerun these numbers: the command, the seeds, the software versions "
                   "and every setting. The same seed gives the same numbers on the same machine and versions.",)),
        table(["item", "value"], rows),
        Preformatted("Every setting of every run (JSON)", json.dumps(configs, indent=2, sort_keys=False)),
    ]
    return Section("manifest", "Reproducibility manifest", tuple(blocks), short_title="Manifest")


def glossary(terms: Sequence[TermInfo]) -> Section:
    """The terms linked in the text, with what to look for and their related terms."""
    names = {term.slug: term.name for term in terms}
    entries = tuple(
        GlossaryEntry(
            slug=term.slug,
            name=term.name,
            definition=term.definition,
            look_for=term.look_for,
            related=related_pairs(term, names, names),
        )
        for term in terms
    )
    intro = Paragraph(("The words linked in the text above, with what to look for in their demos.",))
    return Section("glossary", "Glossary", (intro, GlossaryList(entries)), link_terms=False)
