"""The learning loop: environment steps, periodic evaluation, the best policy kept, a confirmed solve.

:func:`learn` is the one loop every agent trains under. The agent brings its
way of acting and learning (``agent.experience``, a generator in each agent's
file); the loop decides when to look at it. Every ``eval_interval``
environment steps a :class:`TrainingMonitor` plays a few greedy episodes
(``check_episodes``, 10 by default as :data:`.settings.DEFAULTS` says, always from
the same seeds) and keeps copies of the best few policies so far, because training returns are noisy (the agent explores)
and deep agents can *collapse*: solve the task, then forget it.

A few episodes are a noisy measure, so two things are *confirmed* on
``confirm_episodes`` (100 by default) other episodes:

* when the few episodes reach the environment's reward threshold, the
  confirming episodes decide whether the task is solved; a confirmed solve
  stops training early (``stop_on_solve``) and that policy is kept;
* otherwise, when training ends, the kept candidates (the best few by the
  periodic evaluation, ties going to the later, more trained one, plus the
  final policy) are compared on the confirming episodes and the winner is put
  back into the agent.

Neither evaluation uses the seeds of the final test that the paradigm reports,
so choosing the policy never peeks at the test. Where the evaluations *are* the
test (an environment with held-out test examples, :mod:`.guessing`), the monitor
is made with ``keep_best=False``: it draws the learning curve and chooses nothing,
and the policy measured is the last one. ``extra_steps`` adds evaluations at
chosen early steps (the curve of the same-task comparison needs points where
learning is fastest: :data:`paradigms.same_task.EARLY_EXAMPLES`). :func:`learning_curve` and
:func:`episode_summary` turn what was seen into the run's learning curve.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..progress import Progress
from .environments import EnvSpec
from .evaluate import Evaluator
from .settings import DEFAULTS

#: Offset between the periodic and the confirming evaluation seeds.
CONFIRM_SEED_OFFSET = 1_000_003

#: Times the progress bar moves during one call of :func:`learn` (at most).
BAR_UPDATES = 100


class Policyholder(Protocol):
    """What the monitor needs: greedy actions, and a copy of what decides them to keep or put back."""

    def predict(self, observations: Any) -> np.ndarray: ...

    def policy_state(self) -> Any: ...

    def load_policy_state(self, state: Any) -> None: ...


class Learner(Policyholder, Protocol):
    """What :func:`learn` needs of an agent (``agents.base.Agent`` provides it)."""

    env: str

    @property
    def name(self) -> str: ...  # read only: an agent's class attribute
    steps_done_: int
    episodes_done_: int
    train_seconds_: float

    def experience(self, total_steps: int, pause: int) -> Generator[int, int, None]: ...

    def compute_context(self) -> AbstractContextManager[Any]: ...


def learn(
    agent: Learner,
    total_steps: int,
    *,
    monitor: TrainingMonitor | None = None,
    progress: Progress | None = None,
) -> None:
    """Let ``agent`` act and learn for ``total_steps`` more environment steps.

    ``agent.experience(total_steps, pause)`` acts and learns; whenever its count of
    steps reaches ``pause`` it yields the count and receives the next pause. This
    loop asks for a pause when an evaluation is due (``monitor``, optional: it
    evaluates, keeps the best policy and stops early on a confirmed solve) and now
    and then to move the ``progress`` bar. Pausing never changes what the agent
    learns: the same seed gives the same agent with or without a monitor watching.
    """
    total_steps = int(total_steps)
    if total_steps < 1:
        raise ConfigError(f"total_steps = {total_steps} must be >= 1")
    progress = progress if progress is not None else Progress.silent()
    start, began = agent.steps_done_, time.perf_counter()
    chunk = max(1, total_steps // BAR_UPDATES)

    def next_pause(done: int) -> int:
        due = monitor.next_due - start if monitor is not None else total_steps
        return min(due, done + chunk)

    report = TrainingReport(agent, progress, monitor)
    with agent.compute_context(), progress.bar(
        total=total_steps, desc=f"{agent.name} on {agent.env}", unit="step"
    ) as bar:
        solved = False
        if monitor is not None:  # the first point of the curve: the policy before this training
            monitor.start(start)
            solved = monitor.evaluate(agent, start, agent.episodes_done_)
            report(start)
        if not solved:
            experience = agent.experience(total_steps, next_pause(0))
            try:
                done = next(experience)
                while True:
                    bar.update(done - bar.n)
                    if monitor is not None and monitor.due(start + done):
                        if monitor.evaluate(agent, start + done, agent.episodes_done_):
                            break  # a confirmed solve
                    report(start + done)
                    done = experience.send(next_pause(done))
            except StopIteration:
                pass
            finally:
                experience.close()
            bar.update(agent.steps_done_ - start - bar.n)
        if monitor is not None:
            monitor.finish(agent, agent.steps_done_, agent.episodes_done_)
        report(agent.steps_done_)
    agent.train_seconds_ += time.perf_counter() - began


#: Training episodes the running means of ``rollout/`` average over (as Stable-Baselines3's).
ROLLOUT_WINDOW = 100


class TrainingReport:
    """What :func:`learn` tells a tracker (``progress.log``), by the tags Stable-Baselines3 and
    CleanRL write, E (environment steps) as the step: every training episode's return and
    length (``charts/episodic_return``, ``charts/episodic_length``), their running means
    (``rollout/ep_rew_mean``, ``rollout/ep_len_mean``), steps per second (``time/fps``), the
    latest losses (``train/value_loss``, ``train/actor_loss``, ...) and every periodic
    evaluation (``eval/mean_reward``: the learning curve). Nothing at all without a tracker."""

    def __init__(self, agent: Learner, progress: Progress, monitor: TrainingMonitor | None) -> None:
        self.agent, self.progress, self.monitor = agent, progress, monitor
        self.episodes = len(getattr(agent, "episode_returns_", ()))
        self.points = len(monitor.points) if monitor is not None else 0
        self.first_step, self.began = agent.steps_done_, time.perf_counter()

    def __call__(self, steps: int) -> None:
        if not self.progress.tracking:
            return
        log, agent = self.progress.log, self.agent
        returns = getattr(agent, "episode_returns_", [])
        lengths = getattr(agent, "episode_lengths_", [])
        for index in range(self.episodes, len(returns)):
            log(returns[index][0], {"charts/episodic_return": returns[index][1],
                                    "charts/episodic_length": lengths[index]})
        values: dict[str, float | None] = {}
        if len(returns) > self.episodes:
            values["rollout/ep_rew_mean"] = float(np.mean([r for _, r in returns[-ROLLOUT_WINDOW:]]))
            if lengths:
                values["rollout/ep_len_mean"] = float(np.mean(lengths[-ROLLOUT_WINDOW:]))
        self.episodes = len(returns)
        values["time/fps"] = (steps - self.first_step) / max(time.perf_counter() - self.began, 1e-9)
        last_losses = getattr(agent, "last_losses", None)
        if last_losses is not None:
            values.update({f"train/{name}": value for name, value in last_losses().items()})
        log(steps, values)
        points = self.monitor.points if self.monitor is not None else []
        for point in points[self.points:]:
            log(point.step, {"eval/mean_reward": point.mean, "eval/std_reward": point.std,
                             "eval/confirmed_mean_reward": point.confirmed_mean})
        self.points = len(points)


@dataclass(frozen=True)
class EvalPoint:
    """One periodic evaluation during training (``confirmed_mean``: if confirmed then)."""

    step: int
    episodes: int
    mean: float
    std: float
    n: int
    seconds: float
    confirmed_mean: float | None = None


@dataclass
class _Candidate:
    score: float
    step: int
    state: Any
    confirmed: float | None = None


@dataclass
class TrainingMonitor:
    """Evaluates an agent during :func:`learn` (see the module docstring).

    ``env`` is the environment evaluated (an id, or an :class:`~.environments.EnvSpec`
    with its options and episode cap: the agent's ``env_spec``). Each periodic
    evaluation plays ``check_episodes`` greedy episodes (a run's ``check_episodes``,
    not its ``eval_episodes``, which are the final test), each confirmation
    ``confirm_episodes``. ``threshold`` is the "solved" return (``None``: never stop early);
    ``eval_seed`` fixes the periodic episodes and ``eval_seed`` +
    :data:`CONFIRM_SEED_OFFSET` the confirming ones. ``candidates`` is how many
    of the best policies are kept for the final choice; ``keep_best=False`` keeps
    none (the final policy stays). ``extra_steps`` are steps at which an evaluation
    is due besides every ``eval_interval``.
    """

    env: EnvSpec | str
    threshold: float | None = None
    eval_interval: int = 2000
    check_episodes: int = DEFAULTS.check_episodes
    confirm_episodes: int = DEFAULTS.confirm_episodes
    stop_on_solve: bool = True
    eval_seed: int = 0
    candidates: int = 3
    keep_best: bool = True
    extra_steps: tuple[int, ...] = ()

    points: list[EvalPoint] = field(default_factory=list, init=False)
    first_reach_step: int | None = field(default=None, init=False)
    first_reach_seconds: float | None = field(default=None, init=False)
    solved_step: int | None = field(default=None, init=False)
    solved_seconds: float | None = field(default=None, init=False)
    #: Step and confirmed mean return of the policy kept at the end.
    best_step: int | None = field(default=None, init=False)
    best_score: float | None = field(default=None, init=False)
    eval_seconds: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        if min(self.eval_interval, self.check_episodes, self.confirm_episodes, self.candidates) < 1:
            raise ValueError("eval_interval, check_episodes, confirm_episodes and candidates must be >= 1")
        self.env = EnvSpec.of(self.env)  # checked once; both evaluators make their copies from it
        self._periodic: Evaluator | None = None
        self._confirm: Evaluator | None = None
        self._candidates: list[_Candidate] = []
        self._solved_state: Any = None
        self._next_eval = 0
        self._next_regular = 0
        self._start = time.perf_counter()
        self._last_step = -1

    # -- used by the agents' training loops ------------------------------------

    def start(self, step: int = 0) -> None:
        """Start the clock; the first evaluation is due at once (the untrained policy)."""
        self._start = time.perf_counter()
        self._next_eval = self._next_regular = step

    def elapsed(self) -> float:
        return time.perf_counter() - self._start

    @property
    def next_due(self) -> int:
        """The step at which the next periodic evaluation is due."""
        return self._next_eval

    def due(self, step: int) -> bool:
        return step >= self._next_eval

    def evaluate(self, agent: Policyholder, step: int, episodes: int) -> bool:
        """Evaluate now; return True when training should stop (a confirmed solve)."""
        while self._next_regular <= step:
            self._next_regular += self.eval_interval
        self._next_eval = min([self._next_regular, *(s for s in self.extra_steps if s > step)])
        if step == self._last_step:
            return False
        self._last_step = step
        begin = time.perf_counter()
        stats = self._evaluator("periodic").run(agent.predict)
        reached = self.threshold is not None and stats.mean >= self.threshold
        if reached and self.first_reach_step is None:
            self.first_reach_step, self.first_reach_seconds = step, self.elapsed()
        confirmed = None
        if reached and self.solved_step is None:
            confirmed = self._evaluator("confirm").run(agent.predict).mean
            if self.threshold is not None and confirmed >= self.threshold:  # (reached implies a threshold)
                self.solved_step, self.solved_seconds = step, self.elapsed()
                self._solved_state = agent.policy_state()
        self._consider(stats.mean, step, agent, confirmed)
        self.eval_seconds += time.perf_counter() - begin
        self.points.append(
            EvalPoint(step, episodes, stats.mean, stats.std, stats.n, self.elapsed(), confirmed)
        )
        return self.solved_step == step and self.stop_on_solve

    def _consider(self, score: float, step: int, agent: Policyholder, confirmed: float | None) -> None:
        """Keep this policy if it is among the best few so far (ties: the later one)."""
        if not self.keep_best:
            return
        worst = min(self._candidates, key=lambda c: (c.score, c.step), default=None)
        if len(self._candidates) < self.candidates or (worst is not None and score >= worst.score):
            if len(self._candidates) >= self.candidates and worst is not None:
                self._candidates.remove(worst)
            self._candidates.append(_Candidate(score, step, agent.policy_state(), confirmed))

    def finish(self, agent: Policyholder, step: int, episodes: int) -> None:
        """Evaluate the final policy (if not just done) and put the chosen one back."""
        if step != self._last_step:
            self.evaluate(agent, step, episodes)
        begin = time.perf_counter()
        if self._solved_state is not None:
            self.best_step = self.solved_step
            self.best_score = next(p.confirmed_mean for p in self.points if p.step == self.solved_step)
            chosen = self._solved_state
        else:
            final_state = agent.policy_state()
            for candidate in self._candidates:
                if candidate.confirmed is None:
                    agent.load_policy_state(candidate.state)
                    candidate.confirmed = self._evaluator("confirm").run(agent.predict).mean
            best = max(self._candidates, key=lambda c: (c.confirmed, c.step), default=None)
            chosen = final_state if best is None else best.state
            if best is not None:
                self.best_step, self.best_score = best.step, best.confirmed
        agent.load_policy_state(chosen)
        self.eval_seconds += time.perf_counter() - begin
        self.close()

    def close(self) -> None:
        for evaluator in (self._periodic, self._confirm):
            if evaluator is not None:
                evaluator.close()
        self._periodic = self._confirm = None

    def _evaluator(self, kind: str) -> Evaluator:
        if kind == "periodic":
            if self._periodic is None:
                self._periodic = Evaluator(self.env, n_episodes=self.check_episodes, seed=self.eval_seed)
            return self._periodic
        if self._confirm is None:
            self._confirm = Evaluator(
                self.env, n_episodes=self.confirm_episodes, seed=self.eval_seed + CONFIRM_SEED_OFFSET,
            )
        return self._confirm

    # -- results ------------------------------------------------------------------

    @property
    def solved(self) -> bool:
        return self.solved_step is not None

    def summary(self) -> dict[str, Any]:
        """The monitor's findings as plain values (for an Evaluation's metrics)."""
        return {
            "threshold": self.threshold,
            "first_reach_step": self.first_reach_step,
            "first_reach_seconds": self.first_reach_seconds,
            "solved": self.solved,
            "solved_step": self.solved_step,
            "solved_seconds": self.solved_seconds,
            "best_step": self.best_step,
            "best_confirmed_mean": self.best_score,
            "eval_seconds": self.eval_seconds,
        }


# -- the learning curve -----------------------------------------------------------

#: The learning curve's columns: E (steps), P (the mean return of the periodic evaluation), and more.
CURVE_COLUMNS = ["experience", "performance", "std", "n_eval", "episodes", "seconds", "confirmed_mean"]

#: Training episodes kept for the figures at most (evenly subsampled beyond).
MAX_STORED_EPISODES = 1500


def learning_curve(monitor: TrainingMonitor) -> pd.DataFrame:
    """One row per periodic evaluation (E = steps, P = its mean return), with its std,
    episodes evaluated, training episodes so far, seconds, and the confirming mean
    where one was run."""
    rows = [
        [p.step, p.mean, p.std, p.n, p.episodes, p.seconds, p.confirmed_mean] for p in monitor.points
    ]
    return pd.DataFrame(rows, columns=CURVE_COLUMNS)


def episode_summary(episodes: list[tuple[int, float]]) -> dict[str, Any]:
    """Steps and returns of the training episodes, with a running mean, subsampled to fit JSON."""
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
