"""Settings of the reinforcement paradigm and of each agent, and its T/P/E in words.

Every default and constraint is written here once: :class:`ReinforcementSettings`
(what ``paradigms run reinforcement`` takes) and one frozen dataclass per agent
(its name, the spaces it fits, its budget, and each hyper-parameter with a help
line and an allowed range). The agents take their constructor's defaults and
checks from these, and ``--help`` reads the agents' defaults from them. A new
agent adds its dataclass to :data:`AGENT_SETTINGS` and a file under ``agents/``. Nothing heavy is imported here, so ``paradigms list`` stays fast.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

from ..devices import DEVICES
from ..errors import ConfigError
from ..settings import Settings, setting

# -- T, P and E in words -------------------------------------------------------------------

TASK = "keep the pole up / reach the goal: act in a Gymnasium environment (CartPole-v1 by default)"
MEASURE = "mean return of greedy evaluation episodes (baseline: random policy; best: the solved line)"
EXPERIENCE = "environment steps (and episodes)"
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

The agent is chosen from the spaces (``--agent auto``): a Q-table for discrete
states (FrozenLake, Taxi), PPO for vector states with discrete actions
(CartPole, Acrobot, LunarLander), SAC for continuous actions (Pendulum,
MountainCarContinuous), except where a benchmark measured another agent faster
(``presets.AUTO_AGENT``: PPO on LunarLanderContinuous); DQN, and PPO or SAC
for continuous actions, can be named.
During training a few greedy episodes are played every
``eval_interval`` steps; the best policy is kept and training stops once the
threshold is reached and confirmed on ``confirm_episodes`` more.

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
}


def task_for(env_id: str) -> str:
    """T in words for ``env_id``."""
    name = env_id.split("/")[-1].rsplit("-v", 1)[0]
    what = TASKS.get(name, "collect as much reward as possible per episode")
    return f"{what} ({env_id})"


# -- the agents' hyper-parameters -----------------------------------------------------------


def _gamma(default: float) -> Any:
    return setting(default, "discount factor of future rewards", min=0, max=1)


#: Largest hidden layer, parallel environments, replay buffer and mini-batch accepted: more
#: only exhausts the machine (a hostile agent.json must not allocate gigabytes).
MAX_UNITS, MAX_ENVS, MAX_BUFFER, MAX_BATCH = 4096, 256, 10_000_000, 65_536


def _hidden(default: tuple[int, ...] = (64, 64)) -> Any:
    return setting(default, "units of each hidden layer of the networks", min=1, max=MAX_UNITS)


def _n_envs(default: int) -> Any:
    return setting(default, "environment copies stepped together", min=1, max=MAX_ENVS)


def _batch_size(default: int) -> Any:
    return setting(default, "transitions per gradient step", min=1, max=MAX_BATCH)


def _buffer_size(default: int) -> Any:
    return setting(default, "transitions the replay buffer holds", min=1, max=MAX_BUFFER)


def _learning_starts(default: int) -> Any:
    return setting(default, "environment steps of pure exploration before the first update", min=0)


def _train_freq(default: int) -> Any:
    return setting(default, "environment steps between rounds of gradient steps", min=1)


def _gradient_steps(default: int) -> Any:
    return setting(default, "gradient steps per round", min=1, max=10_000)


def _check_replay(settings: Any) -> None:
    """The replay buffer must hold at least one mini-batch (DQN and SAC)."""
    if settings.buffer_size < settings.batch_size:
        raise ConfigError(
            f"buffer_size = {settings.buffer_size} is smaller than batch_size = {settings.batch_size}: "
            "the replay buffer must hold at least one mini-batch"
        )


def _device() -> Any:
    return setting(
        "auto", "where the networks compute: auto (CUDA when present, except for small networks, which "
        "run faster on the CPU), cpu or cuda", choices=DEVICES,
    )


@dataclass(frozen=True)
class AgentSettings(Settings):
    """What every agent's settings say besides its hyper-parameters (class attributes).

    ``states`` is what the agent reads: ``"table"`` (discrete states, one row of a
    table each) or ``"vector"`` (a vector of numbers a network reads); ``actions``
    the kinds of action space it acts in (``"discrete"``; ``"continuous"`` for
    Box actions). ``auto`` lists the kinds of action for which ``--agent auto``
    picks this agent (for its kind of states). ``budget`` is its default number
    of training steps and ``evaluations`` how many periodic evaluations a run
    makes by default.
    """

    name: ClassVar[str]
    states: ClassVar[str]
    actions: ClassVar[tuple[str, ...]] = ("discrete",)
    auto: ClassVar[tuple[str, ...]] = ()
    budget: ClassVar[int]
    evaluations: ClassVar[int]


@dataclass(frozen=True)
class _EpsilonGreedy(AgentSettings):
    """Agents that explore epsilon-greedily: a random action with probability epsilon, which
    decays linearly (``agents.base.epsilon_schedule``)."""

    epsilon_start: float = setting(1.0, "exploration rate at the start", min=0, max=1)
    epsilon_end: float = setting(0.05, "exploration rate after the decay", min=0, max=1)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.epsilon_end > self.epsilon_start:
            raise ConfigError(
                f"epsilon_end = {self.epsilon_end} exceeds epsilon_start = {self.epsilon_start}: "
                "exploration decays from the start value to the end value"
            )


def _exploration_fraction(default: float) -> Any:
    return setting(
        default, "share of the training steps over which exploration decays", min=0, max=1, min_inclusive=False,
    )


@dataclass(frozen=True)
class QLearningSettings(_EpsilonGreedy):
    """Tabular Q-learning (``agents/qlearning.py``)."""

    name: ClassVar[str] = "qlearning"
    states: ClassVar[str] = "table"
    auto: ClassVar[tuple[str, ...]] = ("discrete",)
    budget: ClassVar[int] = 100_000
    #: Fewer for the table-driven environments: their untrained policies wander to the
    #: episode cap, and their steps cost more than CartPole's vectorized ones.
    evaluations: ClassVar[int] = 10

    exploration_fraction: float = _exploration_fraction(0.5)
    learning_rate: float = setting(0.1, "step size of each update of the table", min=0, max=1, min_inclusive=False)
    gamma: float = _gamma(0.99)


@dataclass(frozen=True)
class DQNSettings(_EpsilonGreedy):
    """Deep Q-learning (``agents/dqn.py``)."""

    name: ClassVar[str] = "dqn"
    states: ClassVar[str] = "vector"
    budget: ClassVar[int] = 60_000
    evaluations: ClassVar[int] = 30

    hidden: tuple[int, ...] = _hidden()
    learning_rate: float = setting(2e-3, "Adam's step size", min=0, min_inclusive=False)
    gamma: float = _gamma(0.99)
    batch_size: int = _batch_size(64)
    buffer_size: int = _buffer_size(50_000)
    learning_starts: int = _learning_starts(500)
    train_freq: int = _train_freq(4)
    gradient_steps: int = _gradient_steps(2)
    target_update_interval: int = setting(200, "environment steps between copies into the target network", min=1)
    exploration_fraction: float = _exploration_fraction(0.05)
    double_dqn: bool = setting(True, "let the online network pick the next action, the target network value it")
    max_grad_norm: float | None = setting(
        10.0, "clip of the gradient's global norm (none: no clipping)", min=0, min_inclusive=False,
    )
    n_envs: int = _n_envs(4)
    device: str = _device()

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_replay(self)


@dataclass(frozen=True)
class PPOSettings(AgentSettings):
    """Proximal Policy Optimization (``agents/ppo.py``), discrete or Gaussian policy; the
    defaults are the RL Zoo's for CartPole-v1."""

    name: ClassVar[str] = "ppo"
    states: ClassVar[str] = "vector"
    actions: ClassVar[tuple[str, ...]] = ("discrete", "continuous")
    #: PPO reaches a confirmed CartPole solve sooner, in steps and in seconds, than
    #: our DQN (``benchmarks/bench_reinforcement.py`` measures both).
    auto: ClassVar[tuple[str, ...]] = ("discrete",)
    budget: ClassVar[int] = 60_000
    evaluations: ClassVar[int] = 30

    hidden: tuple[int, ...] = _hidden()
    learning_rate: float = setting(
        1e-3, "Adam's initial step size (decays linearly to 0 over the training steps)", min=0,
        min_inclusive=False,
    )
    gamma: float = _gamma(0.98)
    gae_lambda: float = setting(0.8, "GAE's trade-off between bias (0) and variance (1)", min=0, max=1)
    n_envs: int = _n_envs(8)
    n_steps: int = setting(32, "steps of each copy per rollout", min=1, max=100_000)
    batch_size: int = _batch_size(256)
    n_epochs: int = setting(20, "passes over each rollout", min=1, max=10_000)
    clip_range: float = setting(
        0.2, "initial clip of the probability ratio (decays linearly to 0)", min=0, min_inclusive=False,
    )
    ent_coef: float = setting(0.0, "weight of the entropy bonus", min=0)
    vf_coef: float = setting(0.5, "weight of the value loss", min=0)
    max_grad_norm: float = setting(0.5, "clip of the gradient's global norm", min=0, min_inclusive=False)
    log_std_init: float = setting(
        0.0, "initial log standard deviation of the Gaussian policy (Box actions only)", min=-20, max=2,
    )
    normalize_observations: bool = setting(
        False, "scale observations by a running mean and standard deviation (saved with the agent)",
    )
    normalize_rewards: bool = setting(
        False, "divide rewards by a running standard deviation of the discounted return while learning",
    )
    device: str = _device()

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.n_envs * self.n_steps > MAX_BUFFER:
            raise ConfigError(
                f"n_envs * n_steps = {self.n_envs * self.n_steps} transitions per rollout exceeds {MAX_BUFFER}: "
                "lower --n-envs or n_steps"
            )


