"""Small IDX files under the MNIST names, for tests that need MNIST-shaped files fast."""

import hashlib

import numpy as np

from paradigms.datasets.digits import MNIST_FILES, MnistFile
from paradigms.datasets.idx import write_idx


def write_fake_mnist(folder, n_train=30, n_test=10, seed=0):
    """Four small IDX files under the MNIST names; returns their specs (with real checksums)."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train_images": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train_labels": (np.arange(n_train) % 10).astype(np.uint8),
        "test_images": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "test_labels": (np.arange(n_test) % 10).astype(np.uint8),
    }
    specs = {}
    for key, spec in MNIST_FILES.items():
        path = write_idx(folder / spec.name, arrays[key])
        body = path.read_bytes()
        specs[key] = MnistFile(spec.name, len(body), hashlib.sha256(body).hexdigest(), "0" * 64, spec.magic)
    return specs
