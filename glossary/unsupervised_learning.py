"""Unsupervised learning: finding structure in data that comes with no answers at all.

Demo
----
A tiny run of the unsupervised paradigm (``paradigms.run("unsupervised",
quick=True, customers=300)``): a seeded generator writes a year of shop
transactions for 300 customers, each secretly following one of six shopping
personas (bargain hunters, loyal regulars, ...). The paradigm reads the log,
turns it into per-customer features (recency, frequency, spend, basket size,
...), chooses the number of segments and groups the customers, without ever
seeing a persona: the input is the data and nothing else.

Only afterwards are the hidden personas brought out to check the result: the
table lists, for each persona, which segments its customers landed in. The
silhouette (the paradigm's P: how tight and separate the segments are; random
labels score about 0) and the adjusted Rand index against the personas (1 =
the same grouping, 0 = chance) put numbers on it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from paradigms.registry import run
from paradigms.seeding import check_seed
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, make_settings, plain_numbers
from ._feedback import feedback_numbers, figure_with_feedbacks, three_feedbacks


@dataclass(frozen=True)
class UnsupervisedLearningSettings(Settings):
    """Settings of the unsupervised-learning demo (a quick run of the paradigm)."""

    customers: int = setting(300, "customers in the generated transaction log", min=50, max=5000)
    k_max: int = setting(8, "largest number of segments tried", min=2, max=15)


def run_paradigm(config: UnsupervisedLearningSettings, seed: int):
    """A quick run of the unsupervised paradigm on the generated customers."""
    return run("unsupervised", quick=True, seed=seed, customers=config.customers, k_max=config.k_max, progress=False)


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Segments found with no labels, checked afterwards against the hidden personas."""
    config: UnsupervisedLearningSettings = make_settings(UnsupervisedLearningSettings, settings)
    seed = check_seed(seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        evaluation = run_paradigm(config, seed)
    metrics = {**evaluation.metrics, **getattr(evaluation, "figure_data", {})}  # raw material lives in figure_data
    notes = [str(w.message) for w in caught]
    contingency = pd.DataFrame(metrics["contingency"]["data"], columns=metrics["contingency"]["columns"])
    table = contingency.rename(columns={"known group": "hidden persona (never shown to the learner)"})
    numbers = plain_numbers(
        {
            "customers": config.customers,
            "labels_used": 0,
            "hidden_personas": metrics.get("known_groups", 0),
            "segments_found": metrics["n_segments"],
            "silhouette": evaluation.measure.value,
            "silhouette_random_labels": metrics["silhouette_random_labels"],
            "adjusted_rand_index": metrics.get("adjusted_rand_index", float("nan")),
            "clear_choice_of_k": bool(metrics["k_choice"].get("clear", True)),
        }
    )
    finding = (
        f"Given {config.customers} customers' transactions and no labels at all, the unsupervised paradigm "
        f"found {numbers['segments_found']} segments, with a silhouette of {numbers['silhouette']:.2f} (how much "
        f"nearer each customer is to its own segment than to the next one, from -1 to 1; random segments score "
        f"{numbers['silhouette_random_labels']:.2f}). Checked afterwards against the "
        f"{numbers['hidden_personas']} hidden personas it never saw: adjusted Rand index "
        f"{numbers['adjusted_rand_index']:.2f} (1 = the same grouping, 0 = no better than chance)."
    )
    if not numbers["clear_choice_of_k"]:
        # The paradigm's own reason names its scores (Calinski-Harabasz, ...): evaluation.metrics["k_choice"], for developers.
        finding += (" (The number of segments was not a clear choice: other numbers scored nearly as well or other "
                    "scores preferred them; the run's figures show the scores of each number tried.)")
    feedbacks = three_feedbacks(seed)
    numbers.update(feedback_numbers(feedbacks))
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding + " " + feedbacks.sentence(), settings=config,
        seed=seed, draw=_draw,
        data={"projection": evaluation.figure_data["projection"], "evaluation": evaluation, "warnings": notes,
              "feedbacks": feedbacks},
    )


def _draw(result: DemoResult):
    projection = result.data["projection"]
    x, y = np.asarray(projection["x"], dtype=float), np.asarray(projection["y"], dtype=float)
    fig, own = figure_with_feedbacks(10.0, 4.0, result.data["feedbacks"], "unsupervised")
    found_ax, truth_ax = own.subplots(1, 2, sharex=True, sharey=True)
    segments = np.asarray(projection["segment"])
    truth = projection.get("truth")
    personas = np.asarray(truth if truth is not None else [None] * len(segments), dtype=object)
    names = sorted({p for p in personas if p is not None})
    persona_color = {name: f"C{index % 10}" for index, name in enumerate(names)}
    for index, segment in enumerate(np.unique(segments)):
        chosen = segments == segment
        members = [p for p in personas[chosen] if p is not None]
        # A segment takes the colour of the persona most of its customers follow, so a good match looks alike.
        color = persona_color[max(set(members), key=members.count)] if members else f"C{index % 10}"
        found_ax.scatter(x[chosen], y[chosen], s=10, color=color, label=f"segment {segment}")
    found_ax.set(xlabel="first principal component", ylabel="second principal component",
                 title="Segments found (no labels used)")
    found_ax.legend(fontsize=7, markerscale=1.5)
    for name in names:
        chosen = personas == name
        truth_ax.scatter(x[chosen], y[chosen], s=10, color=persona_color[name], marker="s", label=name)
    if names:
        truth_ax.legend(fontsize=7, markerscale=1.5)
    truth_ax.set(xlabel="first principal component", title="Hidden personas (the answer key, never seen)")
    return fig


TERM = Term(
    slug="unsupervised-learning",
    name="unsupervised learning",
    definition=(
        "Unsupervised learning finds structure, such as groups of similar examples, in data that "
        "comes with no labels and no other feedback: the data is all it gets."
    ),
    look_for="no labels go in, yet the segments found match the hidden groups the learner never saw",
    demo=demo,
    related=("supervised-learning", "reinforcement-learning", "mitchell"),
    used_in=("paradigms.unsupervised.paradigm", "paradigms.unsupervised.CustomerSegmenter"),
    aliases=("unsupervised", "clustering", "customer segmentation", "segmentation"),
    settings=UnsupervisedLearningSettings,
)
