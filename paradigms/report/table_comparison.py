"""One table seen with its labels and without them: the lesson's central contrast, on the user's data.

``paradigms compare --data table.csv --target COLUMN`` runs the supervised
paradigm with the target column (it learns from the labels) and the
unsupervised paradigm on the same rows without it (it groups them, and is
scored against the target only afterwards). The comparison records the table
in ``run["table"]`` (:func:`table_run_facts`); the page then opens with the
section built here:

* the two scores side by side: the network's test accuracy (beside always
  answering the majority class) and the adjusted Rand index (ARI) of the
  segments against the target's classes (0: a random grouping, 1: the classes
  exactly), with NMI and purity;
* the confusion matrix beside the cluster-by-class table;
* one plain sentence, computed from those numbers, on what the labels bought
  (:func:`what_the_labels_bought`);
* (the reinforcement paradigm's guessing game over the same rows, and a target it could not
  guess, are in the same-task section above it: :mod:`~paradigms.report.same_task`).

The report imports no paradigm package: it reads the evaluations' metrics by
name (``test_accuracy``, ``confusion_matrix``, ``class_names`` from the
supervised run; ``adjusted_rand_index``, ``contingency`` from the unsupervised one).

>>> print(what_the_labels_bought({"test_accuracy": 0.97, "majority_baseline_accuracy": 0.4, "majority_class": "3"},
...                              {"adjusted_rand_index": 0.15}))
With the labels, the network named the class of 97% of the test rows (always answering the majority class, '3': 40%); without them, the segments are nearly unrelated to the classes (ARI 0.15; 0 is what a random grouping scores): without the labels, the classes are not found.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..evaluation import Evaluation
from .comparison import Comparison, ParadigmInfo, describe_paradigms
from .document import Block, Image, Paragraph, Plain, Section, em, strong, table
from .drawings import FigureRenderer
from .stats import format_number

#: Where the comparison's ``run`` facts keep the table (``{"data": ..., "target": ...}``).
TABLE_KEY = "table"
#: The paradigms a table comparison runs, in the order the page shows them: the same rows learned
#: from their labels, from nothing, and from a reward for each guess of a row's class.
TABLE_PARADIGMS = ("supervised", "unsupervised", "reinforcement")
#: The feedback each paradigm gets from a table, in the page's T/P/E table.
TABLE_FEEDBACK = {
    "supervised": "the correct value of the target column for every training row",
    "unsupervised": "none: the target column is hidden while it learns",
    "reinforcement": "a reward for each guess of a training row's class: 1 if right, 0 if wrong; never the answer",
}


def table_run_facts(data: str, target: str) -> dict[str, Any]:
    """What a table comparison adds to the comparison's ``run`` facts (a paradigm left out is said
    in the same-task facts, :func:`paradigms.report.same_task.same_task_run_facts`)."""
    return {TABLE_KEY: {"data": str(data), "target": str(target)}}


def is_table_comparison(comparison: Comparison) -> bool:
    return isinstance(comparison.run.get(TABLE_KEY), dict)


def table_paradigm_infos(evaluations: Sequence[Evaluation]) -> dict[str, ParadigmInfo]:
    """The paradigms' descriptions, with T and P as these runs had them (a table's target, R² or
    accuracy), not the defaults' (MNIST digits): the page's T/P/E table must describe what ran."""
    infos = describe_paradigms(TABLE_PARADIGMS)
    infos = {name: info for name, info in infos.items() if any(ev.paradigm == name for ev in evaluations)}
    for evaluation in evaluations:
        if evaluation.paradigm in infos:
            infos[evaluation.paradigm] = dataclasses.replace(
                infos[evaluation.paradigm], task=evaluation.task, measure=evaluation.measure.name,
                experience=evaluation.experience, feedback=TABLE_FEEDBACK[evaluation.paradigm])
    return infos


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _grouping_words(ari: float) -> str:
    if ari >= 0.8:
        return (f"the segments found the classes almost by themselves (ARI {ari:.2f}): on this table the labels "
                "bought little more than the classes' names")
    if ari >= 0.5:
        return f"the segments follow the classes in large part (ARI {ari:.2f}), but not row for row"
    if ari >= 0.2:
        return f"the segments follow the classes only loosely (ARI {ari:.2f})"
    return (f"the segments are nearly unrelated to the classes (ARI {ari:.2f}; 0 is what a random grouping "
            "scores): without the labels, the classes are not found")


def what_the_labels_bought(supervised: dict[str, Any], unsupervised: dict[str, Any]) -> str:
    """One plain sentence, computed from the two runs' metrics, on what learning with labels gained."""
    ari = unsupervised.get("adjusted_rand_index")
    if "test_r2" in supervised:
        return (f"The target is a number, so with it the network learned a regression (R² "
                f"{supervised['test_r2']:.2f} on the test rows, where always answering the mean scores 0); "
                "a grouping of the rows cannot be scored against classes that do not exist, so the two "
                "scores below do not measure the same thing.")
    accuracy, majority = supervised["test_accuracy"], supervised["majority_baseline_accuracy"]
    first = (f"With the labels, the network named the class of {_percent(accuracy)} of the test rows (always "
             f"answering the majority class{majority_class_name(supervised)}: {_percent(majority)})")
    if ari is None:
        return first + "; without them, the segments could not be compared with the classes."
    return f"{first}; without them, {_grouping_words(float(ari))}."


