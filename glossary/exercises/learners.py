"""Exercises on the three paradigms and on Mitchell's definition.

* supervised learning: hand the toolkit's classifier the labels, and show it learns *from them*
  (the check also trains it on shuffled labels, as the glossary's demo does);
* unsupervised learning: choose k, the number of customer segments, with no answers to look at
  (the check then brings out the hidden personas, as the demo does);
* reinforcement learning: design the reward that teaches a Q-learning agent FrozenLake in a
  budget too small for the lake's own reward;
* Mitchell: decide from a learning curve whether a program learns.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from paradigms.seeding import numpy_rng

from .. import mitchell
from .._data import digits
from ._base import AnswerFailed, Exercise, Feedback, as_number, call_answer, checked, parse_number

# -- supervised learning ----------------------------------------------------------------------

SUPERVISED_TASK = """
Supervised learning learns from examples that come with the right answer. Write `train(X, y)`: `X` holds
digit images as rows of 64 pixels, `y` their labels 0-9; return a fitted model with a `predict(X)` method.
Use the toolkit's own classifier, `paradigms.supervised.DigitClassifier`. The check trains it on 1,000
digits and needs at least 85% right on 797 others; then it trains it again on the same images with the
labels shuffled, where a learner that learns from the labels must fall to about chance (10%).
"""

TRAIN_SIZE, PASS_ACCURACY, CHANCE_CEILING = 1000, 0.85, 0.3


def _accuracy(model: Any, X: np.ndarray, y: np.ndarray, what: str) -> float:
    predict = getattr(model, "predict", None)
    if predict is None:
        raise AnswerFailed(f"train returned {type(model).__name__}, which has no predict method")
    predicted = np.asarray(call_answer(predict, X, name=f"predict ({what})")).reshape(-1)
    if predicted.shape != y.shape:
        raise AnswerFailed(f"predict returned {predicted.size} answers for {len(y)} images")
    return float(np.mean(predicted == y))


@checked("supervised-learning", "train(X, y) must return the fitted model, e.g. DigitClassifier(epochs=10, batch_size=32).fit(X, y)")
def check_supervised(answer: Any) -> Feedback:
    """Train on true labels (>= 85% needed) and on shuffled labels (must fall to chance)."""
    X, y = digits()
    rng = numpy_rng(0, 22)
    order = rng.permutation(len(X))
    train, test = order[:TRAIN_SIZE], order[TRAIN_SIZE:]
    shuffled = rng.permutation(y[train])
    accuracy = _accuracy(call_answer(answer, X[train].copy(), y[train].copy(), name="train"), X[test], y[test], "true labels")
    numbers = {"test_accuracy": accuracy, "chance": 0.1}
    if accuracy < PASS_ACCURACY:
        if accuracy < CHANCE_CEILING:
            what = f"trained on the true labels, your model names only {accuracy:.1%} of the test digits, about what guessing scores (10%)."
            hint = "fit on the labels you are given: DigitClassifier(epochs=10, batch_size=32).fit(X, y)."
        else:
            what = f"trained on the true labels, your model names {accuracy:.1%} of the test digits; 85% is needed."
            hint = "give it more training: more epochs (10 is plenty here) and smaller batches (32), so that it takes more steps."
        return Feedback("supervised-learning", False, what,
                        "a supervised learner improves by comparing its answers with the labels; too little training leaves it near guessing.",
                        hint, numbers)
    shuffled_accuracy = _accuracy(call_answer(answer, X[train].copy(), shuffled, name="train"), X[test], y[test], "shuffled labels")
    numbers["test_accuracy_shuffled_labels"] = shuffled_accuracy
    if shuffled_accuracy > CHANCE_CEILING:
        return Feedback("supervised-learning", False, (
            f"with the labels shuffled your model still names {shuffled_accuracy:.1%} of the test digits "
            f"(with the true labels {accuracy:.1%}): it did not learn from the labels it was given."),
            "in supervised learning the labels are the only feedback: labels that say nothing about the images must leave the learner at chance.",
            "fit on the y passed to train, not on labels loaded from elsewhere.", numbers)
    return Feedback("supervised-learning", True, (
        f"with the true labels your model names {accuracy:.1%} of 797 unseen digits; with the labels shuffled "
        f"{shuffled_accuracy:.1%} (guessing: 10%)."),
        "the same learner on the same images: only the labels changed, so the labels are what it learned from.",
        "run glossary.supervised_learning.demo() to see the two training curves side by side.", numbers)


SUPERVISED_PLACEHOLDER = '''from paradigms.supervised import DigitClassifier


def train(X, y):
    # TODO: fit the classifier on the labelled images and return it
    return DigitClassifier(epochs=1, validation_size=0.15)
'''

SUPERVISED_SOLUTION = '''from paradigms.supervised import DigitClassifier


def train(X, y):
    # ten passes in batches of 32; 15% of the training images set aside to watch the training
    return DigitClassifier(epochs=10, batch_size=32, validation_size=0.15, threads=1, random_state=0).fit(X, y)
'''

# -- unsupervised learning --------------------------------------------------------------------

UNSUPERVISED_TASK = """
Unsupervised learning finds groups with no answers to learn from. The toolkit's generator writes a year of
shop transactions for 300 customers (`generate_transactions(300, seed=0)` in `paradigms.unsupervised`);
`load_customers` turns the file into per-customer features. Choose k, the number of segments, from the data
alone: fit `CustomerSegmenter(n_clusters=k)` for several k and compare their silhouettes (how much nearer each
customer is to its own segment than to the next; `CustomerSegmenter(n_clusters=None).fit(...).k_selection_`
lists them). Hand in k. The check accepts a k whose silhouette is within 0.005 of the best, then compares
your segments with the hidden personas the customers were generated from.
"""

SILHOUETTE_TOLERANCE = 0.005


@cache
def _customers() -> tuple[pd.DataFrame, pd.Series]:
    from paradigms.unsupervised import (  # start-up time: pandas work on first use
        generate_transactions,
        load_customers,
    )

    log = generate_transactions(300, seed=0)
    with tempfile.TemporaryDirectory() as folder:
        data = load_customers(log.write(Path(folder) / "transactions.csv"))
    personas = log.personas.set_index("customer_id")["persona"]
    personas.index = personas.index.astype(str)
    return data.features, personas.reindex(data.features.index)


@cache
def _k_table() -> pd.DataFrame:
    import warnings

    from paradigms.unsupervised import CustomerSegmenter

    features, _ = _customers()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no clear choice of k": the check states the numbers itself
        return CustomerSegmenter(n_clusters=None, k_min=2, k_max=12, random_state=0).fit(features).k_selection_.copy()


@checked("unsupervised-learning", "the answer is one whole number k from 2 to 12")
def check_unsupervised(answer: Any) -> Feedback:
    """k against the silhouette of every k from 2 to 12; the personas brought out afterwards."""
    from sklearn.metrics import adjusted_rand_score

    from paradigms.unsupervised import CustomerSegmenter

    k = as_number(answer, "k")
    if k != int(k) or not 2 <= k <= 12:
        raise AnswerFailed(f"k = {answer!r}: give a whole number of segments from 2 to 12")
    k = int(k)
    table = _k_table().set_index("k")["silhouette"]
    best_k, best = int(table.index[int(table.to_numpy().argmax())]), float(table.max())
    features, personas = _customers()
    labels = CustomerSegmenter(n_clusters=k, random_state=0).fit(features).labels_
    ari = float(adjusted_rand_score(personas, labels))
    mine = float(table[k])
    numbers = {"k": k, "silhouette": mine, "best_k": best_k, "best_silhouette": best, "adjusted_rand_index": ari}
    if mine >= best - SILHOUETTE_TOLERANCE:
        return Feedback("unsupervised-learning", True, (
            f"k = {k} has silhouette {mine:.3f} (the highest: {best:.3f}, at k = {best_k}). Brought out only now, the "
            f"{personas.nunique()} hidden personas agree with your segments: adjusted Rand index {ari:.2f} (1 = the same grouping)."),
            "no label was used to choose k or to fit: the structure was in the data.",
            "look at how close the runner-up k is: when two k score alike, the choice is not clear-cut, and the paradigm says so.", numbers)
    if k < best_k:
        what = f"k = {k} is too few: silhouette {mine:.3f} against {best:.3f} at k = {best_k}; your segments lump groups together (adjusted Rand index {ari:.2f} with the hidden personas)."
    else:
        what = f"k = {k} is too many: silhouette {mine:.3f} against {best:.3f} at k = {best_k}; your segments split groups apart (adjusted Rand index {ari:.2f} with the hidden personas)."
    return Feedback("unsupervised-learning", False, what,
                    "with no labels, the data's own shape decides: tight segments far from each other score a high silhouette.",
                    "compare the silhouette of every k from 2 to 12 and take the highest.", numbers)


UNSUPERVISED_PLACEHOLDER = "answer = 2  # TODO: the number of segments k, chosen from the silhouettes\n"
UNSUPERVISED_SOLUTION = '''import tempfile
from pathlib import Path

from paradigms.unsupervised import CustomerSegmenter, generate_transactions, load_customers

with tempfile.TemporaryDirectory() as folder:
    customers = load_customers(generate_transactions(300, seed=0).write(Path(folder) / "log.csv"))
scores = CustomerSegmenter(n_clusters=None, k_min=2, k_max=12, random_state=0).fit(customers.features).k_selection_
answer = int(scores.loc[scores["silhouette"].idxmax(), "k"])   # the k with the highest silhouette
'''

# -- reinforcement learning ---------------------------------------------------------------------

REWARD_TASK = """
An agent learns from rewards alone. On FrozenLake (4x4, not slippery) the lake pays 1 at the goal and 0
everywhere else; with only 1,000 steps of trial and error, the toolkit's Q-learning agent
(`paradigms.reinforcement.QLearningAgent`) rarely learns from that. Design a reward: write
`reward(state, action, next_state, lake_reward, done)` returning a number (states are squares 0-15, row by
row, the goal is 15; `lake_reward` is what the lake pays; `done` is True when the move ends in a hole or at
the goal). The check trains the agent with your reward for 1,000 steps, three times (seeds 0, 1, 2), and
then scores it on the lake's own terms: it must reach the goal in every run.
"""

LAKE = {"is_slippery": False}
REWARD_STEPS, REWARD_SEEDS = 1000, (0, 1, 2)
DESIGNED_ENV_ID = "glossary/FrozenLakeDesignedReward-v1"


class _Recorder:
    """The student's reward function, recording every reward it hands out."""

    def __init__(self, function: Any) -> None:
        self.function = function
        self.paid: list[tuple[float, bool, float]] = []  # (designed reward, done, the lake's reward)

    def __call__(self, state: int, action: int, next_state: int, lake_reward: float, done: bool) -> float:
        value = as_number(call_answer(self.function, state, action, next_state, lake_reward, done, name="reward"), "the reward")
        self.paid.append((value, done, lake_reward))
        return value


