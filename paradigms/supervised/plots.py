"""Figures of a supervised Evaluation, drawn from the Evaluation alone (JSON is enough).

Each function takes the :class:`~paradigms.evaluation.Evaluation` and returns a
matplotlib ``Figure`` (made without pyplot, so nothing is shown or kept open as a
side effect). :func:`figures` gives them all, by name, for the report. The numbers
come from ``metrics`` (the confusion matrix, the class names, the baselines) and
the curve; the pixels of the misclassified digits from ``figure_data["misclassified"]``;
a table's regression draws its test predictions (``figure_data["predictions"]``).
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..evaluation import Evaluation


def class_names(evaluation: Evaluation) -> list[str]:
    """The names of the classes, in the confusion matrix's order (the digits for MNIST)."""
    names = evaluation.metrics.get("class_names")
    if names:
        return [str(n) for n in names]
    return [str(i) for i in range(len(evaluation.metrics.get("confusion_matrix") or []))]


def learning_curves(evaluation: Evaluation) -> Figure:
    """Left: training vs validation loss per epoch. Right: validation accuracy per
    epoch, with the final test accuracy; a widening gap between the losses is overfitting."""
    curve = evaluation.curve
    epochs = curve["experience"].to_numpy(dtype=float)
    fig = Figure(figsize=(10, 4), layout="constrained")
    loss_ax, acc_ax = fig.subplots(1, 2)
    loss_ax.plot(epochs, curve["train_loss"], "o-", label="training loss")
    if "val_loss" in curve and curve["val_loss"].notna().any():
        loss_ax.plot(epochs, curve["val_loss"], "s-", label="validation loss")
    loss_ax.set(xlabel="epoch", ylabel="cross-entropy loss", title="Loss (lower is better)")
    loss_ax.legend()
    loss_ax.grid(alpha=0.3)

    measure = evaluation.measure
    word = measure.curve_label.replace("validation ", "")  # accuracy, or R² for a regression
    acc_ax.plot(epochs, curve["performance"], "o-", color="tab:green", label=measure.curve_label)
    acc_ax.axhline(measure.value, color="tab:red", ls="--", label=f"{measure.name} {measure.value:.4f}")
    majority = evaluation.metrics.get("majority_baseline_accuracy")
    majority_name = evaluation.metrics.get("majority_class")
    if word == "accuracy":
        note = f"chance {evaluation.metrics.get('chance_accuracy', measure.baseline):.2f}" + (
            f", majority class{'' if majority_name is None else f' {str(majority_name)!r}'} {majority:.3f}"
            if majority is not None else "")
    else:
        note = "0 = always the training mean"
    acc_ax.set(xlabel="epoch", ylabel=word, title=f"{word[0].upper() + word[1:]} ({note})")
    acc_ax.legend(loc="lower right")
    acc_ax.grid(alpha=0.3)
    for ax in (loss_ax, acc_ax):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if "examples_seen" in curve and len(curve):
        per_epoch = int(curve["examples_seen"].iloc[0])
        fig.suptitle(f"{evaluation.dataset.name}: learning curves ({per_epoch:,} training examples per epoch)")
    return fig