def majority_class_name(metrics: dict[str, Any]) -> str:
    """``", 'NAME'"``: the majority class a supervised run's metrics name (a class name, text), or "" when
    they name none (results written before it was recorded).

    >>> majority_class_name({"majority_class": "setosa"}), majority_class_name({})
    (", 'setosa'", '')
    """
    name = metrics.get("majority_class")
    return "" if name is None else f", {str(name)!r}"


def _matrix_panel(ax: Any, matrix: np.ndarray, rows: Sequence[str], columns: Sequence[str], title: str,
                  xlabel: str, ylabel: str) -> None:
    totals = matrix.sum(axis=1, keepdims=True)
    share = np.divide(matrix, totals, out=np.zeros_like(matrix, dtype=float), where=totals > 0)
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            if matrix[i, j]:
                ax.text(j, i, str(int(matrix[i, j])), ha="center", va="center", fontsize=8,
                        color="white" if share[i, j] > 0.5 else "black")
    ax.set_xticks(range(len(columns)), [str(c) for c in columns], rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), [str(r) for r in rows])
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(False)


def side_by_side_figure(supervised: Evaluation, unsupervised: Evaluation) -> Figure | None:
    """The confusion matrix (true class x predicted class) beside the cluster-by-class table
    (true class x segment), each row shaded by its share; None when either is missing."""
    confusion = supervised.metrics.get("confusion_matrix")
    contingency = unsupervised.metrics.get("contingency")
    if not confusion or not isinstance(contingency, dict) or not contingency.get("data"):
        return None
    names = [str(n) for n in supervised.metrics.get("class_names") or range(len(confusion))]
    segments = [str(c) for c in contingency["columns"][1:]]
    by_group = {str(row[0]): row[1:] for row in contingency["data"]}
    groups = [n for n in names if n in by_group] + [g for g in by_group if g not in names]
    fig = Figure(figsize=(11, 0.45 * max(len(names), len(groups)) + 3), layout="constrained")
    left, right = fig.subplots(1, 2)
    _matrix_panel(left, np.asarray(confusion, dtype=float), names, names,
                  f"With labels: confusion matrix (accuracy {supervised.measure.value:.2f})",
                  "predicted class", "true class")
    ari = unsupervised.metrics.get("adjusted_rand_index")
    _matrix_panel(right, np.asarray([by_group[g] for g in groups], dtype=float), groups, segments,
                  "Without labels: class by segment" + (f" (ARI {ari:.2f})" if ari is not None else ""),
                  "segment", "true class")
    return fig


