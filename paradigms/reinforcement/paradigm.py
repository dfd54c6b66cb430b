"""Reinforcement learning: an agent learns from a reward after each of its actions.

The lesson: there is a **state** (what the agent observes), the agent picks
an **action**, the action changes the state, and the environment answers with
a **reward**. Nobody tells the agent the right action (supervised learning) and
it is not just finding structure in data (unsupervised learning): it has to
find out, by trying, which actions lead to more reward over the whole episode.

In Mitchell's terms:

* **T**: act in a Gymnasium environment (by default CartPole-v1: keep a pole
  balanced on a moving cart);
* **P**: the mean *return* (sum of rewards of an episode) of the greedy policy
  over ``eval_episodes`` evaluation episodes on separately seeded
  environments, beside the random policy's mean return on the same episodes
  (the floor) and the environment's reward threshold (the "solved" line; for
  environments without one, the best mean return observed in this run over a
  final or confirming evaluation);
* **E**: environment steps (and the episodes they make up).

The agent is chosen from the spaces (``--agent auto``): a Q-table for discrete
states (FrozenLake, Taxi), PPO for vector states (CartPole, Acrobot); DQN and
Q-learning can be named. During training a few greedy episodes are played every
``eval_interval`` steps; the best policy is kept and training stops once the
threshold is reached and confirmed on ``confirm_episodes`` more.

Example: ``paradigms run reinforcement --env Taxi-v4`` or ``--env FrozenLake-v1
--env-kwargs is_slippery=false``. The trained agent (``reinforcement-agent/``,
load it with ``paradigms.reinforcement.load_agent``) and the GIF of a greedy
episode are written next to the results.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..evaluation import DatasetInfo, Evaluation, Measure
from ..progress import Progress
from ..registry import ParadigmSpec, register
from ..settings import Settings, setting

AGENT_CHOICES = ("auto", "qlearning", "dqn", "ppo")

#: What each well-known environment asks of the agent (T, in words).
TASKS = {
    "CartPole": "keep a pole balanced upright on a moving cart",
    "FrozenLake": "cross a slippery frozen lake to the goal without falling into a hole",
    "FrozenLake8x8": "cross a large slippery frozen lake to the goal without falling into a hole",
    "Taxi": "pick up a passenger and drop them off at their destination",
    "CliffWalking": "walk to the goal along a cliff without falling off",
    "Acrobot": "swing the end of a two-link arm above a line",
    "MountainCar": "drive an underpowered car up a hill",
    "LunarLander": "land a lander softly on the landing pad",
    "Blackjack": "beat the dealer at blackjack",
}


@dataclass(frozen=True)
class ReinforcementSettings(Settings):
    """Settings of the reinforcement paradigm (``paradigms run reinforcement --help``).

    Settings left at ``none`` take the agent's default or the value tuned for the
    environment (see :mod:`paradigms.reinforcement.presets`).
    """

    env: str = setting("CartPole-v1", "Gymnasium environment id (any registered one with discrete actions)")
    agent: str = setting(
        "auto", "agent: auto picks qlearning for discrete states, ppo for vector states",
        choices=AGENT_CHOICES,
    )
    total_steps: int | None = setting(
        None, "environment steps of training at most (none: 60000 for dqn/ppo, 100000 for qlearning, "
        "tuned for some environments)", min=1, quick=20_000,
    )
    eval_episodes: int = setting(
        100, "greedy episodes of the final evaluation (P), on separately seeded environments",
        min=1, quick=20,
    )
    eval_interval: int | None = setting(
        None, "environment steps between periodic evaluations (none: about 30 per run, 10 for qlearning)",
        min=1,
    )
    check_episodes: int = setting(10, "greedy episodes per periodic evaluation", min=1)
    confirm_episodes: int = setting(
        100, "episodes that confirm a solve (and choose the best policy at the end)", min=1, quick=50,
    )
    stop_on_solve: bool = setting(True, "stop training once the reward threshold is reached and confirmed")
    learning_rate: float | None = setting(
        None, "step size (none: the agent's default: 0.1 qlearning, 0.002 dqn, 0.001 ppo; tuned for some environments)", min=0,
        min_inclusive=False,
    )
    gamma: float | None = setting(None, "discount factor of future rewards (none: the agent's default)", min=0, max=1)
    hidden: tuple[int, ...] = setting((64, 64), "hidden layer sizes of the networks (dqn, ppo)", min=1)
    n_envs: int | None = setting(None, "environment copies stepped together (dqn, ppo; none: the agent's default)", min=1)
    device: str = setting(
        "auto", "where networks train: auto (the CPU for small networks, else CUDA when present), cpu or cuda",
        choices=("auto", "cpu", "cuda"),
    )
    env_kwargs: tuple[str, ...] = setting((), "environment options as KEY=VALUE, e.g. is_slippery=false")
    max_episode_steps: int | None = setting(
        None, "cap on episode length (none: the environment's own, or 1000 if it has none)", min=1,
    )
    render: bool = setting(True, "record one greedy episode as an animated GIF (stored in the metrics)")
    gif_frames: int = setting(48, "frames kept in the GIF at most", min=2, max=200, quick=24)
    output_dir: Path | None = setting(
        None, "folder for the trained agent (reinforcement-agent/) and the GIF (reinforcement-rollout.gif); "
        "the CLI's --out (none: write neither)",
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.eval_interval is not None and self.total_steps is not None and self.eval_interval > self.total_steps:
            raise ConfigError(
                f"eval_interval = {self.eval_interval} exceeds total_steps = {self.total_steps}: "
                "no evaluation would happen during training; lower --eval-interval"
            )


def task_for(env_id: str) -> str:
    """T in words for ``env_id``."""
    name = env_id.split("/")[-1].rsplit("-v", 1)[0]
    what = TASKS.get(name, "collect as much reward as possible per episode")
    return f"{what} ({env_id})"


def derive_seeds(seed: int) -> dict[str, int]:
    """The seeds of one run, all derived from ``seed``: training (the seed itself),
    the periodic evaluations, the final test, the random policy and the rendering.
    The test episodes are drawn apart from the ones used to choose the policy."""
    from ..seeding import numpy_rng

    drawn = numpy_rng(seed, 5).integers(0, 2**31 - 2**21, size=4)
    return {
        "train": int(seed),
        "periodic_eval": int(drawn[0]),
        "test": int(drawn[1]),
        "random_policy": int(drawn[2]),
        "render": int(drawn[3]),
    }


def _agent_kwargs(agent: str, settings: ReinforcementSettings, seed: int) -> dict[str, Any]:
    from .environments import parse_env_kwargs
    from .presets import tuned_params

    kwargs: dict[str, Any] = tuned_params(agent, settings.env)
    for name in ("learning_rate", "gamma"):
        if getattr(settings, name) is not None:
            kwargs[name] = getattr(settings, name)
    if agent in ("dqn", "ppo"):
        kwargs["hidden"] = settings.hidden
        kwargs["device"] = settings.device
        if settings.n_envs is not None:
            kwargs["n_envs"] = settings.n_envs
    kwargs.update(
        env_kwargs=parse_env_kwargs(settings.env_kwargs),
        max_episode_steps=settings.max_episode_steps,
        seed=seed,
    )
    return kwargs


def run(settings: ReinforcementSettings, seed: int, progress: Progress) -> Evaluation:
    """Train the chosen agent on the environment and evaluate it (see the module docstring)."""
    from . import environments as envs
    from .evaluate import evaluate_policy, random_policy

    env_id = envs.check_env_id(settings.env)
    env_kwargs = envs.parse_env_kwargs(settings.env_kwargs)
    info = envs.env_spaces(env_id, env_kwargs=env_kwargs)
    seeds = derive_seeds(seed)

    started = time.perf_counter()
    agent, monitor = _train(settings, env_id, info, seeds, progress)
    train_seconds = time.perf_counter() - started

    begin = time.perf_counter()
    final = agent.evaluate(settings.eval_episodes, seed=seeds["test"])
    floor = evaluate_policy(
        random_policy(info.n_actions, seed=seeds["random_policy"]), env_id, n_episodes=settings.eval_episodes,
        seed=seeds["test"], env_kwargs=env_kwargs, max_episode_steps=settings.max_episode_steps,
    )
    evaluate_seconds = time.perf_counter() - begin

    begin = time.perf_counter()
    rollout, files = _render_and_save(settings, agent, env_id, env_kwargs, seeds["render"])
    render_seconds = time.perf_counter() - begin

    threshold = monitor.threshold
    _warn_if_unsolved(agent, monitor, final.mean)
    # Without a threshold, "best" is the best mean over 100-episode-sized evaluations
    # (the final one, the confirming ones), not a lucky 10-episode check.
    confirmed = [p.confirmed_mean for p in monitor.points if p.confirmed_mean is not None]
    observed_best = max([final.mean, *confirmed, *([monitor.best_score] if monitor.best_score is not None else [])])
    best = threshold if threshold is not None else observed_best
    if best <= floor.mean:  # no threshold, and nothing beat the random policy: keep the scale defined
        best = floor.mean + max(1.0, abs(floor.mean))
    pure_train = max(train_seconds - monitor.eval_seconds, 1e-9)
    metrics = {
        "agent": agent.name,
        "agent_params": agent.get_params(),
        "env_id": env_id,
        "best_source": "reward threshold" if threshold is not None
        else "best mean return observed in this run (final or confirming evaluation)",
        **monitor.summary(),
        "train_steps": agent.steps_done_,
        "train_episodes_count": agent.episodes_done_,
        "steps_per_second": agent.steps_done_ / pure_train,
        "updates": getattr(agent, "updates_done_", None),
        "eval_returns": final.returns.tolist(),
        "eval_lengths": final.lengths.tolist(),
        "eval_std": final.std,
        "random_returns": floor.returns.tolist(),
        "random_std": floor.std,
        "train_episodes": _train_episodes(agent.episode_returns_),
        "rollout": rollout,
        "seeds": seeds,
        "files": files,
    }
    return Evaluation(
        paradigm="reinforcement",
        task=task_for(env_id),
        experience="environment steps",
        measure=Measure(
            name="mean evaluation return", value=final.mean, baseline=floor.mean, best=best,
            std=final.std, curve_label=f"mean return of {settings.check_episodes} greedy evaluation episodes",
        ),
        curve=_curve(monitor),
        dataset=DatasetInfo(
            name=env_id,
            source=f"Gymnasium {envs.gymnasium_version()} (simulated environment, no data files)",
            sizes={
                "train_steps": agent.steps_done_,
                "train_episodes": agent.episodes_done_,
                "eval_episodes": settings.eval_episodes,
            },
            notes=f"observations {info.observation}; actions {info.action}"
            + (f"; options {env_kwargs}" if env_kwargs else ""),
        ),
        seed=seed,
        metrics=metrics,
        config=settings.to_dict(),
        timings={
            "train_seconds": train_seconds,
            "periodic_eval_seconds": monitor.eval_seconds,
            "evaluate_seconds": evaluate_seconds,
            "render_seconds": render_seconds,
        },
    )


def _train(settings: ReinforcementSettings, env_id: str, info: Any, seeds: dict[str, int], progress: Progress):
    """Build the agent chosen for the spaces and train it under a TrainingMonitor."""
    from . import environments as envs
    from .persistence import agent_class
    from .presets import DEFAULT_DEEP_AGENT, EVALUATIONS_PER_RUN, default_budget
    from .training import TrainingMonitor

    agent_name = envs.choose_agent(info, settings.agent, deep_default=DEFAULT_DEEP_AGENT)
    total_steps = settings.total_steps or default_budget(agent_name, env_id)
    agent = agent_class(agent_name)(env_id, **_agent_kwargs(agent_name, settings, seeds["train"]))
    monitor = TrainingMonitor(
        env_id,
        threshold=envs.reward_threshold(env_id),
        eval_interval=settings.eval_interval or max(1, total_steps // EVALUATIONS_PER_RUN[agent_name]),
        eval_episodes=settings.check_episodes,
        confirm_episodes=settings.confirm_episodes,
        stop_on_solve=settings.stop_on_solve,
        eval_seed=seeds["periodic_eval"],
        env_kwargs=agent.env_kwargs,
        max_episode_steps=settings.max_episode_steps,
    )
    agent.learn(total_steps, monitor=monitor, progress=progress)
    return agent, monitor


def _render_and_save(
    settings: ReinforcementSettings, agent: Any, env_id: str, env_kwargs: dict[str, Any], seed: int
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The GIF of a greedy episode (as metrics), and the agent and GIF files under ``output_dir``."""
    from ..evaluation import write_atomic

    clip = None
    if settings.render:
        from .render import record_rollout

        clip = record_rollout(
            agent.predict, env_id, seed=seed, max_frames=settings.gif_frames,
            env_kwargs=env_kwargs, max_episode_steps=settings.max_episode_steps,
        )
    files: dict[str, str] = {}
    if settings.output_dir is not None:
        files["agent"] = str(agent.save(Path(settings.output_dir) / "reinforcement-agent"))
        if clip is not None:
            files["gif"] = str(write_atomic(Path(settings.output_dir) / "reinforcement-rollout.gif", clip.gif))
    return (None if clip is None else clip.to_metrics()), files


