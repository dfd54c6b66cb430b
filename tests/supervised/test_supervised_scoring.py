"""The one scoring of a classifier (scoring.py), used by image and table runs alike."""

import math

import numpy as np
import pytest

from paradigms.supervised.scoring import PROBABILITY_FLOOR, score_classifier, training_metrics


class Fixed:
    """A 'fitted classifier' answering fixed probabilities for the classes it saw."""

    def __init__(self, classes, proba):
        self.classes_, self._proba = np.asarray(classes), np.asarray(proba, dtype=float)

    def predict_proba(self, X):
        return self._proba


def test_probabilities_land_in_their_class_columns_and_an_unseen_class_scores_zero():
    # three classes; the classifier never saw class 1 (its columns are classes 0 and 2)
    model = Fixed([0, 2], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.5, 0.5]])
    y_test = np.array([0, 2, 2, 1])
    scores = score_classifier(model, None, y_test, y_train=np.array([2, 2, 0, 1]), n_classes=3)
    assert scores.proba[:, 1].tolist() == [0.0] * 4
    assert scores.predicted.tolist() == [0, 2, 0, 0]
    m = scores.metrics
    assert m["test_accuracy"] == 0.5 and m["chance_accuracy"] == pytest.approx(1 / 3)
    expected_loss = -(math.log(0.9) + math.log(0.8) + math.log(0.4) + math.log(PROBABILITY_FLOOR)) / 4
    assert m["test_loss"] == pytest.approx(expected_loss)
    assert m["majority_class"] == "2" and m["majority_baseline_accuracy"] == 0.5  # two of the four test answers are 2
    assert scores.per_class["confusion_matrix"] == [[1, 0, 0], [1, 0, 0], [1, 0, 1]]
    assert "accuracy" not in scores.per_class  # said once, as test_accuracy


def test_answers_taught_as_names_are_matched_to_their_class_index():
    names = ("cat", "dog", "emu")
    model = Fixed(["dog", "emu", "cat"], [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])  # classes_ in another order
    scores = score_classifier(model, None, np.array([1, 0]), y_train=np.array([0, 1, 1]), n_classes=3, answers=names)
    assert scores.proba.tolist() == [[0.1, 0.7, 0.2], [0.8, 0.1, 0.1]]
    assert scores.metrics["test_accuracy"] == 1.0


def test_the_measure_is_set_against_the_baseline_asked_for():
    model = Fixed([0, 1], [[0.9, 0.1]] * 4)
    scores = score_classifier(model, None, np.array([0, 0, 0, 1]), y_train=np.array([0, 0, 1]), n_classes=2)
    assert scores.measure("chance").baseline == 0.5
    assert scores.measure("majority").baseline == 0.75
    assert scores.measure("majority").value == scores.metrics["test_accuracy"] == 0.75


def test_updates_per_epoch_count_the_last_partial_batch():
    fitted = type("Fitted", (), {"best_epoch_": 2, "n_epochs_": 5, "stopped_early_": True})()
    assert training_metrics(fitted, n_train=1001, batch_size=100)["updates_per_epoch"] == 11
    assert training_metrics(fitted, n_train=1000, batch_size=100)["updates_per_epoch"] == 10
