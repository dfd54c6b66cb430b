"""Numbers the report says in words: scores over seeds, scalar metrics, learning progress.

Small pure functions over evaluations, shared by the page's sections.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..evaluation import CURVE_EXPERIENCE, CURVE_PERFORMANCE, Evaluation
from .stats import Interval, format_interval, format_number, mean_interval

#: Metric strings longer than this are data for a figure, not a number to show.
_LONG_TEXT = 120
_SHORT_LIST = 12
_IMAGE_SIGNATURES = {"R0lGOD": ("image/gif", "gif"), "iVBORw0KGgo": ("image/png", "png")}


@dataclass(frozen=True)
class Score:
    """P over one paradigm's seeds: the raw value and the normalized score."""

    value: Interval
    normalized: Interval
    baseline: float
    best: float
    spread: float | None  # the measure's own std, for a single seed (e.g. over evaluation episodes)

    def value_text(self) -> str:
        text = format_interval(self.value)
        if self.value.half_width is None and self.spread is not None:
            text += f" (std {format_number(self.spread)})"
        return text


def score_of(runs: Sequence[Evaluation]) -> Score:
    """Mean and 95% interval of P and of the normalized score over ``runs``."""
    if not runs:
        raise ValueError("score_of needs at least one evaluation")
    measure = runs[0].measure
    return Score(
        value=mean_interval([ev.measure.value for ev in runs]),
        normalized=mean_interval([ev.normalized_score for ev in runs]),
        baseline=measure.baseline,
        best=measure.best,
        spread=measure.std if len(runs) == 1 else None,
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def scalar_metrics(runs: Sequence[Evaluation]) -> list[tuple[str, str, bool]]:
    """(name, value text, is it a number?) of every metric that is one number, a
    short word or a short list in every run: numbers as mean ± interval over
    seeds. Tables, long lists and embedded images are left to the paradigm's figures."""
    if not runs:
        return []
    rows = []
    for key in runs[0].metrics:
        values = [ev.metrics.get(key) for ev in runs]
        if all(_is_number(v) for v in values):
            same = all(v == values[0] for v in values)
            text = format_number(values[0]) if same else format_interval(mean_interval(values))
            rows.append((key, text, True))
        elif all(isinstance(v, bool) for v in values):
            rows.append((key, ", ".join(sorted({"yes" if v else "no" for v in values})), True))
        elif all(isinstance(v, str) and len(v) <= _LONG_TEXT for v in values):
            rows.append((key, ", ".join(dict.fromkeys(values)), False))
        elif all(_short_list(v) for v in values):
            texts = dict.fromkeys(", ".join(format_number(x) if _is_number(x) else str(x) for x in v) for v in values)
            rows.append((key, " | ".join(texts), False))
    return rows


def _short_list(value: Any) -> bool:
    """A short list of numbers or words, e.g. the layer sizes [784, 256, 128, 10]."""
    return (
        isinstance(value, list)
        and 0 < len(value) <= _SHORT_LIST
        and all(_is_number(x) or (isinstance(x, str) and len(x) <= 20) for x in value)
    )


@dataclass(frozen=True)
class EmbeddedImage:
    """A picture a paradigm carried in its metrics, e.g. an animation of its trained agent."""

    key: str  # where it was: "agent_gif", or "rollout" for metrics["rollout"]["gif_base64"]
    data: bytes
    mime: str
    extension: str
    details: dict[str, Any]  # the numbers stored beside it (episode return, length, ...)


def _decode_picture(value: Any) -> tuple[bytes, str, str] | None:
    if not isinstance(value, str) or len(value) <= _LONG_TEXT:
        return None
    text = value.split(",", 1)[1] if value.startswith("data:") and "," in value[:64] else value
    for signature, (mime, extension) in _IMAGE_SIGNATURES.items():
        if text.startswith(signature):
            try:
                return base64.b64decode(text, validate=True), mime, extension
            except (binascii.Error, ValueError):
                return None
    return None


def embedded_images(metrics: dict[str, Any]) -> list[EmbeddedImage]:
    """Every base64 GIF or PNG in ``metrics``, at the top level or one level down
    (``metrics["rollout"]["gif_base64"]``); a ``data:`` URL prefix is accepted."""
    found = []
    for key, value in metrics.items():
        picture = _decode_picture(value)
        if picture is not None:
            found.append(EmbeddedImage(key, *picture, details={}))
        elif isinstance(value, dict):
            for inner_key, inner in value.items():
                picture = _decode_picture(inner)
                if picture is None:
                    continue
                details = {k: v for k, v in value.items() if _is_number(v) and k != inner_key}
                found.append(EmbeddedImage(key, *picture, details=details))
    return found


@dataclass(frozen=True)
class Progression:
    """How P moved along the learning curve, from its first point to its last."""

    first: float
    last: float
    first_experience: float
    last_experience: float
    improved: bool


def progression(runs: Sequence[Evaluation]) -> Progression | None:
    """P at the first and last point of the curve (averaged over seeds), and whether it improved."""
    firsts, lasts, first_e, last_e = [], [], [], []
    for run in runs:
        curve = run.curve[[CURVE_EXPERIENCE, CURVE_PERFORMANCE]].astype(float).dropna()
        if len(curve) < 2:
            continue
        firsts.append(curve[CURVE_PERFORMANCE].iloc[0])
        lasts.append(curve[CURVE_PERFORMANCE].iloc[-1])
        first_e.append(curve[CURVE_EXPERIENCE].iloc[0])
        last_e.append(curve[CURVE_EXPERIENCE].iloc[-1])
    if not firsts:
        return None
    first, last = float(np.mean(firsts)), float(np.mean(lasts))
    higher = runs[0].measure.higher_is_better
    return Progression(
        first=first,
        last=last,
        first_experience=float(np.mean(first_e)),
        last_experience=float(np.mean(last_e)),
        improved=last > first if higher else last < first,
    )


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
