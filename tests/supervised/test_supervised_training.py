import numpy as np
import pytest
import torch
from PIL import Image
from sklearn.datasets import load_digits

from paradigms.errors import ConfigError, DataError
from paradigms.supervised.estimator import DigitClassifier
from paradigms.supervised.model import build_mlp, resolve_device
from paradigms.supervised.train import TrainConfig


@pytest.fixture(scope="module")
def digits():
    """sklearn's 8x8 digits as uint8 images (0-255): 1,400 to train on, 397 to test."""
    bunch = load_digits()
    images = np.rint(bunch.images * 255 / 16).astype(np.uint8)
    return images[:1400], bunch.target[:1400], images[1400:], bunch.target[1400:]


def small(**kwargs):
    options = dict(hidden_sizes=(64,), epochs=6, batch_size=64, learning_rate=1e-2,
                   validation_size=200, threads=1, random_state=0, augment_shift=0)
    options.update(kwargs)
    return DigitClassifier(**options)


@pytest.fixture(scope="module")
def fitted(digits):
    x, y, _, _ = digits
    return small().fit(x, y)


def test_learns_far_above_chance_and_loss_decreases(fitted, digits):
    _, _, x_test, y_test = digits
    assert fitted.score(x_test, y_test) > 0.85  # chance is 0.10
    history = fitted.history_
    assert history["train_loss"].iloc[-1] < history["train_loss"].iloc[0] / 3
    assert history["val_loss"].iloc[-1] < history["val_loss"].iloc[0]
    assert list(history["examples_seen"]) == [1200 * e for e in range(1, 7)]
    assert fitted.n_train_examples_ == 1200 and fitted.n_validation_examples_ == 200


def test_same_seed_same_numbers_other_seed_other_numbers(digits):
    x, y, x_test, _ = digits
    a = small(epochs=2).fit(x, y)
    b = small(epochs=2).fit(x, y)
    c = small(epochs=2, random_state=1).fit(x, y)
    np.testing.assert_array_equal(a.predict_proba(x_test), b.predict_proba(x_test))
    assert a.history_[["train_loss", "val_loss", "val_accuracy"]].equals(b.history_[["train_loss", "val_loss", "val_accuracy"]])
    assert not np.array_equal(a.predict_proba(x_test), c.predict_proba(x_test))


def test_fit_leaves_the_global_torch_state_alone(digits):
    x, y, _, _ = digits
    threads = torch.get_num_threads()
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    small(epochs=1, threads=1).fit(x, y)
    assert torch.equal(torch.rand(3), expected)
    assert torch.get_num_threads() == threads


def test_rows_images_and_floats_are_the_same_input(fitted, digits):
    _, _, x_test, _ = digits
    as_images = fitted.predict_proba(x_test)
    np.testing.assert_allclose(fitted.predict_proba(x_test.reshape(len(x_test), -1)), as_images, rtol=1e-5)
    np.testing.assert_allclose(fitted.predict_proba(x_test / np.float32(255)), as_images, rtol=1e-4, atol=1e-6)
    proba = fitted.predict_proba(x_test)
    assert proba.shape == (len(x_test), 10) and np.allclose(proba.sum(axis=1), 1, atol=1e-5)
    assert fitted.image_shape_ == (8, 8) and fitted.n_features_in_ == 64


def test_wrong_input_size_is_a_clear_error(fitted):
    with pytest.raises(ValueError, match="X has 784 features per image, but this DigitClassifier was trained on 64"):
        fitted.predict(np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ValueError, match="expected images"):
        fitted.predict(np.zeros(64))


def test_labels_can_be_any_values(digits):
    x, y, x_test, _ = digits
    names = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
    clf = small(epochs=2).fit(x, names[y])
    assert set(clf.predict(x_test)) <= set(names)


def test_save_and_load_predict_identically(fitted, digits, tmp_path):
    _, _, x_test, _ = digits
    folder = fitted.save(tmp_path / "model")
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "weights.pt"]
    loaded = DigitClassifier.load(folder)
    np.testing.assert_array_equal(loaded.predict_proba(x_test), fitted.predict_proba(x_test))
    assert loaded.get_params() == {**fitted.get_params(), "device": "cpu"}


