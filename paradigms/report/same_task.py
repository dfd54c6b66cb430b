"""One task, three kinds of feedback: the page's opening figure and sentence.

``paradigms compare --task digits`` (and ``--data TABLE --target COLUMN``) runs the
three paradigms on the same training examples, measured by the same P on the same
test examples: only the feedback changes (:mod:`paradigms.same_task`). The page
then opens with the section built here:

* one figure: test accuracy against training examples seen (log axis), one curve
  per kind of feedback, the chance line, and a 95% band over the seeds;
* one sentence computed from the curves (:func:`what_the_feedback_bought`): how many
  examples labels and rewards needed to reach one accuracy, what the best without
  feedback reached, and how much one example's feedback can tell;
* a table of the final figures.

The report imports no paradigm package: it reads each run's curve through
:func:`paradigms.same_task.accuracy_curve`.

>>> curves = {"supervised": ([100, 1000, 10000], [0.3, 0.8, 0.95]),
...           "reinforcement": ([100, 1000, 10000, 60000], [0.1, 0.4, 0.8, 0.93]),
...           "unsupervised": ([1000, 60000], [0.5, 0.57])}
>>> print(what_the_feedback_bought(curves, n_classes=10))  # doctest: +NORMALIZE_WHITESPACE
To reach 90% test accuracy, the learner given labels needed 4,600 training examples and the learner
told only right or wrong needed 40,000 (9x as many); with no feedback at all, the clusters reached at
best 57% (chance: 10%). One label names one of 10 classes: 3.3 bits per example; one reward says right
or wrong: at most 1 bit; nothing tells 0 bits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..evaluation import Evaluation
from ..same_task import (
    EXAMPLES_SEEN,
    FEEDBACK,
    PARADIGMS,
    TEST_ACCURACY,
    accuracy_curve,
    bits_per_example,
)
from .comparison import Comparison
from .document import Block, Image, Paragraph, Plain, Section, em, strong, table
from .drawings import FigureRenderer
from .figures import report_style
from .stats import format_number, mean_interval
from .style import PARADIGM_COLOURS

#: Where the comparison's ``run`` facts say which task the three learned (``{"task": ..., ...}``).
SAME_TASK_KEY = "same_task"
#: The accuracies a sentence may name as its bar, highest first: the highest that labels and reward both reach.
ACCURACY_BARS = (0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2)
#: Each paradigm's line in the figure's legend.
LEGEND = {
    "supervised": "labels (supervised)",
    "unsupervised": "nothing (unsupervised: clusters matched to classes)",
    "reinforcement": "a reward, 1 or 0 (reinforcement: a bandit)",
}
#: What the default comparison's page says of its normalized scores.
DIFFERENT_TASKS_CAVEAT = (
    "These three paradigms learned three different tasks, each measured its own way: their normalized "
    "scores say how far each got from its own chance line towards its own best, and do not rank the "
    "paradigms. For the comparison that does, where the task and the measure are the same and only the "
    "feedback changes, run "
)

Curve = tuple[Sequence[float], Sequence[float]]


def same_task_run_facts(task: str, *, left_out: Mapping[str, str] | None = None, **facts: Any) -> dict[str, Any]:
    """What a same-task comparison adds to the comparison's ``run`` facts; ``left_out`` names a
    paradigm that could not learn the task (a table's target no bandit can guess) and says why."""
    return {SAME_TASK_KEY: {"task": task, **{k: str(v) for k, v in facts.items()},
                            "left_out": {str(k): str(v) for k, v in (left_out or {}).items()}}}


def is_same_task(comparison: Comparison) -> bool:
    return isinstance(comparison.run.get(SAME_TASK_KEY), dict)


def examples_to_reach(curve: Curve, accuracy: float) -> float | None:
    """The examples seen at which the curve first reached ``accuracy``, read between its two points
    around the crossing (linearly in the logarithm of examples seen, the figure's axis: a curve
    measured at 10,000 and 20,000 examples that crosses just after 10,000 is not credited with
    20,000); None if it never did."""
    points = list(zip(*curve, strict=True))
    for index, (seen, value) in enumerate(points):
        if value >= accuracy:
            if index == 0:
                return float(seen)
            before_seen, before_value = points[index - 1]
            if before_seen <= 0 or value == before_value:
                return float(seen)
            share = (accuracy - before_value) / (value - before_value)
            return float(math.exp(math.log(before_seen) + share * (math.log(seen) - math.log(before_seen))))
    return None


def _best(curve: Curve) -> float:
    return float(max(curve[1])) if len(curve[1]) else float("nan")


def _count(value: float) -> str:
    """A count read off a curve, to the two significant figures its points allow: 10,900 -> '11,000'."""
    if value < 100:
        return f"{int(round(value)):,}"
    digits = int(math.floor(math.log10(value))) - 1
    return f"{int(round(value, -digits)):,}"


def accuracy_bar(curves: Mapping[str, Curve]) -> float | None:
    """The highest of :data:`ACCURACY_BARS` that every learner given feedback (labels, a reward)
    reached; None if they reached none of them."""
    with_feedback = [c for name, c in curves.items() if name != "unsupervised" and c is not None and len(c[1])]
    return next((b for b in ACCURACY_BARS if with_feedback and all(_best(c) >= b for c in with_feedback)), None)


def what_the_feedback_bought(curves: Mapping[str, Curve], *, n_classes: int) -> str:
    """One plain sentence computed from the three curves (examples seen, test accuracy) on what
    each kind of feedback bought; ``curves`` may lack a paradigm that did not run."""
    chance = 1.0 / n_classes
    labels, reward, nothing = (curves.get(name) for name in ("supervised", "reinforcement", "unsupervised"))
    parts = []
    with_feedback = [c for c in (labels, reward) if c is not None and len(c[1])]
    bar = accuracy_bar(curves)
    if bar is not None:
        reached = {name: examples_to_reach(c, bar) for name, c in (("labels", labels), ("reward", reward))
                   if c is not None}
        needed = {name: n for name, n in reached.items() if n is not None}  # a curve without points reaches none
        said = []
        if "labels" in needed:
            said.append(f"the learner given labels needed {_count(needed['labels'])} training examples")
        if "reward" in needed:
            ratio = (needed["reward"] / needed["labels"]) if "labels" in needed and needed["labels"] else None
            times = f" ({ratio:.0f}x as many)" if ratio is not None and ratio >= 1.5 else ""
            said.append(f"the learner told only right or wrong needed {_count(needed['reward'])}{times}")
        parts.append(f"To reach {bar:.0%} test accuracy, " + " and ".join(said))
    elif with_feedback:
        parts.append("Neither labels nor rewards lifted the test accuracy to 20%")
    if nothing is not None and len(nothing[1]):
        parts.append(f"with no feedback at all, the clusters reached at best {_best(nothing):.0%} "
                     f"(chance: {chance:.0%})")
    sentence = "; ".join(parts) + ". " if parts else ""
    return sentence + (
        f"One label names one of {n_classes} classes: {bits_per_example('supervised', n_classes):.1f} bits per "
        "example; one reward says right or wrong: at most 1 bit; nothing tells 0 bits.")


def _runs(comparison: Comparison) -> dict[str, list[tuple[Evaluation, Any]]]:
    """Each paradigm's runs that carry a same-task curve, with that curve."""
    found: dict[str, list[tuple[Evaluation, Any]]] = {}
    for name in PARADIGMS:
        for evaluation in comparison.evaluations_of(name):
            curve = accuracy_curve(evaluation)
            if curve is not None:
                found.setdefault(name, []).append((evaluation, curve))
    return found


def mean_curve(curves: Sequence[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(examples seen, mean, low, high) over the seeds' curves, on the points of E they share
    (interpolated on a log grid of the range they share where their points differ)."""
    grids = [tuple(c[EXAMPLES_SEEN]) for c in curves]
    if len(set(grids)) == 1:
        grid = np.asarray(grids[0], dtype=float)
        values = np.vstack([c[TEST_ACCURACY].to_numpy(dtype=float) for c in curves])
    else:
        start = max(float(c[EXAMPLES_SEEN].iloc[0]) for c in curves)
        stop = min(float(c[EXAMPLES_SEEN].iloc[-1]) for c in curves)
        grid = np.geomspace(max(start, 1.0), max(stop, start, 1.0), 30)
        values = np.vstack([np.interp(np.log(grid), np.log(np.maximum(c[EXAMPLES_SEEN].to_numpy(dtype=float), 1.0)),
                                      c[TEST_ACCURACY].to_numpy(dtype=float)) for c in curves])
    intervals = [mean_interval(values[:, i]) for i in range(values.shape[1])]
    return (grid, np.array([i.mean for i in intervals]), np.array([i.low for i in intervals]),
            np.array([i.high for i in intervals]))


def feedback_figure(runs: Mapping[str, Sequence[tuple[Evaluation, Any]]], *, chance: float) -> Figure:
    """Test accuracy against training examples seen, one curve per kind of feedback, the chance line."""
    with report_style():
        figure = Figure(figsize=(9.5, 5.2), layout="constrained")
        draw_feedback_curves(figure.add_subplot(), {name: [curve for _, curve in entries] for name, entries in runs.items()},
                             chance=chance)
    return figure


def draw_feedback_curves(axes: Any, curves: Mapping[str, Sequence[Any]], *, chance: float,
                         highlight: str | None = None, text_size: float = 14.0) -> None:
    """On ``axes``: test accuracy against training examples seen (log axis), one line per kind of
    feedback (the mean of its seeds' curves, each a table of :data:`~paradigms.same_task.EXAMPLES_SEEN`
    and :data:`~paradigms.same_task.TEST_ACCURACY`, with their 95% band where there are several),
    and the chance line. ``highlight`` draws one paradigm thicker: the glossary's demos open with
    this figure, each stressing its own paradigm, in a smaller panel (``text_size``: the axis labels'
    points; the title is a point larger, the ticks and legend two smaller)."""
    for name in PARADIGMS:
        if not curves.get(name):
            continue
        colour = PARADIGM_COLOURS[name]
        thick = highlight is None or name == highlight
        grid, mean, low, high = mean_curve(curves[name])
        if len(curves[name]) > 1:
            axes.fill_between(grid, low, high, color=colour, alpha=0.18, linewidth=0)
        seeds = f", {len(curves[name])} seeds" if len(curves[name]) > 1 else ""
        axes.plot(grid, mean, color=colour, linewidth=2.4 if thick else 1.4, alpha=1.0 if thick else 0.6,
                  marker="o" if len(grid) <= 16 else None, markersize=4, label=LEGEND[name] + seeds)
    axes.axhline(chance, color="#6b7280", linewidth=1.2, linestyle=":", label=f"chance ({chance:.0%})")
    axes.set_xscale("log")
    axes.set_ylim(0, 1.02)
    axes.set_xlabel("training examples seen (E), log scale", fontsize=text_size)
    axes.set_ylabel("accuracy on the test examples (P)", fontsize=text_size)
    axes.tick_params(labelsize=text_size - 2)
    axes.set_title("The same task, the same measure: only the feedback differs", fontsize=text_size + 1)
    axes.legend(loc="lower right", fontsize=text_size - 2, frameon=False)
    axes.grid(True, which="major", alpha=0.3)


def _final(evaluations: Sequence[Evaluation], key: str) -> str:
    values = [float(ev.metrics[key]) for ev in evaluations if isinstance(ev.metrics.get(key), (int, float))]
    if not values:
        return "–"
    interval = mean_interval(values)
    text = format_number(interval.mean)
    return text + (f" ± {format_number(interval.half_width)}" if interval.half_width else "")


def _seconds(evaluation: Evaluation) -> float:
    """The run's own time: its total where it kept one, else the sum of its parts."""
    total = evaluation.timings.get("total_seconds")
    if isinstance(total, (int, float)):
        return float(total)
    return float(sum(v for v in evaluation.timings.values() if isinstance(v, (int, float))))


def _rows(runs: Mapping[str, Sequence[tuple[Evaluation, Any]]], n_classes: int, bar: float | None) -> list[list[Any]]:
    rows = []
    for name in PARADIGMS:
        if name not in runs:
            continue
        evaluations = [ev for ev, _ in runs[name]]
        reach = "–"
        if bar is not None:
            counts = [examples_to_reach((c[EXAMPLES_SEEN], c[TEST_ACCURACY]), bar) for _, c in runs[name]]
            reach = ("never" if any(c is None for c in counts)
                     else _count(float(np.median([c for c in counts if c is not None]))))
        extra = ""
        if name == "unsupervised":
            ari, nmi = _final(evaluations, "adjusted_rand_index"), _final(evaluations, "normalized_mutual_info")
            extra = f" (ARI {ari}, NMI {nmi})"
        seconds = np.median([_seconds(ev) for ev in evaluations])
        rows.append([f"{FEEDBACK[name]} ({name})", f"{bits_per_example(name, n_classes):.1f}",
                     strong(Plain(_final(evaluations, TEST_ACCURACY) + extra)), reach,
                     f"{float(np.max([c[EXAMPLES_SEEN].iloc[-1] for _, c in runs[name]])):,.0f}", f"{seconds:.1f}"])
    return rows


def _n_classes(runs: Mapping[str, Sequence[tuple[Evaluation, Any]]]) -> int:
    """The classes to guess among: from a run's chance accuracy (1 / classes), where it says."""
    for entries in runs.values():
        for evaluation, _ in entries:
            names = evaluation.metrics.get("class_names")
            if isinstance(names, list) and len(names) >= 2:
                return len(names)
            chance = evaluation.metrics.get("chance_accuracy")
            if isinstance(chance, (int, float)) and 0 < chance < 1:
                return max(2, int(round(1.0 / chance)))
    for entries in runs.values():  # a bandit's or a clustering's baseline is chance itself
        for evaluation, _ in entries:
            if evaluation.paradigm != "supervised" and 0 < evaluation.measure.baseline < 1:
                return max(2, int(round(1.0 / evaluation.measure.baseline)))
    return 10


def same_task_section(comparison: Comparison, render: FigureRenderer) -> Section:
    """The page's opening section for a same-task comparison."""
    facts = comparison.run[SAME_TASK_KEY]
    runs = _runs(comparison)
    n_classes = _n_classes(runs)
    what = ("the MNIST handwritten digits" if facts.get("task") == "digits"
            else f"the rows of {facts.get('data', 'the table')} (their column {facts.get('target')!r})")
    blocks: list[Block] = [Paragraph((
        "All three paradigms learned the same task, ", em(what), ", from the same training examples, and all "
        "three are measured the same way: accuracy on the same held-out test examples, against the same chance "
        "line. Only the ", strong(Plain("feedback")), " differs: ", em("supervised"), " learning is told the "
        "right class of every example; ", em("unsupervised"), " learning is told nothing and groups the "
        "examples by themselves (its groups are matched one-to-one to the classes only to score them, by the "
        "Hungarian method; the labels are never used to fit); ", em("reinforcement"), " learning guesses a "
        "class for each example and is told only whether the guess was right (1) or wrong (0), never the "
        "right answer.",
    ))]
    missing = [name for name in PARADIGMS if name not in runs]
    for name, why in (facts.get("left_out") or {}).items():
        blocks.append(Paragraph((strong(Plain(f"Not on this figure: {name}.")), Plain(" " + str(why)))))
        if name in missing:
            missing.remove(name)
    if "unsupervised" in missing and facts.get("task") == "table" and comparison.evaluations_of("unsupervised"):
        missing.remove("unsupervised")
        blocks.append(Paragraph((Plain(
            "The grouping of the rows without labels has no curve here: it is scored against the target on all "
            "the rows (adjusted Rand index), in the next section, not by accuracy on the held-out rows."),)))
    if missing:
        blocks.append(Paragraph((Plain(f"No curve from {', '.join(missing)}: see its section below for why."),)))
    if runs:
        curves = {name: (list(entries[0][1][EXAMPLES_SEEN]), list(entries[0][1][TEST_ACCURACY]))
                  for name, entries in runs.items()}
        if any(len(entries) > 1 for entries in runs.values()):  # the seeds' mean curve speaks for them
            curves = {name: (list(grid), list(mean)) for name, entries in runs.items()
                      for grid, mean, _, _ in [mean_curve([c for _, c in entries])]}
        sentence = what_the_feedback_bought(curves, n_classes=n_classes)
        blocks.append(Paragraph((strong(Plain("What the feedback bought:")), Plain(" " + sentence))))
        figure = feedback_figure(runs, chance=1.0 / n_classes)
        blocks.append(Image(
            "same-task-three-feedbacks.png", render(figure),
            alt="Test accuracy against training examples seen on a log scale: one line each for learning from "
                "labels, from nothing and from a reward, with a dotted chance line.",
            caption=(Plain("Each line: accuracy on the test examples after the learner had seen that many "
                           "training examples. Labels: the network's accuracy while it trains. Reward: the "
                           "guesser's greedy accuracy. Nothing: the clusters of a model fitted on that many "
                           "unlabelled examples, matched to the classes. A band is the 95% interval over seeds."),),
        ))
        bar = accuracy_bar(curves)
        reach_title = f"examples to reach {bar:.0%}" if bar is not None else "examples to reach"
        blocks.append(table(["feedback", "bits per example", "test accuracy", reach_title, "examples seen",
                             "seconds"], _rows(runs, n_classes, bar)))
    return Section("same-task", "One task, three kinds of feedback", tuple(blocks),
                   short_title="Same task, three feedbacks")
