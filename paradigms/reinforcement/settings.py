"""Settings of the reinforcement paradigm, and its T/P/E in words.

Every default and constraint is written once: :class:`ReinforcementSettings`
here (what ``paradigms run reinforcement`` takes), and one frozen dataclass per
agent in :mod:`.agent_settings`. Nothing heavy is imported here, so
``paradigms list`` stays fast.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..settings import Settings, setting
from .agent_settings import (
    AGENT_SETTINGS,
    MAX_ENVS,
    MAX_EPISODES,
    MAX_TOTAL_STEPS,
    AgentSettings,
    auto_in_words,
    defaults_in_words,
    device_setting,
)
from .environments import EnvSpec, check_env_kwargs
from .presets import tuned_params

# -- T, P and E in words -------------------------------------------------------------------

#: The paradigm's name: its registration (``paradigms run reinforcement``) and every Evaluation's ``paradigm``.
NAME = "reinforcement"
TASK = "keep the pole up / reach the goal: act in a Gymnasium environment (CartPole-v1 by default)"
MEASURE = "mean return of greedy evaluation episodes (baseline: random policy; best: the solved line)"
#: E's unit, the learning curve's x axis (the episodes those steps make up are counted beside them).
EXPERIENCE = "environment steps"
#: E of a guessing game (:mod:`.guessing`): one guess, one reward, per training example.
GUESSING_EXPERIENCE = "guesses (training examples seen, one reward each)"
FEEDBACK = "a reward after each action"

DESCRIPTION = """Reinforcement learning: an agent learns from a reward after each of its actions.

The lesson: there is a **state** (what the agent observes), the agent picks
an **action**, the action changes the state, and the environment answers with
a **reward**. Nobody tells the agent the right action (supervised learning) and
it is not just finding structure in data (unsupervised learning): it has to
find out, by trying, which actions lead to more reward over the whole episode.

In Mitchell's terms:

* **T**: act in a Gymnasium environment (by default CartPole-v1: keep a pole
  balanced on a moving cart);
* **P**: the mean *return* (sum of rewards of an episode) of the greedy policy
  over ``eval_episodes`` evaluation episodes on separately seeded
  environments, beside the random policy's mean return on the same episodes
  (the floor) and the environment's "solved" line: the reward threshold
  Gymnasium registers, else a line in common use (Pendulum-v1: -200; the
  table is ``environments.SOLVED_LINES``); for an environment with neither,
  the best mean return this run observed over a final or confirming
  evaluation, which is no solved line and is named as such (the metric
  ``best_source`` says which it is);
* **E**: environment steps (and the episodes they make up).

The guessing games turn a labelled data set into a contextual bandit
(``--env paradigms/DigitGuess-v0``: see an MNIST digit, guess, get 1 or 0, never
the answer; ``paradigms/TableGuess-v0 --env-kwargs data=PATH,target=COLUMN``: the
rows of a table). There T is the supervised task, P the greedy guess's accuracy
on the test examples (chance: one over the number of classes; best: 1), E the
guesses made, one training example each; the neural epsilon-greedy ``bandit``
agent learns them.

The agent is chosen from the spaces (``--agent auto``): a Q-table for discrete
states (FrozenLake, Taxi), PPO for vector states with discrete actions
(CartPole, Acrobot, LunarLander), SAC for continuous actions (Pendulum,
MountainCarContinuous), except where a benchmark measured another agent faster
(``presets.AUTO_AGENT``: PPO on LunarLanderContinuous); DQN, and PPO or SAC
for continuous actions, can be named.
During training ``check_episodes`` greedy episodes are played every
``eval_interval`` steps (the learning curve); the best policy is kept and
training stops once the threshold is reached and confirmed on
``confirm_episodes`` more. P is measured afterwards on ``eval_episodes`` others.