def test_load_refuses_damaged_or_foreign_folders(fitted, tmp_path):
    folder = fitted.save(tmp_path / "model")
    weights = folder / "weights.pt"
    weights.write_bytes(weights.read_bytes()[:-10])
    with pytest.raises(DataError, match="does not match"):
        DigitClassifier.load(folder)
    (tmp_path / "other").mkdir()
    with pytest.raises(DataError, match="config.json: no such file"):
        DigitClassifier.load(tmp_path / "other")
    with pytest.raises(ConfigError, match="no such model folder"):
        DigitClassifier.load(tmp_path / "absent")


def test_predict_png_files_dark_on_light_like_a_drawing(fitted, digits, tmp_path):
    _, _, x_test, _ = digits
    paths = []
    for i, image in enumerate(x_test[:6]):
        path = tmp_path / f"digit{i}.png"
        big = np.kron(255 - image, np.ones((4, 4), np.uint8))  # dark ink on white paper, 32x32
        Image.fromarray(big).save(path)
        paths.append(path)
    from_files = fitted.predict_files(paths)
    assert (from_files == fitted.predict(x_test[:6])).mean() >= 5 / 6


def test_unreadable_image_names_the_file(fitted, tmp_path):
    path = tmp_path / "not-a-picture.png"
    path.write_text("hello")
    with pytest.raises(DataError, match="not-a-picture.png: not a readable image"):
        fitted.predict_files([path])


def test_early_stopping_keeps_the_best_epoch(digits):
    x, y, _, _ = digits
    rng = np.random.default_rng(0)
    noise_labels = rng.permutation(y[:300])  # validation labels unrelated to the images
    clf = small(epochs=30, patience=2, schedule="constant", learning_rate=3e-3)
    clf.fit(x, y, validation_data=(x[:300], noise_labels))
    assert clf.stopped_early_ and clf.n_epochs_ < 30
    assert clf.best_epoch_ == int(clf.history_["val_loss"].idxmin()) + 1


def test_ten_layered_network_is_expressible(digits):
    x, y, _, _ = digits
    net = build_mlp(784, (32,) * 10, 10)
    assert sum(isinstance(m, torch.nn.Linear) for m in net) == 11
    clf = small(hidden_sizes=(32,) * 10, epochs=3, learning_rate=3e-3).fit(x, y)
    assert len([m for m in clf.model_ if isinstance(m, torch.nn.Linear)]) == 11


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(epochs=0), "epochs = 0 must be at least 1"),
        (dict(batch_size=0), "batch_size = 0 must be at least 1"),
        (dict(hidden_sizes=(64, 0)), "at least 1 neuron"),
        (dict(optimizer="adamm"), "optimizer = 'adamm' is unknown"),
        (dict(learning_rate=-1.0), "learning_rate = -1.0 must be a positive number"),
        (dict(activation="swish"), "activation = 'swish' is unknown"),
    ],
)
def test_nonsense_options_are_config_errors(digits, options, message):
    x, y, _, _ = digits
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        small(**options).fit(x, y)


def test_cuda_without_a_gpu_says_so(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ConfigError, match="sees no CUDA GPU; use --device cpu"):
        resolve_device("cuda")
    assert resolve_device("auto").type == "cpu"


def test_train_config_rejects_unknown_schedule():
    with pytest.raises(ConfigError, match="schedule = 'linear' is unknown"):
        TrainConfig(schedule="linear")


def test_sklearn_compatible(digits):
    from sklearn.base import clone
    from sklearn.model_selection import cross_val_score

    x, y, _, _ = digits
    clf = small(epochs=2, validation_size=0)
    assert clone(clf).get_params() == clf.get_params()
    scores = cross_val_score(clf, x[:600].reshape(600, -1), y[:600], cv=2)
    assert scores.min() > 0.5


def test_random_shift_moves_each_image_within_bounds():
    from paradigms.supervised.augment import RandomShift

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


def test_augmented_training_still_learns_and_is_deterministic(digits):
    x, y, x_test, y_test = digits
    a = small(augment_shift=1, epochs=6).fit(x, y)
    b = small(augment_shift=1, epochs=6).fit(x, y)
    np.testing.assert_array_equal(a.predict_proba(x_test), b.predict_proba(x_test))
    assert a.score(x_test, y_test) > 0.8
    with pytest.raises(ValueError, match="augment_shift = 1 needs images"):
        small(augment_shift=1).fit(x.reshape(len(x), -1)[:, :60], y)
