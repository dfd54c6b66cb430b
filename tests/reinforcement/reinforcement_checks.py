"""Checks the reinforcement tests share: two agents hold the same weights; a saved agent comes back
acting as it did. In its own module, imported by name like ``reinforcement_toy_envs``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from paradigms.reinforcement import load_agent


def same_weights(a: Any, b: Any) -> bool:
    """Whether two agents hold exactly the same weights."""
    wa, wb = a._weights(), b._weights()
    return wa.keys() == wb.keys() and all(np.array_equal(wa[k], wb[k]) for k in wa)


def assert_round_trip(agent: Any, states: np.ndarray, folder: Path) -> Any:
    """Save ``agent``, load it back, and check it is the same agent acting the same way on ``states``
    (a batch through ``predict``, one through ``act``); returns the loaded agent for further checks."""
    loaded = load_agent(agent.save(folder))
    assert type(loaded) is type(agent) and loaded.get_params() == agent.get_params()
    assert np.array_equal(loaded.predict(states), agent.predict(states))
    assert np.array_equal(np.asarray(loaded.act(states[0])), np.asarray(agent.act(states[0])))
    return loaded
