"""Which cell of a sweep is best, judged on a validation measure, not on the test set.

Choosing settings by their test score, then reporting that score, is the leakage
the glossary warns about: the test set has then taken part in training (through
the choice), and the reported number is optimistic. So each paradigm names the
number a sweep chooses on (:attr:`~paradigms.registry.ParadigmSpec.selection_metric`,
recorded in the grid), and the page reports the chosen cell's P beside it:

* ``"curve"``: the best point of the learning curve, which is measured on held-out
  data (the supervised validation accuracy per epoch; the reinforcement agent's
  periodic evaluation episodes, seeded apart from the final ones);
* the name of a metric of the Evaluation (a number);
* ``None``: P itself, for a measure that sees no held-out labels (a clustering's
  silhouette is computed from the data alone).

"Better" follows the measure: higher for an accuracy or a return, lower for a loss.

>>> import pandas as pd
>>> from paradigms.evaluation import DatasetInfo, Evaluation, Measure
>>> def run(valid, test):
...     return Evaluation(paradigm="toy", task="t", experience="epochs",
...         measure=Measure("test accuracy", test, 0.1, 1.0, curve_label="validation accuracy"),
...         curve=pd.DataFrame({"experience": [1, 2], "performance": [0.5, valid]}),
...         dataset=DatasetInfo("toy", "made up"), seed=0)
>>> choose({"small": [run(0.90, 0.99)], "large": [run(0.95, 0.91)]}, "curve")
'large'
>>> selection_name("curve", run(0.9, 0.9).measure)
'best validation accuracy'
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..evaluation import CURVE_PERFORMANCE, Evaluation, Measure

#: The rule that chooses on the learning curve's best point.
CURVE = "curve"


def selection_value(evaluation: Evaluation, rule: str | None) -> float | None:
    """The number ``rule`` reads from ``evaluation``; ``None`` where it has none."""
    if rule is None:
        return evaluation.measure.value
    if rule == CURVE:
        values = evaluation.curve[CURVE_PERFORMANCE].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        if not values.size:
            return None
        return float(values.max() if evaluation.measure.higher_is_better else values.min())
    value = evaluation.metrics.get(rule)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def selection_name(rule: str | None, measure: Measure) -> str:
    """What ``rule`` chooses on, in words: ``best validation accuracy``, ``silhouette``."""
    if rule is None:
        return measure.name
    if rule == CURVE:
        return f"best {measure.curve_label or 'point of the learning curve'}"
    return rule.replace("_", " ")


def cell_scores(groups: Mapping[str, Sequence[Evaluation]], rule: str | None) -> dict[str, float]:
    """Each cell's mean selection value over its seeds (cells with none are left out)."""
    scores = {}
    for cell, runs in groups.items():
        values = [v for v in (selection_value(run, rule) for run in runs) if v is not None]
        if values:
            scores[cell] = float(np.mean(values))
    return scores


def choose(groups: Mapping[str, Sequence[Evaluation]], rule: str | None) -> str | None:
    """The cell whose mean selection value over its seeds is best; ``None`` when no
    cell has a value. Ties go to the cell listed first."""
    scores = cell_scores(groups, rule)
    if not scores:
        return None
    higher = next(run for runs in groups.values() for run in runs).measure.higher_is_better
    best = max if higher else min
    return best(scores, key=lambda cell: scores[cell])
