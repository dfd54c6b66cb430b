"""Figures a class can read from the back of the room.

The lesson's pages show every figure at least :data:`PROJECTED_WIDTH` CSS
pixels wide, one to a row, with no text smaller than :data:`SMALLEST_TEXT`
pixels at that width. A figure's text is sized in points for its size in
inches; shown ``W`` pixels wide, a ``p``-point label is ``p * W / (72 * inches)``
pixels tall. :func:`projected_png` raises every label below the line to it,
lets the figure's layout engine make room, and saves the PNG exactly
``PROJECTED_WIDTH`` pixels wide, so shown at its natural size (or larger) every
label is at least :data:`SMALLEST_TEXT` pixels.

>>> round(text_pixels(7.0, inches=10.0), 1)
9.7
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._base import figure_to_png

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.text import Text

#: The width every figure of the lesson's pages is drawn at, in CSS pixels (at least).
PROJECTED_WIDTH = 1000
#: Wide figures (several panels side by side) are drawn wider, 100 pixels an inch, up to this.
WIDEST = 1300
#: The smallest text on a projected figure, in CSS pixels at :data:`PROJECTED_WIDTH`.
SMALLEST_TEXT = 14.0


def text_pixels(points: float, *, inches: float, width: int = PROJECTED_WIDTH) -> float:
    """How tall ``points``-point text is when a figure ``inches`` wide is shown ``width`` pixels wide."""
    return points * width / (72.0 * inches)


def visible_texts(fig: Figure) -> list[Text]:
    """Every piece of text drawn on ``fig`` (titles, labels, tick labels, legends, annotations)."""
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def smallest_text_pixels(fig: Figure, width: int = PROJECTED_WIDTH) -> float:
    """The smallest text on ``fig``, in pixels, when it is shown ``width`` pixels wide."""
    inches = fig.get_size_inches()[0]
    return min((text_pixels(float(t.get_fontsize()), inches=inches, width=width) for t in visible_texts(fig)), default=float("inf"))


def enlarge_text(fig: Figure, *, width: int = PROJECTED_WIDTH, smallest: float = SMALLEST_TEXT) -> Figure:
    """Raise every text of ``fig`` smaller than ``smallest`` pixels (shown ``width`` wide) to that size.

    Tick labels are made when the figure is drawn, so their size is set on the axis
    (it holds for the ticks drawn later too); the figure is drawn (not rendered) until
    nothing is left below the line, at most three times.
    """
    inches = fig.get_size_inches()[0]
    floor = smallest * 72.0 * inches / width + 1e-6
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")  # make room for the larger labels
    for _ in range(3):
        fig.draw_without_rendering()
        small = [t for t in visible_texts(fig) if t.get_fontsize() < floor]
        if not small:
            break
        for axes in fig.axes:
            for axis in (axes.xaxis, axes.yaxis):
                for which in ("major", "minor"):
                    if any(t.get_fontsize() < floor for t in axis.get_ticklabels(which=which)):
                        axis.set_tick_params(which=which, labelsize=floor)
        for text in small:
            text.set_fontsize(max(text.get_fontsize(), floor))
    return fig


def projected_width(fig: Figure) -> int:
    """The width ``fig`` is drawn at: :data:`PROJECTED_WIDTH`, or 100 pixels an inch for a wider
    figure (up to :data:`WIDEST`), so that its panels keep room for their larger labels."""
    return int(min(WIDEST, max(PROJECTED_WIDTH, round(100 * fig.get_size_inches()[0]))))


def projected_png(fig: Figure, *, width: int | None = None) -> bytes:
    """``fig`` as a PNG exactly ``width`` pixels wide (:func:`projected_width` by default) whose
    smallest text is :data:`SMALLEST_TEXT` pixels or more at that width."""
    width = projected_width(fig) if width is None else width
    enlarge_text(fig, width=width)
    return figure_to_png(fig, dpi=width / fig.get_size_inches()[0])
