"""Sliders in Jupyter: move a demo's main setting and watch the result change.

>>> import glossary                                   # doctest: +SKIP
>>> glossary.interactive("learning rate")             # doctest: +SKIP

puts a slider on the demo's main setting (the learning rate, the batch size,
the polynomial degree, the noise, the number of epochs, ...) and reruns the
demo, figure and sentence, when the slider is let go (the demos take one to a
few seconds). Other settings can be fixed as keywords:
``glossary.interactive("epoch", label_noise=0.0)``.

The sliders need ipywidgets, an optional extra
(``pip install 'learning-paradigms[widgets]'``); without it,
:func:`interactive` raises an ImportError that says so in one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from paradigms.seeding import check_seed

from ._base import Term
from .registry import get_term

INSTALL_HINT = (
    "glossary.interactive needs ipywidgets, an optional extra: pip install 'learning-paradigms[widgets]' "
    "(or pip install ipywidgets), then restart the kernel"
)


@dataclass(frozen=True)
class Slider:
    """The slider on one demo's main setting.

    ``options`` lists the values it stops at (a demo's interesting values are
    rarely evenly spaced); ``as_tuple`` wraps the value for settings that take a
    tuple (``rates``, ``batch_sizes``, ``hidden``), so the demo runs with just
    the chosen one.
    """

    setting: str
    label: str
    options: tuple[Any, ...]
    default: Any
    as_tuple: bool = False

    def value_for(self, chosen: Any) -> Any:
        """What the demo's setting receives for the slider's value."""
        return (chosen,) if self.as_tuple else chosen


_POWERS_OF_TWO = tuple(2**k for k in range(10))

#: One slider per term, on the setting that best shows the idea.
SLIDERS: dict[str, Slider] = {
    "neuron": Slider("digit", "digit to recognise", tuple(range(10)), 3),
    "neural-network": Slider("hidden", "hidden neurons", (2, 4, 8, 16, 32, 64, 128, 256), 32, as_tuple=True),
    "deep": Slider("depth", "hidden layers", tuple(range(1, 21)), 10),
    "backpropagation": Slider("learning_rate", "step size", (0.01, 0.03, 0.1, 0.3, 1.0, 3.0), 0.1),
    "supervised-learning": Slider("epochs", "epochs", tuple(range(1, 31)), 10),
    "unsupervised-learning": Slider("customers", "customers", (100, 200, 300, 600, 1000, 2000), 300),
    "reinforcement-learning": Slider("steps", "steps of trial and error", (250, 500, 1000, 2000, 4000, 8000, 16000), 8000),
    "cost-function": Slider("confident_mistake", "p of a confident mistake", (0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5), 0.01),
    "overfitting": Slider("noise", "noise", tuple(round(0.05 * k, 2) for k in range(0, 21)), 0.3),
    "underfitting": Slider("simple_degree", "polynomial degree", tuple(range(0, 17)), 1),
    "classification": Slider("steps", "training steps", (5, 10, 20, 50, 100, 300, 1000), 300),
    "regression": Slider("steps", "training steps", (10, 50, 100, 200, 500, 1000, 2000), 200),
    "training-set": Slider("train_size", "training images", (30, 50, 100, 200, 300, 600, 1000), 300),
    "validation-set": Slider("validation_size", "validation images", (10, 25, 50, 100, 200, 400), 100),
    "test-set": Slider("candidates", "candidate models", (2, 5, 10, 20, 40, 100, 200), 40),
    "batch-size": Slider("batch_sizes", "batch size", _POWERS_OF_TWO, 16, as_tuple=True),
    "epoch": Slider("epochs", "epochs", tuple(range(2, 101)), 50),
    "learning-rate": Slider("rates", "learning rate", (0.02, 0.1, 0.5, 1.0, 1.6, 1.9, 2.0, 2.1, 2.5), 0.5, as_tuple=True),
    "mitchell": Slider("examples", "labelled images seen", (20, 50, 100, 200, 400, 800, 1200), 1200),
}


def slider_for(term: str | Term) -> Slider:
    """The slider of ``term`` (slug, name or alias)."""
    return SLIDERS[get_term(term).slug]


def _ipywidgets():
    try:
        import ipywidgets  # optional extra: imported only when a slider is asked for
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    return ipywidgets


def interactive(term: str | Term, *, seed: int = 0, **settings: Any):
    """A slider on ``term``'s main setting above its demo, rerun when the slider is let go.

    Returns an ``ipywidgets.interactive`` (its ``.result`` is the latest
    :class:`~glossary.DemoResult`); other ``settings`` stay fixed.
    """
    widgets = _ipywidgets()
    entry = get_term(term)
    slider = slider_for(entry)
    seed = check_seed(seed)
    if slider.setting in settings:
        raise TypeError(f"{slider.setting} is the slider's setting; leave it out of the fixed settings")
    control = widgets.SelectionSlider(
        options=list(slider.options), value=slider.default, description=slider.label,
        continuous_update=False, style={"description_width": "initial"},
        layout=widgets.Layout(width="32rem"),
    )

    def show(value: Any):
        return entry.demo(seed=seed, **settings, **{slider.setting: slider.value_for(value)})

    return widgets.interactive(show, {"auto_display": True}, value=control)
