"""Does it learn? How P moved along the learning curve, and whether that beats the noise.

Mitchell: a program learns if its performance P improves with experience E. A
measured curve always moves a little, so the page says "it learns" only when P
improved by more than the curve's noise:

* with several seeds, the noise is the seed-to-seed spread: the change of each
  seed's curve from its first point to its last, averaged over the seeds, must
  have a 95% interval that lies above zero;
* with one seed, the noise is the curve's own zig-zag: the change must be larger
  than the curve's largest step the other way (the deepest dip of a rising curve),
  and the curve must go that way steadily: in at least 3 of every 4 pairs of its
  points (an earlier and a later one), the later is better. A curve that ends
  higher but swings (108.9, 35, 165, 35, 488) is *unsteady*: one seed cannot
  tell learning from a good moment;
* a step against the change smaller than a billionth of the scale is rounding,
  not a step;
* whatever the noise, a change of less than 1% of the way from baseline to best
  is flat.

Otherwise the page says there is no clear improvement, or that P got worse when
it clearly fell. "Better" follows the measure: up for accuracy, down for a loss.

>>> trend([[0.88, 0.95, 0.96]], scale=0.9).verdict                 # steady rise
'improves'
>>> trend([[0.50, 0.70, 0.40, 0.65, 0.52]], scale=1.0).verdict     # a zig-zag without a trend
'flat'
>>> trend([[0.50, 0.60], [0.60, 0.55], [0.50, 0.53]], scale=1.0).verdict  # the seeds disagree
'flat'
>>> trend([[108.9, 34.6, 165.0, 35.1, 487.8]], scale=475.0).verdict  # ends higher, but swings
'unsteady'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..evaluation import CURVE_EXPERIENCE, CURVE_PERFORMANCE, Evaluation
from .stats import Interval, format_number, mean_interval

IMPROVES, FLAT, WORSENS, UNSTEADY = "improves", "flat", "worsens", "unsteady"
#: A change smaller than this share of the way from baseline to best is flat, noise or not.
FLAT_SHARE = 0.01
#: One seed's curve goes a way steadily when at least this share of its pairs of points agree with it.
STEADY_SHARE = 0.75
#: A step against the change smaller than this share of the scale is floating-point rounding (1.11e-16).
ROUNDING_SHARE = 1e-9


@dataclass(frozen=True)
class Trend:
    """Which way P went along the curve, and how sure the curve lets us be.

    ``change`` is P's last point minus its first, signed so that + is better
    (over several seeds: their mean and 95% interval). ``noise`` is, for one
    seed, the curve's largest step against that change; ``None`` over seeds.
    """

    verdict: str
    change: Interval
    noise: float | None
    scale: float
    #: One seed: the share of pairs of points (earlier, later) that go the way of the change (ties count half).
    steadiness: float | None = None
    #: One seed: how many such pairs there are, and, for an unsteady rise, the worst point between the
    #: first and the last where it is worse than the first (``None`` otherwise).
    pairs: int = 0
    worst_between: float | None = None

    @property
    def seeds(self) -> int:
        return self.change.n

    def sentence(self, subject: str = "P") -> str:
        """The verdict in words, with the numbers it rests on; ``subject`` names what the curve tracks."""
        P = subject
        change, size = _signed(self.change), _signed(self.change, sign=False)
        if abs(self.change.mean) < FLAT_SHARE * self.scale:
            return (f"flat: {P} changed by {change}, less than {FLAT_SHARE:.0%} of the way from baseline to best, "
                    "so this curve shows no learning.")
        if self.verdict == UNSTEADY:
            agree = round((self.steadiness or 0.0) * self.pairs, 1)
            ended = "better" if self.change.mean > 0 else "worse"
            text = (f"unsteady: {P} ended {ended} (it changed by {change}), but not steadily: the later point goes "
                    f"that way in only {agree:g} of {self.pairs} pairs of points (the rule asks for "
                    f"{STEADY_SHARE:.0%})")
            if self.worst_between is not None:
                text += f", and along the way it fell back to {format_number(self.worst_between)}, worse than where it started"
            return text + ("; one seed this unsteady cannot show learning in Mitchell's sense: run several seeds "
                           "to tell a trend from a good moment.")
        if self.noise is None:  # several seeds
            if self.verdict == IMPROVES:
                return (f"it learns in Mitchell's sense: over {self.seeds} seeds {P} improved by {size}, "
                        "an interval above zero.")
            if self.verdict == WORSENS:
                return (f"it got worse with more experience: over {self.seeds} seeds {P} changed by {change}, "
                        "an interval below zero.")
            return (f"no clear improvement: over {self.seeds} seeds {P} changed by {change}, within the "
                    "seed-to-seed interval (it includes no change).")
        if self.verdict == FLAT:
            return (f"no clear improvement: {P} changed by {change}, no more than its own ups and downs along the "
                    f"way ({format_number(self.noise)}): a zig-zag without a trend.")
        back = "back" if self.verdict == IMPROVES else "up"
        if self.noise <= ROUNDING_SHARE * self.scale:
            along = f"with no step {back} along the way"
        else:
            along = f"more than its largest step {back} along the way ({format_number(self.noise)})"
        if self.verdict == IMPROVES:
            return f"it learns in Mitchell's sense: {P} improved by {size}, {along}."
        return f"it got worse with more experience: {P} changed by {change}, {along}."


def trend(curves: Sequence[Sequence[float]], *, scale: float, higher_is_better: bool = True) -> Trend:
    """The :class:`Trend` of one curve per seed (P in order of E, two points or more each);
    ``scale`` is the distance from baseline to best."""
    sign = 1.0 if higher_is_better else -1.0
    oriented = [sign * np.asarray(curve, dtype=float) for curve in curves]
    if not oriented or any(len(curve) < 2 for curve in oriented):
        raise ValueError("trend needs at least one curve of two points or more")
    change = mean_interval([curve[-1] - curve[0] for curve in oriented])
    scale = abs(float(scale))
    if abs(change.mean) < FLAT_SHARE * scale:
        return Trend(FLAT, change, None if len(oriented) > 1 else _against(oriented[0], change.mean), scale)
    if len(oriented) > 1:
        if change.low > 0:
            verdict = IMPROVES
        elif change.high < 0:
            verdict = WORSENS
        else:
            verdict = FLAT
        return Trend(verdict, change, None, scale)
    curve = oriented[0]
    noise = _against(curve, change.mean)
    if noise <= ROUNDING_SHARE * scale:
        noise = 0.0
    if abs(change.mean) <= noise:
        return Trend(FLAT, change, noise, scale)
    steadiness, pairs = _steadiness(curve, change.mean)
    # the worst point between the first and the last (in P's own units), when it is worse than the first
    worst = float(curve[1:-1].min()) if len(curve) > 2 else None
    fell = worst is not None and change.mean > 0 and worst < curve[0]
    shape: dict[str, Any] = {
        "steadiness": steadiness, "pairs": pairs, "worst_between": sign * worst if worst is not None and fell else None,
    }
    if steadiness < STEADY_SHARE:
        return Trend(UNSTEADY, change, noise, scale, **shape)
    return Trend(IMPROVES if change.mean > 0 else WORSENS, change, noise, scale, **shape)


def _steadiness(curve: np.ndarray, change: float) -> tuple[float, int]:
    """The share of pairs of points (earlier, later) whose later point goes the way of ``change``
    (ties count half), and how many pairs there are."""
    signed = curve * (1.0 if change >= 0 else -1.0)
    agree, pairs = 0.0, len(curve) * (len(curve) - 1) // 2
    for i in range(len(signed) - 1):  # one point against those after it: memory grows with n, not n squared
        later = signed[i + 1:]
        agree += float(np.sum(later > signed[i]) + 0.5 * np.sum(later == signed[i]))
    return agree / pairs, pairs


def _against(curve: np.ndarray, change: float) -> float:
    """The largest step between neighbouring points that goes against ``change``."""
    steps = np.diff(curve) * (1.0 if change >= 0 else -1.0)
    return float(max(0.0, -steps.min())) if steps.size else 0.0


def _signed(interval: Interval, *, sign: bool = True) -> str:
    """``+0.078``, ``−0.400 ± 0.052``; without the sign when ``sign`` is false."""
    text = ("+" if interval.mean >= 0 else "−") * sign + format_number(abs(interval.mean))
    return text if interval.half_width is None else f"{text} ± {format_number(interval.half_width)}"


@dataclass(frozen=True)
class Progression:
    """How P moved along the learning curve (averaged over seeds), and its :class:`Trend`."""

    first: float
    last: float
    first_experience: float
    last_experience: float
    trend: Trend

    @property
    def improved(self) -> bool:
        return self.trend.verdict == IMPROVES


def progression(runs: Sequence[Evaluation]) -> Progression | None:
    """P at the first and last point of the curves (averaged over seeds) and their
    trend; ``None`` when no run has a curve of two points."""
    curves = []
    for run in runs:
        curve = run.curve[[CURVE_EXPERIENCE, CURVE_PERFORMANCE]].astype(float).dropna()
        if len(curve) >= 2:
            curves.append(curve)
    if not curves:
        return None
    measure = runs[0].measure
    return Progression(
        first=float(np.mean([c[CURVE_PERFORMANCE].iloc[0] for c in curves])),
        last=float(np.mean([c[CURVE_PERFORMANCE].iloc[-1] for c in curves])),
        first_experience=float(np.mean([c[CURVE_EXPERIENCE].iloc[0] for c in curves])),
        last_experience=float(np.mean([c[CURVE_EXPERIENCE].iloc[-1] for c in curves])),
        trend=trend(
            [c[CURVE_PERFORMANCE].to_numpy() for c in curves],
            scale=measure.best - measure.baseline,
            higher_is_better=measure.higher_is_better,
        ),
    )