def _make_designed(reward: Any = None, **kwargs: Any):
    import gymnasium  # start-up time: Gymnasium loads only when the check runs

    class DesignedReward(gymnasium.Wrapper):
        """FrozenLake paying the student's reward instead of its own."""

        def reset(self, **options: Any):
            observation, info = self.env.reset(**options)
            self.state = int(observation)
            return observation, info

        def step(self, action: Any):
            observation, lake_reward, terminated, truncated, info = self.env.step(action)
            paid = reward(self.state, int(action), int(observation), float(lake_reward), bool(terminated))
            self.state = int(observation)
            return observation, float(paid), terminated, truncated, info

    return DesignedReward(gymnasium.make("FrozenLake-v1", **kwargs).unwrapped)


def _register() -> str:
    import gymnasium  # start-up time: Gymnasium loads only when the check runs

    if DESIGNED_ENV_ID not in gymnasium.envs.registry:
        gymnasium.register(id=DESIGNED_ENV_ID, entry_point=_make_designed,
                           max_episode_steps=gymnasium.spec("FrozenLake-v1").max_episode_steps)
    return DESIGNED_ENV_ID


@checked("reinforcement-learning", "call reward(14, 2, 15, 1.0, True) yourself: it must return a number")
def check_reward(answer: Any) -> Feedback:
    """Q-learning with the designed reward, 1,000 steps, three seeds; scored by the lake's own reward."""
    from paradigms.reinforcement import EnvSpec, QLearningAgent, evaluate_policy

    recorder = _Recorder(answer)
    successes = []
    for seed in REWARD_SEEDS:
        agent = QLearningAgent(_register(), env_kwargs={**LAKE, "reward": recorder}, seed=seed).learn(REWARD_STEPS)
        successes.append(float(evaluate_policy(agent.predict, EnvSpec("FrozenLake-v1", LAKE), n_episodes=10, seed=seed).mean))
    paid = np.array(recorder.paid, dtype=float)
    reached = int(np.sum(paid[:, 2] > 0))
    numbers = {"runs_reaching_goal": int(sum(s > 0.5 for s in successes)), "runs": len(REWARD_SEEDS), "goal_reached_in_training": reached}
    if all(s > 0.5 for s in successes):
        return Feedback("reinforcement-learning", True, (
            f"with your reward the agent learned a path to the goal in all {len(REWARD_SEEDS)} runs of {REWARD_STEPS:,} steps "
            f"(scored by the lake's own reward)."),
            "a reward after every move that ends badly tells the agent far more, far sooner, than a reward at the goal alone.",
            "rewards teach what they pay for: check that nothing pays more than reaching the goal.", numbers)
    score = f"the agent reached the goal in {numbers['runs_reaching_goal']} of {len(REWARD_SEEDS)} runs"
    if np.ptp(paid[:, 0]) == 0:
        return Feedback("reinforcement-learning", False, f"your reward is always {paid[0, 0]:g}: {score}.",
                        "a reward that never changes cannot tell a good move from a bad one; every action looks alike to the agent.",
                        "pay more for reaching the goal than for anything else, and less (or a penalty) for falling into a hole.", numbers)
    ongoing = paid[paid[:, 1] == 0, 0]
    goal = paid[paid[:, 2] > 0, 0]
    if len(ongoing) and ongoing.mean() > 0 and (not len(goal) or goal.mean() <= ongoing.mean() * 20):
        return Feedback("reinforcement-learning", False, f"your reward pays {ongoing.mean():.3g} on average for a move that ends nothing: {score}.",
                        "the agent learns what the reward pays for: here, staying out on the ice, not reaching the goal.",
                        "make ordinary moves cost a little (or nothing) and pay at the goal.", numbers)
    holes = paid[(paid[:, 1] == 1) & (paid[:, 2] == 0), 0]
    if len(holes) and holes.mean() >= 0:
        return Feedback("reinforcement-learning", False, f"falling into a hole costs nothing with your reward: {score}; the goal was reached {reached} times in {len(REWARD_SEEDS) * REWARD_STEPS:,} training steps.",
                        "a reward only at the goal is sparse: in 1,000 steps the agent finds the goal too rarely to learn a path to it.",
                        "give a penalty (say -1) when a move ends in a hole: the agent then learns after every fall which moves to avoid.", numbers)
    return Feedback("reinforcement-learning", False, f"{score} with your reward.",
                    "the agent keeps the moves that earned the most reward; if the goal is not clearly the best outcome, it will not head there.",
                    "pay the most at the goal, penalise holes, and keep every other move small.", numbers)


