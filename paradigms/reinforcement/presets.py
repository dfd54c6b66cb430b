"""Hyper-parameters and budgets tuned per environment (as the RL Zoo keeps them).

Settings left at ``None`` on the command line take their value from here when
the (agent, environment) pair has a row, else from the agent's settings
dataclass (:mod:`paradigms.reinforcement.settings`). Every value can still be
given explicitly (``--learning-rate 0.3``).

This module imports nothing heavy, so ``paradigms list`` stays fast.
"""

from __future__ import annotations

from typing import Any

from .settings import AGENT_SETTINGS

#: (agent, environment id) -> hyper-parameters that work better there.
TUNED: dict[tuple[str, str], dict[str, Any]] = {
    ("qlearning", "FrozenLake-v1"): {"learning_rate": 0.1, "gamma": 0.99, "exploration_fraction": 0.5},
    ("qlearning", "FrozenLake8x8-v1"): {"learning_rate": 0.1, "gamma": 0.99, "exploration_fraction": 0.5},
    ("qlearning", "Taxi-v4"): {"learning_rate": 0.7, "gamma": 0.99, "exploration_fraction": 0.3},
    ("qlearning", "CliffWalking-v1"): {"learning_rate": 0.5, "gamma": 0.99, "exploration_fraction": 0.3},
    ("qlearning", "Blackjack-v1"): {"learning_rate": 0.01, "gamma": 1.0, "exploration_fraction": 0.5},
}

#: (agent, environment id) -> total steps, where the agent's default budget does not fit.
TUNED_BUDGET: dict[tuple[str, str], int] = {
    ("qlearning", "Taxi-v4"): 60_000,
    ("qlearning", "CliffWalking-v1"): 20_000,
    ("qlearning", "Blackjack-v1"): 500_000,
}


def tuned_params(agent: str, env_id: str) -> dict[str, Any]:
    """Tuned hyper-parameters for ``agent`` on ``env_id`` (empty when none)."""
    return dict(TUNED.get((agent, env_id), {}))


def default_budget(agent: str, env_id: str) -> int:
    """Environment steps of training for ``agent`` on ``env_id``."""
    return TUNED_BUDGET.get((agent, env_id), AGENT_SETTINGS[agent].budget)
