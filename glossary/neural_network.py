"""Neural network and layers: neurons side by side form a layer, layers in a row form a network.

Demo
----
A small network for 28x28 digits: 784 inputs -> a hidden layer of 32 neurons
-> a hidden layer of 16 -> an output layer of 10 neurons, one per digit.
Every neuron of a layer sees every output of the layer before (a *dense* or
fully connected layer), so a layer of ``n`` neurons with ``m`` inputs has
``m * n`` weights and ``n`` biases. The demo counts them layer by layer,
checks the count against PyTorch, trains the network briefly on a few thousand
real MNIST digits (or, where MNIST is not on this machine, on scikit-learn's 8x8
digits enlarged to 28x28, and the finding says so) and follows one test image
through it: 784 pixels become 32 numbers, then 16, then 10 scores, the largest
of which is the network's answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers, quiet_torch
from ._data import digit_images
from ._training import fit_full_batch


@dataclass(frozen=True)
class NeuralNetworkSettings(Settings):
    """Settings of the neural-network demo."""

    hidden: tuple[int, ...] = setting((32, 16), "neurons in each hidden layer", min=1, max=1024)
    train_images: int = setting(2000, "images used for training", min=50, max=60_000)
    test_images: int = setting(1000, "images that test the network", min=50, max=10_000)
    steps: int = setting(120, "full-batch training steps (Adam)", min=0, max=5000)
    learning_rate: float = setting(0.01, "Adam's step size", min=0.0, min_inclusive=False, max=10.0)


def build_network(widths: tuple[int, ...]):
    """The supervised paradigm's MLP: widths = (inputs, hidden..., outputs), ReLU between layers."""
    from paradigms.supervised.model import build_mlp  # start-up time: the model module loads torch

    return build_mlp(widths[0], widths[1:-1], widths[-1])


def describe_widths(widths: tuple[int, ...]) -> str:
    """``(784, 64, 64, 64, 10)`` -> ``"784 -> 3 x 64 -> 10"``: repeated layers written once."""
    parts: list[str] = []
    index = 0
    while index < len(widths):
        run = 1
        while index + run < len(widths) and widths[index + run] == widths[index]:
            run += 1
        parts.append(f"{run} x {widths[index]}" if run > 2 else " -> ".join([str(widths[index])] * run))
        index += run
    return " -> ".join(parts)


def layer_table(widths: tuple[int, ...]) -> pd.DataFrame:
    """One row per layer of neurons: its size, inputs per neuron, weights, biases, parameters."""
    rows = [{"layer": "input", "neurons": widths[0], "inputs per neuron": 0, "weights": 0, "biases": 0}]
    for index, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:], strict=False), start=1):
        kind = "output" if index == len(widths) - 1 else f"hidden {index}"
        rows.append({"layer": kind, "neurons": fan_out, "inputs per neuron": fan_in, "weights": fan_in * fan_out, "biases": fan_out})
    table = pd.DataFrame(rows)
    table["parameters"] = table["weights"] + table["biases"]
    return table


