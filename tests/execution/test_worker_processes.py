"""A sweep's worker processes are its own: they die with it (SIGKILL, SIGTERM) and leave
Ctrl-C to it (one ``interrupted``, no traceback per worker). Each case runs a real
sweep of the test-only ``scribe`` paradigm in a process of its own: one run naps, the
other is done at once and its worker waits for more."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

SCRIPT = """
import signal
import sys
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, even if whoever runs the tests ignores it
sys.path.insert(0, {here!r})
import paradigms
from sweep_paradigms import SCRIBE
from paradigms.cli import main
paradigms.available()
paradigms.register(SCRIBE, replace=True)
sys.exit(main(["sweep", "scribe", "--grid", "nap=0,120", "--jobs", "2",
               "--set", "scribe.pid_folder=" + {pids!r}, "--out", {out!r}]))
"""

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _start_sweep(tmp_path: Path) -> tuple[subprocess.Popen, list[int]]:
    pids = tmp_path / "pids"
    pids.mkdir()
    script = SCRIPT.format(here=str(HERE), pids=str(pids), out=str(tmp_path / "sweep"))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    # output to files, not pipes: an orphaned worker would hold a pipe open and hang the test's read
    with open(tmp_path / "stderr.txt", "w") as err:
        sweep = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path, env=env, start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + 120
    while not any(pids.iterdir()):
        if sweep.poll() is not None or time.monotonic() > deadline:
            sweep.kill()
            sweep.wait()
            pytest.fail(f"the workers never started: {(tmp_path / 'stderr.txt').read_text()[-2000:]}")
        time.sleep(0.2)
    time.sleep(2)  # the quick run's result is back, and its worker waits for another
    workers = _children(sweep.pid)
    assert len(workers) >= 2 and set(workers) >= {int(p.name) for p in pids.iterdir()}
    return sweep, workers


def _children(parent: int) -> list[int]:
    """The processes whose parent is ``parent`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def _wait_until_gone(pids: list[int], seconds: float = 60) -> list[int]:
    deadline = time.monotonic() + seconds
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in pids if _alive(pid)]
    for pid in left:  # leave nothing running, whatever the test says
        os.kill(pid, signal.SIGKILL)
    return left


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent(tmp_path, how):
    sweep, workers = _start_sweep(tmp_path)
    os.kill(sweep.pid, how)
    sweep.wait(timeout=60)
    assert _wait_until_gone(workers) == []


def test_ctrl_c_stops_the_sweep_with_one_line_and_no_worker_tracebacks(tmp_path):
    sweep, workers = _start_sweep(tmp_path)
    os.killpg(sweep.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole foreground group
    try:
        sweep.wait(timeout=60)
    finally:
        left = _wait_until_gone(workers)
    err = (tmp_path / "stderr.txt").read_text()
    assert sweep.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines()[-1] == "paradigms: interrupted"
    assert left == []
