"""Observation normalisation: a running mean and standard deviation, to put every input on one scale.

A network learns slowly when one input moves between -0.01 and 0.01 and
another between -500 and 500 (LunarLander's velocities against its leg
contacts; Pendulum's angular velocity against its cosine). Scaling each input
by the mean and spread seen so far fixes that without knowing the environment.
The statistics change while the agent learns, so they are part of what the
agent is: saved with its weights and kept with each snapshot of its policy.

>>> stats = RunningMeanStd(2)
>>> stats.update(np.array([[0.0, 100.0], [2.0, 300.0]]))
>>> stats.normalize(np.array([[1.0, 200.0]])).round(3).tolist()
[[0.0, 0.0]]
"""

from __future__ import annotations

import numpy as np

#: Normalised values are clipped to this many standard deviations (as Stable-Baselines3's VecNormalize).
CLIP = 10.0


class RunningMeanStd:
    """Mean and variance of every input over all batches seen (merged batch by batch)."""

    def __init__(self, dim: int) -> None:
        self.mean = np.zeros(dim, dtype=np.float64)
        self.var = np.ones(dim, dtype=np.float64)
        self.count = 1e-4  # a tiny prior count: the first batch sets the statistics

    def update(self, batch: np.ndarray) -> None:
        """Merge a batch (one row per observation) into the statistics (Chan et al.'s parallel formula)."""
        batch = np.asarray(batch, dtype=np.float64).reshape(-1, len(self.mean))
        n = len(batch)
        if n == 0:
            return
        batch_mean, batch_var = batch.mean(axis=0), batch.var(axis=0)
        total = self.count + n
        delta = batch_mean - self.mean
        self.mean = self.mean + delta * n / total
        self.var = (self.var * self.count + batch_var * n + delta**2 * self.count * n / total) / total
        self.count = total

    def normalize(self, x: np.ndarray) -> np.ndarray:
        """``x`` scaled to zero mean and unit spread by the statistics so far (float32, clipped)."""
        scaled = (np.asarray(x, dtype=np.float64) - self.mean) / np.sqrt(self.var + 1e-8)
        return np.clip(scaled, -CLIP, CLIP).astype(np.float32)

    def copy(self) -> RunningMeanStd:
        other = RunningMeanStd(len(self.mean))
        other.mean, other.var, other.count = self.mean.copy(), self.var.copy(), self.count
        return other

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The statistics as arrays a saved agent stores."""
        return {"obs_mean": self.mean, "obs_var": self.var, "obs_count": np.array([self.count])}

    def load_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        """Set the statistics from :meth:`to_arrays`'s arrays (a ValueError names what does not fit)."""
        mean = np.asarray(arrays["obs_mean"], dtype=np.float64)
        var = np.asarray(arrays["obs_var"], dtype=np.float64)
        count = np.asarray(arrays["obs_count"], dtype=np.float64).reshape(-1)
        if mean.shape != self.mean.shape or var.shape != self.var.shape or count.shape != (1,):
            raise ValueError(f"observation statistics of shapes {mean.shape}, {var.shape}, {count.shape} "
                             f"do not fit {len(self.mean)} inputs")
        if (var < 0).any() or count[0] <= 0:
            raise ValueError("observation statistics hold a negative variance or a count <= 0")
        self.mean, self.var, self.count = mean, var, float(count[0])
