"""Deep: a neural network with many layers between input and output.

Demo
----
The lesson's ten-layered network for 28x28 digits: 784 inputs, ten hidden
layers of 64 neurons, and an output layer of ten neurons, exactly as the
supervised paradigm builds it (``paradigms run supervised --hidden-sizes
64,64,64,64,64,64,64,64,64,64``). The demo builds it with the paradigm's own
:func:`~paradigms.supervised.model.build_mlp`, counts its parameters layer by
layer (a dense layer with ``m`` inputs and ``n`` neurons has ``(m + 1) * n``),
checks the total against PyTorch's count, and passes a batch of digits through
it to show the shapes flowing from 784 numbers per image to 10. It also asks what the same number of
parameters buys in a *shallow* network (one hidden layer): a wide layer, but
only one step of processing, where the deep network has ten.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from paradigms.seeding import check_seed
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers, quiet_torch
from ._data import digits_28x28
from .neural_network import build_network, describe_widths, layer_table

#: Hidden widths of the lesson's ten-layered network, as the supervised paradigm spells it.
LESSON_HIDDEN = (64,) * 10


@dataclass(frozen=True)
class DeepSettings(Settings):
    """Settings of the deep-network demo."""

    hidden: tuple[int, ...] = setting(LESSON_HIDDEN, "neurons in each hidden layer", min=1, max=4096)
    batch: int = setting(32, "digit images passed through the network at once", min=1, max=1797)


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Build the ten-layer network, count its parameters, pass digits through it."""
    import torch

    from paradigms.supervised.model import count_parameters

    config: DeepSettings = make_settings(DeepSettings, settings)
    seed = check_seed(seed)
    images, _ = digits_28x28()
    widths = (28 * 28, *config.hidden, 10)
    table = layer_table(widths)
    with quiet_torch(seed):
        network = build_network(widths)
        counted = count_parameters(network)
        signal = torch.tensor(images[: config.batch].reshape(config.batch, -1))
        shapes = [tuple(signal.shape)]
        with torch.no_grad():
            for module in network:
                signal = module(signal)
                if isinstance(module, torch.nn.Linear):
                    shapes.append(tuple(signal.shape))
    table["output shape"] = [str(shape) for shape in shapes]
    total = int(table["parameters"].sum())
    # One hidden layer of width h has (784 + 1) h + (h + 1) 10 parameters; solve for the same total.
    shallow_width = int(round((total - 10) / (widths[0] + 1 + 10)))
    numbers = plain_numbers(
        {
            "layers_with_weights": len(widths) - 1,
            "hidden_layers": len(widths) - 2,
            "parameters": total,
            "parameters_counted_by_torch": counted,
            "first_layer_share": float(table["parameters"].iloc[1] / total),
            "shallow_width_same_parameters": shallow_width,
        }
    )
    finding = (
        f"The network {describe_widths(widths)} has {len(widths) - 1} layers with "
        f"weights ({len(widths) - 2} hidden + the output layer) and {total:,} parameters (PyTorch counts {counted:,}); "
        f"{numbers['first_layer_share']:.0%} of them sit in the first layer, which reads the 784 pixels. "
        f"A shallow network with one hidden layer of {shallow_width} neurons would have as many."
    )
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding, settings=config, seed=seed, draw=_draw,
        data={"widths": widths},
    )


def _draw(result: DemoResult):
    table = result.table
    fig = figure(9.0, 3.4)
    width_ax, param_ax = fig.subplots(1, 2)
    positions = np.arange(len(table))
    colors = ["C7"] + ["C0"] * (len(table) - 2) + ["C2"]
    width_ax.bar(positions, table["neurons"], color=colors)
    width_ax.set_yscale("log")
    width_ax.set_xticks(positions, table["layer"].str.replace("hidden ", "h"), rotation=45, fontsize=8)
    width_ax.set(ylabel="neurons (log scale)", title=f"Neurons per layer: input, {len(table) - 2} hidden, output")
    param_ax.bar(positions[1:], table["parameters"].iloc[1:], color=colors[1:])
    param_ax.set_yscale("log")
    param_ax.set_xticks(positions[1:], table["layer"].iloc[1:].str.replace("hidden ", "h"), rotation=45, fontsize=8)
    param_ax.set(ylabel="parameters (log scale)", title=f"Parameters per layer: {result.numbers['parameters']:,} in all")
    return fig


TERM = Term(
    slug="deep",
    name="deep",
    definition=(
        "A network is deep when it has many layers between input and output; deep learning is "
        "training such networks, each layer building on what the layer before it computed."
    ),
    look_for=(
        "ten hidden layers between the 784 inputs and the 10 outputs, the parameter count layer by "
        "layer, and how most parameters sit where the 784 pixels come in"
    ),
    demo=demo,
    related=("neural-network", "neuron", "backpropagation", "overfitting"),
    used_in=("paradigms.supervised.model.build_mlp", "paradigms.supervised.paradigm.SupervisedSettings"),
    aliases=("deep learning", "deep network", "deep networks", "deep neural network", "depth", "ten-layered network"),
    settings=DeepSettings,
)
