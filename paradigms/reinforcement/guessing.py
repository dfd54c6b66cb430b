"""Guessing games: a labelled data set as a contextual bandit (see an example, guess its class, get 1 or 0).

## Description

The same task as supervised learning, taught with another kind of feedback. Each
step shows one training example (an MNIST digit's pixels); the agent guesses its
class; the environment answers with a reward of 1 if the guess is right and 0 if
it is wrong, and never says what the right answer was. A label tells the learner
the class (log2(10) = 3.3 bits for ten digits); a reward at most one bit: right
or wrong. This is a *contextual bandit*: every episode is one step, so there is
no future to plan for, only the right guess for what is seen now.

Registered ids (:func:`register`, called when this module is imported and whenever
the package resolves an environment id):

* ``paradigms/DigitGuess-v0``: the MNIST digits (the 8x8 scikit-learn digits when
  MNIST is unavailable, with a warning), read by :func:`paradigms.datasets.digits.load_digit_data`;
  ``small=true``: scikit-learn's bundled 1,797 8x8 digits whatever is installed (a lesson's demo, in seconds);
* ``paradigms/TableGuess-v0``: the rows of a labelled table (``data=PATH``,
  ``target=COLUMN``), see :mod:`.table_guess`.

## Observation space

``Box(0, 1, (n_features,), float32)``: the example's pixels scaled to [0, 1] (784 for
MNIST, flattened row by row).

## Action space

``Discrete(n_classes)``: the class guessed.

## Rewards

1.0 if the guess is the example's class, else 0.0. ``info`` is empty: the answer is
never revealed. With ``shuffle_rewards=True`` (a control) the rewarded class of each
example is another example's label (the labels in a fixed random order), so the
reward says nothing about the image and nothing can be learnt from it.

## Episode end

After one guess (``terminated``). The observation after the guess is the same
example (there is nothing more to see).

## Order of the examples

A seeded permutation of the training examples: ``reset(seed=s)`` draws a new
permutation from ``s`` and starts at its first example; each later ``reset()``
shows the next one; a new permutation follows the end of each pass. One pass over
MNIST is 60,000 guesses.

## Vectorized

:class:`GuessVectorEnv` (the id's vector entry point, so ``gymnasium.make_vec`` and
the package's vector machinery use it) answers a whole batch of guesses in one
call, and shows the next batch at once (``AutoresetMode.SAME_STEP``: every step is
a guess, none is spent on a reset). Its ``num_envs`` copies walk one permutation
together, so ``num_envs`` guesses per step still make one pass per 60,000.

## Evaluation

``env.unwrapped.held_out`` is a :class:`paradigms.datasets.labelled.HeldOutExamples`
(the test examples and their labels; None for ``split="test"``): the package's
evaluation plays each test example once as a one-step episode, so the mean return
of the greedy policy is its test accuracy (:class:`.evaluate.Evaluator`).

## Arguments

``data_dir`` (a folder holding the MNIST files, as ``--data-dir``), ``split``
(``"train"``, the default, or ``"test"``: guess at the test examples),
``shuffle_rewards`` (the control above), ``render_mode`` (``"rgb_array"``: the
example, and after the guess a bar, green if right and red if wrong, with the guess).

>>> import gymnasium as gym
>>> env = gym.make("paradigms/DigitGuess-v0")  # doctest: +SKIP
>>> obs, info = env.reset(seed=0)  # doctest: +SKIP
>>> obs.shape, info  # doctest: +SKIP
((784,), {})
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from ..datasets.digits import ENV_DATA, load_digit_data, load_sklearn_digits
from ..datasets.labelled import HeldOutExamples, LabelledExamples, LabelledSplit, digit_examples
from ..errors import ConfigError
from ..same_task import DIGIT_GUESS_ID, TABLE_GUESS_ID

#: The splits an environment can deal its examples from.
SPLITS = ("train", "test")
#: Seed of the fixed random order of labels that ``shuffle_rewards=True`` rewards.
SHUFFLE_SEED = 20_180_219
#: Width in pixels of a ``render_mode="rgb_array"`` frame (the example, scaled), and the height of the bar below.
RENDER_SIZE, BAR_HEIGHT = 168, 36

#: Data sets already read, by what they were read from: every copy of an environment
#: (the vector env, the evaluation's, the render's) shares one set of arrays.
_LOADED: dict[tuple[Any, ...], LabelledExamples] = {}


def digit_data(data_dir: str | os.PathLike[str] | None = None, *, small: bool = False) -> LabelledExamples:
    """The digits (``data_dir``, else ``$LEARNING_PARADIGMS_DATA``, the cache, a download or the
    8x8 fallback), read once per process and folder; ``small``: scikit-learn's bundled 1,797 8x8
    digits whatever is installed (seconds: a lesson's demo)."""
    if small:
        if data_dir is not None:
            raise ConfigError("small=true plays with the bundled 8x8 digits: it does not go with data_dir")
        return remember(("digits", "small"), lambda: digit_examples(load_sklearn_digits("asked for: small=true")))
    key = ("digits", None if data_dir is None else str(data_dir), os.environ.get(ENV_DATA))
    return remember(key, lambda: digit_examples(load_digit_data(data_dir)))


def remember(key: tuple[Any, ...], load: Callable[[], LabelledExamples]) -> LabelledExamples:
    """``load()``, read once per process and ``key`` (the digits; the table guessing game's tables)."""
    if key not in _LOADED:
        _LOADED[key] = load()
    return _LOADED[key]


class Deck:
    """The examples of one split dealt in seeded permutations, and the classes their guesses are rewarded for.

    ``deal(k)`` returns the next ``k`` examples' row numbers; a pass ends after every
    example has been dealt once, and the next pass is a new permutation.
    """

    def __init__(self, examples: LabelledExamples, split: str, shuffle_rewards: bool) -> None:
        if split not in SPLITS:
            raise ConfigError(f"split = {split!r}: choose {' or '.join(SPLITS)}")
        self.split: LabelledSplit = examples.train if split == "train" else examples.test
        if len(self.split) == 0:
            raise ConfigError(f"the {split} split of {examples.info.name} holds no examples")
        answers = self.split.labels
        if shuffle_rewards:
            answers = answers[np.random.default_rng(SHUFFLE_SEED).permutation(len(answers))]
        self._answers = answers
        self._order = np.arange(len(self.split))
        self._position = len(self.split)
        self.rng: np.random.Generator | None = None

    def restart(self, rng: np.random.Generator) -> None:
        """Start a new pass, drawn from ``rng``."""
        self.rng = rng
        self._position = len(self.split)

    def deal(self, k: int) -> np.ndarray:
        if self.rng is None:
            raise RuntimeError("call restart(rng) before dealing: the order of the examples is drawn from rng")
        rows = []
        while k > 0:
            if self._position >= len(self._order):
                self._order = self.rng.permutation(len(self.split))
                self._position = 0
            take = self._order[self._position : self._position + k]
            rows.append(take)
            self._position += len(take)
            k -= len(take)
        return np.concatenate(rows)

    def observations(self, rows: np.ndarray) -> np.ndarray:
        return self.split.observations(rows)

    def rewards(self, rows: np.ndarray, guesses: np.ndarray) -> np.ndarray:
        """1.0 for each guess that names its example's rewarded class, else 0.0."""
        return (np.asarray(guesses).reshape(-1) == self._answers[rows]).astype(np.float32)


def observation_space(examples: LabelledExamples) -> spaces.Box:
    """Pixels in [0, 1]; other features (a table's standardised numbers) between the least and
    the greatest value each takes in the data (the only rows this environment ever shows)."""
    if examples.image_shape is not None:
        return spaces.Box(0.0, 1.0, (examples.n_features,), dtype=np.float32)
    both = [examples.train.observations(), examples.test.observations()]
    low = np.minimum(*(rows.min(axis=0) for rows in both))
    high = np.maximum(*(rows.max(axis=0) for rows in both))
    return spaces.Box(low, high, (examples.n_features,), dtype=np.float32)


class GuessEnv(gym.Env):
    """One guess per episode about one example of a labelled data set (see the module docstring)."""

    metadata = {"render_modes": ["rgb_array"], "render_fps": 2}

    def __init__(
        self,
        examples: LabelledExamples,
        *,
        split: str = "train",
        shuffle_rewards: bool = False,
        render_mode: str | None = None,
    ) -> None:
        if render_mode not in (None, *self.metadata["render_modes"]):
            raise ConfigError(f"render_mode = {render_mode!r}: this environment draws rgb_array frames only")
        self.examples = examples
        self.deck = Deck(examples, split, bool(shuffle_rewards))
        self.render_mode = render_mode
        self.observation_space = observation_space(examples)
        self.action_space: spaces.Discrete = spaces.Discrete(examples.n_classes)
        #: The test examples the package's evaluation measures the greedy policy on (None when guessing at them).
        self.held_out: HeldOutExamples | None = examples.held_out() if split == "train" else None
        self._row = np.zeros(1, dtype=np.int64)
        self._guess: int | None = None
        self._reward = 0.0

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[np.ndarray, dict]:
        super().reset(seed=seed)
        if seed is not None or self.deck.rng is None:  # unseeded at first: Gymnasium's random seed
            self.deck.restart(self.np_random)
        self._row = self.deck.deal(1)
        self._guess = None
        return self.deck.observations(self._row)[0].copy(), {}

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict]:
        guess = int(np.asarray(action).reshape(-1)[0])
        if not self.action_space.contains(guess):
            raise ValueError(f"action {action!r} is not a class index from 0 to {self.action_space.n - 1}")
        self._guess = guess
        self._reward = float(self.deck.rewards(self._row, np.array([guess]))[0])
        return self.deck.observations(self._row)[0].copy(), self._reward, True, False, {}

    def render(self) -> np.ndarray | None:
        if self.render_mode != "rgb_array":
            return None
        return draw_guess(self.deck.observations(self._row)[0], self.examples, self._guess, self._reward)