def confusion_matrix_figure(evaluation: Evaluation) -> Figure:
    """Test-set confusion matrix: row = true class, column = predicted class (by name)."""
    matrix = np.asarray(evaluation.metrics["confusion_matrix"], dtype=float)
    n = len(matrix)
    names = class_names(evaluation)
    digits = names == [str(i) for i in range(n)]
    side = max(6.0, 0.45 * n + 2.5)
    fig = Figure(figsize=(side, side * 0.87), layout="constrained")
    ax = fig.subplots()
    rows = matrix.sum(axis=1, keepdims=True)
    share = np.divide(matrix, rows, out=np.zeros_like(matrix), where=rows > 0)
    # A power scale, so that the few mistakes off the diagonal stay visible.
    image = ax.imshow(share, cmap="Blues", norm=PowerNorm(gamma=0.3, vmin=0, vmax=1))
    for true in range(n):
        for pred in range(n):
            count = int(matrix[true, pred])
            if count:
                ax.text(pred, true, str(count), ha="center", va="center", fontsize=7,
                        color="white" if share[true, pred] > 0.2 else "black")
    what = "digit" if digits else "class"
    ax.set(xticks=range(n), yticks=range(n), xlabel=f"predicted {what}", ylabel=f"true {what}",
           title=f"Confusion matrix on the test set (accuracy {evaluation.measure.value:.4f})")
    ax.set_xticklabels(names, rotation=0 if digits else 45, ha="center" if digits else "right")
    ax.set_yticklabels(names)
    fig.colorbar(image, ax=ax, label=f"share of the true {what}'s examples")
    return fig


def misclassified_figure(evaluation: Evaluation, *, columns: int = 8) -> Figure:
    """The test digits the model got wrong with the most confidence, with true and predicted labels."""
    mistakes = evaluation.figure_data.get("misclassified") or []
    if not mistakes:
        fig = Figure(figsize=(4, 1.5))
        fig.text(0.5, 0.5, "no misclassified test digits recorded", ha="center", va="center")
        return fig
    columns = min(columns, len(mistakes))
    rows = -(-len(mistakes) // columns)
    fig = Figure(figsize=(1.5 * columns, 1.75 * rows + 0.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    for ax in axes:
        ax.axis("off")
    names = class_names(evaluation)

    def name(index: int) -> str:
        return names[index] if 0 <= index < len(names) else str(index)

    for ax, item in zip(axes, mistakes, strict=False):
        ax.imshow(np.asarray(item["pixels"], dtype=np.uint8), cmap="gray_r", vmin=0, vmax=255)
        ax.set_title(f"true {name(item['true'])}, said {name(item['predicted'])}\n({item['confidence']:.1%} sure)",
                     fontsize=8)
    fig.suptitle("Confident mistakes on the test set")
    return fig


def predictions_figure(evaluation: Evaluation) -> Figure:
    """A regression's test rows: predicted against true value, the network beside the linear model;
    the diagonal is a perfect prediction, the horizontal line what always answering the mean gives."""
    kept = evaluation.figure_data["predictions"]
    true = np.asarray(kept["true"], dtype=float)
    fig = Figure(figsize=(6, 5.2), layout="constrained")
    ax = fig.subplots()
    ax.scatter(true, kept["predicted"], s=14, alpha=0.7, label=f"network (R² {evaluation.measure.value:.3f})")
    linear_r2 = evaluation.metrics.get("linear_test_r2")
    ax.scatter(true, kept["linear"], s=14, alpha=0.5, marker="x",
               label=f"{evaluation.metrics.get('linear_model', 'linear model')}"
               + (f" (R² {linear_r2:.3f})" if linear_r2 is not None else ""))
    low, high = float(true.min()), float(true.max())
    ax.plot([low, high], [low, high], color="black", lw=1, label="perfect")
    ax.axhline(float(true.mean()), color="grey", ls=":", lw=1, label="always the mean (R² 0)")
    target = kept.get("target", "target")
    ax.set(xlabel=f"true {target}", ylabel=f"predicted {target}", title="Regression on the test set")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def figures(evaluation: Evaluation) -> dict[str, Figure]:
    """All of the above, by name, in the order the report shows them."""
    result = {"learning_curves": learning_curves(evaluation)}
    if "confusion_matrix" in evaluation.metrics:
        result["confusion_matrix"] = confusion_matrix_figure(evaluation)
    if "predictions" in evaluation.figure_data:
        result["predictions"] = predictions_figure(evaluation)
    if "misclassified" in evaluation.figure_data:  # images only: a table's rows have no pixels to draw
        result["misclassified"] = misclassified_figure(evaluation)
    return result
