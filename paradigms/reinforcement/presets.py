"""Default hyper-parameters per agent, and tuned ones per environment (as the RL Zoo keeps).

Settings left at ``None`` on the command line take their value from here:
first the row for (agent, environment), then the agent's defaults. Every
value can still be given explicitly (``--learning-rate 0.3``).

This module imports nothing heavy, so ``paradigms list`` stays fast.
"""

from __future__ import annotations

from typing import Any

#: The deep agent chosen for vector observations under ``--agent auto``:
#: PPO reaches a confirmed CartPole solve sooner, in steps and in seconds,
#: than our DQN (``benchmarks/bench_reinforcement.py`` measures both).
DEFAULT_DEEP_AGENT = "ppo"

#: Environment steps of training when ``total_steps`` is not given.
DEFAULT_BUDGET = {"qlearning": 100_000, "dqn": 60_000, "ppo": 60_000}

#: Periodic evaluations per run when ``eval_interval`` is not given (fewer for the
#: table-driven environments, whose untrained policies wander to the episode cap
#: and whose steps cost more than CartPole's vectorized ones).
EVALUATIONS_PER_RUN = {"qlearning": 10, "dqn": 30, "ppo": 30}

#: (agent, environment id) -> constructor arguments that work better there.
TUNED: dict[tuple[str, str], dict[str, Any]] = {
    ("qlearning", "FrozenLake-v1"): {"learning_rate": 0.1, "gamma": 0.99, "exploration_fraction": 0.5},
    ("qlearning", "FrozenLake8x8-v1"): {"learning_rate": 0.1, "gamma": 0.99, "exploration_fraction": 0.5},
    ("qlearning", "Taxi-v4"): {"learning_rate": 0.7, "gamma": 0.99, "exploration_fraction": 0.3},
    ("qlearning", "CliffWalking-v1"): {"learning_rate": 0.5, "gamma": 0.99, "exploration_fraction": 0.3},
    ("qlearning", "Blackjack-v1"): {"learning_rate": 0.01, "gamma": 1.0, "exploration_fraction": 0.5},
}

#: (agent, environment id) -> total steps, where the default budget does not fit.
TUNED_BUDGET: dict[tuple[str, str], int] = {
    ("qlearning", "Taxi-v4"): 60_000,
    ("qlearning", "CliffWalking-v1"): 20_000,
    ("qlearning", "Blackjack-v1"): 500_000,
}


def tuned_params(agent: str, env_id: str) -> dict[str, Any]:
    """Tuned constructor arguments for ``agent`` on ``env_id`` (empty when none)."""
    return dict(TUNED.get((agent, env_id), {}))


def default_budget(agent: str, env_id: str) -> int:
    """Environment steps of training for ``agent`` on ``env_id``."""
    return TUNED_BUDGET.get((agent, env_id), DEFAULT_BUDGET[agent])
