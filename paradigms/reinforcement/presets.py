"""Hyper-parameters and budgets tuned per environment (as the RL Zoo keeps them).

Settings left at ``None`` on the command line take their value from here when
the (agent, environment) pair has a row, else from the agent's settings
dataclass (:mod:`paradigms.reinforcement.agent_settings`): a row is a preset,
applied by the one rule of presets
(``ReinforcementSettings.agent_settings``, through
:meth:`paradigms.settings.Settings.from_overrides`). A row holds only values
that differ from the agent's defaults. :data:`AUTO_AGENT` names
the agent ``--agent auto`` picks for an environment where a measured one beats
the pick by the spaces. Every value can still be
given explicitly (``--learning-rate 0.3``).

This module imports nothing heavy, so ``paradigms list`` stays fast.
"""

from __future__ import annotations

from typing import Any

from ..same_task import DIGIT_GUESS_ID, TABLE_GUESS_ID
from .agent_settings import AGENT_SETTINGS

_PPO_LUNAR: dict[str, Any] = {
    "n_envs": 16, "n_steps": 256, "batch_size": 64, "n_epochs": 4, "gamma": 0.999, "gae_lambda": 0.98,
    "ent_coef": 0.01, "learning_rate": 3e-4, "normalize_observations": True, "normalize_rewards": True,
}

#: (agent, environment id) -> hyper-parameters that work better there: only the values that differ
#: from the agent's defaults (FrozenLake's Q-learning is the defaults: learning rate 0.1, gamma 0.99,
#: exploration over half the steps).
TUNED: dict[tuple[str, str], dict[str, Any]] = {
    ("qlearning", "Taxi-v4"): {"learning_rate": 0.7, "exploration_fraction": 0.3},
    ("qlearning", "CliffWalking-v1"): {"learning_rate": 0.5, "exploration_fraction": 0.3},
    ("qlearning", "Blackjack-v1"): {"learning_rate": 0.01, "gamma": 1.0},
    # The RL Zoo's PPO for LunarLander (gamma, GAE, entropy bonus, epochs, mini-batch), with
    # rollouts of 256 steps, not 1024 (the policy improves four times as often), and with
    # observations and rewards normalised: a confirmed solve after a median 167,118 steps over
    # 5 seeds (benchmarks/bench_continuous.py).
    ("ppo", "LunarLander-v3"): _PPO_LUNAR,
    ("ppo", "LunarLanderContinuous-v3"): _PPO_LUNAR,
    # SAC on Pendulum: target critics that follow four times faster (tau 0.02, not 0.005) and a
    # learning rate of 2e-3 (the RL Zoo's: 1e-3) reach a confirmed solve after a median 2,500
    # steps where the defaults need 4,500 (--quick, seeds 0-4, checked every 500 steps; each of
    # tau 0.01-0.05 and learning rates of 1e-3-2e-3 was tried), so --quick ends in seconds.
    ("sac", "Pendulum-v1"): {"tau": 0.02, "learning_rate": 2e-3},
    # The RL Zoo's PPO for Pendulum without its state-dependent exploration (gSDE): it nears
    # -250 within 100,000 steps; SAC, which --agent auto picks there, solves it sooner.
    ("ppo", "Pendulum-v1"): {
        "n_envs": 4, "n_steps": 256, "batch_size": 64, "n_epochs": 10, "gamma": 0.9, "gae_lambda": 0.95,
        "normalize_observations": True, "normalize_rewards": True,  # and the default learning rate, 1e-3
    },
}

#: (agent, environment id) -> total steps, where the agent's default budget does not fit.
TUNED_BUDGET: dict[tuple[str, str], int] = {
    ("qlearning", "Taxi-v4"): 60_000,
    ("qlearning", "CliffWalking-v1"): 20_000,
    ("qlearning", "Blackjack-v1"): 500_000,
    ("ppo", "LunarLander-v3"): 1_000_000,
    ("ppo", "LunarLanderContinuous-v3"): 1_000_000,
    ("ppo", "Pendulum-v1"): 100_000,
}

#: Environment id -> the agent ``--agent auto`` picks there, where a benchmark measured another
#: agent than the one it picks for the spaces reaching a confirmed solve sooner in wall-clock.
#: LunarLanderContinuous-v3: PPO (normalised) solves after a median 101,987 steps and 24.6 s
#: (``benchmarks/bench_continuous.py``); our SAC had not after 10 minutes in a one-off run that
#: the benchmark does not repeat (``--agent sac`` runs it).
#: The guessing games (contextual bandits, :mod:`.guessing`): the neural epsilon-greedy bandit
#: reaches 0.965 test accuracy on MNIST after three passes in seconds, where PPO with one-step
#: episodes (REINFORCE with a baseline, in effect) reaches about 0.85 (``benchmarks/bench_bandit.py``).
AUTO_AGENT: dict[str, str] = {
    "LunarLanderContinuous-v3": "ppo",
    DIGIT_GUESS_ID: "bandit",
    TABLE_GUESS_ID: "bandit",
}


def tuned_params(agent: str, env_id: str) -> dict[str, Any]:
    """Tuned hyper-parameters for ``agent`` on ``env_id`` (empty when none)."""
    return dict(TUNED.get((agent, env_id), {}))


def auto_agent(env_id: str) -> str | None:
    """The agent ``--agent auto`` picks for ``env_id`` whatever its spaces (None: pick by the spaces)."""
    return AUTO_AGENT.get(env_id)


def default_budget(agent: str, env_id: str) -> int:
    """Environment steps of training for ``agent`` on ``env_id``."""
    return TUNED_BUDGET.get((agent, env_id), AGENT_SETTINGS[agent].budget)