REWARD_PLACEHOLDER = '''def reward(state, action, next_state, lake_reward, done):
    # TODO: design a reward that teaches the agent the way to the goal
    return lake_reward
'''

REWARD_SOLUTION = '''def reward(state, action, next_state, lake_reward, done):
    if lake_reward > 0:
        return 1.0        # the goal
    if done:
        return -1.0       # fell into a hole: learnt from at once, not only after the goal is found
    return 0.0
'''

# -- Mitchell ---------------------------------------------------------------------------------

MITCHELL_TASK = """
Mitchell: a program learns from experience E with respect to task T and measure P if its performance at T,
as measured by P, improves with E. Write `learns(experience, performance, chance)`: `experience` and
`performance` are equally long lists (E at each checkpoint of a learning curve, and P there), `chance` is
the score of guessing; return True when the curve shows the program learns, False when it does not. The
check shows it four curves: the glossary's *mitchell* demo (a digit reader), one that stays high from the
start, one that wobbles at chance, and one that falls.
"""


@cache
def _curves() -> dict[str, tuple[list[float], list[float], bool]]:
    curve = mitchell.demo().data["evaluation"].curve  # the toolkit's Evaluation: P against E
    experience = curve["experience"].astype(float).tolist()
    performance = curve["performance"].astype(float).tolist()
    rng = numpy_rng(0, 22)
    wobble = (0.1 + rng.normal(0.0, 0.01, size=len(experience))).tolist()
    wobble[-1] = wobble[0] + 0.02  # ends a little higher than it started, by chance
    high = (0.93 + rng.normal(0.0, 0.003, size=len(experience))).tolist()
    high[-1] = high[0] - 0.002  # ends where it began, give or take the wobble
    return {
        "the mitchell demo's digit reader": (experience, performance, True),
        "a program that was good from the start and never changes": (experience, high, False),
        "a program that wobbles at chance": (experience, wobble, False),
        "a program that gets worse with experience": (experience, performance[::-1], False),
    }


