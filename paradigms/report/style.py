"""The page's look: its stylesheet (:data:`CSS`) and each paradigm's colour.

:data:`CSS` is inlined into ``index.html`` (no file, no network): readable at
laptop width (one column of ~44em prose, tables and figures wider), a contents
column beside it on wide screens, and a clean print layout. It styles the
elements :mod:`paradigms.report.html` writes (``.page``, ``.masthead``,
``nav.toc``, ``.stats``, ``.callout``, tables, figures, ``dl.glossary``), so any
page built on :func:`paradigms.report.html.page_shell` can reuse it as it is.

:func:`colour_of` gives a paradigm the same colour in every figure and card.

>>> colour_of("supervised", ["supervised", "coin"]), colour_of("coin", ["supervised", "coin"])
('#2563eb', '#d97706')
"""

#: One colour per paradigm, the same in every figure and card of the page.
PARADIGM_COLOURS = {"supervised": "#2563eb", "unsupervised": "#059669", "reinforcement": "#9333ea"}
_OTHER_COLOURS = ("#d97706", "#dc2626", "#0891b2", "#4b5563", "#be185d")


def colour_of(name: str, names: list[str]) -> str:
    """The paradigm's colour: fixed for the built-ins, from a small palette for the
    others (in the order of ``names``)."""
    if name in PARADIGM_COLOURS:
        return PARADIGM_COLOURS[name]
    others = [n for n in names if n not in PARADIGM_COLOURS]
    index = others.index(name) if name in others else len(others)
    return _OTHER_COLOURS[index % len(_OTHER_COLOURS)]


