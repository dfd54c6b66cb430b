"""Exercises on the network itself: neuron, neural network, deep, backpropagation.

Each check runs the student's answer against the glossary demo's own
machinery (:mod:`glossary.neuron`, :mod:`glossary.neural_network`,
:mod:`glossary.deep`, :mod:`glossary.backpropagation`), which is itself checked
against PyTorch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from paradigms.seeding import numpy_rng

from .. import backpropagation, neuron
from .._data import digits
from ..neural_network import build_network, layer_table
from ._base import AnswerFailed, Exercise, Feedback, as_number, call_answer, checked, parse_number

# -- neuron ----------------------------------------------------------------------------------

NEURON_TASK = """
A neuron multiplies each input by a weight, adds the products and a bias, and passes that weighted
sum z through an activation. Write `neuron(x, w, b)`: `x` and `w` are 1-D NumPy arrays of the same
length (the pixels of one image and their weights), `b` a number; return the neuron's output,
sigmoid(z) = 1 / (1 + exp(-z)). The check feeds it real 8x8 digits (64 pixels) and compares with
PyTorch's `nn.Linear` followed by a sigmoid.
"""


@checked("neuron", "call neuron(np.ones(3), np.array([1.0, 2.0, 3.0]), 0.5) yourself: it should return sigmoid(6.5) = 0.9985")
def check_neuron(answer: Any) -> Feedback:
    """Run ``neuron(x, w, b)`` on five digits and compare with ``nn.Linear`` + sigmoid."""
    import torch  # start-up time: torch loads only when the check runs

    images = digits()[0][:5].astype(np.float64)
    rng = numpy_rng(0, 22)
    w = np.asarray(rng.normal(0.0, 0.3, size=images.shape[1]))
    b = 0.7
    linear = torch.nn.Linear(images.shape[1], 1).double()
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(w)[None])
        linear.bias.fill_(b)
        expected = torch.sigmoid(linear(torch.tensor(images)))[:, 0].numpy()
    got = np.array([as_number(call_answer(answer, np.array(x), w.copy(), b), "the output") for x in images])
    z = images @ w + b
    numbers = {"z_first_image": float(z[0]), "expected_first_image": float(expected[0]), "got_first_image": float(got[0])}
    if np.allclose(got, expected, rtol=1e-6, atol=1e-9):
        return Feedback("neuron", True, (
            f"on five digits your neuron gives what PyTorch's nn.Linear and a sigmoid give (first image: "
            f"z = {z[0]:.3f}, output {expected[0]:.4f})."),
            "64 weights and a bias are 65 parameters; the sigmoid squeezes any weighted sum into 0..1, read as a probability.",
            "a 28x28 image has 784 pixels: the same neuron would have 785 parameters.", numbers)
    if np.allclose(got, z, rtol=1e-6):
        return Feedback("neuron", False, f"you return the weighted sum z ({z[0]:.3f} for the first image), not the activation sigmoid(z) = {expected[0]:.4f}.",
                        "the activation is what makes the output a probability (0..1), and what lets layers of neurons do more than one big weighted sum.",
                        "pass z through 1 / (1 + np.exp(-z)) before returning it.", numbers)
    no_bias = neuron.sigmoid(images @ w)
    if np.allclose(got, no_bias, rtol=1e-6):
        return Feedback("neuron", False, f"your outputs are sigmoid(w.x) without the bias: {got[0]:.4f} instead of {expected[0]:.4f} for the first image.",
                        "the bias b is added to the weighted sum before the activation: it shifts where the neuron switches on.",
                        "compute z = np.dot(w, x) + b, then sigmoid(z).", numbers)
    if np.allclose(got, images @ w, rtol=1e-6):
        return Feedback("neuron", False, f"you return w.x ({got[0]:.3f} for the first image): no bias and no activation; the neuron's output is {expected[0]:.4f}.",
                        "a neuron adds a bias to the weighted sum, z = w.x + b, and passes z through its activation.",
                        "return 1 / (1 + np.exp(-(np.dot(w, x) + b))).", numbers)
    if np.allclose(got, 1.0 - expected, rtol=1e-6):
        return Feedback("neuron", False, f"your outputs are 1 - sigmoid(z): {got[0]:.4f} instead of {expected[0]:.4f} for the first image.",
                        "sigmoid(z) = 1 / (1 + exp(-z)) grows with z: a larger weighted sum means a more confident yes.",
                        "check the sign inside exp: it is exp(-z).", numbers)
    if np.any((got < 0) | (got > 1)):
        return Feedback("neuron", False, f"an output of {got[np.argmax(np.abs(got - 0.5))]:.4f} lies outside 0..1, where a sigmoid's output always lies.",
                        "the sigmoid 1 / (1 + exp(-z)) maps every z into 0..1.", "pass the weighted sum plus the bias through the sigmoid.", numbers)
    return Feedback("neuron", False, f"for the first image you return {got[0]:.4f}; the neuron's output is {expected[0]:.4f} (z = {z[0]:.3f}).",
                    "output = sigmoid(sum of w_i x_i + b).",
                    "print the weighted sum you compute and compare it with np.dot(w, x) + b.", numbers)


NEURON_PLACEHOLDER = '''import numpy as np


def neuron(x, w, b):
    # TODO: the weighted sum of the inputs plus the bias, through a sigmoid
    return 0.0
'''

NEURON_SOLUTION = '''import numpy as np


def neuron(x, w, b):
    z = np.dot(w, x) + b          # the weighted sum plus the bias
    return 1.0 / (1.0 + np.exp(-z))  # the activation: a sigmoid
'''

# -- neural network ----------------------------------------------------------------------------

NETWORK_TASK = """
In a dense layer every neuron sees every output of the layer before. Write `count_parameters(widths)`:
`widths` lists the layer sizes from the inputs to the outputs, e.g. (784, 32, 16, 10); return how many
weights and biases the network has. The check compares with PyTorch's count for the lesson's networks
(784 -> 32 -> 16 -> 10, the ten-layer 784 -> 10 x 64 -> 10, and two small ones).
"""

NETWORK_SHAPES = ((784, 32, 16, 10), (784,) + (64,) * 10 + (10,), (64, 32, 10), (10, 8, 1))


@checked("neural-network", "call count_parameters((2, 3, 1)) yourself: 2*3 + 3 + 3*1 + 1 = 13")
def check_network(answer: Any) -> Feedback:
    """``count_parameters(widths)`` against PyTorch's count for four networks."""
    from paradigms.supervised.model import (
        count_parameters,  # start-up time: the model module loads torch
    )

    for widths in NETWORK_SHAPES:
        expected = count_parameters(build_network(widths))
        got = as_number(call_answer(answer, widths), f"count_parameters({widths})")
        if got == expected:
            continue
        table = layer_table(widths)
        weights, biases = int(table["weights"].sum()), int(table["biases"].sum())
        shape = " -> ".join(map(str, widths))
        numbers = {"widths": shape, "expected": expected, "got": got}
        if got == weights:
            return Feedback("neural-network", False, f"for {shape} you count {int(got):,}: the weights only; with the {biases:,} biases it is {expected:,}.",
                            "every neuron has a bias besides its weights: a layer of n neurons with m inputs has m*n weights and n biases.",
                            "add one bias per neuron of every layer except the input layer.", numbers)
        if got in (sum(widths), sum(widths[1:])):
            return Feedback("neural-network", False, f"for {shape} you count {int(got):,}, the neurons; the network has {expected:,} parameters.",
                            "the parameters are the numbers learned: each neuron's weights (one per input) and its bias.",
                            "for each pair of neighbouring layers (m inputs, n neurons) add m*n + n.", numbers)
        if got == weights + sum(widths[:-1]):
            return Feedback("neural-network", False, f"for {shape} you count {int(got):,}: biases on the sending layers; the network has {expected:,}.",
                            "a bias belongs to the neuron that receives the inputs: n biases for a layer of n neurons, none for the input pixels.",
                            "use the size of the receiving layer for the biases: m*n + n.", numbers)
        return Feedback("neural-network", False, f"for {shape} you count {int(got):,}; PyTorch counts {expected:,}.",
                        "a dense layer with m inputs and n neurons has m*n weights and n biases; the network's count is the sum over its layers.",
                        f"work out {widths[0]} -> {widths[1]} by hand: {widths[0]}*{widths[1]} + {widths[1]} = {widths[0] * widths[1] + widths[1]:,}.", numbers)
    return Feedback("neural-network", True, "your counts match PyTorch's for all four networks, including 50,890 for 784 -> 32 -> 16 -> 10.",
                    "almost all parameters sit in the first layer: 784 inputs times its neurons.",
                    "compare the ten-layer network's count with one hidden layer of 64: depth adds few parameters per layer.",
                    {"networks": len(NETWORK_SHAPES)})


