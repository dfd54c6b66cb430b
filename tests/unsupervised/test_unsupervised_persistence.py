"""A fitted CustomerSegmenter saved and loaded back: the same segments, nothing unpickled, and a
damaged file is one line naming it."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.exceptions import NotFittedError

from paradigms.errors import ConfigError, DataError
from paradigms.unsupervised import CustomerSegmenter
from paradigms.unsupervised.persistence import FILE


def _customers(n: int = 400, seed: int = 0) -> pd.DataFrame:
    X, _ = make_blobs(n, n_features=4, centers=3, random_state=seed)
    frame = pd.DataFrame(np.abs(X) + 1.0, columns=["recency", "frequency", "monetary", "basket"])
    frame["monetary"] = frame["monetary"] ** 3  # skewed: log-transformed under "auto"
    return frame


@pytest.mark.parametrize(
    "params",
    [{"k_max": 5}, {"n_clusters": 3, "algorithm": "gmm"}, {"n_clusters": 4, "algorithm": "agglomerative"},
     {"n_clusters": 3, "log_transform": True}],
    ids=["kmeans-chosen-k", "gmm", "agglomerative", "log-all"],
)
def test_a_round_trip_gives_the_same_segments(tmp_path, params):
    train, new = _customers(), _customers(150, seed=1)
    segmenter = CustomerSegmenter(random_state=0, **params).fit(train)
    folder = segmenter.save(tmp_path / "model")
    assert folder == tmp_path / "model" and (folder / FILE).is_file()
    assert b"\x80" not in (folder / FILE).read_bytes()  # JSON, not a pickle
    loaded = CustomerSegmenter.load(folder)
    assert loaded.get_params() == segmenter.get_params()
    np.testing.assert_array_equal(loaded.predict(new), segmenter.predict(new))
    np.testing.assert_array_equal(loaded.predict(train), segmenter.predict(train))
    np.testing.assert_array_equal(loaded.transform(new), segmenter.transform(new))
    np.testing.assert_array_equal(loaded.cluster_centers_, segmenter.cluster_centers_)
    assert loaded.score(new) == segmenter.score(new)
    assert loaded.n_clusters_ == segmenter.n_clusters_ and loaded.log_features_ == segmenter.log_features_
    assert list(loaded.feature_names_in_) == list(train.columns) and loaded.k_choice_ == segmenter.k_choice_
    if segmenter.k_selection_ is None:
        assert loaded.k_selection_ is None
    else:
        pd.testing.assert_frame_equal(loaded.k_selection_, segmenter.k_selection_)
    with pytest.raises(DataError, match="missing features monetary"):  # the names travel with it
        loaded.predict(new.drop(columns="monetary"))


def test_a_segmenter_fitted_on_an_array_loads_from_its_file_path_too(tmp_path):
    X = _customers().to_numpy()
    segmenter = CustomerSegmenter(n_clusters=3, random_state=0).fit(X)
    loaded = CustomerSegmenter.load(segmenter.save(tmp_path) / FILE)
    assert not hasattr(loaded, "feature_names_in_")
    np.testing.assert_array_equal(loaded.predict(X), segmenter.labels_)


@pytest.fixture
def saved(tmp_path):
    folder = CustomerSegmenter(n_clusters=3, random_state=0).fit(_customers()).save(tmp_path / "model")
    return folder / FILE


def _rewrite(path, change):
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def _one_line_error(path, kind=DataError):
    with pytest.raises(kind) as caught:
        CustomerSegmenter.load(path.parent)
    message = str(caught.value)
    assert "\n" not in message and str(path.parent) in message
    return message


def test_a_truncated_file_is_one_line_naming_it(saved):
    saved.write_bytes(saved.read_bytes()[: len(saved.read_bytes()) // 2])
    assert "not valid JSON" in _one_line_error(saved)


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda d: d.update(format="something else"), "not a saved CustomerSegmenter"),
        (lambda d: d.update(version=99), "format version 99"),
        (lambda d: d.pop("scaling"), "missing 'scaling'"),
        (lambda d: d["scaling"].update(mean=[0.0]), "scaling.mean has shape (1,), expected (4,)"),
        (lambda d: d["scaling"].update(scale=[1.0, 0.0, 1.0, 1.0]), "scaling.scale must be positive"),
        (lambda d: d["scaling"]["mean"].__setitem__(0, None), "scaling.mean holds missing"),
        (lambda d: d["scaling"].update(log_mask=[1, 0, 0, 0]), "scaling.log_mask must be a list of true/false"),
        (lambda d: d["clusters"].update(centers=[[0.0] * 4] * 2), "clusters.centers has shape (2, 4), expected (3, 4)"),
        (lambda d: d["clusters"].update(k=10**9), "clusters.k = 1000000000 must be a whole number"),
        (lambda d: d.update(relabel=[0, 0, 1]), "relabel must number the 3 segments"),
        (lambda d: d["params"].update(k_min=9, k_max=2), "parameters are refused"),
        (lambda d: d["params"].update(colour="red"), "unexpected keyword"),
        (lambda d: d["clusters"].update(algorithm="gmm"), "is not the parameters' 'kmeans'"),
        (lambda d: d.update(n_features_in=True), "n_features_in = True must be a whole number"),
    ],
)
def test_a_damaged_file_is_one_line_naming_it(saved, change, words):
    _rewrite(saved, change)
    assert words in _one_line_error(saved)


def test_a_damaged_mixture_is_refused(tmp_path):
    path = CustomerSegmenter(n_clusters=2, algorithm="gmm", random_state=0).fit(_customers()).save(tmp_path) / FILE
    _rewrite(path, lambda d: d["clusters"].update(weights=[0.9, 0.9]))
    assert "weights must be positive and sum to 1" in _one_line_error(path)


def test_missing_folders_and_files_are_one_line(tmp_path):
    with pytest.raises(ConfigError, match="no such folder"):
        CustomerSegmenter.load(tmp_path / "nowhere")
    with pytest.raises(ConfigError, match=f"{FILE}: no such file"):
        CustomerSegmenter.load(tmp_path)
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ConfigError, match="is a file; give a folder"):
        CustomerSegmenter(n_clusters=2).fit(_customers()).save(tmp_path / "a-file")
    with pytest.raises(NotFittedError):  # scikit-learn's word: an unfitted segmenter has nothing to save
        CustomerSegmenter().save(tmp_path / "unfitted")
