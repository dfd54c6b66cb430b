"""Other IDX data sets through --data-dir: Fashion-MNIST and KMNIST recognised with their class names."""

import pytest
from fake_mnist import write_fake_mnist

import paradigms
from paradigms.datasets import idx_sets
from paradigms.datasets.digits import load_mnist
from paradigms.datasets.idx_sets import FASHION_MNIST, KnownIdxSet, identify, parse_class_names
from paradigms.errors import ConfigError, DataError

TINY = {"epochs": 1, "batch_size": 16, "hidden_sizes": (8,), "threads": 1, "validation_size": 5, "misclassified": 4}


@pytest.fixture
def fake_fashion(tmp_path, monkeypatch):
    """Small IDX files, and a known set whose published checksums are theirs (as Fashion-MNIST's are its own)."""
    specs = write_fake_mnist(tmp_path, n_train=40, n_test=10)
    known = KnownIdxSet("Fashion-MNIST", "pictures of clothing", FASHION_MNIST.class_names,
                        {role: spec.sha256 for role, spec in specs.items()})
    monkeypatch.setattr(idx_sets, "KNOWN_SETS", (known,))
    return tmp_path


def test_the_published_checksums_name_the_set():
    assert identify(FASHION_MNIST.sha256) is FASHION_MNIST
    assert identify(idx_sets.KMNIST.sha256).class_names[:3] == ("o", "ki", "su")
    assert identify({**FASHION_MNIST.sha256, "test_labels": "0" * 64}) is None  # all four must match


def test_a_recognised_set_is_read_with_its_class_names(fake_fashion):
    data = load_mnist(fake_fashion)
    assert data.info.name == "Fashion-MNIST" and "Fashion-MNIST SHA-256" in data.info.notes
    assert data.class_names[0] == "T-shirt/top" and data.subject == "pictures of clothing"


def test_the_run_speaks_of_its_classes(fake_fashion):
    ev = paradigms.run("supervised", data_dir=str(fake_fashion), seed=0, **TINY)
    assert ev.metrics["class_names"][9] == "Ankle boot"
    assert "pictures of clothing (Fashion-MNIST)" in ev.task and "T-shirt/top" in ev.task
    assert ev.dataset.name == "Fashion-MNIST"


def test_class_names_name_any_other_set(tmp_path):
    write_fake_mnist(tmp_path, n_train=40, n_test=10)
    names = ",".join(f"glyph {i}" for i in range(10))
    data = load_mnist(tmp_path, class_names=names)
    assert data.class_names[3] == "glyph 3" and data.info.name == "MNIST-format images (unverified)"
    with pytest.raises(DataError, match="label 9 found, but there are 3 class names"):
        load_mnist(tmp_path, class_names="a,b,c")
    with pytest.raises(ConfigError, match="given more than once"):
        parse_class_names("a, b, a")
    with pytest.raises(ConfigError, match="class_names is for IDX files"):
        paradigms.supervised.SupervisedSettings(class_names="a,b", data=tmp_path)
