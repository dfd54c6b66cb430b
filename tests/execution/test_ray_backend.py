"""The Ray backend: the same numbers as the local one, failures and dead workers reported, and clear
one-line errors without Ray or without a cluster. One local Ray instance serves the session
(``ray_instance``); the slow test starts a head node and a second node of its own."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from paradigms.cli import main
from paradigms.errors import ConfigError
from paradigms.evaluation import Evaluation
from paradigms.execution import Failure, RayBackend, RunTask, sweep
from paradigms.execution.ray_backend import check_reachable
from paradigms.report import Comparison

ROOT = Path(__file__).resolve().parents[2]
#: A small generated shop: the unsupervised paradigm's real code path, in a few seconds.
SMALL_SHOP = {"customers": 200, "curve_points": 2, "curve_draws": 1, "silhouette_sample": 100}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_without_ray_the_backend_says_how_to_install_it(scribe, monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    with pytest.raises(ConfigError, match=r"--backend ray needs Ray.*pip install 'learning-paradigms\[ray\]'"):
        RayBackend()
    out = tmp_path / "sweep"
    assert main(["sweep", "scribe", "--grid", "level=1,2", "--backend", "ray", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'learning-paradigms[ray]'" in err[0]
    assert not out.exists()  # refused before anything was written


def test_an_address_where_nothing_answers_is_one_line_within_a_bounded_wait(scribe, tmp_path, capsys):
    start = time.perf_counter()
    with pytest.raises(ConfigError, match="cannot reach a Ray cluster there within 0.5 s"):
        check_reachable(f"127.0.0.1:{_closed_port()}", timeout=0.5)
    with pytest.raises(ConfigError, match="write HOST:PORT"):
        check_reachable("head-node")
    assert time.perf_counter() - start < 5
    pytest.importorskip("ray")
    out = tmp_path / "sweep"
    code = main(["sweep", "scribe", "--grid", "level=1,2", "--backend", "ray", "--address",
                 f"127.0.0.1:{_closed_port()}", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "cannot reach a Ray cluster there" in err
    assert not (out / "runs").exists()  # refused before any run


def test_the_same_cell_and_seed_give_the_same_numbers_on_both_backends(ray_instance):
    local = sweep("unsupervised", {"k": [3]}, settings=SMALL_SHOP, quick=True, jobs=1)
    on_ray = sweep("unsupervised", {"k": [3]}, settings=SMALL_SHOP, quick=True, backend="ray")
    (a,), (b,) = local.evaluations, on_ray.evaluations
    assert a.measure == b.measure and a.metrics["silhouette"] == b.metrics["silhouette"]
    assert a.curve.drop(columns=[c for c in a.curve if "second" in c]).equals(
        b.curve.drop(columns=[c for c in b.curve if "second" in c]))


def test_failed_runs_come_back_as_failures_beside_the_others(scribe, ray_instance):
    result = sweep("scribe", ["level=1,2"], seeds=2, settings={"fail_at": 2}, backend="ray")
    assert len(result.evaluations) == 2 and [f.error for f in result.failures] == ["RuntimeError: level 2 is cursed"] * 2
    assert Comparison.from_sweep(result).sweep.failure_cells == (result.grid.cells[1].id,) * 2


def test_ray_retries_a_run_whose_worker_died_then_reports_it_failed(scribe, ray_instance, tmp_path):
    retried = RayBackend(retries=1).run
    task = RunTask("scribe", scribe.settings(crash_marker=tmp_path / "once"), 0)
    (outcome,) = retried([task])
    assert isinstance(outcome, Evaluation) and (tmp_path / "once").exists()  # the second try ran
    never = RayBackend(retries=0).run
    (outcome,) = never([RunTask("scribe", scribe.settings(crash_marker=tmp_path / "again"), 0)])
    assert isinstance(outcome, Failure), outcome
    assert "WorkerCrashedError" in outcome.error or "died" in outcome.error


def _wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"no Ray head node on port {port} after {seconds} s")


def _stop(process: subprocess.Popen) -> None:
    """Stop one `ray start --block` and the Ray processes it started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.slow
