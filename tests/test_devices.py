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


_SAME_ON_ANY_THREADS = """
import hashlib, os
os.environ.pop("MKL_CBWR", None)
import paradigms  # asks MKL for results that do not depend on the thread count
import numpy as np
from paradigms.supervised import DigitClassifier
rng = np.random.default_rng(0)
X, y = rng.random((600, 784)), rng.integers(0, 10, 600)
digests = []
for threads in (1, 2, 1):
    model = DigitClassifier(hidden_sizes=(256, 128), epochs=2, batch_size=64, threads=threads, random_state=0,
                            validation_size=100).fit(X, y)
    weights = b"".join(p.detach().numpy().tobytes() for p in model.model_.parameters())
    digests.append(hashlib.sha256(weights).hexdigest())
print(os.environ["MKL_CBWR"], len(set(digests)))
"""


def test_the_same_seed_gives_the_same_weights_on_one_thread_or_two():
    """A run's thread count follows how busy the cores are (choose_threads), so the numbers must not."""
    if not torch.backends.mkl.is_available():
        pytest.skip("this PyTorch has no MKL: its results may depend on the thread count")
    out = subprocess.run([sys.executable, "-c", _SAME_ON_ANY_THREADS], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["AUTO,STRICT", "1"], out.stdout + out.stderr
