import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score

from paradigms.errors import DataError
from paradigms.unsupervised.estimator import CustomerSegmenter, LogScaler
from paradigms.unsupervised.generator import PERSONAS


def test_personas_are_recovered_with_automatic_k(generated):
    _, _, data, truth = generated
    segmenter = CustomerSegmenter(random_state=0)
    labels = segmenter.fit_predict(data.features)
    assert segmenter.n_clusters_ == len(PERSONAS)
    assert adjusted_rand_score(truth, labels) >= 0.9
    assert segmenter.k_choice_["k"] == len(PERSONAS) and len(segmenter.k_selection_) == 9
    # segments are numbered by size, the largest first
    sizes = np.bincount(labels)
    assert (np.diff(sizes) <= 0).all()
    # the skewed money and count features were log-transformed inside the model
    assert {"monetary", "frequency"} <= set(segmenter.log_features_)


def test_predict_places_new_customers_in_the_learned_segments(generated):
    _, _, data, truth = generated
    order = np.random.default_rng(0).permutation(len(data.features))
    fitted_on, new = data.features.iloc[order[:600]], data.features.iloc[order[600:]]
    segmenter = CustomerSegmenter(n_clusters=len(PERSONAS), random_state=0).fit(fitted_on)
    assert np.array_equal(segmenter.predict(fitted_on), segmenter.labels_)
    assert adjusted_rand_score(truth.iloc[order[600:]], segmenter.predict(new)) >= 0.9
    # columns are matched by name, in any order
    shuffled = new[list(reversed(new.columns))]
    assert np.array_equal(segmenter.predict(shuffled), segmenter.predict(new))
    assert -1 <= segmenter.score(new) <= 1


def test_it_is_a_scikit_learn_estimator():
    segmenter = CustomerSegmenter(n_clusters=3, algorithm="gmm", random_state=4)
    assert clone(segmenter).get_params() == segmenter.get_params()
    with pytest.raises(NotFittedError):
        segmenter.predict(np.zeros((2, 3)))
    X = np.random.default_rng(0).normal(size=(60, 3))
    assert segmenter.fit(X).labels_.shape == (60,)
    with pytest.raises(DataError, match="expected 3 features"):
        segmenter.predict(np.zeros((2, 4)))


def test_same_seed_same_segments(generated):
    _, _, data, _ = generated
    a = CustomerSegmenter(random_state=7, k_max=7).fit(data.features)
    b = CustomerSegmenter(random_state=7, k_max=7).fit(data.features)
    assert np.array_equal(a.labels_, b.labels_)
    pd.testing.assert_frame_equal(a.k_selection_, b.k_selection_)


def test_log_scaler_round_trips_and_only_logs_skewed_nonnegative_columns():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.lognormal(3, 1, 500), rng.normal(0, 1, 500), rng.uniform(0, 1, 500)])
    scaler = LogScaler().fit(X)
    assert scaler.log_mask_.tolist() == [True, False, False]
    Z = scaler.transform(X)
    assert np.allclose(Z.mean(axis=0), 0) and np.allclose(Z.std(axis=0), 1)
    assert np.allclose(scaler.inverse_transform(Z), X)


@pytest.mark.parametrize(
    "X, kwargs, message",
    [
        (np.zeros((3, 2)), {"n_clusters": 5}, "3 customers cannot form 5 segments"),
        (np.zeros((2, 2)), {}, "too few to choose"),
        (pd.DataFrame({"a": [1.0, np.nan, 2.0], "b": [1.0, 2.0, 3.0]}), {"n_clusters": 2}, "feature 'a' has missing"),
        (pd.DataFrame({"a": [np.nan] * 4, "b": [1.0, 2.0, 3.0, 4.0]}), {"n_clusters": 2}, "feature 'a' has no values"),
        (pd.DataFrame({"a": ["x", "1", "2"], "b": [1, 2, 3]}), {"n_clusters": 2}, "feature 'a' is not numeric"),
    ],
)
def test_bad_input_errors(X, kwargs, message):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(DataError, match=message):
            CustomerSegmenter(**kwargs).fit(X)
