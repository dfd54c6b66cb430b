"""Reinforcement learning: learning which actions to take from rewards, by trial and error.

Demo
----
The reinforcement paradigm's tabular agent,
:class:`paradigms.reinforcement.QLearningAgent`, on Gymnasium's
FrozenLake (4x4, not slippery): the agent stands on a frozen lake; each action
(left, down, right, up) moves it to a new state (square); falling into a hole
ends the episode, and reaching the goal ends it with a reward of 1, the only
feedback there is. Nobody tells the agent which move was right.

Three policies are compared over 100 evaluation episodes: random actions (the
baseline), the agent after 8,000 steps of trial and error, and the same agent
trained the same way in a copy of the lake whose reward has been taken away
(always 0). With the reward it learns a path to the goal; without it, it
learns nothing. What reinforcement learning needs is a reward after its actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from paradigms.seeding import check_seed
from paradigms.settings import Settings, setting

from ._base import DemoResult, Term, make_settings, plain_numbers
from ._feedback import feedback_numbers, figure_with_feedbacks, three_feedbacks

ENV_ID = "FrozenLake-v1"
#: A copy of FrozenLake whose reward is always 0, registered on first use.
NO_REWARD_ENV_ID = "glossary/FrozenLakeNoReward-v1"
ARROWS = {0: "\u2190", 1: "\u2193", 2: "\u2192", 3: "\u2191"}  # FrozenLake's actions: left, down, right, up


@dataclass(frozen=True)
class ReinforcementLearningSettings(Settings):
    """Settings of the reinforcement-learning demo (a tiny Q-learning run)."""

    steps: int = setting(8000, "environment steps of trial and error", min=100, max=1_000_000)
    slippery: bool = setting(False, "a slippery lake: moves sometimes go sideways (needs more steps)")
    episodes: int = setting(100, "evaluation episodes for each policy", min=1, max=10_000)
    curve_points: int = setting(10, "points on the training curve", min=2, max=200)


def _make_no_reward(**kwargs: Any):
    import gymnasium  # start-up time: Gymnasium loads only when the demo runs
    from gymnasium.wrappers import TransformReward

    return TransformReward(gymnasium.make(ENV_ID, **kwargs).unwrapped, lambda reward: 0.0)


def register_no_reward_lake() -> str:
    """Register :data:`NO_REWARD_ENV_ID` with Gymnasium (once) and return it."""
    import gymnasium  # start-up time: Gymnasium loads only when the demo runs

    if NO_REWARD_ENV_ID not in gymnasium.envs.registry:
        limit = gymnasium.spec(ENV_ID).max_episode_steps
        gymnasium.register(id=NO_REWARD_ENV_ID, entry_point=_make_no_reward, max_episode_steps=limit)
    return NO_REWARD_ENV_ID


def demo(*, seed: int = 0, **settings: object) -> DemoResult:
    """Random policy, Q-learning with rewards, Q-learning with the reward removed."""
    import gymnasium  # start-up time: Gymnasium (and the agent below) load only when the demo runs
    from gymnasium.envs.toy_text.frozen_lake import FrozenLakeEnv
    from gymnasium.spaces import Discrete

    from paradigms.reinforcement import EnvSpec, QLearningAgent, evaluate_policy, random_policy

    config: ReinforcementLearningSettings = make_settings(ReinforcementLearningSettings, settings)
    seed = check_seed(seed)
    lake = {"is_slippery": config.slippery}
    evaluation_seed = seed + 12345

    def success(policy) -> float:
        return float(evaluate_policy(policy, EnvSpec(ENV_ID, lake), n_episodes=config.episodes, seed=evaluation_seed).mean)

    rewarded = QLearningAgent(ENV_ID, env_kwargs=lake, seed=seed).learn(config.steps)
    unrewarded = QLearningAgent(register_no_reward_lake(), env_kwargs=lake, seed=seed).learn(config.steps)
    env = gymnasium.make(ENV_ID, **lake)
    lake_env = env.unwrapped
    assert isinstance(env.action_space, Discrete) and isinstance(lake_env, FrozenLakeEnv)  # ENV_ID's
    n_actions = int(env.action_space.n)
    layout = np.array([[cell.decode() for cell in row] for row in lake_env.desc])  # type: ignore[attr-defined]  # numpy's stub: the cells of an array of bytes_ are bytes
    env.close()
    scores = {
        "random actions": success(random_policy(n_actions, seed=seed)),
        "Q-learning, with the reward": success(rewarded.predict),
        "Q-learning, reward removed": success(unrewarded.predict),
    }
    rewards_seen = {
        "random actions": None,
        "Q-learning, with the reward": sum(r for _, r in rewarded.episode_returns_),
        "Q-learning, reward removed": 0.0,
    }
    table = pd.DataFrame(
        {
            "policy": list(scores),
            "training steps": [0, config.steps, config.steps],
            "rewards received while training": list(rewards_seen.values()),
            "evaluation: share of episodes reaching the goal": list(scores.values()),
        }
    )
    numbers = plain_numbers(
        {
            "training_steps": config.steps,
            "training_episodes": rewarded.episodes_done_,
            "success_random": scores["random actions"],
            "success_with_reward": scores["Q-learning, with the reward"],
            "success_without_reward": scores["Q-learning, reward removed"],
            "largest_q_value_with_reward": float(np.max(rewarded.q_table_)),
            "largest_q_value_without_reward": float(np.max(np.abs(unrewarded.q_table_))),
        }
    )
    random_share, with_reward = scores["random actions"], scores["Q-learning, with the reward"]
    without_reward = scores["Q-learning, reward removed"]
    rewarded_verdict = "learned a path to it" if with_reward > random_share + 0.2 else "did not learn much"
    unrewarded_verdict = (
        "learns nothing" if numbers["largest_q_value_without_reward"] == 0.0 else "learns little"
    )
    finding = (
        f"On FrozenLake, random actions reach the goal in {random_share:.0%} of {config.episodes} episodes. After "
        f"{config.steps:,} steps of trial and error, rewarded only at the goal, the Q-learning agent reaches it "
        f"in {with_reward:.0%}: it {rewarded_verdict}. The same agent in a lake whose reward was removed "
        f"{unrewarded_verdict} (its table of action values stays at "
        f"{numbers['largest_q_value_without_reward']:.2g}; goal in {without_reward:.0%})"
        + (": reinforcement learning needs rewards." if with_reward > without_reward + 0.2 else ".")
    )
    feedbacks = three_feedbacks(seed)
    numbers.update(feedback_numbers(feedbacks))
    return DemoResult(
        term=TERM, numbers=numbers, table=table, finding=finding + " " + feedbacks.sentence(), settings=config,
        seed=seed, draw=_draw,
        data={
            "feedbacks": feedbacks,
            "layout": layout,
            "greedy_with_reward": rewarded.q_table_.argmax(axis=1),
            "greedy_without_reward": unrewarded.q_table_.argmax(axis=1),
            "value_with_reward": rewarded.q_table_.max(axis=1),
            "episode_returns": np.array(rewarded.episode_returns_, dtype=float).reshape(-1, 2),
        },
    )


def _draw_lake(ax, layout: np.ndarray, actions: np.ndarray, values: np.ndarray | None, title: str) -> None:
    rows, cols = layout.shape
    shade = np.zeros(layout.shape) if values is None else values.reshape(layout.shape)
    # Light shading (how much return the agent expects from each square) keeps the arrows readable.
    ax.imshow(shade, cmap="Greens", vmin=0.0, vmax=max(1e-9, 2.5 * float(shade.max())))
    for r in range(rows):
        for c in range(cols):
            cell = layout[r, c]
            if cell == "H":
                ax.add_patch(_square(r, c, "#1f4e79"))
                ax.text(c, r, "hole", ha="center", va="center", color="white", fontsize=7)
            elif cell == "G":
                ax.text(c, r, "GOAL", ha="center", va="center", fontsize=8, fontweight="bold")
            else:
                label = ("start\n" if cell == "S" else "") + ARROWS[int(actions[r * cols + c])]
                ax.text(c, r, label, ha="center", va="center", fontsize=12 if cell != "S" else 9)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=9)


def _square(r: int, c: int, color: str):
    from matplotlib.patches import Rectangle  # start-up time: matplotlib loads when a demo is drawn

    return Rectangle((c - 0.5, r - 0.5), 1, 1, color=color)


def _draw(result: DemoResult):
    data = result.data
    fig, own = figure_with_feedbacks(11.0, 3.6, data["feedbacks"], "reinforcement")
    with_ax, without_ax, curve_ax = own.subplots(1, 3, width_ratios=(1, 1, 1.4))
    numbers = result.numbers
    _draw_lake(with_ax, data["layout"], data["greedy_with_reward"], data["value_with_reward"],
               f"with the reward: goal in {numbers['success_with_reward']:.0%}")
    _draw_lake(without_ax, data["layout"], data["greedy_without_reward"], None,
               f"reward removed: goal in {numbers['success_without_reward']:.0%}")
    returns = data["episode_returns"]
    if len(returns):
        curve_points = cast(ReinforcementLearningSettings, result.settings).curve_points  # this demo's own settings
        edges = np.linspace(0, float(numbers["training_steps"]), int(curve_points) + 1)
        which = np.clip(np.searchsorted(edges, returns[:, 0], side="left") - 1, 0, len(edges) - 2)
        share = [returns[which == i, 1].mean() if np.any(which == i) else np.nan for i in range(len(edges) - 1)]
        curve_ax.plot(edges[1:], share, "o-", color="C2", label="training episodes reaching the goal")
    curve_ax.axhline(numbers["success_random"], color="gray", linestyle=":", label="random actions")
    curve_ax.set(xlabel="environment steps (E)", ylabel="share reaching the goal", ylim=(-0.02, 1.05),
                 title="Trial and error (exploring, then exploiting)")
    curve_ax.legend(fontsize=8)
    return fig


TERM = Term(
    slug="reinforcement-learning",
    name="reinforcement learning",
    definition=(
        "In reinforcement learning an agent acts in an environment: each action changes the state and "
        "may bring a reward, and the agent learns, by trial and error, which actions earn the most reward over time."
    ),
    look_for="no one says which move is right; the reward alone, arriving only at the goal, teaches a path there",
    demo=demo,
    related=("supervised-learning", "unsupervised-learning", "mitchell", "learning-rate"),
    used_in=("paradigms.reinforcement.paradigm", "paradigms.reinforcement.QLearningAgent"),
    aliases=("reinforcement", "reward", "rewards", "agent", "agents", "Q-learning", "trial and error"),
    settings=ReinforcementLearningSettings,
)
