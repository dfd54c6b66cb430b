"""Mitchell's definition of learning: task T, performance measure P, experience E.

    A computer program is said to learn from experience E with respect to some
    class of tasks T and performance measure P, if its performance at tasks in
    T, as measured by P, improves with experience E. (Tom Mitchell, 1997)

Demo
----
A program that reads digits, checked against the definition:

* **T**: name the digit in an 8x8 image (scikit-learn's bundled digits);
* **P**: accuracy on 500 test images it never learns from (guessing: 10%);
* **E**: labelled training images, shown to it ten at a time, once each.

The program (a small network, updated after every ten examples) is scored on
the test images at checkpoints along the way. P starts near chance and rises
as E grows: by the definition, it learns. The result is packed into the
toolkit's own :class:`paradigms.evaluation.Evaluation`, the same T/P/E record
every paradigm returns (``result.data["evaluation"]``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from paradigms.evaluation import DatasetInfo, Evaluation, Measure
from paradigms.seeding import check_seed, numpy_rng
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, figure, make_settings, plain_numbers, quiet_torch
from ._data import digits
from ._training import small_mlp

TASK = "name the digit in an 8x8 image"


@dataclass(frozen=True)
class MitchellSettings(Settings):
    """Settings of the T/P/E demo."""

    examples: int = setting(1200, "labelled training images seen, once each (the experience)", min=20, max=1297)
    test_size: int = setting(500, "test images that measure P", min=50, max=500)
    batch_size: int = setting(10, "images seen between two updates", min=1, max=500)
    checkpoints: int = setting(12, "points on the learning curve", min=2, max=200)
    learning_rate: float = setting(0.01, "Adam's step size", min=0.0, min_inclusive=False, max=10.0)


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Test accuracy (P) after more and more training images (E)."""
    import torch  # start-up time: torch loads only when a demo trains a network
    import torch.nn.functional as F

    config: MitchellSettings = make_settings(MitchellSettings, settings)
    seed = check_seed(seed)
    X, y = digits()
    order = numpy_rng(seed).permutation(len(X))
    test, train = order[: config.test_size], order[config.test_size : config.test_size + config.examples]
    seen_at = np.unique(np.geomspace(config.batch_size, len(train), config.checkpoints).astype(int) // config.batch_size * config.batch_size)
    seen_at = np.unique(np.r_[0, seen_at, len(train)])
    inputs, labels = torch.tensor(X[train]), torch.tensor(y[train])
    test_inputs, test_labels = torch.tensor(X[test]), torch.tensor(y[test])
    curve = []
    with quiet_torch(seed):
        network = small_mlp(X.shape[1], 32)
        optimizer = torch.optim.Adam(network.parameters(), lr=config.learning_rate)
        seen = 0
        for target in seen_at:
            while seen < target:
                batch = slice(seen, min(seen + config.batch_size, target))
                optimizer.zero_grad()
                F.cross_entropy(network(inputs[batch]), labels[batch]).backward()
                optimizer.step()
                seen = batch.stop
            with torch.no_grad():
                accuracy = (network(test_inputs).argmax(dim=1) == test_labels).float().mean().item()
            curve.append({"experience": int(seen), "performance": accuracy, "updates": int(np.ceil(seen / config.batch_size))})
    table = pd.DataFrame(curve).rename(
        columns={"experience": "E: images seen", "performance": "P: test accuracy", "updates": "updates"}
    )
    evaluation = Evaluation(
        paradigm="glossary-mitchell",
        task=TASK,
        experience="labelled training images seen",
        measure=Measure(name="test accuracy", value=curve[-1]["performance"], baseline=0.1, best=1.0),
        curve=pd.DataFrame(curve),
        dataset=DatasetInfo(
            name="scikit-learn digits", source="bundled with scikit-learn (8x8 images)",
            sizes={"train": len(train), "test": len(test)},
        ),
        seed=seed,
        config=config.to_dict(),
    )
    first, last = curve[0]["performance"], curve[-1]["performance"]
    performance = table["P: test accuracy"]
    # Rank correlation of P with E: 1 = P rises at every checkpoint; a flat P has no trend (0).
    trend = 0.0 if performance.nunique() < 2 else float(table["E: images seen"].corr(performance, method="spearman"))
    learns = last - first > 0.05 and trend > 0.5
    numbers = plain_numbers(
        {
            "P_before_any_experience": first,
            "P_after_all_experience": last,
            "E_images_seen": curve[-1]["experience"],
            "chance_level": 0.1,
            "normalized_score": evaluation.normalized_score,
            "P_E_rank_correlation": trend,
            "learns": learns,
        }
    )
    finding = (
        f"T: {TASK}. P: accuracy on {len(test)} unseen test images. E: labelled images, {config.batch_size} at a time. "
        f"P goes from {first:.1%} with no experience to {last:.1%} after {curve[-1]['experience']:,} images "
        f"(guessing: 10%; normalized score {evaluation.normalized_score:.2f}, where 0 = guessing and 1 = perfect; "
        f"rank correlation of P with E {trend:.2f}, where 1 = P rises at every checkpoint). "
    )
    if learns:
        finding += "P improves with E, so by Mitchell's definition the program learns."
    elif last - first > 0.05:
        finding += "P ends higher, but does not rise steadily with E: the evidence that it learns is weak."
    else:
        finding += "P does not improve with E: by Mitchell's definition this program has not learned."
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding, settings=config, seed=seed, draw=_draw,
        data={"evaluation": evaluation},
    )


def _draw(result: DemoResult):
    table = result.table
    fig = figure(7.5, 3.6)
    ax = fig.subplots()
    experience = table["E: images seen"].clip(lower=1)
    ax.plot(experience, table["P: test accuracy"], "o-", color="C0", label="P: test accuracy")
    ax.axhline(0.1, color="gray", linestyle=":", label="chance (10%)")
    ax.axhline(1.0, color="C2", linestyle=":", label="perfect")
    ax.set_xscale("log")
    ax.set(xlabel="E: labelled images seen (log scale; 0 drawn at 1)", ylabel="P: test accuracy",
           title=f"T: {TASK}", ylim=(0, 1.05))
    ax.legend(fontsize=8, loc="lower right")
    return fig


TERM = Term(
    slug="mitchell",
    name="Mitchell's definition of learning",
    definition=(
        "Tom Mitchell: a program learns from experience E with respect to a task T and a performance "
        "measure P if its performance at T, as measured by P, improves with E."
    ),
    look_for="name T, P and E for any learner; then check the curve of P against E goes up, well above chance",
    demo=demo,
    related=("supervised-learning", "unsupervised-learning", "reinforcement-learning", "training-set", "test-set"),
    used_in=("paradigms.evaluation.Evaluation", "paradigms.evaluation.Measure"),
    aliases=(
        "Mitchell's definition", "Tom Mitchell", "task T", "performance measure P", "experience E",
        "T/P/E", "performance measure",
    ),
    settings=MitchellSettings,
)