@dataclass(frozen=True)
class SACSettings(AgentSettings):
    """Soft Actor-Critic (``agents/sac.py``) for Box actions. Learning rate and the
    one gradient step per environment step are the RL Zoo's for Pendulum-v1; the
    networks (64 units, not 256) and mini-batches (128, not 256) are smaller, which
    solves Pendulum in as many steps and computes several times faster on a CPU."""

    name: ClassVar[str] = "sac"
    states: ClassVar[str] = "vector"
    actions: ClassVar[tuple[str, ...]] = ("continuous",)
    #: SAC reaches a confirmed Pendulum solve sooner, in seconds, than our Gaussian PPO, which
    #: does not within 100,000 steps; on LunarLanderContinuous PPO is faster, and
    #: ``presets.AUTO_AGENT`` picks it there (``benchmarks/bench_continuous.py`` measures both).
    auto: ClassVar[tuple[str, ...]] = ("continuous",)
    budget: ClassVar[int] = 20_000
    evaluations: ClassVar[int] = 20

    hidden: tuple[int, ...] = _hidden()
    learning_rate: float = setting(1e-3, "Adam's step size (actor, critics and entropy weight)", min=0,
                                   min_inclusive=False)
    gamma: float = _gamma(0.99)
    batch_size: int = _batch_size(128)
    buffer_size: int = _buffer_size(1_000_000)
    learning_starts: int = _learning_starts(500)
    train_freq: int = _train_freq(1)
    gradient_steps: int = _gradient_steps(1)
    tau: float = setting(
        0.005, "Polyak step of the target critics towards the critics after each gradient step (1: copy)",
        min=0, max=1, min_inclusive=False,
    )
    ent_coef: float | None = setting(
        None, "fixed entropy weight alpha (none: tuned automatically towards target_entropy)",
        min=0, min_inclusive=False,
    )
    ent_coef_init: float = setting(
        1.0, "starting value of the automatically tuned entropy weight", min=0, min_inclusive=False,
    )
    target_entropy: float | None = setting(
        None, "entropy the automatic tuning aims at, <= 0 (none: minus the number of action dimensions, "
        "the usual choice; a positive target asks for more randomness than a squashed policy can have)",
        max=0,
    )
    n_envs: int = _n_envs(1)
    device: str = _device()

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_replay(self)


