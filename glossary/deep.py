"""Deep: a neural network with many layers between input and output.

Demo
----
An experiment with the lesson's ten-layered network for 28x28 digits: 784
inputs, ten hidden layers of 64 neurons and ten outputs, built as the
supervised paradigm builds it (``paradigms run supervised --hidden-sizes
64,64,64,64,64,64,64,64,64,64``), trained beside a *shallow* network with one
hidden layer made just wide enough to have about the same number of
parameters. Same images (real MNIST when it is on this machine, otherwise
scikit-learn's 8x8 digits enlarged to 28x28, as the finding says), same
optimiser, same batches, same small budget of epochs; test accuracy after
every epoch.

To say *why* depth helped or hurt, the demo also measures, before training,
how strong the gradient is that reaches each layer (the root mean square of
the cost's gradient with respect to that layer's weights). Backpropagation
passes the error signal back through every layer, and with PyTorch's default
initialisation each layer weakens it, so in a deep network the first layers
get a faint signal: the *vanishing gradient* problem that careful
initialisation, normalisation and residual connections were invented to solve.
Whether that faint signal kept the first layers from learning is measured
too, not assumed: how far training moved each layer's weights (relative to
their starting size). With Adam, which scales every step to its own
gradient, the deep network's first layer moves about as far as the shallow
one's, and the sentence says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers, quiet_torch
from ._data import digit_images
from ._training import train_minibatch
from .neural_network import build_network, describe_widths, layer_table


@dataclass(frozen=True)
class DeepSettings(Settings):
    """Settings of the deep-against-shallow experiment."""

    depth: int = setting(10, "hidden layers of the deep network", min=1, max=40)
    width: int = setting(64, "neurons in each hidden layer of the deep network", min=1, max=1024)
    train_images: int = setting(3000, "training images (the same for both networks)", min=100, max=60_000)
    test_images: int = setting(2000, "test images", min=100, max=10_000)
    epochs: int = setting(5, "passes over the training images (a small budget)", min=1, max=100)
    batch_size: int = setting(64, "images per gradient step", min=1, max=10_000)
    learning_rate: float = setting(0.001, "Adam's step size, the same for both", min=0.0, min_inclusive=False, max=1.0)


def shallow_width_for(parameters: int, inputs: int = 784, outputs: int = 10) -> int:
    """The width h of one hidden layer with about ``parameters`` parameters:
    (inputs + 1) h + (h + 1) outputs = parameters, solved for h."""
    return max(1, round((parameters - outputs) / (inputs + 1 + outputs)))


def gradient_strengths(network, images: np.ndarray, labels: np.ndarray) -> list[float]:
    """Root mean square of d cost / d weight, layer by layer, for one batch (weights untouched)."""
    import torch  # start-up time: torch loads only when a demo trains a network


    network.zero_grad()
    torch.nn.functional.cross_entropy(network(torch.from_numpy(images)), torch.from_numpy(labels)).backward()
    # cast: backward() gave every layer's weights a gradient
    strengths = [
        float(cast(torch.Tensor, m.weight.grad).pow(2).mean().sqrt()) for m in network if isinstance(m, torch.nn.Linear)
    ]
    network.zero_grad()
    return strengths


def layer_weights(network) -> list[np.ndarray]:
    """A copy of each layer's weight matrix, first layer first."""
    import torch  # start-up time: torch loads only when a demo trains a network

    return [m.weight.detach().numpy().copy() for m in network if isinstance(m, torch.nn.Linear)]


