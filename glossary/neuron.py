"""Neuron: a weighted sum of the inputs plus a bias, passed through an activation.

Demo
----
A 28x28 image has 784 pixels, so a neuron that looks at it has 784 weights
and one bias: 785 numbers. The demo trains one such neuron (a sigmoid, by
gradient descent on cross-entropy) to answer "is this digit a 3?" on a
few thousand real MNIST digits when MNIST is on this machine (otherwise on
scikit-learn's 8x8 digits enlarged to 28x28, and the finding says so). Then it opens
the neuron up for one test image: each pixel's value times its weight, the
sum of those 784 products plus the bias (the *weighted sum* ``z``), and the
activation ``sigmoid(z)``, the neuron's output, read as the probability of "3".
The hand-written sum is checked against PyTorch's ``nn.Linear``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers, quiet_torch
from ._data import digit_images


@dataclass(frozen=True)
class NeuronSettings(Settings):
    """Settings of the neuron demo."""

    digit: int = setting(3, "the digit the neuron learns to recognise", min=0, max=9)
    train_images: int = setting(2000, "images used to train the neuron", min=50, max=60_000)
    test_images: int = setting(1000, "images that test it", min=50, max=10_000)
    steps: int = setting(150, "gradient-descent steps", min=1, max=5000)
    learning_rate: float = setting(0.05, "Adam's step size", min=0.0, min_inclusive=False, max=10.0)
    shown_pixels: int = setting(8, "pixels with the largest contribution listed in the table", min=1, max=784)


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def train_neuron(images: np.ndarray, targets: np.ndarray, *, steps: int, learning_rate: float, seed: int):
    """One ``nn.Linear(784, 1)`` with a sigmoid, trained full-batch on cross-entropy."""
    import torch  # start-up time: torch loads only when a demo trains a network

    with quiet_torch(seed):
        neuron = torch.nn.Linear(images.shape[1], 1)
        optimizer = torch.optim.Adam(neuron.parameters(), lr=learning_rate)
        inputs = torch.from_numpy(images)
        labels = torch.from_numpy(targets.astype(np.float32))[:, None]
        for _ in range(steps):
            optimizer.zero_grad()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(neuron(inputs), labels)
            loss.backward()
            optimizer.step()
    return neuron


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Train one neuron on 784 pixels and take its weighted sum apart for one image."""
    import torch  # start-up time: torch loads only when a demo trains a network

    from paradigms.supervised.model import count_parameters  # it imports torch too

    config: NeuronSettings = make_settings(NeuronSettings, settings)
    seed = check_seed(seed)
    data = digit_images(config.train_images, config.test_images, seed)
    train_x, test_x = data.flat("train"), data.flat("test")
    train_y = (data.train_labels == config.digit).astype(np.int64)
    test_y = (data.test_labels == config.digit).astype(np.int64)
    neuron = train_neuron(train_x, train_y, steps=config.steps, learning_rate=config.learning_rate, seed=seed)
    weights = neuron.weight.detach().numpy()[0].astype(np.float64)
    bias = float(neuron.bias.detach().numpy()[0])

    test_z = test_x.astype(np.float64) @ weights + bias
    accuracy = float(np.mean((test_z > 0) == test_y.astype(bool)))
    baseline = float(max(np.mean(test_y), 1 - np.mean(test_y)))

    example = int(np.flatnonzero(test_y)[0])
    pixels = test_x[example].astype(np.float64)
    contributions = pixels * weights
    weighted_sum = float(contributions.sum() + bias)
    with torch.no_grad():
        torch_sum = float(neuron(torch.tensor(test_x[example : example + 1]))[0, 0])
    largest = np.argsort(-np.abs(contributions))[: config.shown_pixels]
    table = pd.DataFrame(
        {
            "pixel (row, col)": [f"({i // 28}, {i % 28})" for i in largest],
            "value x": pixels[largest],
            "weight w": weights[largest],
            "w * x": contributions[largest],
        }
    )
    numbers = plain_numbers(
        {
            "inputs": test_x.shape[1],
            "parameters": count_parameters(neuron),
            "example_label": int(data.test_labels[example]),
            "weighted_sum": weighted_sum,
            "weighted_sum_by_torch": torch_sum,
            "bias": bias,
            "activation": float(sigmoid(weighted_sum)),
            "test_accuracy": accuracy,
            "baseline_accuracy": baseline,
            "data": data.name,
        }
    )
    activation = float(sigmoid(weighted_sum))
    answer = "yes" if activation > 0.5 else "no"
    finding = (
        f"For a test image of a {config.digit}, the {test_x.shape[1]} products w*x plus the bias sum to "
        f"z = {weighted_sum:.2f}; the activation sigmoid(z) = {activation:.3f} (the sigmoid squeezes any z "
        f"into 0..1) is the neuron's answer to 'is this a {config.digit}?': {answer}. Trained on "
        f"{len(train_y):,} images, this one neuron is right on {accuracy:.1%} of {len(test_y):,} test images "
        f"(always answering 'no' scores {baseline:.1%}). Data: {data.description}."
    )
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding, settings=config, seed=seed, draw=_draw,
        data={"image": data.test_images[example], "weights": weights.reshape(28, 28), "contributions": contributions.reshape(28, 28)},
    )


def _draw(result: DemoResult):
    data = result.data
    fig = figure(10.0, 2.9)
    axes = fig.subplots(1, 4, width_ratios=(1, 1, 1, 1.3))
    panels = [
        (data["image"], "gray_r", "input x (784 pixels)", False),
        (data["weights"], "RdBu_r", "weights w", True),
        (data["contributions"], "RdBu_r", "contributions w * x", True),
    ]
    for ax, (values, cmap, title, centred) in zip(axes, panels, strict=False):
        limit = float(np.abs(values).max()) or 1.0
        kwargs = {"vmin": -limit, "vmax": limit} if centred else {}
        ax.imshow(values, cmap=cmap, **kwargs)
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    z = float(result.numbers["weighted_sum"])
    grid = np.linspace(min(-8.0, z - 1), max(8.0, z + 1), 200)
    axes[3].plot(grid, sigmoid(grid), color="C0")
    axes[3].plot([z], [sigmoid(z)], "o", color="C3")
    axes[3].text(0.04, 0.96, f"z = {z:.2f}\nsigmoid(z) = {sigmoid(z):.3f}", transform=axes[3].transAxes,
                 va="top", fontsize=8)
    axes[3].set(xlabel="weighted sum z = w·x + b", ylabel="activation", title="activation")
    return fig


TERM = Term(
    slug="neuron",
    name="neuron",
    definition=(
        "A neuron multiplies each input by a weight, adds the products and a bias (the weighted sum), "
        "and passes the result through an activation function; its output is one number."
    ),
    look_for=(
        "784 pixels in, 785 parameters (784 weights and a bias), one number out; the weights form a "
        "picture of what the neuron looks for"
    ),
    demo=demo,
    related=("neural-network", "backpropagation", "classification"),
    used_in=("paradigms.supervised.model.build_mlp",),
    aliases=("neurons", "artificial neuron", "perceptron", "weighted sum", "activation function"),
    settings=NeuronSettings,
)