class GuessVectorEnv(VectorEnv):
    """``num_envs`` guesses per call (see the module docstring, *Vectorized*)."""

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": []}

    def __init__(
        self,
        examples: LabelledExamples,
        num_envs: int,
        *,
        split: str = "train",
        shuffle_rewards: bool = False,
    ) -> None:
        if int(num_envs) < 1:
            raise ConfigError(f"num_envs = {num_envs}: a vector environment needs at least one copy")
        self.num_envs = int(num_envs)
        self.examples = examples
        self.deck = Deck(examples, split, bool(shuffle_rewards))
        self.single_observation_space = observation_space(examples)
        self.single_action_space = spaces.Discrete(examples.n_classes)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self.held_out: HeldOutExamples | None = examples.held_out() if split == "train" else None
        self._rows = np.zeros(self.num_envs, dtype=np.int64)
        self._observations = np.zeros((self.num_envs, examples.n_features), dtype=np.float32)
        self._terminated = np.ones(self.num_envs, dtype=bool)
        self._truncated = np.zeros(self.num_envs, dtype=bool)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[np.ndarray, dict]:
        if seed is not None:
            self._np_random, self._np_random_seed = gym.utils.seeding.np_random(seed)
            self.deck.restart(self.np_random)
        elif self.deck.rng is None:
            self.deck.restart(self.np_random)  # unseeded at first: the property seeds one at random
        self._rows = self.deck.deal(self.num_envs)
        self._observations = self.deck.observations(self._rows)
        return self._observations, {}

    def step(self, actions: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict]:
        guesses = np.asarray(actions).reshape(-1)
        if guesses.shape != (self.num_envs,):
            raise ValueError(f"expected {self.num_envs} guesses, got an array of shape {np.shape(actions)}")
        rewards = self.deck.rewards(self._rows, guesses)
        final = self._observations
        self._rows = self.deck.deal(self.num_envs)
        self._observations = self.deck.observations(self._rows)
        info = {"final_obs": final, "_final_obs": self._terminated.copy()}
        return self._observations, rewards, self._terminated.copy(), self._truncated.copy(), info


