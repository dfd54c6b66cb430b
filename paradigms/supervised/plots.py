"""Figures of a supervised Evaluation, drawn from the Evaluation alone (JSON is enough).

Each function takes the :class:`~paradigms.evaluation.Evaluation` and returns a
matplotlib ``Figure`` (made without pyplot, so nothing is shown or kept open as a
side effect). :func:`figures` gives them all, by name, for the report. The numbers
come from ``metrics`` (the confusion matrix, the baselines) and the curve; the
pixels of the misclassified digits from ``figure_data["misclassified"]``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..evaluation import Evaluation


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

    acc_ax.plot(epochs, curve["performance"], "o-", color="tab:green", label="validation accuracy")
    measure = evaluation.measure
    acc_ax.axhline(measure.value, color="tab:red", ls="--", label=f"test accuracy {measure.value:.4f}")
    majority = evaluation.metrics.get("majority_baseline_accuracy")
    note = f"chance {measure.baseline:.2f}" + (f", majority class {majority:.3f}" if majority is not None else "")
    acc_ax.set(xlabel="epoch", ylabel="accuracy", title=f"Accuracy ({note})")
    acc_ax.legend(loc="lower right")
    acc_ax.grid(alpha=0.3)
    for ax in (loss_ax, acc_ax):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if "examples_seen" in curve and len(curve):
        per_epoch = int(curve["examples_seen"].iloc[0])
        fig.suptitle(f"{evaluation.dataset.name}: learning curves ({per_epoch:,} training examples per epoch)")
    return fig


def confusion_matrix_figure(evaluation: Evaluation) -> Figure:
    """Test-set confusion matrix: row = true digit, column = predicted digit."""
    matrix = np.asarray(evaluation.metrics["confusion_matrix"], dtype=float)
    n = len(matrix)
    fig = Figure(figsize=(6, 5.2), layout="constrained")
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
    ax.set(xticks=range(n), yticks=range(n), xlabel="predicted digit", ylabel="true digit",
           title=f"Confusion matrix on the test set (accuracy {evaluation.measure.value:.4f})")
    fig.colorbar(image, ax=ax, label="share of the true digit's images")
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
    for ax, item in zip(axes, mistakes, strict=False):
        ax.imshow(np.asarray(item["pixels"], dtype=np.uint8), cmap="gray_r", vmin=0, vmax=255)
        ax.set_title(f"true {item['true']}, said {item['predicted']}\n({item['confidence']:.1%} sure)", fontsize=8)
    fig.suptitle("Confident mistakes on the test set")
    return fig


def figures(evaluation: Evaluation) -> dict[str, Figure]:
    """All of the above, by name, in the order the report shows them."""
    result = {"learning_curves": learning_curves(evaluation)}
    if "confusion_matrix" in evaluation.metrics:
        result["confusion_matrix"] = confusion_matrix_figure(evaluation)
    result["misclassified"] = misclassified_figure(evaluation)
    return result
