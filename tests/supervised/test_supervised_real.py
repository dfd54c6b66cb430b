"""Tests on the real MNIST (slow; skipped where it is absent: see the mnist_dir fixture)."""

import gzip
import hashlib

import numpy as np
import pytest

import paradigms
from paradigms.cli import main
from paradigms.datasets.digits import MNIST_FILES, find_files, import_mnist, load_mnist

pytestmark = pytest.mark.slow

#: From shared/data/mnist/README.md.
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture(scope="module")
def mnist(mnist_dir):
    return load_mnist(mnist_dir, download=False)


def test_real_mnist_is_read_and_verified(mnist):
    assert mnist.info.name == "MNIST" and not mnist.info.fallback
    assert "match their published SHA-256" in mnist.info.notes
    assert mnist.train_images.shape == (60000, 28, 28) and mnist.test_images.shape == (10000, 28, 28)
    assert np.bincount(mnist.train_labels).tolist() == TRAIN_COUNTS
    assert np.bincount(mnist.test_labels).tolist() == TEST_COUNTS
    assert mnist.train_labels[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert mnist.train_images.mean() == pytest.approx(33.3184, abs=1e-3)
    published = {f"{s.name} (sha256)": s.sha256 for s in MNIST_FILES.values()}
    assert mnist.info.checksums == published


def test_quick_run_on_real_mnist_is_far_above_chance(mnist_dir):
    evaluation = paradigms.run("supervised", quick=True, seed=0, data_dir=mnist_dir)
    assert evaluation.dataset.name == "MNIST"
    assert evaluation.dataset.sizes == {"train": 60000, "test": 10000, "train_used": 10000, "validation": 2000}
    assert evaluation.measure.value > 0.9
    assert evaluation.metrics["majority_baseline_accuracy"] == pytest.approx(0.1135)
    assert np.array(evaluation.figure_data["misclassified"][0]["pixels"]).shape == (28, 28)


def test_fetch_from_a_local_mirror_of_the_real_files(mnist_dir, serve, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("LEARNING_PARADIGMS_OFFLINE")
    monkeypatch.setenv("LEARNING_PARADIGMS_MNIST_MIRRORS", f"http://127.0.0.1:9/,{serve(mnist_dir)}")
    assert main(["data", "fetch", "mnist", "--data-dir", str(tmp_path / "fetched")]) == 0
    assert "MNIST downloaded" in capsys.readouterr().out
    for spec in MNIST_FILES.values():
        assert hashlib.sha256((tmp_path / "fetched" / spec.name).read_bytes()).hexdigest() == spec.sha256


def test_import_from_raw_files(mnist_dir, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for spec in MNIST_FILES.values():
        (raw / spec.raw_name).write_bytes(gzip.decompress((mnist_dir / spec.name).read_bytes()))
    dest = import_mnist(raw, tmp_path / "imported")
    data = load_mnist(dest, download=False)
    assert data.info.name == "MNIST" and np.bincount(data.test_labels).tolist() == TEST_COUNTS
    assert find_files(dest)["train_images"].name == "train-images-idx3-ubyte.gz"
