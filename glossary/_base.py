"""What every glossary term and every demo result has in common.

A :class:`Term` is the entry of the glossary: the word, a plain definition,
what to look for in its demo, links to related terms and to the code of the
toolkit that uses the idea, and the ``demo`` that shows it. A demo returns a
:class:`DemoResult`: the key figures (``numbers``), a table a teacher can show
(``table``), one sentence that says what the numbers show (``finding``), and
``plot()``, which draws a fresh matplotlib Figure on demand. Nothing is drawn
as a side effect; in Jupyter the result shows itself (``_repr_html_``) with the
figure inline.

The demos also share two small helpers here: :func:`quiet_torch`, which gives a
tiny network a seeded random stream and one CPU thread and then puts both back
as they were, and :func:`figure`, a Figure that is not registered with pyplot
(so a hundred demos in a notebook never pile up open figures).
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import math
import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from paradigms.settings import Settings

if TYPE_CHECKING:  # matplotlib loads when a demo is drawn, not when the command line starts
    from matplotlib.figure import Figure

Number = float | int | bool | str

#: Rows of a demo's table shown in text and HTML (the full table stays in ``.table``).
SHOWN_ROWS = 12


@dataclass(frozen=True)
class Term:
    """One entry of the glossary.

    ``slug`` is the stable identifier (``"batch-size"``; the module is
    ``glossary.batch_size``); ``aliases`` are other words that mean this term in
    running text (plurals, synonyms), so a report can link them; ``used_in``
    names the toolkit code that uses the idea (``"paradigms.supervised.train"``);
    ``demo(**settings)`` runs the demonstration, validated by ``settings``.
    """

    slug: str
    name: str
    definition: str
    look_for: str
    demo: Callable[..., DemoResult] = field(repr=False, compare=False)
    related: tuple[str, ...] = ()
    used_in: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    settings: type[Settings] | None = field(default=None, repr=False, compare=False)

    @property
    def module(self) -> str:
        """The module that defines the term, e.g. ``glossary.batch_size``."""
        return "glossary." + self.slug.replace("-", "_")

    @property
    def words(self) -> tuple[str, ...]:
        """The name and the aliases: every phrase that should link to this term."""
        return (self.name, *self.aliases)

    def describe(self) -> str:
        """The entry in plain text: name, definition, what to look for, links."""
        lines = [f"{self.name} ({self.slug})", f"  {self.definition}", f"  Look for: {self.look_for}"]
        if self.related:
            lines.append("  Related: " + ", ".join(self.related))
        if self.used_in:
            lines.append("  Used in: " + ", ".join(self.used_in))
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class DemoResult:
    """What a glossary demo returns; one shape for every term.

    Attributes
    ----------
    term: the glossary entry the demo belongs to.
    numbers: the key figures, plain Python numbers (the tests assert on them).
    table: a pandas DataFrame a teacher can show.
    finding: one or two sentences that say what the numbers show.
    settings: the validated settings the demo ran with; ``seed`` its seed.
    data: arrays the figure needs (curves, images); not part of the summary.
    """

    term: Term
    numbers: dict[str, Number]
    table: pd.DataFrame
    finding: str
    settings: Settings
    seed: int
    draw: Callable[[DemoResult], Figure] = field(repr=False)
    data: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def plot(self) -> Figure:
        """A new matplotlib Figure of the demo (call ``fig.savefig(...)`` to keep it)."""
        return self.draw(self)

    # -- text ------------------------------------------------------------------------

    def summary(self) -> str:
        """Definition, finding, numbers and table as plain text (what the CLI prints)."""
        term = self.term
        lines = [
            f"{term.name} ({term.slug})",
            "",
            _wrap(term.definition),
            _wrap("Look for: " + term.look_for),
            "",
            _wrap("Finding: " + self.finding),
            "",
            "Numbers:",
        ]
        width = max((len(k) for k in self.numbers), default=0)
        lines += [f"  {key:<{width}}  {format_number(value)}" for key, value in self.numbers.items()]
        lines += ["", "Table:", _indent(_shown(self.table).to_string(index=False, float_format=_float_format))]
        if len(self.table) > SHOWN_ROWS:
            lines.append(f"  ... {len(self.table)} rows in all (see .table)")
        settings = ", ".join(f"{k}={_setting_text(v)}" for k, v in vars(self.settings).items())
        lines += ["", f"Settings: {settings}; seed={self.seed}"]
        if term.related:
            lines.append("Related: " + ", ".join(term.related))
        if term.used_in:
            lines.append("Used in: " + ", ".join(term.used_in))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    # -- Jupyter -----------------------------------------------------------------------

    def _repr_html_(self) -> str:
        """The figure and its sentence first, the numbers and the table folded away (Jupyter).

        A student reads this: the numbers' keys (``result.numbers``) stay in the fold that
        says it is the developer's view, and the code that uses the idea (``used_in``) is
        left to :meth:`summary` and the API docs."""
        term = self.term
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(format_number(v))}</td></tr>"
            for k, v in self.numbers.items()
        )
        table_html = _shown(self.table).to_html(index=False, float_format=_float_format, border=0)
        more = f"<p><i>{len(self.table)} rows in all (see <code>.table</code>)</i></p>" if len(self.table) > SHOWN_ROWS else ""
        image = figure_to_base64_png(self.plot())
        related = ", ".join(html.escape(slug) for slug in term.related)
        return (
            f"<div class='glossary-term' id='{html.escape(term.slug)}'>"
            f"<h3>{html.escape(term.name)}</h3>"
            f"<p>{html.escape(term.definition)}</p>"
            f"<img style='max-width:100%' alt='{html.escape(term.name)} demo' src='data:image/png;base64,{image}'/>"
            f"<p><b>{html.escape(self.finding)}</b></p>"
            "<details><summary>For developers: the numbers and the table (<code>.numbers</code>, <code>.table</code>)"
            f"</summary><table>{rows}</table>{table_html}{more}</details>"
            f"<p><b>Look for:</b> {html.escape(term.look_for)}</p>"
            + (f"<p><b>Related:</b> {related}</p>" if related else "")
            + "</div>"
        )

    def __repr__(self) -> str:
        return f"<DemoResult {self.term.slug}: {self.finding}>"


# -- helpers shared by the demos ------------------------------------------------------------


def times(ratio: float) -> str:
    """A ratio as a person reads it: ``1.6x`` (one decimal below 10, none above).

    >>> times(1.63), times(51.2)
    ('1.6x', '51x')
    """
    return f"{ratio:.1f}x" if ratio < 10 else f"{ratio:.0f}x"


def format_number(value: Any) -> str:
    """Numbers as a person reads them: 4 significant digits, integers as they are."""
    if isinstance(value, bool) or isinstance(value, str):
        return str(value)
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e6):
            return f"{value:.3e}"
        return f"{value:.4g}"
    return str(value)


def _setting_text(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def _float_format(value: float) -> str:
    return format_number(value)


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    return table.head(SHOWN_ROWS)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _wrap(text: str, width: int = 88) -> str:
    return textwrap.fill(text, width=width)


def plain_numbers(numbers: Mapping[str, Any]) -> dict[str, Number]:
    """NumPy scalars to plain Python values, so numbers compare and serialize simply."""
    out: dict[str, Number] = {}
    for key, value in numbers.items():
        if isinstance(value, (bool, np.bool_)):
            out[key] = bool(value)
        elif isinstance(value, (int, np.integer)):
            out[key] = int(value)
        elif isinstance(value, (float, np.floating)):
            out[key] = float(value)
        else:
            out[key] = str(value)
    return out


def figure(width: float = 7.0, height: float = 3.6, **kwargs: Any) -> Figure:
    """A Figure outside pyplot's registry: nothing pops up, nothing accumulates."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained", **kwargs)


def figure_to_png(fig: Figure, *, dpi: int = 90) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def figure_to_base64_png(fig: Figure, *, dpi: int = 90) -> str:
    return base64.b64encode(figure_to_png(fig, dpi=dpi)).decode("ascii")


@contextlib.contextmanager
def quiet_torch(seed: int, *, threads: int = 1) -> Iterator[None]:
    """Seed PyTorch's global stream and use ``threads`` CPU threads, then restore both.

    Tiny networks run fastest on one thread (no thread hand-off per small
    matrix product), and a demo should not change the caller's random state.
    """
    import torch  # start-up time: torch loads only when a demo trains a network

    previous_threads = torch.get_num_threads()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        torch.set_num_threads(threads)
        try:
            yield
        finally:
            torch.set_num_threads(previous_threads)


#: A demo's settings class (make_settings returns an instance of the class it is given).
S = TypeVar("S", bound=Settings)


def make_settings(cls: type[S], overrides: Mapping[str, Any]) -> S:
    """Validated settings: defaults plus ``overrides`` (unknown names get suggestions)."""
    return cls.from_overrides(dict(overrides))