@checked("mitchell", "learns(...) must return True or False")
def check_mitchell(answer: Any) -> Feedback:
    """``learns`` on four curves: one that learns, three that do not."""
    verdicts = {}
    for name, (experience, performance, truth) in _curves().items():
        said = call_answer(answer, list(experience), list(performance), 0.1, name="learns")
        if not isinstance(said, bool | np.bool_):
            raise AnswerFailed(f"learns returned {type(said).__name__} {said!r:.40}, not True or False")
        verdicts[name] = (bool(said), truth, performance)
    wrong = [name for name, (said, truth, _) in verdicts.items() if said != truth]
    numbers = {"curves": len(verdicts), "judged_wrong": len(wrong)}
    if not wrong:
        return Feedback("mitchell", True, "your rule tells the learning program from the three that do not learn.",
                        "Mitchell asks for improvement with E: a high score without improvement, or a rise within noise, is not learning.",
                        "name T, P and E for each paradigm of the toolkit: `paradigms list` prints them.", numbers)
    name = wrong[0]
    said, truth, performance = verdicts[name]
    first, last = performance[0], performance[-1]
    reasons = {
        "the mitchell demo's digit reader": (f"P rises from {first:.0%} to {last:.0%} as E grows, yet your rule says it does not learn.",
                                             "performance improving with experience is exactly Mitchell's definition.",
                                             "compare P late in the curve with P early in it, and look at the trend over all the points."),
        "a program that was good from the start and never changes": (f"P stays at about {last:.0%} from the first point to the last, yet your rule says it learns.",
                                                                     "a high score is not learning: Mitchell asks that P improve with E, not that it be high.",
                                                                     "compare the end of the curve with its start, not with the chance level."),
        "a program that wobbles at chance": (f"P wobbles around chance (10%) and ends {100 * (last - first):+.0f} points above where it began, yet your rule says it learns.",
                                             "a rise as small as the curve's wobble is noise, not improvement with experience.",
                                             "ask for a clear rise (say 5 points) and a trend: P higher at most later points than at earlier ones (a rank correlation)."),
        "a program that gets worse with experience": (f"P falls from {first:.0%} to {last:.0%} as E grows, yet your rule says it learns.",
                                                      "learning means improving; this program gets worse with experience.",
                                                      "check the direction: P at the end must be higher than at the start."),
    }
    what, why, hint = reasons[name]
    return Feedback("mitchell", False, f"{name}: {what}", why, hint, numbers)


