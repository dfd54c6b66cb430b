"""The verdicts of the paradigm demos at every option their sliders offer, against checks of their own.

The reinforcement-learning demo says whether Q-learning "learned a path" to the goal. Its
numbers come from playing episodes; the check here computes instead, exactly, the chance that
the greedy policy it drew reaches the goal (dynamic programming on FrozenLake's own transition
table), and the chance that random actions do, and holds the sentence to those. The
supervised-learning demo says whether the shuffled labels left the learner at chance; the
check here is a binomial test of its accuracy against 10%.
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest
from scipy.stats import binomtest

from glossary import reinforcement_learning, supervised_learning
from glossary.interactive import SLIDERS


def _reach_goal(policy: np.ndarray | None, slippery: bool) -> float:
    """The exact chance of reaching the goal from the start within 100 steps, following ``policy``
    (one action per square) or, with ``policy=None``, uniformly random actions."""
    env = gym.make("FrozenLake-v1", is_slippery=slippery)
    model, n = env.unwrapped.P, env.unwrapped.observation_space.n
    chance = np.zeros(n)  # chance of reaching the goal from each square within the steps left
    for _ in range(100):
        after = np.zeros(n)
        for state in range(n):
            actions = range(4) if policy is None else [int(policy[state])]
            for action in actions:
                for probability, following, reward, done in model[state][action]:
                    value = reward if done else chance[following]
                    after[state] += probability * value / len(actions)
        chance = after
    env.close()
    return float(chance[0])


@pytest.mark.parametrize("steps", SLIDERS["reinforcement-learning"].options)
def test_reinforcement_learning_claims_a_path_only_where_the_greedy_policy_finds_one(steps):
    result = reinforcement_learning.demo(steps=steps)
    exact = _reach_goal(result.data["greedy_with_reward"], slippery=False)
    random_actions = _reach_goal(None, slippery=False)
    if "learned a path to it" in result.finding:
        assert exact == pytest.approx(1.0)  # on the still lake a path that works, works every time
    else:
        assert "did not learn much" in result.finding
        assert exact < 1.0 or result.numbers["success_with_reward"] <= random_actions + 0.2
    if "needs rewards" in result.finding:
        assert exact > _reach_goal(result.data["greedy_without_reward"], slippery=False)


@pytest.mark.parametrize("epochs", [1, 2, 5, 10, 20, 30])
def test_supervised_learning_says_chance_level_only_where_a_binomial_test_agrees(epochs):
    assert epochs in SLIDERS["supervised-learning"].options
    result = supervised_learning.demo(epochs=epochs)
    numbers = result.numbers
    right = round(numbers["test_accuracy_shuffled_labels"] * numbers["test_images"])
    p_value = binomtest(right, numbers["test_images"], 0.1).pvalue
    if "chance level" in result.finding:
        assert p_value > 0.001  # the shuffled labels' accuracy is what guessing gives
    else:
        assert p_value < 0.05
    assert numbers["test_accuracy_true_labels"] > numbers["test_accuracy_shuffled_labels"]
