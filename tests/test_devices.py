"""How many threads PyTorch gets when the user does not say (issue 15: a busy laptop)."""

import subprocess
import sys
import time

import pytest
import torch

from paradigms.devices import busy_elsewhere, choose_threads, torch_threads


@pytest.mark.parametrize(
    "cores, busy, work, expected",
    [(2, 0.0, None, 2), (2, 0.4, None, 2), (2, 1.0, None, 1), (2, 5.0, None, 1), (16, 3.2, None, 13),
     (16, 0.0, 10_000, 1), (16, 0.0, 50_000_000, 16)],
)
def test_threads_are_the_idle_cores_and_one_for_small_work(cores, busy, work, expected):
    assert choose_threads(work, cores=cores, busy=busy) == expected


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_busy_program_is_seen():
    loop = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)
        assert busy_elsewhere() >= 1
    finally:
        loop.kill()
        loop.wait()


def test_a_chosen_count_never_exceeds_the_threads_already_allowed():
    with torch_threads(1):
        with torch_threads(None, work=10**12):
            assert torch.get_num_threads() == 1
    with torch_threads(None, work=10):  # tiny work: one thread, then the count as before
        assert torch.get_num_threads() == 1
