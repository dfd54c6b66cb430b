"""A paradigm's own pictures on the page: the figures its plots draw, and the pictures it made.

* Figures: the paradigm's ``figures(evaluation)`` (from its
  :class:`~paradigms.registry.ParadigmSpec`) returns matplotlib Figures, which
  ``render`` turns into PNG bytes. A plot that raises costs its own figure, never
  the page: it becomes a :class:`FigureProblem` shown where the figure would be.
* Pictures: every :class:`~paradigms.pictures.Picture` of the evaluation (the
  trained agent's GIF, ...), shown as it is, under its caption, with the numbers
  of its ``details`` beside it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import registry
from ..errors import ConfigError
from ..evaluation import Evaluation
from ..pictures import Picture
from .stats import format_number, pretty_key, pretty_title
from .terms import safe_slug

#: Turns a matplotlib Figure into PNG bytes (and closes it).
FigureRenderer = Callable[[Any], bytes]


@dataclass(frozen=True)
class Drawing:
    """One picture on the page: a rendered figure (PNG) or a paradigm's own picture."""

    filename: str  # its name beside report.md, in figures/
    data: bytes
    alt: str
    caption: str
    mime: str = "image/png"


@dataclass(frozen=True)
class FigureProblem:
    """What could not be drawn, and why: one figure (``figure`` names it), all of a
    paradigm's figures (``figure`` empty), or none, because the paradigm is not
    installed here (``not_installed``)."""

    message: str
    figure: str = ""
    not_installed: bool = False


def paradigm_drawings(
    name: str, evaluation: Evaluation, render: FigureRenderer, *, several: bool
) -> tuple[Drawing | FigureProblem, ...]:
    """Everything ``name``'s section shows of ``evaluation`` (its first seed when
    ``several``), in order: the figures its plots draw (or what kept them from being
    drawn), then its pictures."""
    where = f" (seed {evaluation.seed})" if several else ""
    return (*_figures(name, evaluation, render, where), *_pictures(name, evaluation.pictures, where))


def _figures(name: str, evaluation: Evaluation, render: FigureRenderer, where: str) -> list[Drawing | FigureProblem]:
    try:
        spec = registry.get(name)
    except ConfigError:
        message = f"The paradigm {name!r} is not installed here, so its own figures are not drawn."
        return [FigureProblem(message, not_installed=True)]
    if spec.figures is None:
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # e.g. tight_layout on odd figures
            made = dict(spec.figures(evaluation))
    except Exception as exc:  # noqa: BLE001 - one paradigm's plot must not sink the page
        return [FigureProblem(f"{type(exc).__name__}: {exc}")]
    drawn: list[Drawing | FigureProblem] = []
    slug = safe_slug(name)
    for index, (title, figure) in enumerate(made.items()):
        try:
            data = render(figure)
        except Exception as exc:  # noqa: BLE001
            drawn.append(FigureProblem(f"{type(exc).__name__}: {exc}", figure=str(title)))
            continue
        drawn.append(
            Drawing(
                filename=f"{slug}-{index + 1}-{safe_slug(str(title))}.png",
                data=data,
                alt=f"{name}: {title}",
                caption=pretty_title(str(title)) + where,
            )
        )
    return drawn


def _pictures(name: str, pictures: tuple[Picture, ...], where: str) -> list[Drawing]:
    drawn = []
    for picture in pictures:
        title = picture.caption or pretty_title(picture.name)
        animated = ", animated" if picture.mime == "image/gif" else ""
        facts = details_text(picture.details)
        drawn.append(
            Drawing(
                filename=f"{safe_slug(name)}-{safe_slug(picture.name)}.{picture.extension}",
                data=picture.data,
                alt=f"{name}: {title}",
                caption=title + animated + (f" ({facts})" if facts else "") + where,
                mime=picture.mime,
            )
        )
    return drawn


def details_text(details: dict[str, Any]) -> str:
    """The numbers among a picture's details, as the caption shows them:
    ``{"episode_return": 500.0, "length": 500}`` -> ``episode return 500.0, length 500``."""
    return ", ".join(
        f"{pretty_key(key)} {format_number(value)}"
        for key, value in details.items()
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    )
