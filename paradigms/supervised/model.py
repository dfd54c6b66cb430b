"""The network: a multilayer perceptron (MLP) from pixels to ten digit scores.

For MNIST, 28 x 28 = 784 pixels means 784 input neurons; each hidden layer is a
fully connected ``Linear`` layer followed by a non-linear activation (and, if
asked, dropout); the output layer has one neuron per class and gives the
*logits*, which softmax turns into probabilities.

``hidden_sizes=(256, 128)`` is the default two-hidden-layer net;
``hidden_sizes=(64,) * 10`` is the lesson's "ten-layered network".

>>> net = build_mlp(784, (256, 128), 10)
>>> net
Sequential(
  (0): Linear(in_features=784, out_features=256, bias=True)
  (1): ReLU()
  (2): Linear(in_features=256, out_features=128, bias=True)
  (3): ReLU()
  (4): Linear(in_features=128, out_features=10, bias=True)
)
>>> count_parameters(net)
235146
"""

from __future__ import annotations

from collections.abc import Sequence

from torch import nn

from ..errors import ConfigError
from .settings import ACTIVATIONS

#: The layer behind each activation name of the settings (:data:`.settings.ACTIVATIONS`).
ACTIVATION_LAYERS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "leaky_relu": nn.LeakyReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
}


def build_mlp(
    n_inputs: int,
    hidden_sizes: Sequence[int],
    n_classes: int,
    *,
    activation: str = "relu",
    dropout: float = 0.0,
) -> nn.Sequential:
    """``n_inputs`` -> hidden layers of ``hidden_sizes`` -> ``n_classes`` logits.

    An empty ``hidden_sizes`` gives plain multinomial logistic regression. The
    sizes and the dropout rate are checked where they are declared, in
    :class:`~.settings.SupervisedSettings`.
    """
    if activation not in ACTIVATION_LAYERS:
        raise ConfigError(f"activation = {activation!r} is unknown: choose one of {', '.join(ACTIVATIONS)}")
    layers: list[nn.Module] = []
    width_in = int(n_inputs)
    for width in hidden_sizes:
        layers += [nn.Linear(width_in, int(width)), ACTIVATION_LAYERS[activation]()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        width_in = int(width)
    layers.append(nn.Linear(width_in, int(n_classes)))
    return nn.Sequential(*layers)


def count_parameters(model: nn.Module) -> int:
    """How many numbers training adjusts (weights and biases)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
