"""The reinforcement paradigm's run: environment -> agent -> learning loop -> Evaluation, and its registration.

:func:`run` checks the environment, builds the agent chosen for its spaces
(:mod:`.agents`), trains it under the learning loop (:mod:`.training`: periodic
evaluation, the best policy kept, a confirmed-solve stop), measures P on fresh
test episodes beside the random policy, renders a greedy episode as a GIF and
returns the :class:`~paradigms.evaluation.Evaluation`. The lesson in words is
:data:`.settings.DESCRIPTION`.

An environment with held-out test examples (the guessing games of :mod:`.guessing`)
is measured as the supervised paradigm is: P is the greedy guess's accuracy on
the test examples (chance 1 / classes, best 1), E the guesses made (examples
seen), and the curve carries the columns of the same-task comparison
(:mod:`paradigms.same_task`), measured at its early points too; since those
evaluations are the test, they choose nothing and the last policy is measured.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import pandas as pd

from ..datasets.labelled import HeldOutExamples
from ..evaluation import DatasetInfo, Evaluation, Measure, Picture, write_atomic
from ..progress import Progress
from ..registry import ParadigmSpec, register
from ..same_task import EARLY_EXAMPLES, EXAMPLES_SEEN, TEST_ACCURACY
from ..seeding import numpy_rng
from . import environments as envs
from .agent_settings import AGENT_SETTINGS
from .agents import Agent, agent_class, choose_agent
from .evaluate import EpisodeStats, evaluate_policy, random_policy
from .plots import figures
from .presets import default_budget
from .render import record_rollout
from .settings import (
    DESCRIPTION,
    EXPERIENCE,
    FEEDBACK,
    GUESSING_EXPERIENCE,
    MEASURE,
    NAME,
    TASK,
    ReinforcementSettings,
    task_for,
)
from .training import TrainingMonitor, episode_summary, learning_curve


def derive_seeds(seed: int) -> dict[str, int]:
    """The seeds of one run, all derived from ``seed``: training (the seed itself),
    the periodic evaluations, the final test, the random policy and the rendering.
    The test episodes are drawn apart from the ones used to choose the policy."""
    drawn = numpy_rng(seed, 5).integers(0, 2**31 - 2**21, size=4)
    return {
        "train": int(seed),
        "periodic_eval": int(drawn[0]),
        "test": int(drawn[1]),
        "random_policy": int(drawn[2]),
        "render": int(drawn[3]),
    }


def build_agent(settings: ReinforcementSettings, seed: int) -> Agent:
    """The agent for the settings' environment (:attr:`~.settings.ReinforcementSettings.env_spec`):
    chosen from its spaces (or as named; either way checked against them, once), with the
    hyper-parameters tuned for the environment and those given in ``settings`` (validated once,
    by :meth:`~.settings.ReinforcementSettings.agent_settings`)."""
    spec = settings.env_spec
    spaces = spec.spaces()
    name = choose_agent(spaces, settings.agent)
    return agent_class(name).from_settings(spec, settings.agent_settings(name), seed=seed, spaces=spaces)


def run(settings: ReinforcementSettings, seed: int, progress: Progress) -> Evaluation:
    """Train the chosen agent on the environment and evaluate it (see :data:`.settings.DESCRIPTION`)."""
    spec = settings.env_spec
    env_id = spec.id
    seeds = derive_seeds(seed)
    agent = build_agent(settings, seeds["train"])
    held_out = spec.held_out_examples()
    total_steps = settings.total_steps or default_budget(agent.name, env_id)
    line = envs.solved_line(env_id)
    best_source = line.source if line.value is not None else BEST_OBSERVED
    monitor = TrainingMonitor(
        spec,
        threshold=line.value,
        eval_interval=settings.eval_interval or max(1, total_steps // AGENT_SETTINGS[agent.name].evaluations),
        check_episodes=settings.check_episodes,
        confirm_episodes=settings.confirm_episodes,
        stop_on_solve=settings.stop_on_solve,
        eval_seed=seeds["periodic_eval"],
        keep_best=held_out is None,  # evaluations on the test examples may not choose the policy
        extra_steps=EARLY_EXAMPLES if held_out is not None else (),
    )
    started = time.perf_counter()
    agent.learn(total_steps, monitor=monitor, progress=progress)
    train_seconds = time.perf_counter() - started

    begin = time.perf_counter()
    final = agent.evaluate(settings.eval_episodes, seed=seeds["test"])
    info = agent.spaces_
    floor = evaluate_policy(
        random_policy(
            info.n_actions, low=info.action_low, high=info.action_high, seed=seeds["random_policy"]
        ), spec, n_episodes=settings.eval_episodes, seed=seeds["test"],
    )
    evaluate_seconds = time.perf_counter() - begin

    begin = time.perf_counter()
    pictures, files = _render_and_save(settings, agent, seeds["render"])
    render_seconds = time.perf_counter() - begin

    _warn_if_unsolved(agent, monitor, final.mean, line.name)
    pure_train = max(train_seconds - monitor.eval_seconds, 1e-9)
    metrics = {
        "agent": agent.name,
        "agent_params": agent.get_params(),
        "env_id": env_id,
        "best_source": best_source,
        **monitor.summary(),
        "budget_steps": total_steps,
        "eval_interval": monitor.eval_interval,
        "train_steps": agent.steps_done_,
        "train_episodes_count": agent.episodes_done_,
        "steps_per_second": agent.steps_done_ / pure_train,
        "updates": getattr(agent, "updates_done_", None),
        # The returns behind P and its floor, episode by episode (a rerun can check them).
        "eval_returns": final.returns.tolist(),
        "eval_lengths": final.lengths.tolist(),
        "eval_std": final.std,
        "random_returns": floor.returns.tolist(),
        "random_std": floor.std,
        "seeds": seeds,
        **({"files": files} if files else {}),  # as the other paradigms list theirs
    }
    if held_out is not None:
        measure, curve, dataset, experience = _accuracy_terms(held_out, monitor, final, floor, agent)
        for long_list in ("eval_returns", "eval_lengths", "random_returns"):  # one per test example
            metrics.pop(long_list)
        metrics.update(best_source=BEST_ACCURACY, **_accuracy_metrics(held_out, final, floor))
    else:
        measure = Measure(
            name="mean evaluation return", value=final.mean, baseline=floor.mean,
            best=_best(monitor, final, floor), std=final.std,
            curve_label=f"mean return of {settings.check_episodes} evaluation episodes (the agent always taking its best action)",
        )
        curve, experience = learning_curve(monitor), EXPERIENCE
        dataset = DatasetInfo(
            name=env_id,
            source=f"Gymnasium {envs.gymnasium_version()} (simulated environment, no data files)",
            sizes={
                "train_steps": agent.steps_done_,
                "train_episodes": agent.episodes_done_,
                "eval_episodes": settings.eval_episodes,
            },
            notes=f"observations {info.observation}; actions {info.action}"
            + spec.options_note()
            + f"; best (the solved line): {best_source}",
        )
    return Evaluation(
        paradigm=NAME,
        task=task_for(env_id),
        experience=experience,
        measure=measure,
        curve=curve,
        dataset=dataset,
        seed=seed,
        metrics=metrics,
        config=settings.to_dict(),
        timings={
            "train_seconds": train_seconds,
            "periodic_eval_seconds": monitor.eval_seconds,
            "evaluate_seconds": evaluate_seconds,
            "render_seconds": render_seconds,
        },
        figure_data={"train_episodes": episode_summary(agent.episode_returns_)},
        pictures=pictures,
    )


#: What P's "best" is where P is a test accuracy.
BEST_ACCURACY = "accuracy 1: every test example guessed right"


def _accuracy_terms(
    held_out: HeldOutExamples, monitor: TrainingMonitor, final: EpisodeStats, floor: EpisodeStats, agent: Agent,
) -> tuple[Measure, pd.DataFrame, DatasetInfo, str]:
    """P, the curve, the data and E of a guessing game: the greedy guess's accuracy on the test
    examples (each one a one-step episode, so the mean return), chance = 1 / classes, E = guesses."""
    n_test = len(held_out.test)
    measure = Measure(
        name="test accuracy", value=final.mean, baseline=1.0 / held_out.n_classes, best=1.0,
        curve_label=f"greedy accuracy on the {n_test:,} test examples",
    )
    curve = learning_curve(monitor)
    curve[EXAMPLES_SEEN] = curve["experience"]
    curve[TEST_ACCURACY] = curve["performance"]
    info = held_out.info
    dataset = DatasetInfo(
        name=info.name, source=info.source, sizes={**info.sizes, "guesses": agent.steps_done_},
        checksums=info.checksums, fallback=info.fallback,
        notes=(f"{info.notes}; " if info.notes else "")
        + f"seen as a contextual bandit ({agent.env}): one guess per training example, rewarded 1 if right "
        "and 0 if wrong, the answer never shown; the labels are used only to reward and to score"
        + agent.env_spec.options_note(),
    )
    return measure, curve, dataset, GUESSING_EXPERIENCE


def _accuracy_metrics(held_out: HeldOutExamples, final: EpisodeStats, floor: EpisodeStats) -> dict[str, float]:
    """The same-task comparison's figure (:data:`paradigms.same_task.TEST_ACCURACY`) and its floors."""
    return {
        TEST_ACCURACY: final.mean,
        "chance_accuracy": 1.0 / held_out.n_classes,
        "random_policy_accuracy": floor.mean,
        "test_examples": len(held_out.test),
        "test_correct": int(round(final.mean * len(held_out.test))),
    }


