import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.utils.estimator_checks import parametrize_with_checks

from paradigms.errors import ConfigError, DataError
from paradigms.unsupervised.estimator import PARAMETER_OF_SETTING, CustomerSegmenter, LogScaler
from paradigms.unsupervised.generator import PERSONAS
from paradigms.unsupervised.settings import UnsupervisedSettings

#: Small, fast instances for scikit-learn's own checks: the choice of k with k-means (whose fit with k
#: given ``check_clustering`` runs, setting n_clusters=3), and the other algorithms with k given.
CHECKED = [
    CustomerSegmenter(k_max=4),
    CustomerSegmenter(n_clusters=3, algorithm="gmm"),
    CustomerSegmenter(n_clusters=3, algorithm="agglomerative"),
    LogScaler(),
]


def expected_failed_checks(estimator: object) -> dict[str, str]:
    """The checks each estimator is expected to fail, with the reason: none today.

    (``check_array_api_input`` skips itself unless ``SCIPY_ARRAY_API=1``: the
    segmenter works on NumPy arrays only, which it states by not claiming array-API support.)
    """
    return {}


@pytest.mark.filterwarnings("ignore:no clear choice of k", "ignore:weak structure", "ignore:no substantial structure")
@parametrize_with_checks(CHECKED, expected_failed_checks=expected_failed_checks)
def test_scikit_learn_estimator_checks(estimator, check):
    # The checks' random data has no natural groups, so the choice of k rightly warns about it.
    check(estimator)


def test_one_segment_is_allowed_as_in_kmeans():
    X = np.random.default_rng(0).normal(size=(10, 2))
    segmenter = CustomerSegmenter(n_clusters=1).fit(X)
    assert segmenter.n_clusters_ == 1 and set(segmenter.predict(X)) == {0}
    assert np.isnan(segmenter.score(X))  # no silhouette for one segment: a run refuses k = 1


def test_defaults_and_constraints_come_from_the_settings():
    settings = UnsupervisedSettings()
    params = CustomerSegmenter().get_params()
    assert {name: params[parameter] for name, parameter in PARAMETER_OF_SETTING.items()} == {
        name: getattr(settings, name) for name in PARAMETER_OF_SETTING
    }
    changed = dataclasses.replace(settings, k=4, algorithm="gmm", criterion="bic", log_transform="none")
    built = CustomerSegmenter.from_settings(changed, random_state=5)
    assert (built.n_clusters, built.algorithm, built.criterion, built.log_transform, built.random_state) == (
        4, "gmm", "bic", "none", 5)
    X = np.random.default_rng(0).normal(size=(30, 2))
    for params, message in [
        ({"k_min": 5, "k_max": 3}, "k_min = 5 is above k_max = 3"),
        ({"criterion": "bic"}, "criterion = bic needs --algorithm gmm"),
        ({"algorithm": "dbscan"}, "choose one of kmeans, gmm, agglomerative"),
        ({"n_clusters": 0}, "k = 0 is out of range: must be >= 2"),
        ({"n_clusters": 201}, "k = 201 is out of range: must be <= 200"),
        ({"k_max": 51}, "k_max = 51 is out of range: must be <= 50"),
        ({"silhouette_sample": 10**6}, "silhouette_sample = 1000000 is out of range: must be <= 50000"),
        ({"log_transform": "sometimes"}, "choose one of auto, all, none"),
    ]:
        with pytest.raises(ConfigError, match=message):
            CustomerSegmenter(**params).fit(X)


def test_personas_are_recovered_with_automatic_k(generated):
    _, _, data, truth = generated
    segmenter = CustomerSegmenter(random_state=0)
    labels = segmenter.fit_predict(data.features)
    assert segmenter.n_clusters_ == len(PERSONAS)
    assert adjusted_rand_score(truth, labels) >= 0.9
    assert segmenter.k_choice_["k"] == len(PERSONAS) and list(segmenter.k_selection_.k) == list(range(2, 11))
    # segments are numbered by size, the largest first
    sizes = np.bincount(labels)
    assert (np.diff(sizes) <= 0).all()
    # the skewed money and count features were log-transformed inside the model
    assert {"monetary", "frequency"} <= set(segmenter.log_features_)
    assert list(segmenter.feature_names_in_) == list(data.features.columns)


def test_predict_places_new_customers_in_the_learned_segments(generated):
    _, _, data, truth = generated
    order = np.random.default_rng(0).permutation(len(data.features))
    fitted_on, new = data.features.iloc[order[:600]], data.features.iloc[order[600:]]
    segmenter = CustomerSegmenter(n_clusters=len(PERSONAS), random_state=0).fit(fitted_on)
    assert np.array_equal(segmenter.predict(fitted_on), segmenter.labels_)
    assert adjusted_rand_score(truth.iloc[order[600:]], segmenter.predict(new)) >= 0.9
    # columns are matched by name, in any order; a missing one is named
    shuffled = new[list(reversed(new.columns))]
    assert np.array_equal(segmenter.predict(shuffled), segmenter.predict(new))
    with pytest.raises(DataError, match="missing features monetary"):
        segmenter.predict(new.drop(columns="monetary"))


def test_score_is_the_silhouette_of_the_predicted_segments():
    X, _ = make_blobs(300, n_features=3, centers=3, random_state=1)
    segmenter = CustomerSegmenter(n_clusters=3, log_transform=False).fit(X[:200])
    new = X[200:]
    expected = silhouette_score(segmenter.transform(new), segmenter.predict(new))
    assert segmenter.score(new) == pytest.approx(expected, abs=1e-9)


def test_transform_can_give_a_dataframe_with_the_feature_names(generated):
    _, _, data, _ = generated
    segmenter = CustomerSegmenter(n_clusters=3).fit(data.features)
    plain = segmenter.predict(data.features)
    scaled = segmenter.set_output(transform="pandas").transform(data.features)
    assert isinstance(scaled, pd.DataFrame) and list(scaled.columns) == list(data.features.columns)
    assert np.allclose(scaled.mean(), 0) and np.array_equal(segmenter.predict(data.features), plain)


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
    assert LogScaler(True).fit(X).log_mask_.tolist() == [True, False, True]  # every never-negative column
    Z = scaler.transform(X)
    assert np.allclose(Z.mean(axis=0), 0) and np.allclose(Z.std(axis=0), 1)
    assert np.allclose(scaler.inverse_transform(Z), X)


def test_constant_features_are_named_in_a_warning():
    X = np.column_stack([np.random.default_rng(0).normal(size=40), np.ones(40)])
    with pytest.warns(UserWarning, match="features x1 are constant"):
        CustomerSegmenter(n_clusters=2).fit(X)


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
    with pytest.raises(DataError, match=message):
        CustomerSegmenter(**kwargs).fit(X)


def test_a_segmenter_from_settings_fits_by_those_settings_until_a_parameter_changes():
    # It used to turn its parameters back into new settings on every fit; now the run's settings
    # are the ones it fits by, and only a changed parameter is validated again.
    settings = UnsupervisedSettings.from_overrides({"k_max": 4, "customers": 200})
    segmenter = CustomerSegmenter.from_settings(settings, random_state=0)
    assert segmenter._checked_settings() == (settings, None)
    assert segmenter._checked_settings()[0] is settings
    segmenter.set_params(k_max=5)
    assert segmenter._checked_settings()[0] is not settings and segmenter._checked_settings()[0].k_max == 5
    segmenter.set_params(k_max=4, k_min=6)
    with pytest.raises(ConfigError, match="CustomerSegmenter: k_min = 6 is above k_max = 4"):
        segmenter.fit(np.random.default_rng(0).normal(size=(30, 2)))
