"""Reinforcement learning: agents that learn from a reward after each action.

* :class:`QLearningAgent`: a table of action values, for discrete states
  (FrozenLake, Taxi, CliffWalking);
* :class:`DQNAgent`: deep Q-learning for vector states (CartPole, Acrobot);
* :class:`PPOAgent`: a policy-gradient agent for vector states (discrete actions,
  or a Gaussian policy for continuous ones), the default for discrete actions;
* :class:`SACAgent`: soft actor-critic for continuous (Box) actions (Pendulum,
  LunarLanderContinuous), the default for them;
* :class:`BanditAgent`: neural epsilon-greedy for contextual bandits, the default of
  the guessing games (:class:`GuessEnv`: ``paradigms/DigitGuess-v0`` shows an MNIST
  digit, takes a guess and rewards it 1 or 0, never telling the answer);
* :func:`load_agent`, :func:`evaluate_policy`, :func:`random_policy`,
  :func:`record_rollout`, :class:`TrainingMonitor`, :func:`learn` (the learning loop).

The package reads like the other paradigms: ``settings.py`` (every default and
constraint of a run) and ``agent_settings.py`` (each agent's), ``paradigm.py`` (``run`` and registration),
``environments.py``, ``spaces.py``, ``agents/`` (one file per agent, the registry in
``agents/__init__.py``), small shared helpers (``networks.py``, ``replay.py``,
``normalization.py``, ``evaluate.py``), ``training.py`` (the learning loop), ``persistence.py``,
``render.py``, ``plots.py`` and ``presets.py``.

Every agent offers the Gymnasium-style API ``act(obs)``, ``learn(total_steps)``
(``fit`` too), ``evaluate(n_episodes)``, ``save(folder)`` / ``load(folder)``.
The names are imported on first use, so importing this package (and listing
the paradigms) does not load PyTorch or Gymnasium.

>>> from paradigms.reinforcement import QLearningAgent  # doctest: +SKIP
>>> QLearningAgent("Taxi-v4", learning_rate=0.7, seed=0).learn(60_000).evaluate(100).mean  # doctest: +SKIP
7.9
"""

from __future__ import annotations

from ..lazy import lazy_dir, lazy_exports

_EXPORTS = {
    "QLearningAgent": ".agents.qlearning",
    "DQNAgent": ".agents.dqn",
    "PPOAgent": ".agents.ppo",
    "SACAgent": ".agents.sac",
    "BanditAgent": ".agents.bandit",
    "Agent": ".agents.base",
    "agent_class": ".agents",
    "load_agent": ".agents",
    "save_agent": ".persistence",
    "evaluate_policy": ".evaluate",
    "random_policy": ".evaluate",
    "Evaluator": ".evaluate",
    "EpisodeStats": ".evaluate",
    "record_rollout": ".render",
    "TrainingMonitor": ".training",
    "learn": ".training",
    "check_env_id": ".environments",
    "EnvSpec": ".environments",
    "ReinforcementSettings": ".settings",
    "QLearningSettings": ".agent_settings",
    "DQNSettings": ".agent_settings",
    "PPOSettings": ".agent_settings",
    "SACSettings": ".agent_settings",
    "BanditSettings": ".agent_settings",
    "GuessEnv": ".guessing",
    "GuessVectorEnv": ".guessing",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())
__dir__ = lazy_dir(_EXPORTS, globals())