NETWORK_PLACEHOLDER = '''def count_parameters(widths):
    # TODO: weights and biases of every layer, summed
    return 0
'''

NETWORK_SOLUTION = '''def count_parameters(widths):
    # each pair of neighbouring layers: m inputs into n neurons = m*n weights and n biases
    return sum(m * n + n for m, n in zip(widths[:-1], widths[1:]))
'''

# -- deep --------------------------------------------------------------------------------------

DEEP_WIDTHS = (784,) + (64,) * 10 + (10,)

DEEP_TASK = """
The lesson's deep network reads a 28x28 digit through ten hidden layers of 64 neurons:
784 -> 10 x 64 -> 10. The glossary's *deep* demo trains it beside a shallow network, 784 -> h -> 10,
with about the same number of parameters, so that only depth differs. Find h: the width of the one
hidden layer that gives the shallow network the deep network's number of parameters, within 2%.
"""


@checked("deep", "the answer is one whole number, the width h of the hidden layer")
def check_deep(answer: Any) -> Feedback:
    """The shallow width ``h`` against the deep network's parameter count (within 2%)."""
    width = as_number(answer, "the width")
    if width != int(width) or width < 1:
        raise AnswerFailed(f"the width is {answer!r}: a layer has a whole, positive number of neurons")
    width = int(width)
    deep_parameters = int(layer_table(DEEP_WIDTHS)["parameters"].sum())
    shallow = int(layer_table((784, width, 10))["parameters"].sum())
    ratio = shallow / deep_parameters
    numbers = {"deep_parameters": deep_parameters, "shallow_parameters": shallow, "ratio": ratio}
    if abs(ratio - 1.0) <= 0.02:
        return Feedback("deep", True, f"784 -> {width} -> 10 has {shallow:,} parameters, the deep network {deep_parameters:,} ({ratio - 1:+.1%}).",
                        "a hidden neuron of the shallow network reads all 784 pixels (785 parameters); one in a deep layer reads 64 (65 parameters), so ten layers of 64 cost as much as about 111 wide neurons.",
                        "run glossary.deep.demo() to see which of the two learns better with the same budget, and why.", numbers)
    if width == sum(DEEP_WIDTHS[1:-1]):
        return Feedback("deep", False, f"{width} neurons in one layer have {shallow:,} parameters, {ratio:.1f} times the deep network's {deep_parameters:,}.",
                        "the same number of neurons is not the same number of parameters: a neuron of the first layer has 785, a neuron of a deep layer 65.",
                        "solve 785 h + 10 (h + 1) = the deep network's count for h.", numbers)
    direction = "too many" if ratio > 1 else "too few"
    return Feedback("deep", False, f"784 -> {width} -> 10 has {shallow:,} parameters: {direction} ({ratio - 1:+.1%} against the deep network's {deep_parameters:,}).",
                    "a shallow network 784 -> h -> 10 has 784 h + h weights and biases into the hidden layer and 10 h + 10 out of it.",
                    "count the deep network's parameters first (layer by layer), then solve 795 h + 10 = that count.", numbers)


