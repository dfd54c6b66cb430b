"""Figures of a reinforcement run, drawn from its Evaluation alone (so from JSON too).

* :func:`return_curve`: return against environment steps: every training
  episode (faint), their running mean, the periodic greedy evaluations (with
  the standard error of each mean), the random policy and the "solved" threshold;
* :func:`rollout_strip`: a strip of frames from the trained agent's rendered
  episode (decoded from the GIF among the evaluation's pictures).

:func:`figures` returns both, keyed by name, for the report. The training
episodes are read from ``figure_data["train_episodes"]`` (files written before
figure_data existed are moved there on loading: :mod:`paradigms.legacy`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..evaluation import Evaluation, Picture
from ..same_task import TEST_ACCURACY
from .render import gif_frames


def figures(evaluation: Evaluation) -> dict[str, Any]:
    """The report's figures for one reinforcement Evaluation."""
    result = {"return_curve": return_curve(evaluation)}
    if _rollout(evaluation) is not None:
        result["rollout"] = rollout_strip(evaluation)
    return result


def _rollout(evaluation: Evaluation) -> Picture | None:
    """The GIF of the trained agent: the picture named ``rollout``, else the first GIF."""
    gifs = [p for p in evaluation.pictures if p.mime == "image/gif"]
    return next((p for p in gifs if p.name == "rollout"), gifs[0] if gifs else None)


def return_curve(evaluation: Evaluation):
    """Return against environment steps (see the module docstring)."""
    import matplotlib.pyplot as plt  # start-up time: only drawing pays for matplotlib

    metrics = evaluation.metrics
    guessing = TEST_ACCURACY in metrics  # a guessing game: one-step episodes rewarded 1 or 0, P a test accuracy
    fig, ax = plt.subplots(figsize=(7.5, 4.2), constrained_layout=True)
    episodes = evaluation.figure_data.get("train_episodes") or {}
    steps = np.asarray(episodes.get("step") or [], dtype=float)
    returns = np.asarray(episodes.get("return") or [], dtype=float)
    if len(steps):
        if not guessing:  # thousands of 0s and 1s say nothing one by one
            ax.scatter(steps, returns, s=4, alpha=0.25, color="tab:blue", linewidths=0, label="training episodes")
        smoothed = np.asarray(episodes.get("smoothed") or [], dtype=float)
        if len(smoothed) == len(steps):
            label = ("right guesses while learning (running mean, exploring)" if guessing
                     else "training episodes (running mean)")
            ax.plot(steps, smoothed, color="tab:blue", lw=1.2, label=label)
    curve = evaluation.curve
    if len(curve):
        x = curve["experience"].to_numpy(dtype=float)
        y = curve["performance"].to_numpy(dtype=float)
        ax.plot(x, y, "o-", color="tab:orange", ms=3.5, lw=1.5, label=evaluation.measure.curve_label)
        if "std" in curve and "n_eval" in curve:  # the uncertainty of each mean, not the spread of returns
            error = curve["std"].to_numpy(dtype=float) / np.sqrt(curve["n_eval"].to_numpy(dtype=float))
            ax.fill_between(x, y - error, y + error, color="tab:orange", alpha=0.2, lw=0, label="± standard error")
    measure = evaluation.measure
    floor = "chance" if guessing else "random policy"
    ax.axhline(measure.baseline, color="gray", ls=":", lw=1.2, label=f"{floor} ({measure.baseline:.3g})")
    threshold = metrics.get("threshold")
    if threshold is not None:
        ax.axhline(threshold, color="tab:green", ls="--", lw=1.2, label=f"solved ({threshold:.3g})")
    solved_step = metrics.get("solved_step")
    if solved_step is not None:
        ax.axvline(solved_step, color="tab:green", alpha=0.4, lw=1)
    ax.set_xlabel("guesses: training examples seen (experience E)" if guessing else "environment steps (experience E)")
    ax.set_ylabel("accuracy (share of right guesses)" if guessing else "episode return")
    env = evaluation.dataset.name
    agent = metrics.get("agent", "agent")
    final = f"{measure.value:.3g} ± {measure.std:.2g}" if measure.std is not None else f"{measure.value:.3g}"
    ax.set_title(f"{agent} on {env}: final {measure.name} {final}", fontsize=10)
    ax.legend(fontsize=7.5, loc="best", framealpha=0.8)
    ax.grid(alpha=0.3)
    return fig


def rollout_strip(evaluation: Evaluation, *, n_frames: int = 6):
    """Evenly spaced frames of the rendered episode, side by side."""
    import matplotlib.pyplot as plt  # start-up time: only drawing pays for matplotlib

    picture = _rollout(evaluation)
    if picture is None:
        raise ValueError("this evaluation has no GIF of its agent (run with render on)")
    details = picture.details
    frames = gif_frames(picture.data)
    frame_steps = details.get("frame_steps") or []
    pick = np.unique(np.linspace(0, len(frames) - 1, min(n_frames, len(frames))).round().astype(int))
    fig, axes = plt.subplots(1, len(pick), figsize=(2.0 * len(pick), 2.0), constrained_layout=True, squeeze=False)
    for ax, index in zip(axes[0], pick, strict=True):
        ax.imshow(frames[index])
        ax.set_xticks([])
        ax.set_yticks([])
        if len(frame_steps) == len(frames):
            ax.set_title(f"step {frame_steps[index]}", fontsize=8)
    if "episode_return" in details and "length" in details:
        title = f"the trained agent, always taking its best action: return {details['episode_return']:.3g} in {details['length']} steps"
    else:
        title = picture.caption or "the trained agent, always taking its best action"
    fig.suptitle(title, fontsize=9)
    return fig
