"""A run of a whole paradigm, shown where the lesson reaches it.

The lesson shows each paradigm's own figures next to the glossary demos: the
supervised network on MNIST after "the 784-input network", the customer
segments and the trained agent after "unsupervised" and "reinforcement
learning". :func:`run_paradigm` runs one paradigm on its quick budget (or
:func:`load_runs` reads the results a ``paradigms compare`` wrote), and
:class:`ParadigmRun` carries the Evaluation with a sentence computed from its
numbers and the paradigm's figures, displayed inline in Jupyter.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paradigms.errors import ConfigError
from paradigms.evaluation import Evaluation
from paradigms.registry import get
from paradigms.registry import run as run_registered
from paradigms.report.learning import progression

from ._base import figure_to_png, format_number

#: The paradigms the lesson shows, in its order.
LESSON_PARADIGMS = ("supervised", "unsupervised", "reinforcement")


@dataclass(frozen=True)
class Picture:
    """One figure of a run, ready for a page: its title, its bytes and their type."""

    title: str
    data: bytes
    mime: str = "image/png"

    def data_url(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True, eq=False)
class ParadigmRun:
    """A paradigm's Evaluation, the sentence that reads it, and its figures."""

    evaluation: Evaluation

    @property
    def finding(self) -> str:
        return describe_run(self.evaluation)

    def pictures(self, render: Callable[[Any], bytes] = figure_to_png, *, leave_out: Collection[str] = ()) -> list[Picture]:
        """The paradigm's own figures (as PNG, drawn by ``render``: a Figure to PNG bytes) but those
        named in ``leave_out``, and the pictures it made (a GIF of the agent)."""
        spec = get(self.evaluation.paradigm)
        out = []
        if spec.figures is not None:
            for name, fig in spec.figures(self.evaluation).items():
                if name in leave_out:
                    _close(fig)
                    continue
                out.append(Picture(name.replace("_", " "), render(fig)))
                _close(fig)
        for picture in self.evaluation.pictures:
            out.append(Picture(picture.caption or picture.name, picture.data, picture.mime))
        return out

    def _repr_html_(self) -> str:
        images = "".join(
            f"<figure><img style='max-width:100%' alt='{html.escape(p.title)}' src='{p.data_url()}'/>"
            f"<figcaption>{html.escape(p.title)}</figcaption></figure>"
            for p in self.pictures()
        )
        return (
            f"<div class='paradigm-run'><p><b>{html.escape(self.evaluation.paradigm)} (a quick run):</b> "
            f"{html.escape(self.finding)}</p>{images}</div>"
        )

    def __repr__(self) -> str:
        return f"<ParadigmRun {self.evaluation.paradigm}: {self.finding}>"


def _close(fig) -> None:
    """Forget a figure pyplot may be holding (the paradigms' plots may use pyplot)."""
    import matplotlib.pyplot as plt  # start-up time: pyplot loads only when a run is drawn

    plt.close(fig)


def describe_run(evaluation: Evaluation) -> str:
    """T, P with its floor and ceiling, E along the learning curve, and the data, in one paragraph."""
    measure = evaluation.measure
    score = evaluation.normalized_score
    text = (
        f"T: {evaluation.task}. P: {measure.name} = {format_number(measure.value)} (a trivial program scores "
        f"{format_number(measure.baseline)}, the best is {format_number(measure.best)}; normalized score "
        f"{score:.2f}, where 0 = trivial and 1 = the best"
    )
    if score > 1:
        text += "; above 1 means past the score counted as solved, which a run can exceed"
    text += ")."
    moved = progression([evaluation])
    if moved is not None:
        went = f"went from {format_number(moved.first)} to {format_number(moved.last)}"
        if measure.curve_label == measure.name:
            text += f" E: {evaluation.experience}. Along the learning curve P {went}: {moved.trend.sentence('P')}"
        else:  # the curve tracks another number than P: say which
            text += (
                f" E: {evaluation.experience}. The learning curve tracks the {measure.curve_label} (not P, which is "
                f"measured once at the end): it {went}; {moved.trend.sentence('it')}"
            )
    data = evaluation.dataset
    text += f" Data: {data.name}" + (" (a stand-in: the real data set was unavailable)." if data.fallback else ".")
    return text


def run_paradigm(name: str, *, seed: int = 0, quick: bool = True) -> ParadigmRun:
    """Run paradigm ``name`` (on its quick budget by default) and wrap the result for display."""
    return ParadigmRun(run_registered(name, quick=quick, seed=seed, progress=False))


def load_runs(folder: str | Path) -> dict[str, ParadigmRun]:
    """The lesson's paradigms as a ``paradigms compare`` left them in ``folder``
    (``NAME.json``, or the first seed's ``NAME.seedS.json``); missing ones are left out."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"--results {folder}: no such folder")
    runs = {}
    for name in LESSON_PARADIGMS:
        candidates = [folder / f"{name}.json", *sorted(folder.glob(f"{name}.seed*.json"))]
        found = next((path for path in candidates if path.is_file()), None)
        if found is not None:
            runs[name] = ParadigmRun(Evaluation.load(found))
    if not runs:
        raise ConfigError(
            f"--results {folder}: no {', '.join(n + '.json' for n in LESSON_PARADIGMS)} there "
            "(write them with `paradigms compare --out DIR`)"
        )
    return runs
