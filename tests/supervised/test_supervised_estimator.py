"""DigitClassifier on its own: learning, determinism, inputs, image files."""

import numpy as np
import pytest
import torch
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError

from paradigms.errors import DataError
from paradigms.supervised.estimator import DigitClassifier


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
    columns = ["train_loss", "val_loss", "val_accuracy"]
    assert a.history_[columns].equals(b.history_[columns])
    assert not np.array_equal(a.predict_proba(x_test), c.predict_proba(x_test))


def test_a_watched_set_is_scored_as_training_goes_and_changes_no_weight(digits):
    """The same-task comparison's curve: the test images' accuracy at examples seen, never chosen on."""
    x, y, x_test, y_test = digits
    plain = small(epochs=2).fit(x, y)
    watched = small(epochs=2).fit(x, y, watch_data=(x_test, y_test))
    np.testing.assert_array_equal(plain.predict_proba(x_test), watched.predict_proba(x_test))
    curve = watched.watch_curve_
    seen = list(curve["examples_seen"])
    assert seen == sorted(seen) and seen[-2:] == [1200, 2400]  # within the first epoch, then each epoch's end
    assert [s for s in seen if s < 1200] == [128, 256, 512, 1024]  # 100, 200, 500, 1,000 at batch granularity
    assert curve["accuracy"].iloc[-1] == pytest.approx(watched.score(x_test, y_test))
    assert curve["accuracy"].iloc[-1] > curve["accuracy"].iloc[0]
    assert plain.watch_curve_.empty


def test_fit_leaves_the_global_torch_state_alone(digits):
    x, y, _, _ = digits
    threads = torch.get_num_threads()
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    clf = small(epochs=1, threads=1).fit(x, y)
    assert torch.equal(torch.rand(3), expected)
    assert torch.get_num_threads() == threads
    assert clf.n_threads_ == 1


def test_rows_images_and_floats_are_the_same_input(fitted, digits):
    _, _, x_test, _ = digits
    as_images = fitted.predict_proba(x_test)
    np.testing.assert_allclose(fitted.predict_proba(x_test.reshape(len(x_test), -1)), as_images, rtol=1e-5)
    np.testing.assert_allclose(fitted.predict_proba(x_test / np.float32(255)), as_images, rtol=1e-4, atol=1e-6)
    assert as_images.shape == (len(x_test), 10) and np.allclose(as_images.sum(axis=1), 1, atol=1e-5)
    assert fitted.image_shape_ == (8, 8) and fitted.n_features_in_ == 64


def test_wrong_input_is_a_clear_error(fitted):
    with pytest.raises(ValueError, match="X has 784 features, but DigitClassifier is expecting 64 features"):
        fitted.predict(np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ValueError, match="Expected 2D array, got 1D array"):
        fitted.predict(np.zeros(64))
    with pytest.raises(NotFittedError):
        small().predict(np.zeros((2, 64)))


def test_labels_can_be_any_values(digits):
    x, y, x_test, y_test = digits
    names = np.array(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
    clf = small(epochs=2).fit(x, names[y])
    assert list(clf.classes_) == sorted(names)
    assert np.mean(clf.predict(x_test) == names[y_test]) > 0.8


def test_one_class_and_continuous_targets_are_refused(digits):
    x, y, _, _ = digits
    with pytest.raises(ValueError, match="1 class"):
        small().fit(x[:50], np.full(50, 3))
    with pytest.raises(ValueError, match="Unknown label type"):
        small().fit(x[:50], np.linspace(0, 1, 50))


def test_augmentation_shifts_images_and_leaves_feature_tables_alone(digits):
    x, y, x_test, y_test = digits
    rows = x.reshape(len(x), -1)
    shifted = small(augment_shift=1).fit(rows, y)        # 64 pixels: 8 x 8 images
    plain = small(augment_shift=0).fit(rows, y)
    assert shifted.image_shape_ == (8, 8)
    assert not np.array_equal(shifted.predict_proba(x_test), plain.predict_proba(x_test))
    assert shifted.score(x_test, y_test) > 0.8
    table, table_test = rows[:, :60], x_test.reshape(len(x_test), -1)[:, :60]  # 60 features: not images
    a = small(augment_shift=1).fit(table, y)
    b = small(augment_shift=0).fit(table, y)
    assert a.image_shape_ is None
    np.testing.assert_array_equal(a.predict_proba(table_test), b.predict_proba(table_test))


def test_a_validation_count_too_large_is_shrunk_with_a_warning(digits):
    x, y, _, _ = digits
    with pytest.warns(UserWarning, match="shrunk from 5000 to 60 examples"):
        clf = small(validation_size=5000, epochs=1).fit(x[:300], y[:300])
    assert clf.n_validation_examples_ == 60 and clf.n_train_examples_ == 240
    assert small(validation_size=0.5, epochs=1).fit(x[:300], y[:300]).n_validation_examples_ == 150


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


def test_sklearn_tools_work_with_it(digits):
    from sklearn.base import clone
    from sklearn.model_selection import cross_val_score

    x, y, _, _ = digits
    clf = small(epochs=2, validation_size=0)
    assert clone(clf).get_params() == clf.get_params()
    scores = cross_val_score(clf, x[:600].reshape(600, -1), y[:600], cv=2)
    assert scores.min() > 0.5
