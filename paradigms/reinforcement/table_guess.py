"""``paradigms/TableGuess-v0``: the guessing game over the rows of a labelled table.

The same contextual bandit as ``paradigms/DigitGuess-v0`` (:mod:`.guessing`): each
step shows one training row (its features, encoded as the supervised paradigm
encodes them: numbers standardised, text one-hot), the agent guesses the row's
class in ``target``, and is rewarded 1 if right, 0 if wrong. The test rows are the
ones the supervised paradigm holds out for the same table and seed
(:func:`paradigms.datasets.splits.split_indices`, stratified, ``test_size`` of the
rows, drawn with ``split_seed``), so both are measured on the same examples.

A target that cannot be a bandit is a one-line error:

* a number to predict (a regression target: no class to guess);
* one class (nothing to guess);
* more classes than the rows can teach: a reward says right or wrong, at most one
  bit, so each class needs rows to be found by trial; fewer than
  :data:`MIN_ROWS_PER_GUESS` training rows per class on average is refused.

>>> import gymnasium as gym
>>> env = gym.make("paradigms/TableGuess-v0", data="wine.csv", target="class")  # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..datasets.labelled import LabelledExamples, LabelledSplit
from ..datasets.splits import DEFAULT_TEST_SIZE, split_indices
from ..datasets.table_features import TableSpec, make_encoder, prepare_table
from ..datasets.tables import read_table
from ..errors import ConfigError
from ..evaluation import DatasetInfo
from ..files import sha256_of
from ..same_task import TABLE_GUESS_ID
from .guessing import GuessEnv, GuessVectorEnv, remember

#: The fewest training rows per class, on average, that a table guessing game accepts: with
#: one bit of feedback per guess, a class with a handful of rows is rarely guessed right at all.
MIN_ROWS_PER_GUESS = 20


def table_examples(
    data: str | os.PathLike[str], target: str, *, test_size: float = DEFAULT_TEST_SIZE, split_seed: int = 0,
) -> LabelledExamples:
    """The rows of table ``data`` as examples of the classes in column ``target``, split as the
    supervised paradigm splits them (see the module docstring); read once per process."""
    path = Path(data).expanduser()
    key = ("table", str(path.resolve()), str(target), float(test_size), int(split_seed))
    return remember(key, lambda: _read(path, str(target), float(test_size), int(split_seed)))


def bandit_split(spec: TableSpec, path: str | os.PathLike[str], test_size: float = DEFAULT_TEST_SIZE,
                 split_seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(training rows, test rows) of a prepared table, split as the supervised paradigm splits it;
    a one-line ConfigError where its target cannot be a bandit (see the module docstring)."""
    if spec.task != "classification":
        raise ConfigError(
            f"{path}: target column {spec.target!r} holds numbers to predict (a regression target); a bandit "
            "rewards guesses of a class, so give a column of classes as target="
        )
    train, test = split_indices(spec.y, test_size, split_seed, n=spec.n_rows)
    classes = len(spec.class_names or ())
    if len(train) < MIN_ROWS_PER_GUESS * classes:
        raise ConfigError(
            f"{path}: target column {spec.target!r} has {classes} classes for {len(train):,} training rows "
            f"({len(train) / classes:.1f} per class); a bandit, told only right or wrong, needs at least "
            f"{MIN_ROWS_PER_GUESS} per class on average: use a table with more rows or a target with fewer classes"
        )
    return train, test


def _read(path: Path, target: str, test_size: float, split_seed: int) -> LabelledExamples:
    if not 0 < test_size <= 0.5:
        raise ConfigError(f"test_size = {test_size}: hold out a share of the rows above 0 and at most 0.5")
    table = read_table(path)
    spec = prepare_table(table.frame, source=str(path), target=target)
    train, test = bandit_split(spec, path, test_size, split_seed)
    encoder = make_encoder(spec).fit(spec.features.iloc[train])
    x = np.ascontiguousarray(encoder.transform(spec.features), dtype=np.float32)
    info = DatasetInfo(
        name=path.name,
        source=str(path),
        sizes={"train": len(train), "test": len(test), "features": x.shape[1]},
        checksums={f"{path.name} (sha256)": sha256_of(path)},
        notes=f"target {spec.target!r}; test rows: {test_size:.0%} stratified, drawn with seed {split_seed}"
        + (f"; {'; '.join(spec.notes)}" if spec.notes else ""),
    )
    return LabelledExamples(
        train=LabelledSplit(x[train], spec.y[train]),
        test=LabelledSplit(x[test], spec.y[test]),
        class_names=tuple(str(name) for name in spec.class_names or ()),
        info=info,
        subject=f"rows of {path.name}",
    )


def _examples(data: str | os.PathLike[str] | None, target: str | None, test_size: float, split_seed: int):
    if data is None or target is None:
        raise ConfigError(
            f"{TABLE_GUESS_ID} needs a table and its column of classes: --env-kwargs data=PATH,target=COLUMN"
        )
    return table_examples(data, target, test_size=test_size, split_seed=split_seed)


def make_table_guess(
    *,
    data: str | os.PathLike[str] | None = None,
    target: str | None = None,
    test_size: float = DEFAULT_TEST_SIZE,
    split_seed: int = 0,
    split: str = "train",
    shuffle_rewards: bool = False,
    render_mode: str | None = None,
) -> GuessEnv:
    """``paradigms/TableGuess-v0``: guess the class of each row of a table (see the module docstring)."""
    examples = _examples(data, target, test_size, split_seed)
    return GuessEnv(examples, split=split, shuffle_rewards=shuffle_rewards, render_mode=render_mode)


def make_table_guess_vector(
    num_envs: int = 1,
    *,
    data: str | os.PathLike[str] | None = None,
    target: str | None = None,
    test_size: float = DEFAULT_TEST_SIZE,
    split_seed: int = 0,
    split: str = "train",
    shuffle_rewards: bool = False,
    max_episode_steps: int | None = None,
    render_mode: str | None = None,
) -> GuessVectorEnv:
    """The vector version of ``paradigms/TableGuess-v0`` (``max_episode_steps`` and ``render_mode``
    are accepted as Gymnasium passes them, and mean nothing: every episode is one guess)."""
    examples = _examples(data, target, test_size, split_seed)
    return GuessVectorEnv(examples, num_envs, split=split, shuffle_rewards=shuffle_rewards)
