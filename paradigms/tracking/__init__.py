"""Learning curves where practitioners already look: TensorBoard and MLflow.

A run asked to be tracked (:class:`Tracking`: ``--tensorboard DIR``, ``--mlflow [URI]``)
opens one :class:`Tracker` per destination before it learns, and its learning loop
feeds them through the :class:`~paradigms.progress.Progress` it already receives:
``progress.log(step, {"train/loss": ...})`` is a no-op unless a tracker is attached,
so the loops carry one extra line each and no tracking code of their own. When the run
ends, the trackers receive its :class:`~paradigms.evaluation.Evaluation` (settings as
hyperparameters, P and its baseline as metrics, figures, the JSON).

* :mod:`.tensorboard_events`: one event folder per run, named as CleanRL names its
  runs (``DIR/{paradigm}__{env or data}__{cell}__seed{S}__{unix time}``), with the tag
  names Stable-Baselines3 and CleanRL write, so their curves and ours overlay.
* :mod:`.mlflow_runs`: one MLflow run per paradigm run; a comparison or a sweep opens a
  parent run (:func:`parent_run`) whose id travels with each task, so the run logged
  in a worker process (local pool or Ray) is nested under it wherever it runs.
* :mod:`.session`: :func:`tracked_run`, what :func:`paradigms.registry.run` wraps a run in.

Both are optional (``pip install 'learning-paradigms[tracking]'``). A tracker that fails
(a full disk, an unreachable URI) stops with one warning; the run and its results go on.
"""

from .base import INSTALL_HINT, GuardedTracker, Tracker, Tracking, check_installed, run_name
from .session import ParentRun, parent_run, tracked_run

__all__ = [
    "INSTALL_HINT",
    "GuardedTracker",
    "ParentRun",
    "Tracker",
    "Tracking",
    "check_installed",
    "parent_run",
    "run_name",
    "tracked_run",
]