MITCHELL_PLACEHOLDER = '''def learns(experience, performance, chance):
    # TODO: does P improve with E?
    return True
'''

MITCHELL_SOLUTION = '''import numpy as np


def learns(experience, performance, chance):
    rise = performance[-1] - performance[0]
    ranks_e = np.argsort(np.argsort(experience))       # rank correlation of P with E: 1 = P rises at every point
    ranks_p = np.argsort(np.argsort(performance))
    trend = np.corrcoef(ranks_e, ranks_p)[0, 1]
    return bool(rise > 0.05 and trend > 0.5)
'''

EXERCISES = (
    Exercise("supervised-learning", "Learn from the labels", SUPERVISED_TASK, "function", "train",
             SUPERVISED_PLACEHOLDER, SUPERVISED_SOLUTION, check_supervised),
    Exercise("unsupervised-learning", "Choose k with no answers", UNSUPERVISED_TASK, "value", "answer",
             UNSUPERVISED_PLACEHOLDER, UNSUPERVISED_SOLUTION, check_unsupervised, parse_number),
    Exercise("reinforcement-learning", "Design a reward for FrozenLake", REWARD_TASK, "function", "reward",
             REWARD_PLACEHOLDER, REWARD_SOLUTION, check_reward),
    Exercise("mitchell", "Does it learn?", MITCHELL_TASK, "function", "learns",
             MITCHELL_PLACEHOLDER, MITCHELL_SOLUTION, check_mitchell),
)
