"""Validation set: held-back examples used to choose between models (and when to stop training).

Demo
----
The data-split experiment of :mod:`glossary._splits`: 40 candidate digit
classifiers, each fitted on the same 300 training images, are compared on a
validation set of 100 images they never trained on, and the best is kept.
Its accuracy on the untouched test set is then an honest estimate: on average
it matches the chosen model's accuracy on about 1,300 new images.
"""

from __future__ import annotations

from paradigms.seeding import check_seed

from ._base import DemoResult, Term, make_settings, plain_numbers
from ._splits import SplitSettings, draw_splits, split_experiment, split_numbers


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Choose among candidates on the validation set; the test score stays honest."""
    config: SplitSettings = make_settings(SplitSettings, settings)
    seed = check_seed(seed)
    per_repeat, candidates = split_experiment(config, seed)
    numbers = plain_numbers(split_numbers(per_repeat, config))
    finding = (
        f"Choosing among {config.candidates} models on a validation set of {config.validation_size} "
        f"images, then reporting on the test set: reported {numbers['honest_reported_accuracy']:.1%}, "
        f"real accuracy on new data {numbers['honest_new_data_accuracy']:.1%} (mean of {config.repeats} "
        f"splits; off by {100 * numbers['honest_optimism']:+.1f} percentage points)."
    )
    return DemoResult(
        term=TERM, numbers=numbers, table=per_repeat, finding=finding, settings=config, seed=seed,
        draw=_draw, data={"candidates": candidates},
    )


def _draw(result: DemoResult):
    return draw_splits(result.numbers, result.data["candidates"], focus="validation")


TERM = Term(
    slug="validation-set",
    name="validation set",
    definition=(
        "The validation set is data held back from training and used to make choices: which model, "
        "which settings, which epoch to stop at. It keeps those choices away from the test set."
    ),
    look_for="the model chosen on the validation set scores on the test set what it really scores on new data",
    demo=demo,
    related=("training-set", "test-set", "overfitting", "epoch"),
    used_in=("paradigms.supervised.train.train",),
    aliases=("validation sets", "validation data", "validation split", "dev set", "held-out set"),
    settings=SplitSettings,
)
