"""The experiment behind *classification* and *regression*: same inputs, two kinds of answer.

The same 64 pixels of scikit-learn's bundled digits go into the same small
network (64 -> 32 hidden neurons). Only the output layer and the cost differ:

* **classification**: 10 output neurons, one per digit, trained with
  cross-entropy; the answer is the digit with the highest score; measured by
  **accuracy** (the share of right answers; chance is 10%).
* **regression**: 1 output neuron, trained with squared error to output the
  digit *as a number*; the answer is a value such as 6.8; measured by the
  **mean absolute error** (how far off, on average) and R².

Treating the digit as a quantity is what regression does, and it shows why
digits are a classification problem: a 4 is not "between" a 3 and a 5, yet
regression is rewarded for answering 4 when unsure between them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed, numpy_rng
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers, quiet_torch
from ._data import digits


@dataclass(frozen=True)
class SameInputsSettings(Settings):
    """Settings of the classification / regression experiment."""

    train_size: int = setting(1200, "training images (the rest test the models)", min=50, max=1700)
    width: int = setting(32, "neurons in the shared hidden layer", min=1, max=1024)
    steps: int = setting(300, "full-batch training steps (Adam) for each model", min=1, max=5000)
    learning_rate: float = setting(0.02, "Adam's step size", min=0.0, min_inclusive=False, max=10.0)
    examples: int = setting(8, "test images listed in the table", min=1, max=50)


@dataclass(frozen=True)
class SameInputsResult:
    test_images: np.ndarray
    test_labels: np.ndarray
    class_predictions: np.ndarray
    class_confidence: np.ndarray
    value_predictions: np.ndarray
    train_mean: float

    @property
    def accuracy(self) -> float:
        return float(np.mean(self.class_predictions == self.test_labels))

    @property
    def mean_absolute_error(self) -> float:
        return float(np.mean(np.abs(self.value_predictions - self.test_labels)))

    @property
    def baseline_mean_absolute_error(self) -> float:
        """Always answering the training set's mean digit."""
        return float(np.mean(np.abs(self.train_mean - self.test_labels)))

    @property
    def r_squared(self) -> float:
        residual = np.sum((self.value_predictions - self.test_labels) ** 2)
        total = np.sum((self.test_labels - self.test_labels.mean()) ** 2)
        return float(1.0 - residual / total)

    @property
    def rounded_regression_accuracy(self) -> float:
        rounded = np.clip(np.rint(self.value_predictions), 0, 9)
        return float(np.mean(rounded == self.test_labels))

    def numbers(self) -> dict[str, float]:
        return {
            "test_images": len(self.test_labels),
            "classification_accuracy": self.accuracy,
            "chance_accuracy": 0.1,
            "regression_mean_absolute_error": self.mean_absolute_error,
            "regression_baseline_mean_absolute_error": self.baseline_mean_absolute_error,
            "regression_r_squared": self.r_squared,
            "regression_rounded_accuracy": self.rounded_regression_accuracy,
        }

    def table(self, count: int) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "true digit": self.test_labels[:count],
                "classification: class": self.class_predictions[:count],
                "classification: probability": self.class_confidence[:count],
                "regression: value": self.value_predictions[:count],
                "regression: error": np.abs(self.value_predictions[:count] - self.test_labels[:count]),
            }
        )


def _network(outputs: int, width: int):
    import torch

    return torch.nn.Sequential(torch.nn.Linear(64, width), torch.nn.ReLU(), torch.nn.Linear(width, outputs))