DEEP_PLACEHOLDER = "answer = 0  # TODO: the width h of the shallow network's hidden layer\n"
DEEP_SOLUTION = '''deep = (784 * 64 + 64) + 9 * (64 * 64 + 64) + (64 * 10 + 10)   # 88,330 parameters
answer = round((deep - 10) / (784 + 1 + 10))                    # 795 h + 10 = deep  ->  h = 111
'''

# -- backpropagation ---------------------------------------------------------------------------

BACKPROP_TASK = """
The backpropagation demo's network: h = tanh(X @ W1 + b1), out = h @ W2 + b2, cost = mean((out - y)**2),
on the four XOR examples. Write `gradients(params, X, y)`: `params` is a dict of NumPy arrays W1 (2 x H),
b1 (H), W2 (H x 1), b2 (1); return a dict with the same keys holding d cost / d parameter, each the shape of
its parameter, by the chain rule (NumPy only). The check compares with torch.autograd.
"""


@checked("backpropagation", "return a dict {'W1': ..., 'b1': ..., 'W2': ..., 'b2': ...} of arrays shaped like params")
def check_backpropagation(answer: Any) -> Feedback:
    """``gradients(params, X, y)`` against autograd, at two random starts."""
    X, y = backpropagation.XOR_INPUTS, backpropagation.XOR_TARGETS
    for hidden, seed in ((3, 0), (5, 1)):
        params = backpropagation.init_parameters(hidden, seed)
        expected = backpropagation.autograd_gradients(params, X, y)
        got = call_answer(answer, {k: v.copy() for k, v in params.items()}, X.copy(), y.copy(), name="gradients")
        if not isinstance(got, dict) or set(got) != set(expected):
            keys = sorted(got) if isinstance(got, dict) else type(got).__name__
            raise AnswerFailed(f"gradients returned {keys}, not a dict with the keys W1, b1, W2, b2")
        got = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in got.items()}
        flat = {k: v.reshape(-1) for k, v in expected.items()}
        for key in flat:
            if got[key].shape != flat[key].shape:
                raise AnswerFailed(f"gradients['{key}'] has {got[key].size} numbers; {key} has {flat[key].size}")
        wrong = [k for k in ("W2", "b2", "W1", "b1") if not np.allclose(got[k], flat[k], rtol=1e-6, atol=1e-10)]
        if not wrong:
            continue
        numbers = {"hidden": hidden, "wrong": ", ".join(wrong)}
        every = np.concatenate([flat[k] for k in flat])
        mine = np.concatenate([got[k] for k in flat])
        scale = float(mine @ every / (every @ every)) if every @ every else 0.0
        if len(wrong) == 4 and np.allclose(mine, scale * every, rtol=1e-6, atol=1e-10):
            reasons = {-1.0: ("every gradient has the wrong sign.", "the gradient points uphill; gradient descent steps against it, but the gradient itself is d cost / d w, signs included.", "d cost / d out = 2 (out - y) / n, not 2 (y - out) / n."),
                       0.5: ("every gradient is half what it should be.", "d/d out of (out - y)**2 is 2 (out - y): the 2 comes down from the square.", "start the backward pass from d out = 2 (out - y) / n."),
                       4.0: ("every gradient is 4 times too large: n = 4 examples, the mean was not divided out.", "the cost is the mean over the n examples, so each example's share of the gradient is divided by n.", "d out = 2 (out - y) / n with n = len(y).")}
            for factor, (what, why, hint) in reasons.items():
                if abs(scale - factor) < 1e-6:
                    return Feedback("backpropagation", False, what, why, hint, numbers)
        if wrong == ["W1", "b1"] or wrong == ["W1"] or wrong == ["b1"]:
            hidden_values = np.tanh(X @ params["W1"] + params["b1"])
            d_out = 2.0 * (hidden_values @ params["W2"] + params["b2"] - y) / len(y)
            no_slope = X.T @ (d_out @ params["W2"].T)
            if np.allclose(got["W1"], no_slope.reshape(-1), rtol=1e-6):
                return Feedback("backpropagation", False, "the output layer's gradients are right; the first layer's miss tanh's slope.",
                                "the error reaches the first layer through the tanh: the chain rule multiplies by its derivative, 1 - h**2.",
                                "d z1 = (d out @ W2.T) * (1 - h**2); then d W1 = X.T @ d z1 and d b1 = d z1.sum(axis=0).", numbers)
            return Feedback("backpropagation", False, f"the output layer's gradients are right; {' and '.join(wrong)} are not.",
                            "the first layer's gradient is the output's error passed back through W2 and the tanh.",
                            "d h = d out @ W2.T; d z1 = d h * (1 - h**2); d W1 = X.T @ d z1; d b1 = d z1.sum(axis=0).", numbers)
        return Feedback("backpropagation", False, f"{', '.join(wrong)} differ from autograd (with {hidden} hidden neurons).",
                        "backpropagation starts at the cost and works back: d out, then W2 and b2, then through W2 and the tanh to W1 and b1.",
                        "compute d out = 2 (out - y) / n first; d W2 = h.T @ d out; d b2 = d out.sum(axis=0).", numbers)
    return Feedback("backpropagation", True, "your chain rule gives autograd's gradients for every weight and bias, with 3 and with 5 hidden neurons.",
                    "the backward pass reuses what the forward pass computed (h, out), layer by layer from the cost back: that is backpropagation.",
                    "one step w -= rate * gradient now lowers the cost; the backpropagation demo takes that step.", {"starts": 2})