def _score_rows(supervised: Evaluation, unsupervised: Evaluation) -> list[list[Any]]:
    s, u = supervised.metrics, unsupervised.metrics
    rows: list[list[Any]] = [["feedback", "the correct label of every training row", "none: the labels are hidden while it learns"]]
    if "test_accuracy" in s:
        rows.append(["how well the classes are recovered",
                     strong(Plain(f"test accuracy {format_number(s['test_accuracy'])}")),
                     strong(Plain("ARI " + format_number(u["adjusted_rand_index"])
                                  if "adjusted_rand_index" in u else "no ARI"))])
        rows.append(["its floor", f"majority class{majority_class_name(s)}: {format_number(s['majority_baseline_accuracy'])}",
                     "a random grouping: ARI 0"])
    else:
        rows.append(["its score", strong(Plain(f"test R² {format_number(s.get('test_r2', float('nan')))}")),
                     "ARI needs classes: none for a number"])
    if "linear_test_accuracy" in s:
        rows.append(["a simpler model on the same split", f"logistic regression {format_number(s['linear_test_accuracy'])}",
                     ""])
    if "normalized_mutual_info" in u:
        rows.append(["other agreement measures", "", f"NMI {format_number(u['normalized_mutual_info'])}, purity "
                     f"{format_number(u.get('purity', float('nan')))}"])
    rows.append(["its own measure P", f"{supervised.measure.name} {format_number(supervised.measure.value)}",
                 f"{unsupervised.measure.name} {format_number(unsupervised.measure.value)} "
                 f"({u.get('n_segments', '?')} segments)"])
    return rows


def table_comparison_section(comparison: Comparison, render: FigureRenderer) -> Section:
    """The page's opening section for ``paradigms compare --data TABLE --target COLUMN``."""
    facts = comparison.run[TABLE_KEY]
    runs = {name: comparison.evaluations_of(name) for name in TABLE_PARADIGMS[:2]}
    intro = Paragraph((
        "The same rows of ", strong(Plain(str(facts.get("data", "the table")))), ", seen twice. ",
        em("Supervised learning"), " was given the column ", strong(Plain(repr(facts.get("target")))),
        " and learned to predict it; ", em("unsupervised learning"), " grouped the same rows without "
        "that column, and its groups were compared with it only afterwards.",
    ))
    blocks: list[Block] = [intro]
    if not all(runs.values()):
        missing = ", ".join(name for name, found in runs.items() if not found)
        blocks.append(Paragraph((Plain(f"No result from {missing}: the two cannot be put side by side "
                                       "(see its section below)."),)))
    else:
        supervised, unsupervised = runs["supervised"][0], runs["unsupervised"][0]
        blocks.append(Paragraph((strong(Plain("What the labels bought:")),
                                 Plain(" " + what_the_labels_bought(supervised.metrics, unsupervised.metrics)))))
        blocks.append(table(["", "with labels (supervised)", "without labels (unsupervised)"],
                            _score_rows(supervised, unsupervised)))
        figure = side_by_side_figure(supervised, unsupervised)
        if figure is not None:
            blocks.append(Image(
                "table-with-and-without-labels.png", render(figure),
                alt="Two tables of counts: the confusion matrix of the supervised run beside the table of "
                    "true classes by segment of the unsupervised run.",
                caption=(Plain("Left: each test row by its true class and the class the network predicted. "
                               "Right: each row by its true class and the segment it was put in, without the "
                               "labels. Shading: each row's share."),),
            ))
        several = max(len(r) for r in runs.values()) > 1
        if several:
            blocks.append(Paragraph((Plain("The numbers and tables here are those of the first seed; the sections "
                                           "below give every seed's."),)))
    return Section("with-and-without-labels", "One table, with labels and without", tuple(blocks),
                   short_title="With and without labels")
