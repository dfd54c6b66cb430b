"""Each agent's settings: its name, the spaces it fits, its budget, its hyper-parameters.

One frozen dataclass per agent, each hyper-parameter with a help line and an
allowed range, written here once: the agents (``agents/``) take their
constructor's defaults and checks from these, and ``paradigms run reinforcement
--help`` reads the agents' defaults from them. A new agent adds its dataclass to
:data:`AGENT_SETTINGS` and a file under ``agents/``. The paradigm's own settings
(what ``paradigms run reinforcement`` takes) are in :mod:`.settings`. Nothing
heavy is imported here, so ``paradigms list`` stays fast.

>>> AGENT_SETTINGS["sac"].actions
('continuous',)
>>> SACSettings(tau=0)
Traceback (most recent call last):
...
paradigms.errors.ConfigError: tau = 0.0 is out of range: must be > 0 ...)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

from ..devices import DEVICES
from ..errors import ConfigError
from ..settings import Settings, setting


def _gamma(default: float) -> Any:
    return setting(default, "discount factor of future rewards", min=0, max=1)


#: Most training steps and evaluation episodes a run accepts (more only exhausts the machine).
MAX_TOTAL_STEPS, MAX_EPISODES = 100_000_000, 100_000

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


def device_setting() -> Any:
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
    makes by default. ``one_step`` marks an agent that maximises the immediate
    reward only (a contextual bandit's): it is not suggested for other environments.
    """

    name: ClassVar[str]
    states: ClassVar[str]
    actions: ClassVar[tuple[str, ...]] = ("discrete",)
    auto: ClassVar[tuple[str, ...]] = ()
    one_step: ClassVar[bool] = False
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
    device: str = device_setting()

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
    device: str = device_setting()

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
    #: solves 2 of 5 seeds within 100,000 steps (``benchmarks/bench_continuous.py`` measures both);
    #: on LunarLanderContinuous PPO is faster, and ``presets.AUTO_AGENT`` picks it there.
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
    device: str = device_setting()

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_replay(self)


@dataclass(frozen=True)
class BanditSettings(_EpsilonGreedy):
    """Neural epsilon-greedy contextual bandit (``agents/bandit.py``), the baseline of Riquelme
    et al. (2018): a network predicts each action's reward, learns only from the chosen action's.
    Not picked by the spaces (it maximises the immediate reward, and ignores what follows);
    ``presets.AUTO_AGENT`` picks it for the guessing games, whose episodes are one step.
    The defaults reach 0.965 test accuracy on MNIST after three passes (180,000 guesses)
    in seconds (``benchmarks/bench_bandit.py``)."""

    name: ClassVar[str] = "bandit"
    states: ClassVar[str] = "vector"
    one_step: ClassVar[bool] = True
    #: Three passes over MNIST's 60,000 training images.
    budget: ClassVar[int] = 180_000
    evaluations: ClassVar[int] = 18

    epsilon_start: float = setting(0.1, "exploration rate at the start", min=0, max=1)
    epsilon_end: float = setting(0.1, "exploration rate after the decay", min=0, max=1)
    exploration_fraction: float = _exploration_fraction(0.5)
    hidden: tuple[int, ...] = _hidden((256,))
    learning_rate: float = setting(1e-3, "Adam's step size", min=0, min_inclusive=False)
    n_envs: int = setting(
        64, "guesses made together: one batch of examples, one forward pass, one gradient step", min=1,
        max=MAX_ENVS,
    )
    device: str = device_setting()


#: Every agent, by name (``--agent NAME``); ``agents.agent_class(name)`` is its class.
AGENT_SETTINGS: dict[str, type[AgentSettings]] = {
    cls.name: cls for cls in (QLearningSettings, DQNSettings, PPOSettings, SACSettings, BanditSettings)
}


def defaults_in_words(attribute: str) -> str:
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


def auto_in_words() -> str:
    """Which agent ``--agent auto`` picks for which spaces, in words."""
    return ", ".join(
        f"{name} for {STATE_WORDS[cls.states]}"
        + (f" with {' or '.join(ACTION_WORDS[a] for a in cls.auto)}" if cls.states == "vector" else "")
        for name, cls in AGENT_SETTINGS.items() if cls.auto
    )
