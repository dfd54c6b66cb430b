"""The learning curve: the segments of a model fitted on n customers, scored on fixed held-out customers."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs

from paradigms.progress import Progress
from paradigms.unsupervised.estimator import CustomerSegmenter
from paradigms.unsupervised.settings import UnsupervisedSettings
from paradigms.unsupervised.training import HELD_OUT_SHARE, held_out_rows, learning_curve


def curve_of(features, truth, *, seed=0, **settings):
    settings = UnsupervisedSettings(**{"k": 4, "curve_points": 4, **settings})
    final = CustomerSegmenter.from_settings(settings, random_state=seed).fit(features)
    Z = final.transform(features)
    return learning_curve(settings, seed, features, final, Z, truth, Progress.silent(), truth_source="group")


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(500, n_features=3, centers=4, cluster_std=1.0, random_state=0)
    index = pd.Index([f"c{i}" for i in range(len(X))], name="customer_id")
    return pd.DataFrame(X, columns=["a", "b", "c"], index=index), pd.Series(y.astype(str), index=index)


def test_the_curve_rises_with_customers_seen_when_there_are_groups_to_find(blobs):
    features, truth = blobs
    curve = curve_of(features, truth)
    table = curve.table
    assert curve.reference == "known groups (group)" and curve.held_out == round(HELD_OUT_SHARE * 500)
    assert table["experience"].tolist()[0] == 4 and table["experience"].iloc[-1] == 400
    assert table["performance"].iloc[-1] > 0.8
    assert table["performance"].iloc[-1] - table["performance"].iloc[0] > 2 * table["std"].iloc[0]
    assert "ARI" in curve.label and "100 held-out customers" in curve.label


def test_the_curve_is_flat_within_its_noise_when_the_known_groups_are_unrelated(blobs):
    features, _ = blobs
    unrelated = pd.Series(np.random.default_rng(1).choice(["x", "y", "z"], len(features)), index=features.index)
    table = curve_of(features, unrelated, curve_draws=4).table
    # segments agree with random groups no better than chance, however many customers are seen
    assert table["performance"].abs().max() < 0.05
    assert abs(table["performance"].iloc[-1] - table["performance"].iloc[0]) < 0.05


def test_without_known_groups_the_reference_is_the_segmentation_of_all_the_data(blobs):
    features, _ = blobs
    curve = curve_of(features, None)
    assert curve.reference == "segments of all 500 customers"
    assert curve.table["performance"].iloc[-1] > 0.9


def test_the_held_out_customers_are_fixed_by_the_seed_and_leave_k_to_fit_on():
    assert np.array_equal(held_out_rows(1000, 5, seed=3), held_out_rows(1000, 5, seed=3))
    assert not np.array_equal(held_out_rows(1000, 5, seed=3), held_out_rows(1000, 5, seed=4))
    assert len(held_out_rows(100_000, 5, seed=0)) == 10_000  # capped
    assert len(held_out_rows(12, 10, seed=0)) == 2  # k customers are left to fit on
    assert len(held_out_rows(6, 5, seed=0)) == 0  # too few: no curve rather than a meaningless one


def test_too_few_customers_give_a_one_point_curve_without_a_score():
    features = pd.DataFrame({"a": [0.0, 0.1, 5.0, 5.1, 9.0, 9.2]})
    table = curve_of(features, None, k=None, k_max=3).table
    assert len(table) == 1 and np.isnan(table["performance"].iloc[0])


def test_a_subset_whose_customers_all_look_alike_puts_everyone_in_one_segment():
    # 37 identical customers and 3 others: the model fitted on 2 customers mostly sees two identical ones,
    # cannot tell anyone apart (a DataError for the fit), and so puts every held-out customer in one segment
    features = pd.DataFrame({"a": [1.0] * 37 + [8.0, 9.0, 10.0], "b": [2.0] * 37 + [5.0, 6.0, 7.0]})
    table = curve_of(features, None, k=2).table
    assert table["experience"].iloc[0] == 2 and table["performance"].notna().all()
    assert table["performance"].iloc[0] < table["performance"].iloc[-1]