def test_a_sweep_runs_on_a_two_node_cluster_through_address(tmp_path):
    pytest.importorskip("ray")
    ray_cli = Path(sys.executable).with_name("ray")
    if not ray_cli.exists():
        pytest.skip("the `ray` command is not installed beside this Python")
    port = _closed_port()
    # Ray's sockets live in its temp dir, and a socket's path must stay short (about 100 characters)
    temp = tempfile.mkdtemp(prefix="lp-ray-", dir="/tmp" if Path("/tmp").is_dir() else None)
    env = dict(os.environ, RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(16), RAY_USAGE_STATS_ENABLED="0")
    common = ["--block", "--num-cpus=1", "--disable-usage-stats"]
    started = []
    try:
        with open(tmp_path / "head.log", "w") as head_log, open(tmp_path / "node.log", "w") as node_log:
            started.append(subprocess.Popen(
                [str(ray_cli), "start", "--head", f"--port={port}", f"--temp-dir={temp}", "--include-dashboard=false",
                 *common], env=env, start_new_session=True, stdout=head_log, stderr=subprocess.STDOUT))
            _wait_for_port(port, 120)
            started.append(subprocess.Popen(
                [str(ray_cli), "start", f"--address=127.0.0.1:{port}", *common],
                env=env, start_new_session=True, stdout=node_log, stderr=subprocess.STDOUT))
        out = tmp_path / "sweep"
        sets = [f"--set=unsupervised.{key}={value}" for key, value in SMALL_SHOP.items()]
        command = [sys.executable, "-m", "paradigms", "sweep", "unsupervised", "--grid", "k=2,3", "--seeds", "2",
                   "--quick", *sets, "--backend", "ray", "--address", f"127.0.0.1:{port}", "--out", str(out)]
        finished = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert finished.returncode == 0, finished.stderr[-2000:]
        assert "[4/4]" in finished.stdout and "Ray ready" in finished.stderr
        assert len(Comparison.load(out).evaluations) == 4
    finally:
        for process in reversed(started):
            _stop(process)
        shutil.rmtree(temp, ignore_errors=True)


def test_compare_runs_on_ray_too(scribe, ray_instance, tmp_path, capsys):
    assert main(["compare", "--only", "scribe", "--seeds", "2", "--backend", "ray", "--out", str(tmp_path)]) == 0
    assert "on a local Ray instance" in capsys.readouterr().err
    assert [ev.seed for ev in Comparison.load(tmp_path).evaluations] == [0, 1]


class _FakeRay:
    """Stands in for the ``ray`` module: records how ``ray.init`` was called, starts nothing."""

    def __init__(self):
        import importlib.machinery

        self.__spec__ = importlib.machinery.ModuleSpec("ray", None)
        self.calls = []

    def is_initialized(self):
        return False

    def init(self, **options):
        self.calls.append(options)


def test_without_an_address_the_backend_starts_its_own_ray_never_a_recorded_cluster(monkeypatch):
    fake = _FakeRay()
    monkeypatch.setitem(sys.modules, "ray", fake)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    RayBackend().connect()
    assert [call["address"] for call in fake.calls] == ["local"]  # not None: `ray_current_cluster` is never joined


def _listening(answer: bytes | None):
    """A server that is not Ray on a free port: it accepts, says ``answer`` (or nothing), and waits."""
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held = []

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)
            if answer:
                try:
                    conn.sendall(answer)
                except OSError:
                    pass

    threading.Thread(target=serve, daemon=True).start()
    return server, held


@pytest.mark.parametrize("answer", [None, b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"])
def test_a_port_where_something_else_listens_is_one_line_within_the_bound(monkeypatch, answer):
    pytest.importorskip("grpc")
    fake = _FakeRay()
    monkeypatch.setitem(sys.modules, "ray", fake)
    server, held = _listening(answer)
    try:
        backend = RayBackend(address=f"127.0.0.1:{server.getsockname()[1]}", connect_timeout=1.0)
        with pytest.raises(ConfigError, match=r"something listens there but no Ray cluster answered within 1 s"):
            backend.connect()
    finally:
        server.close()
        for conn in held:
            conn.close()
    assert fake.calls == []  # ray.init, which would hang there, never called


def test_a_cluster_that_wants_a_token_says_so_in_one_line(monkeypatch):
    grpc = pytest.importorskip("grpc")
    from concurrent.futures import ThreadPoolExecutor

    class RefuseWithoutToken(grpc.GenericRpcHandler):
        def service(self, details):
            return grpc.unary_unary_rpc_method_handler(
                lambda request, context: context.abort(grpc.StatusCode.UNAUTHENTICATED, "token required"))

    monkeypatch.setitem(sys.modules, "ray", _FakeRay())
    # the token as this process has it: RAY_AUTH_TOKEN alone (not Ray's cached loader, nor ~/.ray)
    monkeypatch.setitem(sys.modules, "ray._private.authentication.grpc_authentication_client_interceptor", None)
    monkeypatch.delenv("RAY_AUTH_TOKEN", raising=False)
    server = grpc.server(ThreadPoolExecutor(max_workers=2))
    server.add_generic_rpc_handlers((RefuseWithoutToken(),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        address = f"127.0.0.1:{port}"
        with pytest.raises(ConfigError, match=r"requires a token: set RAY_AUTH_TOKEN to its token") as missing:
            RayBackend(address=address, connect_timeout=5.0).connect()
        assert "\n" not in str(missing.value)
        monkeypatch.setenv("RAY_AUTH_TOKEN", "not-the-token")
        with pytest.raises(ConfigError, match=r"requires a token: the token in RAY_AUTH_TOKEN is not this cluster's"):
            RayBackend(address=address, connect_timeout=5.0).connect()
    finally:
        server.stop(None)


def test_a_real_ray_clusters_control_service_passes_the_check(ray_instance):
    from paradigms.execution.ray_backend import check_ray_answers

    check_ray_answers(ray_instance.get_runtime_context().gcs_address, timeout=10)
    assert (Path(os.environ["RAY_TMPDIR"]) / "ray").is_dir()  # Ray's files go to the tests' own folder
