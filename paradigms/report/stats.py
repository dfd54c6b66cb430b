"""Mean and 95% interval of a score over seeds, and numbers and names as the page writes them.

One seed gives one number; a handful of seeds tells how much of a difference is
luck. For ``n`` scores we report their mean and the Student *t* interval

    mean ± t(1 - (1 - confidence) / 2, n - 1) · s / √n

where ``s`` is the sample standard deviation (``ddof=1``). With one seed there
is no interval, only the value.

>>> iv = mean_interval([1.0, 2.0, 3.0])
>>> round(iv.mean, 3), round(iv.half_width, 3)
(2.0, 2.484)
>>> mean_interval([0.5]).half_width is None
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    """The mean of ``n`` values and its confidence interval (``None`` for a single value)."""

    mean: float
    n: int
    std: float | None = None
    half_width: float | None = None
    confidence: float = CONFIDENCE

    @property
    def low(self) -> float:
        return self.mean - (self.half_width or 0.0)

    @property
    def high(self) -> float:
        return self.mean + (self.half_width or 0.0)

    def to_dict(self) -> dict[str, float | int | None]:
        return {
            "mean": self.mean,
            "n": self.n,
            "std": self.std,
            "low": self.low if self.half_width is not None else None,
            "high": self.high if self.half_width is not None else None,
            "confidence": self.confidence,
        }


def mean_interval(values: Iterable[float], confidence: float = CONFIDENCE) -> Interval:
    """Mean and two-sided Student-t interval of ``values`` (NaNs and ``None`` dropped)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    data = np.asarray([v for v in values if v is not None], dtype=float)
    data = data[np.isfinite(data)]
    if data.size == 0:
        raise ValueError("mean_interval needs at least one finite value")
    mean = float(data.mean())
    if data.size == 1:
        return Interval(mean=mean, n=1, confidence=confidence)
    std = float(data.std(ddof=1))
    from scipy import stats  # imported here: it is slow to import and only this line needs it

    quantile = float(stats.t.ppf(0.5 + confidence / 2.0, df=data.size - 1))
    half = quantile * std / math.sqrt(data.size)
    return Interval(mean=mean, n=int(data.size), std=std, half_width=half, confidence=confidence)


def format_number(value: float | None) -> str:
    """A score as people read it: 0.973, 25.50, 487.3, 12,345; ``—`` for a missing value."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    value = float(value)
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.1f}"
    if magnitude >= 10:
        return f"{value:.2f}"
    if magnitude == 0 or magnitude >= 1e-3:
        return f"{value:.3f}"
    return f"{value:.2e}"


def format_amount(value: float) -> str:
    """An amount of experience: ``200`` flips, ``1,500`` steps, ``2.5`` epochs."""
    value = float(value)
    if value.is_integer():
        return f"{int(value):,}"
    return format_number(value)


def format_interval(interval: Interval) -> str:
    """``0.912 ± 0.013`` over several seeds, ``0.912`` for one."""
    text = format_number(interval.mean)
    if interval.half_width is None:
        return text
    return f"{text} ± {format_number(interval.half_width)}"


def pretty_title(key: str) -> str:
    """A figure's key as a caption: ``confusion_matrix`` -> ``Confusion matrix``."""
    text = " ".join(str(key).replace("_", " ").split())
    return text[:1].upper() + text[1:]


def pretty_key(key: str) -> str:
    """``fit_seconds`` -> ``fit (s)``; ``total_seconds`` -> ``total (s)``; other names with spaces."""
    text = str(key)
    if text.endswith("_seconds"):
        return text[: -len("_seconds")].replace("_", " ") + " (s)"
    return text.replace("_", " ")