def draw_guess(observation: np.ndarray, examples: LabelledExamples, guess: int | None, reward: float) -> np.ndarray:
    """An RGB frame: the example (an image's pixels, else its numbers as a strip of grey), and
    below it the guess on a bar, green if it was right, red if wrong (grey before the guess)."""
    from PIL import Image, ImageDraw  # start-up time: only rendering pays for Pillow

    values = np.asarray(observation, dtype=np.float32)
    if examples.image_shape is not None:
        grey = values.reshape(examples.image_shape)
    else:  # a table row: standardised numbers as a strip of greys
        grey = 1.0 / (1.0 + np.exp(-values.reshape(1, -1)))  # type: ignore[assignment]  # numpy's stub: float64, but float32 / a Python float stays float32
    picture = Image.fromarray((255 * (1.0 - np.clip(grey, 0, 1))).astype(np.uint8)).convert("RGB")
    width = RENDER_SIZE
    height = max(8, min(RENDER_SIZE, round(width * picture.height / picture.width)))
    frame = Image.new("RGB", (width, height + BAR_HEIGHT), (255, 255, 255))
    frame.paste(picture.resize((width, height), Image.Resampling.NEAREST), (0, 0))
    colour = (160, 160, 160) if guess is None else (46, 160, 67) if reward > 0 else (207, 34, 46)
    draw = ImageDraw.Draw(frame)
    draw.rectangle([0, height, width, height + BAR_HEIGHT], fill=colour)
    text = "?" if guess is None else f"guess: {examples.class_names[guess]}" + (" (right)" if reward > 0 else " (wrong)")
    draw.text((8, height + BAR_HEIGHT // 3), text, fill=(255, 255, 255))
    return np.asarray(frame)


# -- the registered ids -----------------------------------------------------------------------


def make_digit_guess(
    *,
    data_dir: str | os.PathLike[str] | None = None,
    small: bool = False,
    split: str = "train",
    shuffle_rewards: bool = False,
    render_mode: str | None = None,
) -> GuessEnv:
    """``paradigms/DigitGuess-v0``: guess the digit of each MNIST image (see the module docstring)."""
    return GuessEnv(digit_data(data_dir, small=bool(small)), split=split, shuffle_rewards=shuffle_rewards,
                    render_mode=render_mode)


def make_digit_guess_vector(
    num_envs: int = 1,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    small: bool = False,
    split: str = "train",
    shuffle_rewards: bool = False,
    max_episode_steps: int | None = None,
    render_mode: str | None = None,
) -> GuessVectorEnv:
    """The vector version of ``paradigms/DigitGuess-v0`` (``max_episode_steps`` and ``render_mode``
    are accepted as Gymnasium passes them, and mean nothing: every episode is one guess)."""
    return GuessVectorEnv(digit_data(data_dir, small=bool(small)), num_envs, split=split,
                          shuffle_rewards=shuffle_rewards)


def register() -> None:
    """Register the guessing games with Gymnasium (once; later calls do nothing)."""
    registry = gym.envs.registry
    if DIGIT_GUESS_ID not in registry:
        gym.register(
            DIGIT_GUESS_ID,
            entry_point=f"{__name__}:make_digit_guess",
            vector_entry_point=f"{__name__}:make_digit_guess_vector",
        )
    if TABLE_GUESS_ID not in registry:
        gym.register(
            TABLE_GUESS_ID,
            entry_point=f"{__package__}.table_guess:make_table_guess",
            vector_entry_point=f"{__package__}.table_guess:make_table_guess_vector",
        )


register()