def _warn_if_unsolved(agent: Any, monitor: Any, final_mean: float) -> None:
    """A warning that teaches: the budget ended before the task was solved."""
    if monitor.threshold is None or monitor.solved or final_mean >= monitor.threshold:
        return
    warnings.warn(
        f"{agent.name} did not reach {agent.env}'s reward threshold {monitor.threshold:g} within "
        f"{agent.steps_done_} steps (final mean return {final_mean:.3g}); the best policy seen is kept. "
        "Give it more experience (--total-steps) or try another --agent",
        UserWarning,
        stacklevel=3,
    )


def _curve(monitor: Any):
    """The learning curve: one row per periodic evaluation (E = steps, P = its mean return),
    with its std, episodes evaluated, training episodes so far, seconds, and the
    confirming mean where one was run."""
    import pandas as pd

    rows = [
        {
            "experience": p.step,
            "performance": p.mean,
            "std": p.std,
            "n_eval": p.n,
            "episodes": p.episodes,
            "seconds": p.seconds,
            "confirmed_mean": p.confirmed_mean,
        }
        for p in monitor.points
    ]
    columns = ["experience", "performance", "std", "n_eval", "episodes", "seconds", "confirmed_mean"]
    return pd.DataFrame(rows, columns=columns)


#: Training episodes stored in the metrics at most (evenly subsampled beyond).
MAX_STORED_EPISODES = 1500


