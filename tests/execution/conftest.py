"""Fixtures of the execution tests: the test-only ``scribe`` paradigm, and one Ray instance per session."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile

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
    Ray backend itself; later backends find it running and use it. Skipped without Ray.

    Ray keeps its sessions, sockets and logs in a temp folder of the tests' own
    (``RAY_TMPDIR``, short: a socket's path must stay under about 100 characters),
    removed afterwards, and a token of its own (``RAY_AUTH_TOKEN``), so Ray writes
    none into ``~/.ray``: nothing is left behind, and no cluster recorded in the
    machine's own Ray temp folder is seen."""
    ray = pytest.importorskip("ray")
    saved = {name: os.environ.get(name) for name in ("RAY_TMPDIR", "RAY_AUTH_TOKEN")}
    temp = tempfile.mkdtemp(prefix="lp-ray-", dir="/tmp" if os.path.isdir("/tmp") else None)
    os.environ["RAY_TMPDIR"] = temp
    os.environ["RAY_AUTH_TOKEN"] = secrets.token_hex(16)
    backend = RayBackend(local_cpus=2)
    try:
        backend.connect()
        yield ray
    finally:
        backend.close()
        shutil.rmtree(temp, ignore_errors=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
