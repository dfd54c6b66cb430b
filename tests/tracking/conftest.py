"""Fixtures of the tracking tests: an MLflow store (SQLite) made once and copied for each test,
since MLflow builds a new store's tables in seconds to tens of seconds."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def mlflow_template(tmp_path_factory) -> Path:
    """An empty MLflow SQLite store, its tables made once for the session."""
    mlflow = pytest.importorskip("mlflow")
    path = tmp_path_factory.mktemp("mlflow-template") / "mlflow.db"
    mlflow.MlflowClient(f"sqlite:///{path}").search_experiments()
    return path


@pytest.fixture(scope="session")
def new_mlflow_store(mlflow_template) -> Callable[[Path], str]:
    """``new_mlflow_store(folder)``: a copy of the empty store in ``folder``; its tracking URI."""

    def copy(folder: Path) -> str:
        shutil.copyfile(mlflow_template, folder / "mlflow.db")
        return f"sqlite:///{folder / 'mlflow.db'}"

    return copy


@pytest.fixture
def mlflow_uri(new_mlflow_store, tmp_path) -> str:
    """The URI of an empty MLflow store of this test's own."""
    return new_mlflow_store(tmp_path)
