"""A run as an MLflow run: settings as params, the curve as step metrics, the results as artifacts.

Everything goes through :class:`mlflow.MlflowClient` with explicit run ids, never
MLflow's process-wide "active run": a comparison's or sweep's parent run is opened in
the driver, and its id travels with each task, so the run a worker process (or a Ray
node) logs is nested under it (MLflow's ``mlflow.parentRunId`` tag) wherever it runs.
Step metrics are buffered and sent in batches (every :data:`FLUSH_SECONDS`, and at the
end), so a store behind a network never slows the learning loop step by step.

``uri=""`` is MLflow's own default store (``MLFLOW_TRACKING_URI``, else its local
default in the working directory).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .base import last_step, result_metrics, setting_text

#: The MLflow experiment our runs go to, unless ``MLFLOW_EXPERIMENT_NAME`` names another.
EXPERIMENT = "learning-paradigms"
#: Seconds between batches of step metrics sent to the store.
FLUSH_SECONDS = 5.0
#: Metrics per batch at most (MLflow's own limit for one ``log_batch``).
BATCH = 1000
#: Characters of a param value kept (MLflow refuses longer values).
PARAM_CHARS = 500
#: An unreachable tracking server fails in seconds, not after MLflow's minutes of retries
#: (only where the user has not set these themselves).
HTTP_DEFAULTS = {"MLFLOW_HTTP_REQUEST_MAX_RETRIES": "1", "MLFLOW_HTTP_REQUEST_TIMEOUT": "10"}


#: The clients made in this process: a forked child must not reuse their database connections.
_CLIENTS: list[Any] = []


def client_for(uri: str) -> Any:
    """An MlflowClient on ``uri`` (``""``: MLflow's default store)."""
    for key, value in HTTP_DEFAULTS.items():
        os.environ.setdefault(key, value)
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=uri or None)
    _CLIENTS.append(client)
    return client


def _drop_inherited_connections() -> None:
    """In a forked worker: MLflow caches one store (and its SQLAlchemy connection pool) per URI, and
    an SQLite connection must never cross a fork; the child opens its own (SQLAlchemy's advice)."""
    for client in _CLIENTS:
        try:
            client._tracking_client.store.engine.dispose(close=False)
        except AttributeError:  # a store without a database engine (a server, another MLflow)
            pass
    _CLIENTS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_inherited_connections)


def experiment_id(client: Any) -> str:
    """The id of our experiment, created on first use (another process may create it at the same time)."""
    name = os.environ.get("MLFLOW_EXPERIMENT_NAME") or EXPERIMENT
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    try:
        return client.create_experiment(name, artifact_location=artifact_location(client.tracking_uri))
    except Exception:  # noqa: BLE001 - created meanwhile by another run: use that one
        found = client.get_experiment_by_name(name)
        if found is None:
            raise
        return found.experiment_id


def artifact_location(uri: str) -> str | None:
    """Where the artifacts of a local SQLite store go: ``mlartifacts/`` beside the database, as an
    absolute path (MLflow's own default is relative to each process's working folder, which a
    worker process or a Ray node does not share); ``None`` (MLflow decides) for any other store."""
    prefix = "sqlite:///"
    if not uri.startswith(prefix) or uri[len(prefix):] in ("", ":memory:"):
        return None
    return (Path(uri[len(prefix):]).resolve().parent / "mlartifacts").as_uri()


def params_of(settings: Mapping[str, Any]) -> list[Any]:
    """Settings as MLflow params (text, cut to :data:`PARAM_CHARS`)."""
    from mlflow.entities import Param

    return [Param(str(key), setting_text(value)[:PARAM_CHARS]) for key, value in settings.items()]


class MLflowTracker:
    """One MLflow run, nested under ``parent_run_id`` when given."""

    def __init__(self, uri: str, name: str, *, parent_run_id: str | None = None,
                 tags: Mapping[str, str] | None = None) -> None:
        self.client = client_for(uri)
        self.where = f"MLflow ({self.client.tracking_uri})"
        run_tags = dict(tags or {})
        if parent_run_id:
            run_tags["mlflow.parentRunId"] = parent_run_id
        self.run_id = self.client.create_run(experiment_id(self.client), run_name=name, tags=run_tags).info.run_id
        self._pending: list[Any] = []
        self._sent = time.monotonic()

    def log_scalars(self, step: int, values: Mapping[str, float]) -> None:
        from mlflow.entities import Metric

        stamp = int(time.time() * 1000)
        self._pending.extend(Metric(tag, value, stamp, step) for tag, value in values.items())
        if len(self._pending) >= BATCH or time.monotonic() - self._sent >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:BATCH], self._pending[BATCH:]
            self.client.log_batch(self.run_id, metrics=batch)
        self._sent = time.monotonic()

    def log_result(self, evaluation: Any, images: Mapping[str, bytes]) -> None:
        from mlflow.entities import Metric

        self.flush()
        last = last_step(evaluation)
        stamp = int(time.time() * 1000)
        # one round trip: the settings and the results (the run was opened with its paradigm's tag)
        self.client.log_batch(self.run_id, params=params_of({**evaluation.config, "seed": evaluation.seed}),
                              metrics=[Metric(tag, value, stamp, last) for tag, value in result_metrics(evaluation).items()])
        with tempfile.TemporaryDirectory(prefix="paradigms-mlflow-") as folder:
            path = evaluation.save(Path(folder) / f"{evaluation.paradigm}.json")
            self.client.log_artifact(self.run_id, str(path))
            if images:
                (Path(folder) / "figures").mkdir()
                for name, png in images.items():
                    (Path(folder) / "figures" / f"{name}.png").write_bytes(png)
                self.client.log_artifacts(self.run_id, str(Path(folder) / "figures"), "figures")

    def log_files(self, paths: list[Path]) -> None:
        """Files (a page, its Markdown, ``results.json``) as artifacts of this run."""
        for path in paths:
            if Path(path).is_file():
                self.client.log_artifact(self.run_id, str(path))

    def close(self, failed: bool = False) -> None:
        try:
            self.flush()
        finally:
            self.client.set_terminated(self.run_id, status="FAILED" if failed else "FINISHED")
