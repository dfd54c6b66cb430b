"""Fixtures of the execution tests: the test-only ``scribe`` paradigm, and one Ray instance per session."""

from __future__ import annotations

import pytest
from sweep_paradigms import SCRIBE

import paradigms
from paradigms.execution import RayBackend


@pytest.fixture
def scribe():
    """Register the test-only ``scribe`` paradigm for one test."""
    paradigms.available()
    paradigms.register(SCRIBE, replace=True)
    yield SCRIBE
    paradigms.unregister("scribe")


@pytest.fixture(scope="session")
def ray_instance():
    """One local Ray instance for the whole session (2 CPUs, no dashboard), started by the
    Ray backend itself; later backends find it running and use it. Skipped without Ray."""
    ray = pytest.importorskip("ray")
    backend = RayBackend(local_cpus=2)
    backend.connect()
    yield ray
    backend.close()
