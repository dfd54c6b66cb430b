"""The Ray backend: every run is one Ray task, on a local Ray instance or on a cluster.

A sweep or a comparison outgrows one machine long before it needs a scheduler of
its own: Ray already places tasks where there are free CPUs (and GPUs), retries a
task whose worker died, and tells the driver as each result comes back. So a run
here is a Ray Core task (:func:`ray.remote`) calling the same
:func:`~paradigms.execution.tasks.run_task` the local backend calls; nothing is
scheduled, sent or queued by hand.

* Without an address (and no ``RAY_ADDRESS``), :meth:`RayBackend.connect` starts
  a Ray instance of its own on this machine (``address="local"``): never one that
  a ``ray start`` recorded in Ray's temp folder, live (someone else's cluster) or
  dead (a join that hangs). With an address it joins that cluster, after checking,
  within :data:`CONNECT_TIMEOUT` seconds in all, that a Ray cluster answers there
  (:func:`check_ray_answers`: a port where another kind of server listens, or a
  cluster that wants a token it was not given, is one line; Ray itself would keep
  retrying for minutes).
* Each run asks for :attr:`RayBackend.cpus_per_run` CPUs (its thread count too)
  and one GPU when its ``device`` setting names CUDA.
* A worker that dies (killed, out of memory, a lost node) is retried by Ray
  :data:`RETRIES` times, then its run is reported as a
  :class:`~paradigms.execution.tasks.Failure`; an error inside the run is not
  retried (it would fail again) and is a Failure at once.
* Ray is optional: without it, the backend says in one line how to install it.

The paradigms must be importable on every node (the same installation), and data
found there: MNIST through ``LEARNING_PARADIGMS_DATA`` on each node.

>>> RayBackend(address="head:6379").describe(12)
'on the Ray cluster at head:6379'
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import os
import socket
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..progress import Progress
from .tasks import Failure, Outcome, RunTask, TaskDone, pickled_spec, run_task

INSTALL_HINT = "pip install 'learning-paradigms[ray]'"
#: Times Ray retries a run whose worker died before it is reported as failed.
RETRIES = 2
#: Seconds to wait for an answer from ``--address`` before giving up.
CONNECT_TIMEOUT = 10.0
#: Addresses that name no host to check (Ray finds the cluster itself).
_LOOKUP_WORDS = ("auto", "local")


def _not_installed() -> ConfigError:
    return ConfigError(f"--backend ray needs Ray, which is not installed here: {INSTALL_HINT}")


def check_installed() -> None:
    """A one-line ConfigError, without importing Ray (seconds), where Ray is not installed."""
    try:
        found = importlib.util.find_spec("ray") is not None
    except (ImportError, ValueError):  # e.g. sys.modules["ray"] is None
        found = False
    if not found:
        raise _not_installed()


def import_ray() -> Any:
    """The ``ray`` module, or a one-line ConfigError that says how to install it."""
    try:
        import ray  # start-up time: Ray takes seconds to import, and only this backend needs it
    except ImportError:
        raise _not_installed() from None
    return ray


def wants_gpu(settings: Any) -> bool:
    """Whether a run's settings ask for a CUDA device (``device = cuda`` or ``cuda:N``)."""
    return str(getattr(settings, "device", "") or "").strip().lower().startswith("cuda")


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Refuse, in one line, an address where nothing answers within ``timeout`` seconds."""
    target = address.split("://", 1)[-1].rstrip("/")
    host, sep, port = target.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ConfigError(f"--address {address}: write HOST:PORT, e.g. 10.0.0.5:6379 (the head node's `ray start` port)")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as exc:
        reason = "no answer" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        raise ConfigError(
            f"--address {address}: cannot reach a Ray cluster there within {timeout:g} s ({reason}); "
            "is `ray start --head` running on that machine, and is the port open?"
        ) from None


#: A call every Ray cluster's control service (GCS) answers, asked to check that one is there.
_GCS_PROBE = "/ray.rpc.NodeInfoGcsService/GetClusterId"


def _token_metadata() -> tuple[tuple[str, str], ...]:
    """The token header Ray itself would send (``RAY_AUTH_TOKEN``, or its token file), if any."""
    try:
        from ray._private.authentication.grpc_authentication_client_interceptor import (
            _get_authentication_metadata_tuple,
        )

        return tuple(_get_authentication_metadata_tuple())
    except Exception:  # noqa: BLE001 - Ray's loader moved or failed: the variable alone
        token = os.environ.get("RAY_AUTH_TOKEN", "").strip()
        return (("authorization", f"Bearer {token}"),) if token else ()


def check_ray_answers(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Refuse, in one line and within ``timeout`` seconds in all, an address where no Ray
    cluster answers: nothing listening, a server of another kind, or a cluster that
    requires a token (``RAY_AUTH_TOKEN``) this process lacks or has wrong."""
    deadline = time.monotonic() + timeout
    check_reachable(address, timeout)
    import grpc  # Ray's own dependency, imported with it

    target = address.split("://", 1)[-1].rstrip("/")
    metadata = _token_metadata()
    channel = grpc.insecure_channel(target)
    try:
        probe = channel.unary_unary(_GCS_PROBE, request_serializer=None, response_deserializer=None)
        probe(b"", timeout=max(deadline - time.monotonic(), 0.1), metadata=metadata or None, wait_for_ready=True)
    except grpc.RpcError as exc:
        code = exc.code() if callable(getattr(exc, "code", None)) else None
        if code in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED):
            fix = ("the token in RAY_AUTH_TOKEN is not this cluster's" if metadata
                   else "set RAY_AUTH_TOKEN to its token (`ray get-auth-token` on the head node)")
            raise ConfigError(f"--address {address}: this Ray cluster requires a token: {fix}") from None
        raise ConfigError(
            f"--address {address}: something listens there but no Ray cluster answered within {timeout:g} s "
            f"({code.name.lower() if code else 'no answer'}); give the head node's `ray start` port (6379 by default)"
        ) from None
    finally:
        channel.close()