#: The whole stylesheet, for a ``<style>`` element.
CSS = """
:root {
  --ink: #111827; --muted: #4b5563; --faint: #9ca3af; --rule: #e5e7eb; --paper: #ffffff;
  --tint: #f8fafc; --accent: #1d4ed8; --warn-bg: #fffbeb; --warn: #b45309;
  --err-bg: #fef2f2; --err: #b91c1c; --note-bg: #eff6ff;
  --serif: Charter, "Bitstream Charter", "Sitka Text", Cambria, "Noto Serif", Georgia, serif;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; scroll-behavior: smooth; }
body { margin: 0; background: var(--paper); color: var(--ink); font: 17px/1.6 var(--serif); }
.page { max-width: 76rem; margin: 0 auto; padding: 0 1.5rem 3rem;
        display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 3rem; }
@media (min-width: 1180px) { .page { grid-template-columns: 13rem minmax(0, 1fr); } .toc { grid-row: 2 / span 2; } }
header.masthead { grid-column: 1 / -1; padding: 2.6rem 0 1.2rem; border-bottom: 1px solid var(--rule); margin-bottom: 1.5rem; }
.kicker { font: 600 0.78rem/1 var(--sans); letter-spacing: 0.08em; text-transform: uppercase; color: var(--accent); margin: 0 0 0.7rem; }
h1 { font: 700 2.3rem/1.15 var(--sans); letter-spacing: -0.02em; margin: 0 0 0.6rem; }
.subtitle { font: 0.95rem/1.5 var(--sans); color: var(--muted); margin: 0; }
h2 { font: 700 1.45rem/1.25 var(--sans); letter-spacing: -0.01em; margin: 2.8rem 0 0.9rem; padding-top: 0.4rem; }
h3 { font: 700 1.12rem/1.3 var(--sans); margin: 2rem 0 0.6rem; }
section { scroll-margin-top: 1rem; }
p, li, blockquote { max-width: 44em; }
a { color: var(--accent); text-decoration-thickness: 1px; text-underline-offset: 2px; }
a.term { color: inherit; text-decoration: underline dotted var(--accent); text-decoration-thickness: 1.5px; }
a.term:hover { color: var(--accent); }
code { font: 0.86em var(--mono); background: var(--tint); border: 1px solid var(--rule); border-radius: 4px; padding: 0.05em 0.3em; overflow-wrap: anywhere; }
pre code { background: none; border: 0; padding: 0; font-size: inherit; overflow-wrap: normal; }
td:nth-child(-n+2) code { white-space: nowrap; overflow-wrap: normal; }
pre.code { max-width: 52em; }
blockquote { margin: 1.2rem 0; padding: 0.2rem 0 0.2rem 1.2rem; border-left: 4px solid var(--accent);
             font-size: 1.12rem; font-style: italic; color: #1f2937; }
nav.toc { font: 0.9rem/1.45 var(--sans); margin-bottom: 1rem; }
nav.toc .toc-title { font-weight: 700; text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.75rem; color: var(--muted); margin: 0 0 0.5rem; }
nav.toc ol { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
nav.toc a { color: var(--muted); text-decoration: none; }
nav.toc a:hover { color: var(--accent); text-decoration: underline; }
@media (min-width: 1180px) {
  nav.toc > div { position: sticky; top: 1.5rem; }
  nav.toc ol { display: block; border-left: 2px solid var(--rule); }
  nav.toc li { padding: 0.18rem 0 0.18rem 0.8rem; }
}
.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0.9rem; margin: 0 0 1.4rem; }
.stat { display: block; color: inherit; text-decoration: none; border: 1px solid var(--rule); border-top: 4px solid var(--c, var(--accent));
        border-radius: 8px; padding: 0.8rem 1rem 0.9rem; background: var(--paper); font-family: var(--sans); }
.stat:hover { box-shadow: 0 2px 10px rgba(17, 24, 39, 0.08); }
.stat .label { font-weight: 700; font-size: 0.82rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--c, var(--accent)); }
.stat .value { font-size: 1.55rem; font-weight: 700; font-variant-numeric: tabular-nums; margin: 0.2rem 0 0.1rem; }
.stat .detail { font-size: 0.84rem; color: var(--muted); }
.stat .bar { height: 6px; background: var(--rule); border-radius: 3px; margin-top: 0.6rem; overflow: hidden; }
.stat .bar span { display: block; height: 100%; background: var(--c, var(--accent)); }
.stat.failed { border-top-color: var(--err); } .stat.failed .value, .stat.failed .label { color: var(--err); }
.callout { border-radius: 8px; padding: 0.75rem 1rem; margin: 1rem 0; font: 0.95rem/1.5 var(--sans); max-width: 52em;
           border: 1px solid; }
.callout.warning { background: var(--warn-bg); border-color: #fcd34d; }
.callout.error { background: var(--err-bg); border-color: #fca5a5; }
.callout.note { background: var(--note-bg); border-color: #bfdbfe; }
.callout .callout-title { font-weight: 700; margin: 0 0 0.2rem; }
.callout.warning .callout-title { color: var(--warn); } .callout.error .callout-title { color: var(--err); }
.callout p { margin: 0.2rem 0; }
.table-wrap { overflow-x: auto; margin: 1rem 0 1.3rem; }
table { border-collapse: collapse; font: 0.9rem/1.45 var(--sans); min-width: 50%; }
caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 0.82rem; padding-top: 0.4rem; }
th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 2px solid #d1d5db; padding: 0.45rem 0.8rem 0.35rem 0; white-space: nowrap; }
td { border-bottom: 1px solid var(--rule); padding: 0.45rem 0.8rem 0.45rem 0; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; padding-right: 1.4rem; }
tbody tr:hover { background: var(--tint); }
figure { margin: 1.4rem 0 1.8rem; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--rule); border-radius: 6px; background: #fff; }
figcaption { font: 0.85rem/1.45 var(--sans); color: var(--muted); margin-top: 0.45rem; max-width: 52em; }
ul.points { padding-left: 1.2rem; } ul.points li { margin: 0.3rem 0; }
details { margin: 0.8rem 0; font-family: var(--sans); }
summary { cursor: pointer; color: var(--accent); font-size: 0.92rem; }
pre { font: 0.8rem/1.45 var(--mono); background: var(--tint); border: 1px solid var(--rule); border-radius: 6px;
      padding: 0.8rem; overflow-x: auto; max-height: 28rem; }
dl.glossary { margin: 1rem 0; }
dl.glossary > div { padding: 0.7rem 0.9rem; border-radius: 6px; margin: 0 -0.9rem; max-width: 48em; scroll-margin-top: 1rem; }
dl.glossary > div:target { background: #fef9c3; }
@media (min-width: 1180px) { dl.glossary { columns: 2; column-gap: 2.5rem; } dl.glossary > div { break-inside: avoid; margin: 0; } }
dl.glossary dt { font: 700 1rem var(--sans); }
dl.glossary dd { margin: 0.2rem 0 0; font-size: 0.95rem; }
dl.glossary dd p { margin: 0.2rem 0; }
dl.glossary .look-for, dl.glossary .related { font-size: 0.92rem; color: var(--muted); }
footer { grid-column: 1 / -1; border-top: 1px solid var(--rule); margin-top: 3rem; padding-top: 1rem; font: 0.85rem var(--sans); color: var(--muted); }
@media (max-width: 640px) { body { font-size: 16px; } h1 { font-size: 1.8rem; } .page { padding: 0 1rem 2rem; } }
@media print {
  body { font-size: 11pt; }
  .page { display: block; max-width: none; padding: 0; }
  nav.toc, summary { display: none; }
  a, a.term { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
  figure, table, .callout, .stat, dl.glossary > div { break-inside: avoid; }
  .stat:hover, tbody tr:hover { box-shadow: none; background: none; }
  pre { max-height: none; white-space: pre-wrap; }
}
"""