def train_classifier(network, images: np.ndarray, labels: np.ndarray, *, steps: int, learning_rate: float) -> list[float]:
    """Full-batch Adam on cross-entropy; returns the training loss after each step."""
    import torch  # start-up time: torch loads only when a demo trains a network

    return fit_full_batch(
        network, images, labels, torch.nn.functional.cross_entropy, steps=steps, learning_rate=learning_rate
    )


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Count a small network's parameters layer by layer, train it, follow one image through."""
    import torch  # start-up time: torch loads only when a demo trains a network

    from paradigms.supervised.model import count_parameters  # it imports torch too

    config: NeuralNetworkSettings = make_settings(NeuralNetworkSettings, settings)
    seed = check_seed(seed)
    data = digit_images(config.train_images, config.test_images, seed)
    train_x, test_x = data.flat("train"), data.flat("test")
    widths = (train_x.shape[1], *config.hidden, 10)
    with quiet_torch(seed):
        network = build_network(widths)
        losses = train_classifier(network, train_x, data.train_labels, steps=config.steps, learning_rate=config.learning_rate)
        with torch.no_grad():
            predictions = network(torch.from_numpy(test_x)).argmax(dim=1).numpy()
            example = 0
            signal = torch.tensor(test_x[example : example + 1])
            layer_outputs = []
            for module in network:
                signal = module(signal)
                if isinstance(module, torch.nn.ReLU) or module is network[-1]:
                    layer_outputs.append(signal[0].numpy().copy())
    table = layer_table(widths)
    counted = count_parameters(network)
    accuracy = float(np.mean(predictions == data.test_labels))
    scores = layer_outputs[-1]
    probabilities = np.exp(scores - scores.max())
    probabilities /= probabilities.sum()
    numbers = plain_numbers(
        {
            "layers_with_weights": len(widths) - 1,
            "hidden_layers": len(widths) - 2,
            "parameters": int(table["parameters"].sum()),
            "parameters_counted_by_torch": counted,
            "train_loss_first": losses[0] if losses else float("nan"),
            "train_loss_last": losses[-1] if losses else float("nan"),
            "test_accuracy": accuracy,
            "chance_accuracy": 0.1,
            "example_label": int(data.test_labels[example]),
            "example_prediction": int(np.argmax(scores)),
            "data": data.name,
        }
    )
    shape = describe_widths(widths)
    finding = (
        f"The network {shape} has {numbers['parameters']:,} parameters (PyTorch counts {counted:,}). "
        f"After {config.steps} training steps it names {accuracy:.1%} of {len(test_x):,} test digits correctly "
        f"(chance: 10%); a test image of a {data.test_labels[example]} comes out as 10 raw scores, the logits "
        f"(softmax turns them into probabilities that add up to 1), the largest for {int(np.argmax(scores))}. "
        f"Data: {data.description}."
    )
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding, settings=config, seed=seed, draw=_draw,
        data={"image": data.test_images[example], "layer_outputs": layer_outputs, "probabilities": probabilities, "widths": widths},
    )


def _draw(result: DemoResult):
    data = result.data
    outputs = data["layer_outputs"]
    fig = figure(10.0, 3.0)
    axes = fig.subplots(1, len(outputs) + 1, width_ratios=(1.0, *([1.4] * len(outputs))))
    axes[0].imshow(data["image"], cmap="gray_r")
    axes[0].set_title(f"input: {data['widths'][0]} pixels", fontsize=9)
    axes[0].set_xticks([])
    axes[0].set_yticks([])
    for index, (ax, values) in enumerate(zip(axes[1:], outputs, strict=False)):
        last = index == len(outputs) - 1
        if last:
            ax.bar(np.arange(10), data["probabilities"], color="C2")
            ax.set_xticks(range(10))
            ax.set_title("output layer: 10 neurons\n(softmax of the scores)", fontsize=9)
        else:
            ax.bar(np.arange(len(values)), values, color="C0")
            ax.set_title(f"hidden layer {index + 1}: {len(values)} neurons", fontsize=9)
            ax.set_xticks([])
        ax.set_xlabel("neuron")
    axes[1].set_ylabel("activation")
    return fig


TERM = Term(
    slug="neural-network",
    name="neural network",
    definition=(
        "A neural network is layers of neurons in a row: each layer's neurons read the outputs of the "
        "layer before and pass theirs on, from the input layer (the pixels) through hidden layers to "
        "the output layer (one neuron per answer)."
    ),
    look_for=(
        "a dense layer of n neurons with m inputs has m*n weights and n biases; the image shrinks "
        "to fewer, more abstract numbers at each layer until ten scores remain"
    ),
    demo=demo,
    related=("neuron", "deep", "backpropagation", "classification"),
    used_in=("paradigms.supervised.model.build_mlp", "paradigms.supervised.model.count_parameters"),
    aliases=(
        "neural networks", "network", "networks", "layer", "layers", "hidden layer", "hidden layers",
        "input layer", "output layer", "multilayer perceptron", "MLP",
    ),
    settings=NeuralNetworkSettings,
)
