import warnings

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, silhouette_score

from paradigms.errors import ConfigError
from paradigms.unsupervised import model
from paradigms.unsupervised.model import choose_k, fit_clusters, silhouette_scores


def test_one_pass_silhouette_matches_scikit_learn():
    X, _ = make_blobs(700, n_features=5, centers=4, cluster_std=2.5, random_state=1)
    rng = np.random.default_rng(0)
    labellings = [rng.integers(0, k, len(X)) for k in (2, 3, 7)]
    labellings.append(np.r_[np.zeros(699, int), 1])  # a cluster of one point counts 0
    ours = silhouette_scores(X, labellings, block=128)
    reference = [silhouette_score(X, labels) for labels in labellings]
    assert np.allclose(ours, reference, atol=1e-9)


@pytest.mark.parametrize("algorithm", ["kmeans", "gmm", "agglomerative"])
def test_choose_k_finds_the_blobs(algorithm):
    X, y = make_blobs(900, n_features=4, centers=4, cluster_std=0.8, random_state=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a clear case must not warn
        selection = choose_k(X, range(2, 8), algorithm=algorithm, seed=0)
    assert selection.k == 4 and selection.clear
    assert list(selection.table.columns[:5]) == ["k", "silhouette", "calinski_harabasz", "davies_bouldin", "inertia"]
    assert selection.table.loc[selection.table.k == 4, "silhouette"].item() == selection.table.silhouette.max()
    assert adjusted_rand_score(y, selection.fitted[4].labels) > 0.99


def test_bic_chooses_for_the_mixture():
    X, _ = make_blobs(600, n_features=3, centers=3, random_state=3)
    selection = choose_k(X, range(2, 6), algorithm="gmm", criterion="bic", seed=0)
    assert selection.k == 3 and selection.table["bic"].notna().all()
    with pytest.raises(ConfigError, match="bic needs --algorithm gmm"):
        choose_k(X, range(2, 4), criterion="bic")


@pytest.mark.parametrize("shape", ["uniform", "normal"])
def test_no_structure_warns(shape):
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(500, 3)) if shape == "uniform" else rng.normal(size=(500, 3))
    with pytest.warns(UserWarning) as record:
        choose_k(X, range(2, 8), seed=0)
    messages = " ".join(str(w.message) for w in record)
    assert "structure" in messages
    if shape == "normal":
        assert "no clear choice of k" in messages


def test_large_data_uses_samples_and_minibatch(monkeypatch):
    monkeypatch.setattr(model, "MINIBATCH_THRESHOLD", 500)
    X, y = make_blobs(3000, n_features=4, centers=3, random_state=4)
    selection = choose_k(X, range(2, 6), seed=0, selection_sample=400, silhouette_sample=300)
    assert selection.k == 3 and len(selection.rows) == 400
    fit = fit_clusters(X, 3, seed=0, init=selection.fitted[3].centers, selection_sample=400)
    assert type(fit.model).__name__ == "MiniBatchKMeans"
    assert "MiniBatchKMeans on 3,000 customers, started from k-means centres of a 400-customer sample" in fit.notes[0]
    assert adjusted_rand_score(y, fit.labels) > 0.99
    alone = fit_clusters(X, 3, seed=0, selection_sample=400)  # no centres given: found on a sample first
    assert adjusted_rand_score(y, alone.labels) > 0.99


def test_agglomerative_on_many_customers_fits_a_sample(monkeypatch):
    monkeypatch.setattr(model, "AGGLOMERATIVE_SAMPLE", 300)
    X, y = make_blobs(1500, n_features=3, centers=3, random_state=5)
    fit = fit_clusters(X, 3, algorithm="agglomerative", seed=0)
    assert "fitted on a sample of 300" in fit.notes[0]
    assert len(fit.labels) == 1500 and adjusted_rand_score(y, fit.labels) > 0.99
    assert np.array_equal(fit.assign(X), fit.labels)