@lru_cache(maxsize=4)
def run_same_inputs(config: SameInputsSettings, seed: int) -> SameInputsResult:
    """Train the classifier and the regressor (cached: the two demos share one run)."""
    import torch
    import torch.nn.functional as F

    X, y = digits()
    order = numpy_rng(seed).permutation(len(X))
    train, test = order[: config.train_size], order[config.train_size :]
    inputs, labels = torch.tensor(X[train]), torch.tensor(y[train])
    values = labels.float()[:, None]
    with quiet_torch(seed):
        classifier, regressor = _network(10, config.width), _network(1, config.width)
        for network, cost in (
            (classifier, lambda out: F.cross_entropy(out, labels)),
            (regressor, lambda out: F.mse_loss(out, values)),
        ):
            optimizer = torch.optim.Adam(network.parameters(), lr=config.learning_rate)
            for _ in range(config.steps):
                optimizer.zero_grad()
                cost(network(inputs)).backward()
                optimizer.step()
        with torch.no_grad():
            test_inputs = torch.tensor(X[test])
            probabilities = torch.softmax(classifier(test_inputs), dim=1).numpy()
            value_predictions = regressor(test_inputs)[:, 0].numpy().astype(np.float64)
    images, _ = digits()
    result = SameInputsResult(
        test_images=images[test].reshape(-1, 8, 8),
        test_labels=y[test],
        class_predictions=probabilities.argmax(axis=1),
        class_confidence=probabilities.max(axis=1).astype(np.float64),
        value_predictions=value_predictions,
        train_mean=float(y[train].mean()),
    )
    for array in (result.test_images, result.test_labels, result.class_predictions, result.class_confidence, result.value_predictions):
        array.flags.writeable = False  # shared between cached results
    return result


def draw_same_inputs(result: SameInputsResult, *, focus: str, examples: int = 8):
    """Example digits with both answers (top); the focused task's errors (bottom)."""
    shown = min(examples, 8)
    fig = figure(10.0, 5.2)
    mosaic = [[f"img{i}" for i in range(shown)], ["left"] * (shown // 2) + ["right"] * (shown - shown // 2)]
    axes = fig.subplot_mosaic(mosaic, height_ratios=(1, 2.2))
    for i in range(shown):
        ax = axes[f"img{i}"]
        ax.imshow(result.test_images[i], cmap="gray_r")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(
            f"class {result.class_predictions[i]}\nvalue {result.value_predictions[i]:.1f}", fontsize=8,
            color="C3" if result.class_predictions[i] != result.test_labels[i] else "black",
        )
    labels = result.test_labels
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (labels, result.class_predictions), 1)
    left = axes["left"]
    left.imshow(confusion, cmap="Blues")
    left.set(xlabel="predicted class", ylabel="true digit", xticks=range(10), yticks=range(10),
             title=f"Classification: accuracy {result.accuracy:.1%}")
    right = axes["right"]
    jitter = numpy_rng(0).uniform(-0.2, 0.2, size=len(labels))
    right.scatter(labels + jitter, result.value_predictions, s=5, alpha=0.5, color="C1")
    right.plot([-0.5, 9.5], [-0.5, 9.5], color="gray", linestyle=":")
    right.set(xlabel="true digit", ylabel="predicted value", xticks=range(10),
              title=f"Regression: mean absolute error {result.mean_absolute_error:.2f}")
    if focus == "regression":
        right.set_facecolor("#fff8ee")
    else:
        left.set_title(left.get_title(), fontweight="bold")
    return fig


def same_inputs_demo(
    term: Term,
    *,
    focus: str,
    seed: int,
    settings: Mapping[str, object],
    finding: Callable[[SameInputsResult], str],
) -> DemoResult:
    """Run the shared classifier-and-regressor experiment and wrap it as ``term``'s
    result; *classification* and *regression* differ only in ``finding`` and ``focus``."""
    config: SameInputsSettings = make_settings(SameInputsSettings, dict(settings))
    seed = check_seed(seed)
    outcome = run_same_inputs(config, seed)
    return DemoResult(
        term=term, numbers=plain_numbers(outcome.numbers()), table=outcome.table(config.examples),
        finding=finding(outcome), settings=config, seed=seed,
        draw=partial(_draw_result, focus=focus), data={"outcome": outcome},
    )


def _draw_result(result: DemoResult, *, focus: str):
    return draw_same_inputs(result.data["outcome"], focus=focus, examples=result.settings.examples)