def _run_on_worker(task: RunTask, spec_bytes: bytes | None) -> Outcome:
    """What each Ray task runs: the task, on a worker that draws no figures on screen."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    return run_task(task, spec_bytes)


@contextmanager
def _workers_import_what_this_process_can(local: bool) -> Iterator[None]:
    """While a local Ray instance starts, ``PYTHONPATH`` holds this process's ``sys.path``.

    Ray's processes inherit this environment, and so its workers import what this
    process can (a paradigm registered from your own module). Through the
    environment rather than a ``runtime_env``: workers with a runtime environment of
    their own are started afresh for the first task, while these are started with
    Ray and are ready when the first run arrives (measured: about a second sooner).
    """
    if not local:
        yield
        return
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(str(Path(p).resolve()) for p in sys.path if p))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved


class RayBackend:
    """Run tasks as Ray tasks: on a local Ray instance, or on the cluster at ``address``.

    ``jobs`` caps the runs in flight at once (``None``: as many as the cluster's
    CPUs take; Ray queues the rest). ``cpus_per_run`` CPUs are reserved for each run,
    which also keeps to that many threads. ``local_cpus`` caps the CPUs of a local
    Ray instance started here (default: all of this machine's).
    """

    name = "ray"

    def __init__(
        self,
        jobs: int | None = None,
        address: str | None = None,
        *,
        cpus_per_run: int = 1,
        retries: int = RETRIES,
        connect_timeout: float = CONNECT_TIMEOUT,
        local_cpus: int | None = None,
    ) -> None:
        if jobs is not None and int(jobs) < 1:
            raise ConfigError(f"--jobs {jobs}: give at least 1")
        if int(cpus_per_run) < 1:
            raise ConfigError(f"cpus_per_run = {cpus_per_run}: give at least 1")
        check_installed()
        self.jobs = None if jobs is None else int(jobs)
        self.address = (address or os.environ.get("RAY_ADDRESS") or "").strip() or None
        self.cpus_per_run = int(cpus_per_run)
        self.retries = int(retries)
        self.connect_timeout = float(connect_timeout)
        self.local_cpus = local_cpus
        self.started = False  # whether this backend started (and so stops) Ray

    def describe(self, runs: int) -> str:
        """Where the runs will go, in words for the command line."""
        if self.address is None:
            return "on a local Ray instance"
        return f"on the Ray cluster at {self.address}"

    def connect(self) -> float:
        """Start or join Ray (once per process); the seconds it took (0 when Ray was up already).

        An address where nothing answers, or that Ray refuses, is a ConfigError: it
        is raised before any run starts.
        """
        ray = import_ray()
        if ray.is_initialized():
            return 0.0
        if self.address is not None and self.address not in _LOOKUP_WORDS:
            check_ray_answers(self.address, self.connect_timeout)
        options: dict[str, Any] = {"logging_level": logging.WARNING}
        if self.address is None:  # a Ray instance of our own, on this machine
            options["include_dashboard"] = False
            if self.local_cpus is not None:
                options["num_cpus"] = int(self.local_cpus)
        start = time.perf_counter()
        try:
            with _workers_import_what_this_process_can(self.address is None):
                ray.init(address=self.address or "local", **options)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = f"--address {self.address}" if self.address else "a local Ray instance"
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ConfigError(f"{where}: Ray could not start or join it ({first_line})") from None
        self.started = True
        return time.perf_counter() - start

    def close(self) -> None:
        """Stop the Ray instance this backend started (a joined cluster keeps running)."""
        if self.started:
            import_ray().shutdown()
            self.started = False

    def run(self, tasks: Sequence[RunTask], *, progress: Progress | bool | None = None,
            on_done: TaskDone | None = None) -> list[Outcome]:
        """Every task's outcome, in the order of ``tasks``, calling ``on_done`` as each arrives."""
        ray = import_ray()
        self.connect()
        remote = ray.remote(_run_on_worker)
        specs = {name: pickled_spec(name) for name in dict.fromkeys(task.name for task in tasks)}
        waiting = list(enumerate(tasks))
        in_flight: dict[Any, int] = {}
        outcomes: dict[int, Outcome] = {}
        limit = self.jobs or len(tasks)
        while waiting or in_flight:
            while waiting and len(in_flight) < limit:
                index, task = waiting.pop(0)
                task = dataclasses.replace(task, threads=task.threads or self.cpus_per_run)
                ref = remote.options(
                    num_cpus=self.cpus_per_run,
                    num_gpus=1 if wants_gpu(task.settings) else 0,
                    max_retries=self.retries,
                    retry_exceptions=False,
                ).remote(task, specs[task.name])
                in_flight[ref] = index
            ready, _ = ray.wait(list(in_flight), num_returns=1)
            for ref in ready:
                index = in_flight.pop(ref)
                try:
                    outcome = ray.get(ref)
                except Exception as exc:  # noqa: BLE001 - a worker that died past its retries
                    outcome = Failure.of(tasks[index], exc)
                outcomes[index] = outcome
                if on_done is not None:
                    on_done(tasks[index], outcome)
        return [outcomes[index] for index in range(len(tasks))]