#: Every agent, by name (``--agent NAME``); ``agents.agent_class(name)`` is its class.
AGENT_SETTINGS: dict[str, type[AgentSettings]] = {
    cls.name: cls for cls in (QLearningSettings, DQNSettings, PPOSettings, SACSettings)
}


def _defaults(attribute: str) -> str:
    """Each agent's default of ``attribute`` in words, e.g. ``qlearning 0.1, dqn 0.002, ppo 0.001``."""
    shown = []
    for name, cls in AGENT_SETTINGS.items():
        fields = {f.name: f.default for f in dataclasses.fields(cls)}
        value = fields.get(attribute, getattr(cls, attribute, None))
        if value is not None:
            shown.append(f"{name} {','.join(map(str, value)) if isinstance(value, tuple) else value}")
    return ", ".join(shown)


#: What each value of ``AgentSettings.states`` and ``AgentSettings.actions`` means, in words.
STATE_WORDS = {"table": "discrete states", "vector": "vector states"}
ACTION_WORDS = {"discrete": "discrete actions", "continuous": "continuous (Box) actions"}


def _auto_words() -> str:
    """Which agent ``--agent auto`` picks for which spaces, in words."""
    return ", ".join(
        f"{name} for {STATE_WORDS[cls.states]}"
        + (f" with {' or '.join(ACTION_WORDS[a] for a in cls.auto)}" if cls.states == "vector" else "")
        for name, cls in AGENT_SETTINGS.items() if cls.auto
    )

