"""Classification: predicting which of a fixed set of classes an example belongs to.

Demo
----
A small network reads scikit-learn's bundled 8x8 handwritten digits: 64
pixels in, 32 hidden neurons, and ten output neurons, one per digit, trained
with cross-entropy. Its answer is a class ("3") and a probability for it (the
softmax of the ten output scores, the logits), and it is measured by
accuracy: the share of test images it names correctly, beside what guessing
(10%) and always answering the most common digit score. An answer is right or
wrong, nothing in between: a 4 is not "between" a 3 and a 5. Compare
:mod:`glossary.regression`, where the answer is a quantity and the measure is
how far off it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed, numpy_rng
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers, quiet_torch
from ._data import digits
from ._training import fit_full_batch, small_mlp

if TYPE_CHECKING:
    from matplotlib.typing import HashableList


@dataclass(frozen=True)
class ClassificationSettings(Settings):
    """Settings of the classification demo."""

    train_size: int = setting(1200, "training images (the rest of the 1,797 test the model)", min=50, max=1700)
    width: int = setting(32, "neurons in the hidden layer", min=1, max=1024)
    steps: int = setting(300, "full-batch training steps (Adam)", min=1, max=5000)
    learning_rate: float = setting(0.02, "Adam's step size", min=0.0, min_inclusive=False, max=10.0)
    examples: int = setting(8, "test images listed in the table", min=1, max=50)


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """A digit classifier: its answer is a class with a probability, measured by accuracy."""
    import torch  # start-up time: torch loads only when a demo trains a network

    config: ClassificationSettings = make_settings(ClassificationSettings, settings)
    seed = check_seed(seed)
    X, y = digits()
    order = numpy_rng(seed).permutation(len(X))
    train, test = order[: config.train_size], order[config.train_size :]
    with quiet_torch(seed):
        network = small_mlp(X.shape[1], config.width, outputs=10)
        fit_full_batch(network, X[train], y[train], torch.nn.functional.cross_entropy,
                       steps=config.steps, learning_rate=config.learning_rate)
        with torch.no_grad():
            probabilities = torch.softmax(network(torch.from_numpy(X[test])), dim=1).numpy().astype(np.float64)
    predicted, confidence = probabilities.argmax(axis=1), probabilities.max(axis=1)
    right = predicted == y[test]
    counts = np.bincount(y[train], minlength=10)
    majority = int(counts.argmax())
    numbers = plain_numbers(
        {
            "test_images": len(test),
            "classes": int(len(np.unique(y))),
            "accuracy": float(right.mean()),
            "chance_accuracy": 1.0 / len(np.unique(y)),
            "majority_class_accuracy": float(np.mean(y[test] == majority)),
            "mean_probability_when_right": float(confidence[right].mean()) if right.any() else float("nan"),
            "mean_probability_when_wrong": float(confidence[~right].mean()) if (~right).any() else float("nan"),
            "wrong_answers": int((~right).sum()),
        }
    )
    shown = slice(0, config.examples)
    table = pd.DataFrame(
        {
            "true digit": y[test][shown],
            "answer (class)": predicted[shown],
            "probability of that class": confidence[shown],
            "right?": np.where(right[shown], "yes", "no"),
        }
    )
    finding = (
        f"Given the 64 pixels of a digit, the classifier answers with one of {numbers['classes']} classes and a "
        f"probability for it (the softmax of its {numbers['classes']} output scores, the logits). It names "
        f"{numbers['accuracy']:.1%} of {len(test)} test digits correctly (guessing: {numbers['chance_accuracy']:.0%}; "
        f"always answering the most common digit, {majority}: {numbers['majority_class_accuracy']:.1%}). Each "
        "answer is simply right or wrong"
    )
    if right.any() and (~right).any():
        finding += (
            f"; its {numbers['wrong_answers']} wrong answers came with a lower probability on average "
            f"({numbers['mean_probability_when_wrong']:.0%} against {numbers['mean_probability_when_right']:.0%} when right)"
            if float(numbers["mean_probability_when_wrong"]) < float(numbers["mean_probability_when_right"])
            else f"; its {numbers['wrong_answers']} wrong answers were as confident as its right ones"
        )
    finding += "."
    images, _ = digits()
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding, settings=config, seed=seed, draw=_draw,
        data={"images": images[test][: min(config.examples, 8)].reshape(-1, 8, 8), "labels": y[test],
              "predicted": predicted, "confidence": confidence},
    )


def _draw(result: DemoResult):
    data = result.data
    shown = len(data["images"])
    fig = figure(10.0, 5.0)
    mosaic: list[HashableList[str]] = [[f"img{i}" for i in range(shown)], ["matrix"] * shown]
    axes = fig.subplot_mosaic(mosaic, height_ratios=(1, 2.6))
    for i in range(shown):
        ax = axes[f"img{i}"]
        ax.imshow(data["images"][i], cmap="gray_r")
        ax.set_xticks([])
        ax.set_yticks([])
        wrong = data["predicted"][i] != data["labels"][i]
        ax.set_title(f"class {data['predicted'][i]}\n{data['confidence'][i]:.0%}", fontsize=8,
                     color="C3" if wrong else "black")
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (data["labels"], data["predicted"]), 1)
    ax = axes["matrix"]
    ax.imshow(confusion, cmap="Blues")
    for (row, col), count in np.ndenumerate(confusion):
        if count:
            ax.text(col, row, str(count), ha="center", va="center", fontsize=7,
                    color="white" if count > confusion.max() / 2 else "black")
    ax.set(xlabel="answer (class)", ylabel="true digit", xticks=range(10), yticks=range(10),
           title=f"Right or wrong: accuracy {result.numbers['accuracy']:.1%} (the diagonal)")
    return fig


TERM = Term(
    slug="classification",
    name="classification",
    definition=(
        "Classification is predicting a category from a fixed list (which digit, spam or not); the "
        "model outputs one score or probability per class and answers with the most likely one."
    ),
    look_for="the answer is a class with a probability, and the measure is accuracy against the chance level",
    demo=demo,
    related=("regression", "supervised-learning", "cost-function", "neural-network"),
    used_in=("paradigms.supervised.DigitClassifier",),
    aliases=("classify", "classifier", "classifiers", "accuracy"),
    settings=ClassificationSettings,
)