BACKPROP_PLACEHOLDER = '''import numpy as np


def gradients(params, X, y):
    # TODO: forward pass, then the chain rule from the cost back to W1
    return {name: np.zeros_like(value) for name, value in params.items()}
'''

BACKPROP_SOLUTION = '''import numpy as np


def gradients(params, X, y):
    h = np.tanh(X @ params["W1"] + params["b1"])      # forward pass
    out = h @ params["W2"] + params["b2"]
    d_out = 2.0 * (out - y) / len(y)                  # d cost / d out (the mean over n examples)
    d_z1 = (d_out @ params["W2"].T) * (1.0 - h**2)    # back through W2 and the tanh
    return {"W2": h.T @ d_out, "b2": d_out.sum(axis=0), "W1": X.T @ d_z1, "b1": d_z1.sum(axis=0)}
'''

EXERCISES = (
    Exercise("neuron", "Write a neuron", NEURON_TASK, "function", "neuron", NEURON_PLACEHOLDER, NEURON_SOLUTION, check_neuron),
    Exercise("neural-network", "Count a network's parameters", NETWORK_TASK, "function", "count_parameters",
             NETWORK_PLACEHOLDER, NETWORK_SOLUTION, check_network),
    Exercise("deep", "A shallow network with the deep one's budget", DEEP_TASK, "value", "answer",
             DEEP_PLACEHOLDER, DEEP_SOLUTION, check_deep, parse_number),
    Exercise("backpropagation", "Backpropagate by hand", BACKPROP_TASK, "function", "gradients",
             BACKPROP_PLACEHOLDER, BACKPROP_SOLUTION, check_backpropagation),
)