Example: ``paradigms run reinforcement --env Taxi-v4``, ``--env Pendulum-v1`` or
``--env FrozenLake-v1 --env-kwargs is_slippery=false``. The Box2D environments
(LunarLander) need ``pip install 'learning-paradigms[box2d]'``. The trained agent (``reinforcement-agent/``,
load it with ``paradigms.reinforcement.load_agent``) and the GIF of a greedy
episode are written next to the results.
"""

#: What each well-known environment asks of the agent (T, in words).
TASKS = {
    "CartPole": "keep a pole balanced upright on a moving cart",
    "FrozenLake": "cross a slippery frozen lake to the goal without falling into a hole",
    "FrozenLake8x8": "cross a large slippery frozen lake to the goal without falling into a hole",
    "Taxi": "pick up a passenger and drop them off at their destination",
    "CliffWalking": "walk to the goal along a cliff without falling off",
    "Acrobot": "swing the end of a two-link arm above a line",
    "MountainCar": "drive an underpowered car up a hill",
    "LunarLander": "land a lander softly on the landing pad",
    "LunarLanderContinuous": "land a lander softly on the landing pad, throttling its engines",
    "Pendulum": "swing a pendulum up and hold it upright with as little torque as possible",
    "MountainCarContinuous": "drive an underpowered car up a hill, spending little fuel",
    "BipedalWalker": "walk a two-legged robot across rough terrain",
    "Blackjack": "beat the dealer at blackjack",
    "paradigms/DigitGuess": "name the digit in each image, told only whether each guess was right",
    "paradigms/TableGuess": "name the class of each table row, told only whether each guess was right",
}

#: Frames a rollout GIF holds at most: what a run keeps (``gif_frames``), and what is decoded back.
MAX_GIF_FRAMES = 200


def task_for(env_id: str) -> str:
    """T in words for ``env_id``."""
    name = env_id.rsplit("-v", 1)[0]
    what = TASKS.get(name, TASKS.get(name.split("/")[-1], "collect as much reward as possible per episode"))
    return f"{what} ({env_id})"



#: Fields of ReinforcementSettings that override the chosen agent's hyper-parameter of the same name.
AGENT_OVERRIDES = ("learning_rate", "gamma", "hidden", "n_envs", "device")
#: Where a ReinforcementSettings keeps the agent settings it made (:meth:`ReinforcementSettings.agent_settings`).
_AGENT_SETTINGS = "_agent_settings"


# -- the paradigm's settings ----------------------------------------------------------------------


def parse_env_kwargs(items: Iterable[str]) -> dict[str, Any]:
    """``("is_slippery=false", "map_name=8x8")`` -> ``{"is_slippery": False, "map_name": "8x8"}``.

    Values are read as JSON where they parse (numbers, true/false, null, lists)
    and kept as text otherwise.
    """
    kwargs: dict[str, Any] = {}
    for item in items:
        key, sep, raw = str(item).partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise ConfigError(f"env_kwargs item {item!r}: write KEY=VALUE, e.g. is_slippery=false")
        raw = raw.strip()
        try:
            kwargs[key] = json.loads(raw.lower() if raw.lower() in ("true", "false", "null") else raw)
        except json.JSONDecodeError:
            kwargs[key] = raw
    return kwargs


@dataclass(frozen=True)
class ReinforcementSettings(Settings):
    """Settings of the reinforcement paradigm (``paradigms run reinforcement --help``).

    The hyper-parameters left at ``none`` take the value tuned for the
    environment (:mod:`paradigms.reinforcement.presets`), else the chosen
    agent's default (its settings dataclass above), which also checks them.
    """

    env: str = setting(
        "CartPole-v1", "Gymnasium environment id (vector or discrete observations; Discrete or Box actions)",
    )
    agent: str = setting(
        "auto", "agent: auto picks " + auto_in_words(), choices=("auto", *AGENT_SETTINGS),
    )
    total_steps: int | None = setting(
        None, f"environment steps of training at most (none: the agent's budget: {defaults_in_words('budget')}; "
        "tuned for some environments)", min=1, max=MAX_TOTAL_STEPS, quick=20_000,
    )
    eval_interval: int | None = setting(
        None, "environment steps between periodic evaluations (none: the budget divided by the agent's "
        f"evaluations per run: {defaults_in_words('evaluations')})",
        min=1,
    )
    # 100 greedy episodes measure P (the final test) and confirm a solve or choose the policy kept: the
    # 100 over which Gym's classic "solved" rule averages the return. A periodic check plays 10: few, so
    # that checking often stays cheap; the confirming episodes check what they suggest. The evaluation
    # functions, the training monitor and the agents take theirs from DEFAULTS.
    eval_episodes: int = setting(
        100, "greedy episodes of the final evaluation (P), on separately seeded environments",
        min=1, max=MAX_EPISODES, quick=20,
    )
    check_episodes: int = setting(
        10, "greedy episodes per periodic evaluation during training (each point of the learning curve)",
        min=1, max=MAX_EPISODES,
    )
    confirm_episodes: int = setting(
        100, "episodes that confirm a solve (and choose the best policy at the end)", min=1,
        max=MAX_EPISODES, quick=50,
    )
    stop_on_solve: bool = setting(True, "stop training once the reward threshold is reached and confirmed")
    learning_rate: float | None = setting(
        None, f"step size (none: the agent's default: {defaults_in_words('learning_rate')}; tuned for some environments)",
    )
    gamma: float | None = setting(
        None, f"discount factor of future rewards (none: the agent's default: {defaults_in_words('gamma')})",
    )
    hidden: tuple[int, ...] | None = setting(
        None, f"hidden layer sizes of the networks (none: the agent's default: {defaults_in_words('hidden')})",
    )
    n_envs: int | None = setting(
        None, f"environment copies stepped together (none: the agent's default: {defaults_in_words('n_envs')})",
        min=1, max=MAX_ENVS,
    )
    device: str = device_setting()
    env_kwargs: tuple[str, ...] = setting((), "environment options as KEY=VALUE, e.g. is_slippery=false")
    max_episode_steps: int | None = setting(
        None, "cap on episode length (none: the environment's own, or 1000 if it has none)", min=1,
        max=MAX_TOTAL_STEPS,
    )
    render: bool = setting(True, "record one greedy episode as an animated GIF (one of the run's pictures)")
    gif_frames: int = setting(48, "frames kept in the GIF at most", min=2, max=MAX_GIF_FRAMES, quick=24)
    output_dir: Path | None = setting(
        None, "folder for the trained agent (reinforcement-agent/) and the GIF (reinforcement-rollout.gif); "
        "the CLI's --out (none: write neither)",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.eval_interval is not None and self.total_steps is not None and self.eval_interval > self.total_steps:
            raise ConfigError(
                f"eval_interval = {self.eval_interval} exceeds total_steps = {self.total_steps}: "
                "no evaluation would happen during training; lower --eval-interval"
            )
        check_env_kwargs(self.env_options)  # parse KEY=VALUE now, so a bad or huge one stops the run before it starts
        self._check_overrides()

    @cached_property
    def env_options(self) -> dict[str, Any]:
        """``env_kwargs`` parsed into keyword arguments for the environment (parsed once)."""
        return parse_env_kwargs(self.env_kwargs)

    @cached_property
    def env_spec(self) -> EnvSpec:
        """The environment these settings name: ``env`` made with ``env_kwargs`` and capped at
        ``max_episode_steps``, as one value (checked when first asked for: it loads Gymnasium)."""
        return EnvSpec(self.env, self.env_options, self.max_episode_steps)

    def agent_overrides(self, agent: str) -> dict[str, Any]:
        """The hyper-parameters given here that agent ``agent`` has (the rest it does not use)."""
        names = {f.name for f in dataclasses.fields(AGENT_SETTINGS[agent])}
        return {k: getattr(self, k) for k in AGENT_OVERRIDES if k in names and getattr(self, k) is not None}

    def agent_settings(self, agent: str) -> AgentSettings:
        """Agent ``agent``'s hyper-parameters in this run: its defaults, then the values tuned for
        ``env`` (:func:`.presets.tuned_params`), then those given here (:meth:`agent_overrides`), by the
        one rule of presets (:meth:`~paradigms.settings.Settings.from_overrides`). Validated once:
        the run builds the agent from these very settings."""
        made = self.__dict__.setdefault(_AGENT_SETTINGS, {})
        if agent not in made:
            made[agent] = AGENT_SETTINGS[agent].from_overrides(
                self.agent_overrides(agent), preset=tuned_params(agent, self.env)
            )
        return made[agent]

    def _check_overrides(self) -> None:
        """Refuse now a value that no candidate agent accepts (the named one; under auto, every
        agent that takes one of these values); the settings made here are the ones the run uses."""
        candidates = [self.agent] if self.agent != "auto" else [n for n in AGENT_SETTINGS if self.agent_overrides(n)]
        errors = []
        for name in candidates:
            try:
                self.agent_settings(name)
            except ConfigError as error:
                errors.append(error)
        if candidates and len(errors) == len(candidates):
            raise errors[0]


#: Every setting's default (``DEFAULTS.eval_episodes``): a settings instance, as in every paradigm package;
#: the episode counts of :mod:`.evaluate`, :mod:`.training` and the agents' ``evaluate`` default to its.
DEFAULTS = ReinforcementSettings()
