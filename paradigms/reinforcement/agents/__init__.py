"""The agents: one readable file each, and the registry that knows them by name.

* ``qlearning.py``: :class:`QLearningAgent`, a table of action values, for
  discrete states (FrozenLake, Taxi, CliffWalking);
* ``dqn.py``: :class:`DQNAgent`, deep Q-learning for vector states;
* ``ppo.py``: :class:`PPOAgent`, a policy-gradient agent (discrete or Gaussian policy),
  the default for vector states with discrete actions;
* ``sac.py``: :class:`SACAgent`, soft actor-critic, the default for continuous (Box) actions;
* ``bandit.py``: :class:`BanditAgent`, neural epsilon-greedy for contextual bandits (one-step
  episodes), the default of the guessing games (``paradigms/DigitGuess-v0``);
* ``base.py``: what they share (the Gymnasium-style API, which spaces fit);
* ``off_policy.py``: the act-remember-learn loop DQN and SAC share (a replay buffer).

Each agent's name, defaults and constraints are its settings dataclass in
:mod:`paradigms.reinforcement.agent_settings` (:data:`~paradigms.reinforcement.agent_settings.AGENT_SETTINGS`);
agent ``NAME`` is the class ``AGENT`` in ``agents/NAME.py``, imported on first
use, so choosing an agent does not load PyTorch.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ...errors import ConfigError, DataError
from ..agent_settings import AGENT_SETTINGS
from ..persistence import read_meta
from ..presets import auto_agent
from ..spaces import SpaceInfo
from .base import Agent, action_kind, check_agent_fits, state_kind

#: The agents' names, as ``--agent`` takes them.
AGENT_NAMES = tuple(AGENT_SETTINGS)

__all__ = ["AGENT_NAMES", "Agent", "agent_class", "choose_agent", "load_agent"]


def agent_class(name: str) -> type[Agent]:
    """The class of agent ``name``: ``AGENT`` in ``agents/<name>.py`` (imported now: PyTorch for the deep agents)."""
    if name not in AGENT_SETTINGS:
        raise ConfigError(f"unknown agent {name!r}: choose one of {', '.join(AGENT_NAMES)}")
    return importlib.import_module(f"{__name__}.{name}").AGENT


def choose_agent(info: SpaceInfo, requested: str = "auto") -> str:
    """The agent for these spaces: under ``auto`` the one marked for their kinds of
    states and actions (a Q-table for discrete states, PPO for vectors with discrete
    actions, SAC for continuous actions), unless ``presets.AUTO_AGENT`` names the agent
    measured best for this environment; a named agent is checked rather than chosen."""
    if requested == "auto" and auto_agent(info.env_id) is not None:
        requested = str(auto_agent(info.env_id))
    if requested == "auto":
        states, actions = state_kind(info), action_kind(info)
        marked = [
            [name for name, cls in AGENT_SETTINGS.items() if cls.states == states and actions in cls.auto],
            [name for name, cls in AGENT_SETTINGS.items() if actions in cls.auto],  # e.g. one-hot states
            [name for name, cls in AGENT_SETTINGS.items() if cls.auto and cls.states == states],
        ]
        requested = next(names for names in marked if names)[0]  # none fitting: the check below says why
    elif requested not in AGENT_SETTINGS:
        raise ConfigError(f"unknown agent {requested!r}: choose one of auto, {', '.join(AGENT_NAMES)}")
    check_agent_fits(AGENT_SETTINGS[requested], info)
    return requested


def load_agent(path: str | Path) -> Agent:
    """Read any agent written by ``agent.save(path)`` (see :mod:`~paradigms.reinforcement.persistence`)."""
    _, meta = read_meta(path)
    name = str(meta.get("agent"))
    if name not in AGENT_SETTINGS:
        raise DataError(f"{path}: holds an agent named {name!r}, which this version does not know")
    return agent_class(name).load(path)

