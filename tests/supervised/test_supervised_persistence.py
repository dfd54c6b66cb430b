"""Saving a trained DigitClassifier and loading it back (persistence.py)."""

import hashlib
import io
import json
import os

import numpy as np
import pytest
import torch
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


def _edit_config(folder, **changes):
    """Change config.json's fields (nested as ``params__hidden_sizes``)."""
    config = json.loads((folder / "config.json").read_text())
    for key, value in changes.items():
        target, *rest = key.split("__")
        if rest:
            config[target][rest[0]] = value
        else:
            config[target] = value
    (folder / "config.json").write_text(json.dumps(config))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"params__hidden_sizes": [2_000_000_000]}, "network of 150,000,000,010 weights"),  # 600 GB of floats
        ({"pixel_std": 0.0}, "pixel_std is 0"),
        ({"pixel_std": "NaN"}, "pixel_std is 'NaN', not a finite number"),
        ({"pixel_mean": 1e400}, "pixel_mean is inf"),
        ({"classes": [3]}, "at least 2 different classes"),
        ({"classes": [[1], [2]]}, "numbers or words"),
        ({"image_shape": [9, 9]}, "does not hold n_features_in = 64"),
        ({"params__learning_rate": -1}, "learning_rate = -1"),
        ({"params__activation": "rm -rf"}, "activation = 'rm -rf'"),
        ({"training": [1]}, "training must be an object"),
    ],
)
def test_a_config_that_cannot_work_is_refused_before_anything_is_built(fitted_and_test, tmp_path, changes, message):
    folder = fitted_and_test[0].save(tmp_path / "model")
    _edit_config(folder, **changes)
    with pytest.raises(DataError) as info:
        DigitClassifier.load(folder)
    text = str(info.value)
    assert message in text and "config.json" in text and "\n" not in text, text


def test_weights_that_torch_cannot_read_give_one_line_naming_the_file(fitted_and_test, tmp_path):
    folder = fitted_and_test[0].save(tmp_path / "model")
    weights = folder / "weights.pt"
    weights.write_bytes(b"not a zip archive" * 2000)
    _edit_config(folder, weights_sha256=hashlib.sha256(weights.read_bytes()).hexdigest())
    with pytest.raises(DataError) as info:
        DigitClassifier.load(folder)
    assert str(weights) in str(info.value) and "\n" not in str(info.value) and len(str(info.value)) < 400


def test_nan_weights_are_refused_not_answered_with(fitted_and_test, tmp_path):
    fitted = fitted_and_test[0]
    folder = fitted.save(tmp_path / "model")
    state = {k: v.clone() for k, v in fitted.model_.state_dict().items()}
    next(iter(state.values()))[0, 0] = float("nan")
    buffer = io.BytesIO()
    torch.save(state, buffer)
    (folder / "weights.pt").write_bytes(buffer.getvalue())
    _edit_config(folder, weights_sha256=hashlib.sha256(buffer.getvalue()).hexdigest())
    with pytest.raises(DataError, match="NaN or infinite weights"):
        DigitClassifier.load(folder)
    next(iter(state.values()))[0, 0] = 3e38  # finite, but overflows into NaN answers
    buffer = io.BytesIO()
    torch.save(state, buffer)
    (folder / "weights.pt").write_bytes(buffer.getvalue())
    _edit_config(folder, weights_sha256=hashlib.sha256(buffer.getvalue()).hexdigest())
    with pytest.raises(DataError, match="holds a weight of 3e"):
        DigitClassifier.load(folder)


def test_special_files_in_a_model_folder_are_refused(fitted_and_test, tmp_path):
    folder = fitted_and_test[0].save(tmp_path / "model")
    (folder / "weights.pt").unlink()
    os.mkfifo(folder / "weights.pt")
    with pytest.raises(ConfigError, match="special file"):
        DigitClassifier.load(folder)