#: Most training steps and evaluation episodes a run accepts (more only exhausts the machine).
MAX_TOTAL_STEPS, MAX_EPISODES = 100_000_000, 100_000

#: Fields of ReinforcementSettings that override the chosen agent's hyper-parameter of the same name.
AGENT_OVERRIDES = ("learning_rate", "gamma", "hidden", "n_envs", "device")


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
        "auto", "agent: auto picks " + _auto_words(), choices=("auto", *AGENT_SETTINGS),
    )
    total_steps: int | None = setting(
        None, f"environment steps of training at most (none: the agent's budget: {_defaults('budget')}; "
        "tuned for some environments)", min=1, max=MAX_TOTAL_STEPS, quick=20_000,
    )
    eval_interval: int | None = setting(
        None, "environment steps between periodic evaluations (none: the budget divided by the agent's "
        f"evaluations per run: {_defaults('evaluations')})",
        min=1,
    )
    eval_episodes: int = setting(
        100, "greedy episodes of the final evaluation (P), on separately seeded environments",
        min=1, max=MAX_EPISODES, quick=20,
    )
    check_episodes: int = setting(10, "greedy episodes per periodic evaluation", min=1, max=MAX_EPISODES)
    confirm_episodes: int = setting(
        100, "episodes that confirm a solve (and choose the best policy at the end)", min=1, max=MAX_EPISODES,
        quick=50,
    )
    stop_on_solve: bool = setting(True, "stop training once the reward threshold is reached and confirmed")
    learning_rate: float | None = setting(
        None, f"step size (none: the agent's default: {_defaults('learning_rate')}; tuned for some environments)",
    )
    gamma: float | None = setting(
        None, f"discount factor of future rewards (none: the agent's default: {_defaults('gamma')})",
    )
    hidden: tuple[int, ...] | None = setting(
        None, f"hidden layer sizes of the networks (none: the agent's default: {_defaults('hidden')})",
    )
    n_envs: int | None = setting(
        None, f"environment copies stepped together (none: the agent's default: {_defaults('n_envs')})",
        min=1, max=MAX_ENVS,
    )
    device: str = _device()
    env_kwargs: tuple[str, ...] = setting((), "environment options as KEY=VALUE, e.g. is_slippery=false")
    max_episode_steps: int | None = setting(
        None, "cap on episode length (none: the environment's own, or 1000 if it has none)", min=1,
        max=MAX_TOTAL_STEPS,
    )
    render: bool = setting(True, "record one greedy episode as an animated GIF (one of the run's pictures)")
    gif_frames: int = setting(48, "frames kept in the GIF at most", min=2, max=200, quick=24)
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
        _ = self.env_options  # parse KEY=VALUE now, so a bad one stops the run before it starts
        self._check_overrides()

    @cached_property
    def env_options(self) -> dict[str, Any]:
        """``env_kwargs`` parsed into keyword arguments for the environment (parsed once)."""
        return parse_env_kwargs(self.env_kwargs)

    def agent_overrides(self, agent: str) -> dict[str, Any]:
        """The hyper-parameters given here that agent ``agent`` has (the rest it does not use)."""
        names = {f.name for f in dataclasses.fields(AGENT_SETTINGS[agent])}
        return {k: getattr(self, k) for k in AGENT_OVERRIDES if k in names and getattr(self, k) is not None}

    def _check_overrides(self) -> None:
        """Refuse now a value that no candidate agent accepts (the named one; under auto, every
        agent that takes one of these values); the chosen agent's settings check it again when built."""
        candidates = [self.agent] if self.agent != "auto" else [n for n in AGENT_SETTINGS if self.agent_overrides(n)]
        errors = []
        for name in candidates:
            try:
                AGENT_SETTINGS[name](**self.agent_overrides(name))
            except ConfigError as error:
                errors.append(error)
        if candidates and len(errors) == len(candidates):
            raise errors[0]