#: What P's "best" is for an environment without a solved line. A Measure needs a best
#: (apart from its baseline) to place the score between floor and ceiling, so it is the
#: best this run itself showed, and the page says so: it is no solved line.
BEST_OBSERVED = (
    "no solved line is known for this environment, so best is the best mean return this run "
    "observed over a final or confirming evaluation (not a solved line)"
)


def _best(monitor: TrainingMonitor, final: EpisodeStats, floor: EpisodeStats) -> float:
    """P's "best": the solved line (:func:`.environments.solved_line`); without one, the
    best mean over 100-episode-sized evaluations (the final one, the confirming ones), not a
    lucky 10-episode check (see :data:`BEST_OBSERVED`)."""
    if monitor.threshold is not None:
        return monitor.threshold
    confirmed = [p.confirmed_mean for p in monitor.points if p.confirmed_mean is not None]
    best = max([final.mean, *confirmed, *([monitor.best_score] if monitor.best_score is not None else [])])
    if best <= floor.mean:  # nothing beat the random policy: keep the scale defined
        best = floor.mean + max(1.0, abs(floor.mean))
    return best


def _render_and_save(
    settings: ReinforcementSettings, agent: Agent, seed: int
) -> tuple[tuple[Picture, ...], list[str]]:
    """The GIF of a greedy episode (a picture), and the paths of the agent's folder and the GIF
    written under ``output_dir`` (none without it)."""
    clip = None
    if settings.render:
        clip = record_rollout(agent.predict, agent.env_spec, seed=seed, max_frames=settings.gif_frames)
    files: list[str] = []
    if settings.output_dir is not None:
        files.append(str(agent.save(Path(settings.output_dir) / "reinforcement-agent")))
        if clip is not None:
            files.append(str(write_atomic(Path(settings.output_dir) / "reinforcement-rollout.gif", clip.gif)))
    if clip is None:
        return (), files
    caption = f"an episode of the trained {agent.name} agent on {agent.env}, always taking its best action"
    return (clip.to_picture(caption),), files


def _warn_if_unsolved(agent: Agent, monitor: TrainingMonitor, final_mean: float, line: str) -> None:
    """A warning that teaches: the budget ended before the task was solved (``line``: what the
    threshold is called, Gymnasium's "reward threshold" or a "solved line")."""
    if monitor.threshold is None or monitor.solved or final_mean >= monitor.threshold:
        return
    warnings.warn(
        f"{agent.name} did not reach {agent.env}'s {line} {monitor.threshold:g} within "
        f"{agent.steps_done_} steps (final mean return {final_mean:.3g}); the best policy seen is kept. "
        "Give it more experience (--total-steps) or try another --agent",
        UserWarning,
        stacklevel=3,
    )


SPEC = register(
    ParadigmSpec(
        name=NAME,
        task=TASK,
        measure=MEASURE,
        experience=EXPERIENCE,
        feedback=FEEDBACK,
        settings=ReinforcementSettings,
        run=run,
        description=DESCRIPTION,
        figures=figures,
        selection_metric="curve",  # a sweep chooses on the periodic evaluations, not on the final one (P)
    )
)
