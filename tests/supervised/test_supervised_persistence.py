"""Saving a trained DigitClassifier and loading it back (persistence.py)."""

import json

import numpy as np
import pytest
from sklearn.datasets import load_digits

from paradigms.errors import ConfigError, DataError
from paradigms.supervised.estimator import DigitClassifier


@pytest.fixture(scope="module")
def fitted_and_test():
    x, y = load_digits(return_X_y=True)
    clf = DigitClassifier(hidden_sizes=(32,), epochs=3, batch_size=64, validation_size=200, threads=1, random_state=0)
    return clf.fit(x[:1400], y[:1400]), x[1400:]


def test_save_and_load_predict_identically(fitted_and_test, tmp_path):
    fitted, x_test = fitted_and_test
    folder = fitted.save(tmp_path / "model")
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "weights.pt"]
    loaded = DigitClassifier.load(folder)
    np.testing.assert_array_equal(loaded.predict_proba(x_test), fitted.predict_proba(x_test))
    assert loaded.get_params() == {**fitted.get_params(), "device": "cpu"}
    assert loaded.image_shape_ == fitted.image_shape_ and loaded.best_epoch_ == fitted.best_epoch_
    assert loaded.history_[["epoch", "val_accuracy"]].equals(fitted.history_[["epoch", "val_accuracy"]])


def test_load_refuses_damaged_or_foreign_folders(fitted_and_test, tmp_path):
    fitted, _ = fitted_and_test
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


def test_load_refuses_another_format_or_version(fitted_and_test, tmp_path):
    fitted, _ = fitted_and_test
    folder = fitted.save(tmp_path / "model")
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "version": 99}))
    with pytest.raises(DataError, match="format version 99"):
        DigitClassifier.load(folder)
    (folder / "config.json").write_text(json.dumps({**config, "format": "something-else"}))
    with pytest.raises(DataError, match="not a saved DigitClassifier"):
        DigitClassifier.load(folder)


def test_saving_an_unfitted_model_or_onto_a_file_is_refused(fitted_and_test, tmp_path):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        DigitClassifier().save(tmp_path / "model")
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ConfigError, match="is a file"):
        fitted_and_test[0].save(tmp_path / "a-file")
