"""Tiny environments registered for the tests: one that a continuous agent learns in a second,
and some whose spaces no agent here can act in or read."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
from gymnasium import spaces

MATCH = "tests/MatchTheNumber-v0"


class MatchTheNumber(gym.Env):
    """Observe a number x in [-1, 1]; the reward is -|action - 2x| (actions in [-2, 2]).

    A random policy scores about -4/3 a step (-26.7 over an episode of 20 steps);
    the best policy scores 0. A continuous agent learns it in about a thousand steps.
    """

    observation_space = spaces.Box(-1.0, 1.0, (1,), dtype=np.float32)
    action_space = spaces.Box(-2.0, 2.0, (1,), dtype=np.float32)

    def __init__(self, render_mode=None):
        self.render_mode = render_mode

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self._x = self.np_random.uniform(-1.0, 1.0, size=1).astype(np.float32)
        return self._x.copy(), {}

    def step(self, action):
        reward = -abs(float(np.asarray(action).reshape(-1)[0]) - 2.0 * float(self._x[0]))
        self._x = self.np_random.uniform(-1.0, 1.0, size=1).astype(np.float32)
        return self._x.copy(), reward, False, False, {}


class OddSpaces(gym.Env):
    """An environment with any observation and action space (it never learns anything)."""

    def __init__(self, observation_space, action_space, render_mode=None):
        self.observation_space, self.action_space = observation_space, action_space
        self.render_mode = render_mode

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        return self.observation_space.sample(), {}

    def step(self, action):
        return self.observation_space.sample(), 0.0, False, False, {}


VECTOR = spaces.Box(-1.0, 1.0, (3,), dtype=np.float32)
#: Environment id -> (observation space, action space): no agent here fits any of them.
ODD = {
    "tests/MultiDiscreteActions-v0": (VECTOR, spaces.MultiDiscrete([3, 2])),
    "tests/DictActions-v0": (VECTOR, spaces.Dict({"move": spaces.Discrete(2)})),
    "tests/TupleActions-v0": (VECTOR, spaces.Tuple((spaces.Discrete(2), spaces.Discrete(3)))),
    "tests/UnboundedActions-v0": (VECTOR, spaces.Box(-np.inf, np.inf, (2,), dtype=np.float32)),
    "tests/ImageObservations-v0": (spaces.Box(0, 255, (32, 32, 3), dtype=np.uint8), spaces.Discrete(2)),
    "tests/DictObservations-v0": (spaces.Dict({"position": VECTOR}), spaces.Box(-1.0, 1.0, (1,))),
}


def register() -> None:
    """Register the environments above with Gymnasium (once)."""
    if MATCH not in gym.envs.registry:
        gym.register(id=MATCH, entry_point=MatchTheNumber, max_episode_steps=20)
    for env_id, (observation, action) in ODD.items():
        if env_id not in gym.envs.registry:
            gym.register(
                id=env_id, entry_point=lambda o=observation, a=action, **kw: OddSpaces(o, a, **kw), max_episode_steps=10,
            )


register()