def relative_changes(before: list[np.ndarray], after: list[np.ndarray]) -> list[float]:
    """How far training moved each layer's weights: ||W_after - W_before|| / ||W_before||."""
    return [float(np.linalg.norm(b - a) / np.linalg.norm(a)) for a, b in zip(before, after, strict=True)]


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Train a deep and a shallow network with the same parameter budget, side by side."""
    from paradigms.supervised.model import count_parameters  # start-up time: it imports torch

    config: DeepSettings = make_settings(DeepSettings, settings)
    seed = check_seed(seed)
    data = digit_images(config.train_images, config.test_images, seed)
    train_x, test_x = data.flat("train"), data.flat("test")
    deep_widths = (train_x.shape[1], *([config.width] * config.depth), 10)
    deep_parameters = int(layer_table(deep_widths)["parameters"].sum())
    shallow_widths = (train_x.shape[1], shallow_width_for(deep_parameters, train_x.shape[1]), 10)
    runs: dict[str, dict[str, Any]] = {}
    for name, widths in (("deep", deep_widths), ("shallow", shallow_widths)):
        with quiet_torch(seed):
            network = build_network(widths)
            strengths = gradient_strengths(network, train_x[:256], data.train_labels[:256])
            start = layer_weights(network)
            log = train_minibatch(
                network, train_x, data.train_labels, epochs=config.epochs, batch_size=config.batch_size,
                learning_rate=config.learning_rate, seed=seed, x_val=test_x, y_val=data.test_labels,
            )
        runs[name] = {
            "widths": widths, "strengths": strengths, "log": log,
            "moved": relative_changes(start, layer_weights(network)),
            "parameters": count_parameters(network),
        }
    deep, shallow = runs["deep"], runs["shallow"]
    table = pd.DataFrame(
        {
            "epoch": np.arange(1, config.epochs + 1),
            "deep: test accuracy": deep["log"].val_accuracies,
            "shallow: test accuracy": shallow["log"].val_accuracies,
            "deep: training loss": deep["log"].train_losses,
            "shallow: training loss": shallow["log"].train_losses,
        }
    )

    def weakening(run: dict) -> float:  # how many times weaker the first layer's gradient is than the output's
        return run["strengths"][-1] / run["strengths"][0]

    numbers = plain_numbers(
        {
            "hidden_layers_deep": config.depth,
            "parameters_deep": deep["parameters"],
            "parameters_deep_by_layer_table": deep_parameters,
            "shallow_width": shallow["widths"][1],
            "parameters_shallow": shallow["parameters"],
            "test_accuracy_deep": deep["log"].val_accuracies[-1],
            "test_accuracy_shallow": shallow["log"].val_accuracies[-1],
            "gradient_weakening_deep": weakening(deep),
            "gradient_weakening_shallow": weakening(shallow),
            "first_layer_moved_deep": deep["moved"][0],
            "last_layer_moved_deep": deep["moved"][-1],
            "first_layer_moved_shallow": shallow["moved"][0],
            "epochs": config.epochs,
            "data": data.name,
        }
    )
    finding = _finding(numbers, config, data.description)
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding, settings=config, seed=seed, draw=_draw,
        data={"strengths": {name: run["strengths"] for name, run in runs.items()},
              "widths": {name: run["widths"] for name, run in runs.items()}},
    )


def _finding(n: dict, config: DeepSettings, data: str) -> str:
    deep_acc, shallow_acc = n["test_accuracy_deep"], n["test_accuracy_shallow"]
    shape_deep = describe_widths((784, *([config.width] * config.depth), 10))
    start = (
        f"The deep network ({shape_deep}, {n['parameters_deep']:,} parameters) and a shallow one "
        f"(784 -> {n['shallow_width']} -> 10, {n['parameters_shallow']:,} parameters) trained on the same images "
        f"for {config.epochs} epochs: test accuracy {deep_acc:.1%} deep against {shallow_acc:.1%} shallow "
        "(a difference of more than 2 points counts as a win). "
    )
    deep_weak, shallow_weak = n["gradient_weakening_deep"], n["gradient_weakening_shallow"]
    gradients = (
        f"Before training, the gradient reaching the deep network's first layer was {deep_weak:,.0f} times weaker "
        f"than at its output layer (shallow network: {shallow_weak:,.1f} times)"
        + (
            f": backpropagation passes the error back through all {config.depth + 1} layers and each one weakens it "
            "(vanishing gradients). "
            if deep_weak > 10 * shallow_weak
            else ". "
        )
    )
    moved_deep, moved_shallow = n["first_layer_moved_deep"], n["first_layer_moved_shallow"]
    moved = (
        f"Training changed the deep network's first layer by {moved_deep:.1%} of its starting size (its output "
        f"layer by {n['last_layer_moved_deep']:.1%}), the shallow network's first layer by {moved_shallow:.1%}"
    )
    if shallow_acc - deep_acc > 0.02:
        if deep_weak > 10 * shallow_weak and moved_deep < 0.5 * moved_shallow:
            why = (
                f"{moved}: the faint signal left the deep network's early layers less changed within this budget "
                f"(less than half as much: the rule for saying so), so here depth made the optimisation harder."
            )
        elif deep_weak > 10 * shallow_weak:
            why = (
                f"{moved}: not less than half as much (Adam scales each step to its own gradient, so a faint "
                "gradient still moves the weights), so the faint signal does not explain the gap by itself; within "
                "this budget the deep network is simply harder to optimise."
            )
        else:
            why = f"The gradients are not much weaker in the deep network ({moved}), so here depth mostly cost training time."
        return start + gradients + why + f" Data: {data}."
    if deep_acc - shallow_acc > 0.02:
        verdict = f"Here depth helped ({moved}): the layers built on one another faster than one wide layer could."
    else:
        verdict = f"Here depth made no clear difference within this budget (2 points either way; {moved})."
    return start + gradients + verdict + f" Data: {data}."


def _draw(result: DemoResult):
    from matplotlib.ticker import (
        MaxNLocator,  # start-up time: matplotlib loads when a demo is drawn
    )

    table, data, n = result.table, result.data, result.numbers
    fig = figure(10.0, 3.8)
    accuracy_ax, gradient_ax = fig.subplots(1, 2)
    deep_label = f"deep: {n['hidden_layers_deep']} hidden layers, {n['parameters_deep']:,} parameters"
    shallow_label = f"shallow: 1 hidden layer of {n['shallow_width']}, {n['parameters_shallow']:,} parameters"
    accuracy_ax.plot(table["epoch"], table["deep: test accuracy"], "o-", color="C3", label=deep_label)
    accuracy_ax.plot(table["epoch"], table["shallow: test accuracy"], "s-", color="C0", label=shallow_label)
    accuracy_ax.axhline(0.1, color="gray", linestyle=":", label="chance (10%)")
    accuracy_ax.set(xlabel="epoch", ylabel="test accuracy", ylim=(0, 1.02), title="Same images, same parameter budget")
    accuracy_ax.legend(fontsize=7, loc="lower right")
    accuracy_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for name, color, marker in (("deep", "C3", "o"), ("shallow", "C0", "s")):
        strengths = data["strengths"][name]
        layers = np.arange(1, len(strengths) + 1)
        gradient_ax.plot(layers, strengths, marker + "-", color=color, label=f"{name} network")
    gradient_ax.set_yscale("log")
    gradient_ax.set(xlabel="layer with weights (1 = reads the pixels; last = output)",
                    ylabel="gradient strength (RMS, log)", title="How much error signal reaches each layer")
    gradient_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    gradient_ax.legend(fontsize=8)
    return fig


TERM = Term(
    slug="deep",
    name="deep",
    definition=(
        "A network is deep when it has many layers between input and output; deep learning is "
        "training such networks, each layer building on what the layer before it computed."
    ),
    look_for=(
        "the ten-layer network against a shallow one with as many parameters: with a small budget depth "
        "can hurt; the error signal weakens on its way back to the first layers, and the sentence says whether "
        "those layers still moved"
    ),
    demo=demo,
    related=("neural-network", "neuron", "backpropagation", "overfitting"),
    used_in=("paradigms.supervised.DigitClassifier", "paradigms.supervised.SupervisedSettings"),
    aliases=("deep learning", "deep network", "deep networks", "deep neural network", "depth", "ten-layered network"),
    settings=DeepSettings,
)
