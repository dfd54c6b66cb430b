"""A tracked run from start to end (:func:`tracked_run`), and the parent run of many (:func:`parent_run`).

:func:`paradigms.registry.run` opens :func:`tracked_run` around a paradigm's run: the
trackers open (named with :func:`~.base.run_name`), attach to the run's
:class:`~paradigms.progress.Progress` (the learning loop logs through it), receive
the finished Evaluation and close, FAILED where the run raised. The command line (or
:func:`~paradigms.execution.run_many` and :func:`~paradigms.execution.sweep`) opens
:func:`parent_run` around a comparison or sweep: MLflow's parent run, whose id the
tasks carry to wherever they run.
"""

from __future__ import annotations

import dataclasses
import io
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .base import GuardedTracker, Tracker, Tracking, data_name, run_name, warn_failed

Figures = Callable[[Any], Mapping[str, Any]]
#: Resolution of the figures sent to the trackers (the page's own are drawn apart).
IMAGE_DPI = 80


def open_trackers(tracking: Tracking, name: str, paradigm: str) -> GuardedTracker:
    """The trackers ``tracking`` asks for, for the run called ``name``; one that cannot open is a warning."""
    trackers: list[Tracker] = []
    if tracking.tensorboard is not None:
        try:
            from .tensorboard_events import TensorBoardTracker

            trackers.append(TensorBoardTracker(tracking.tensorboard / name))
        except Exception as exc:  # noqa: BLE001 - the run goes on without it
            warn_failed(f"TensorBoard folder {tracking.tensorboard}", exc)
    if tracking.mlflow is not None:
        try:
            from .mlflow_runs import MLflowTracker

            trackers.append(MLflowTracker(tracking.mlflow, name, parent_run_id=tracking.parent_run_id,
                                          tags={"paradigm": paradigm, "cell": tracking.cell}))
        except Exception as exc:  # noqa: BLE001 - the run goes on without it
            warn_failed(f"MLflow ({tracking.mlflow or 'default store'})", exc)
    return GuardedTracker(trackers)


@contextmanager
def tracked_run(
    tracking: Tracking | None, paradigm: str, settings: Any, seed: int, progress: Any,
    figures: Figures | None = None,
) -> Iterator[Callable[[Any], None]]:
    """Track one run; yields ``finish(evaluation)``, to call with the finished Evaluation.

    Without tracking (``None``, or nothing asked) this does nothing at all.
    """
    if tracking is None or not tracking.enabled:
        yield lambda evaluation: None
        return
    tracking = tracking.check()
    guard = open_trackers(tracking, run_name(paradigm, data_name(settings), tracking.cell, seed), paradigm)
    previous = progress.tracker
    progress.tracker = guard if guard else None

    def finish(evaluation: Any) -> None:
        if guard and not guard.logged:  # a paradigm whose loop logs nothing live: its curve, now
            log_curve(guard, evaluation)
        if guard:
            guard.log_result(evaluation, _images(figures, evaluation))

    failed = True
    try:
        yield finish
        failed = False
    finally:
        progress.tracker = previous
        guard.close(failed)


def log_curve(tracker: GuardedTracker, evaluation: Any) -> None:
    """The Evaluation's learning curve, row by row: every number column as ``curve/COLUMN``, E as the step."""
    curve = evaluation.curve
    if "experience" not in curve:
        return
    columns = [c for c in curve.columns if c != "experience"]
    for row in curve.to_dict("records"):
        tracker.log_scalars(int(row["experience"]), {f"curve/{column}": row[column] for column in columns})


def _images(figures: Figures | None, evaluation: Any) -> dict[str, bytes]:
    """The run's figures, as the report draws them, each drawn once as a PNG (:data:`IMAGE_DPI`)
    for every tracker; none (with a warning) where drawing fails."""
    if figures is None:
        return {}
    drawn: Mapping[str, Any] = {}
    try:
        drawn = dict(figures(evaluation))
        images = {}
        for name, figure in drawn.items():
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=IMAGE_DPI)
            images[name] = buffer.getvalue()
        return images
    except Exception as exc:  # noqa: BLE001 - the curves are logged without pictures
        warn_failed("the figures of the run", exc)
        return {}
    finally:
        if "matplotlib.pyplot" in sys.modules:
            import matplotlib.pyplot as plt

            for figure in drawn.values():
                plt.close(figure)


@dataclass
class ParentRun:
    """The parent of a comparison's or sweep's runs: ``tracking`` (with its id) goes to each task."""

    tracking: Tracking | None
    tracker: Any = None

    def log_files(self, paths: list[Path]) -> None:
        """Files (the page, ``results.json``) as artifacts of the parent run; a failure is a warning."""
        if self.tracker is None:
            return
        try:
            self.tracker.log_files(paths)
        except Exception as exc:  # noqa: BLE001 - the page is written all the same
            warn_failed(self.tracker.where, exc)


@contextmanager
def parent_run(tracking: Tracking | None, name: str, params: Mapping[str, Any] | None = None) -> Iterator[ParentRun]:
    """MLflow's parent run for many runs (none without MLflow, or where ``tracking`` already has one)."""
    if tracking is None or tracking.mlflow is None or tracking.parent_run_id is not None:
        yield ParentRun(tracking)
        return
    uri, tracking = tracking.mlflow, tracking.check()
    try:
        from .mlflow_runs import MLflowTracker, params_of

        tracker = MLflowTracker(uri, name, tags={"kind": "parent"})
        if params:
            tracker.client.log_batch(tracker.run_id, params=params_of(params))
    except Exception as exc:  # noqa: BLE001 - the runs go on, each logged on its own
        warn_failed(f"MLflow ({tracking.mlflow or 'default store'})", exc)
        yield ParentRun(tracking)
        return
    failed = True
    try:
        yield ParentRun(dataclasses.replace(tracking, parent_run_id=tracker.run_id), tracker)
        failed = False
    finally:
        try:
            tracker.close(failed)
        except Exception as exc:  # noqa: BLE001
            warn_failed(tracker.where, exc)