def _train_episodes(episodes: list[tuple[int, float]]) -> dict[str, Any]:
    """Steps and returns of the training episodes, with a running mean, subsampled to fit JSON."""
    import numpy as np

    if not episodes:
        return {"step": [], "return": [], "smoothed": []}
    steps = np.array([s for s, _ in episodes], dtype=np.int64)
    returns = np.array([r for _, r in episodes], dtype=np.float64)
    window = max(1, len(returns) // 50)
    cumulative = np.cumsum(np.insert(returns, 0, 0.0))
    lows = np.maximum(0, np.arange(1, len(returns) + 1) - window)
    smoothed = (cumulative[1:] - cumulative[lows]) / (np.arange(1, len(returns) + 1) - lows)
    keep = np.unique(np.linspace(0, len(returns) - 1, min(len(returns), MAX_STORED_EPISODES)).astype(int))
    return {
        "step": steps[keep].tolist(),
        "return": returns[keep].tolist(),
        "smoothed": smoothed[keep].tolist(),
        "window": window,
        "count": len(returns),
    }


def _figures(evaluation: Evaluation):
    from .plots import figures

    return figures(evaluation)


SPEC = register(
    ParadigmSpec(
        name="reinforcement",
        task="keep the pole up / reach the goal: act in a Gymnasium environment (CartPole-v1 by default)",
        measure="mean return of greedy evaluation episodes (baseline: random policy; best: the reward threshold)",
        experience="environment steps (and episodes)",
        feedback="a reward after each action",
        settings=ReinforcementSettings,
        run=run,
        description=__doc__ or "",
        figures=_figures,
    )
)
