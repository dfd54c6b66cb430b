"""The learning loop (training.py), the network (model.py) and the random shifts (augment.py)."""

import numpy as np
import pytest
import torch

from paradigms.devices import torch_threads
from paradigms.errors import DataError
from paradigms.supervised.augment import RandomShift
from paradigms.supervised.model import build_mlp
from paradigms.supervised.settings import SupervisedSettings
from paradigms.supervised.training import train


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny matrices: one thread is fastest, and steady on a shared machine."""
    with torch_threads(1):
        yield


def blobs(n=400, features=20, classes=4, seed=0):
    """Well separated classes: a few epochs learn them."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, n)
    centres = rng.normal(0, 3, (classes, features))
    x = centres[y] + rng.normal(0, 1, (n, features))
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)


def test_train_follows_the_settings_recipe():
    x, y = blobs()
    settings = SupervisedSettings(epochs=3, batch_size=50, schedule="constant", learning_rate=1e-2, patience=0)
    torch.manual_seed(0)
    model = build_mlp(20, (16,), 4)
    result = train(model, x[:300], y[:300], settings, x_val=x[300:], y_val=y[300:], generator=torch.Generator().manual_seed(0))
    assert [r.epoch for r in result.history] == [1, 2, 3]
    assert [r.examples_seen for r in result.history] == [300, 600, 900]
    assert all(r.learning_rate == 1e-2 for r in result.history)  # constant: no schedule
    assert result.history[-1].val_accuracy > 0.9 and not model.training


def test_onecycle_warms_up_then_anneals():
    x, y = blobs()
    settings = SupervisedSettings(epochs=8, batch_size=50, learning_rate=1e-2)
    result = train(build_mlp(20, (16,), 4), x, y, settings, generator=torch.Generator().manual_seed(0))
    rates = [r.learning_rate for r in result.history]
    peak = int(np.argmax(rates))
    assert 0 < peak < len(rates) - 1 and rates[-1] < rates[0] < rates[peak]


@pytest.mark.parametrize("steps", [1, 2, 3, 4, 5, 6])
def test_onecycle_runs_on_a_handful_of_steps(steps):
    x, y = blobs(n=steps * 10)
    settings = SupervisedSettings(epochs=1, batch_size=10)
    result = train(build_mlp(20, (8,), 4), x, y, settings, generator=torch.Generator().manual_seed(0))
    assert np.isfinite(result.history[0].train_loss) and 0 < result.history[0].learning_rate <= 8e-3


def test_early_stopping_keeps_the_best_epoch():
    x, y = blobs()
    noise = y[300:][torch.randperm(100, generator=torch.Generator().manual_seed(0))]  # unrelated labels
    settings = SupervisedSettings(epochs=30, batch_size=50, patience=2, schedule="constant", learning_rate=3e-3)
    torch.manual_seed(0)
    model = build_mlp(20, (16,), 4)
    result = train(model, x[:300], y[:300], settings, x_val=x[300:], y_val=noise,
                   generator=torch.Generator().manual_seed(0))
    assert result.stopped_early and len(result.history) < 30
    losses = [r.val_loss for r in result.history]
    assert result.best_epoch == int(np.argmin(losses)) + 1
    kept = torch.nn.functional.cross_entropy(model(x[300:]), noise).item()
    assert kept == pytest.approx(min(losses), rel=1e-5)  # the best weights were put back


def test_a_diverging_loss_says_what_to_change():
    x, y = blobs()
    x[0, 0] = float("inf")
    settings = SupervisedSettings(epochs=1, batch_size=50, schedule="constant")
    with pytest.raises(FloatingPointError, match="lower the learning rate"):
        train(build_mlp(20, (16,), 4), x, y, settings, generator=torch.Generator().manual_seed(0))
    heavy = SupervisedSettings(epochs=1, batch_size=50, schedule="constant", weight_decay=10.0)
    with pytest.raises(DataError, match="weight_decay = 10 pulls the weights harder than the data can"):
        train(build_mlp(20, (16,), 4), x, y, heavy, generator=torch.Generator().manual_seed(0))


def test_ten_layered_network_is_expressible():
    net = build_mlp(784, (32,) * 10, 10)
    assert sum(isinstance(m, torch.nn.Linear) for m in net) == 11
    assert net(torch.zeros(2, 784)).shape == (2, 10)


def test_random_shift_moves_each_image_within_bounds():
    rng = np.random.default_rng(0)
    images = torch.from_numpy(rng.random((80, 6, 5)).astype(np.float32))
    shift = RandomShift((6, 5), max_shift=1, fill=-1.0)
    batch = torch.arange(10, 74)
    moved, order = shift.take(shift.prepare(images.reshape(80, -1)), batch, torch.Generator().manual_seed(0))
    assert sorted(order.tolist()) == batch.tolist()
    moved = moved.reshape(64, 6, 5)
    offsets = set()
    for original, out in zip(images[order], moved, strict=True):
        padded = torch.nn.functional.pad(original, (1, 1, 1, 1), value=-1.0)
        matches = [(dy, dx) for dy in range(3) for dx in range(3) if torch.equal(padded[dy : dy + 6, dx : dx + 5], out)]
        assert len(matches) == 1
        offsets.add(matches[0])
    assert len(offsets) == 9  # every offset occurs: each image gets its own
