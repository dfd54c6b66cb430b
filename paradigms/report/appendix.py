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
    strong,
    table,
)
from .paradigm_section import section_anchor
from .stats import format_number
from .summary import pretty_key
from .terms import TermInfo, related_pairs


def data_sources(comparison: Comparison) -> Section:
    rows = []
    for name in comparison.names:
        runs = comparison.evaluations_of(name)
        if not runs:
            continue
        data = runs[0].dataset
        sizes = ", ".join(f"{k}: {format_number(v)}" for k, v in data.sizes.items()) or "—"
        checksums = ", ".join(f"{k}: {v[:12]}…" if len(v) > 12 else f"{k}: {v}" for k, v in data.checksums.items()) or "—"
        fallback: Any = (
            strong(Plain("yes: the real data set was unavailable, so this stand-in was used"))
            if data.fallback else Plain("no")
        )
        rows.append([Link(name, section_anchor(name)), Plain(data.name), Plain(data.source), Plain(sizes), fallback, Plain(checksums)])
    blocks: list[Block] = [
        Paragraph(("Where each paradigm's experience came from. A stand-in (fallback) data set is used only "
                   "when the real one cannot be found or downloaded; the run still completes, and says so here.",)),
        table(["paradigm", "data set", "source", "sizes", "stand-in?", "checksums (SHA-256)"], rows),
    ]
    notes = [(strong(Plain(ev.paradigm)), Plain(": " + ev.dataset.notes)) for ev in _first_runs(comparison) if ev.dataset.notes]
    if notes:
        blocks.append(BulletList(tuple(notes)))
    return Section("data", "Data sources", tuple(blocks))


def _first_runs(comparison: Comparison) -> list[Evaluation]:
    return [runs[0] for runs in (comparison.evaluations_of(n) for n in comparison.names) if runs]


def timings(comparison: Comparison) -> Section:
    keys: dict[str, None] = {"total_seconds": None}
    for ev in comparison.evaluations:
        keys.update(dict.fromkeys(ev.timings))
    columns = [k for k in keys if any(k in ev.timings for ev in comparison.evaluations)]
    rows = []
    for name in comparison.names:
        runs = comparison.evaluations_of(name)
        if not runs:
            continue
        row: list[Any] = [Link(name, section_anchor(name))]
        for key in columns:
            values = [ev.timings[key] for ev in runs if key in ev.timings]
            row.append(Plain(format_number(sum(values) / len(values)) if values else "—"))
        row.append(Plain(str(len(runs))))
        rows.append(row)
    text = "Wall-clock seconds per run (mean over seeds), as measured on the machine in the manifest below."
    return Section(
        "timings",
        "Timings",
        (
            Paragraph((text,)),
            table(["paradigm", *[pretty_key(k) for k in columns], "runs"], rows, numeric=range(1, len(columns) + 2)),
        ),
    )


def manifest(comparison: Comparison) -> Section:
    run = comparison.run
    first = _first_runs(comparison)
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
        name: {"seeds": [ev.seed for ev in comparison.evaluations_of(name)], "config": runs[0].config}
        for name in comparison.names
        if (runs := comparison.evaluations_of(name))
    }
    blocks: list[Block] = [
        Paragraph(("Everything needed to rerun these numbers: the command, the seeds, the software versions "
                   "and every setting. The same seed gives the same numbers on the same machine and versions.",)),
        table(["", "value"], rows),
        Preformatted("Every setting of every run (JSON)", json.dumps(configs, indent=2, sort_keys=False)),
    ]
    return Section("manifest", "Reproducibility manifest", tuple(blocks), short_title="Manifest")


def glossary(terms: Sequence[TermInfo]) -> Section:
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
