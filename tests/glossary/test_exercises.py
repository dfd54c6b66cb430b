"""Every exercise: the worked answer passes, and two kinds of wrong answer fail with a message
that names what is wrong (never only "wrong"), a reason and a hint."""

from __future__ import annotations

import math

import numpy as np
import pytest

from glossary.exercises import Feedback, all_exercises, check, get_exercise
from glossary.exercises._base import run_source
from glossary.registry import all_terms

# -- wrong answers, one pair per exercise -------------------------------------------------------


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def gradients_without_tanh_slope(params, X, y):
    h = np.tanh(X @ params["W1"] + params["b1"])
    d_out = 2.0 * (h @ params["W2"] + params["b2"] - y) / len(y)
    d_z1 = d_out @ params["W2"].T  # the factor (1 - h**2) is missing
    return {"W2": h.T @ d_out, "b2": d_out.sum(axis=0), "W1": X.T @ d_z1, "b1": d_z1.sum(axis=0)}


def gradients_uphill(params, X, y):
    right = get_exercise("backpropagation").solution_answer()(params, X, y)
    return {name: -value for name, value in right.items()}


def train_without_using_the_labels(X, y):
    """Looks every image up in the full, correctly labelled data set: ignores the y it is given."""
    from glossary._data import digits

    images, labels = digits()
    table = {row.tobytes(): label for row, label in zip(images, labels, strict=True)}

    class LookUp:
        def predict(self, X):
            return np.array([table[row.tobytes()] for row in np.asarray(X, dtype=images.dtype)])

    return LookUp()


def train_too_little(X, y):
    from paradigms.supervised import DigitClassifier

    return DigitClassifier(hidden_sizes=(4,), epochs=1, batch_size=512, validation_size=0.15, threads=1, random_state=0).fit(X, y)


def choose_by_validation_report_validation(validation, test):
    index = int(np.argmax(validation))
    return index, validation[index]


def choose_on_test(validation, test):
    index = int(np.argmax(test))
    return index, test[index]


def split_in_order(labels, seed):
    n = len(labels)
    return np.arange(int(0.7 * n)), np.arange(int(0.7 * n), int(0.85 * n)), np.arange(int(0.85 * n), n)


def split_with_overlap(labels, seed):
    order = np.random.default_rng(seed).permutation(len(labels))
    return order[:1300], order[1300:1500], order[1200:1500]


def estimate_on_training_images(fit, X, y):
    return float(np.mean(fit(X, y).predict(X) == y))


def estimate_from_a_tenth(fit, X, y):
    cut = len(X) // 10
    return float(np.mean(fit(X[:cut], y[:cut]).predict(X[cut:]) == y[cut:]))


def standardised_answers(X_train, y_train, X_test):
    weights, *_ = np.linalg.lstsq(np.c_[X_train, np.ones(len(X_train))], (y_train - y_train.mean()) / y_train.std(), rcond=None)
    return np.c_[X_test, np.ones(len(X_test))] @ weights  # never scaled back to the target's units


def degree_by_training_error(x_train, y_train, x_val, y_val):
    return 16


WRONG = {
    "neuron": [
        (lambda x, w, b: np.dot(w, x) + b, "you return the weighted sum z"),
        (lambda x, w, b: sigmoid(np.dot(w, x)), "without the bias"),
    ],
    "neural-network": [
        (lambda widths: sum(m * n for m, n in zip(widths[:-1], widths[1:], strict=False)), "the weights only"),
        (lambda widths: sum(widths[1:]), "the neurons"),
    ],
    "deep": [(640, "640 neurons in one layer"), (50, "too few")],
    "backpropagation": [(gradients_without_tanh_slope, "miss tanh's slope"), (gradients_uphill, "wrong sign")],
    "supervised-learning": [
        (train_without_using_the_labels, "did not learn from the labels it was given"),
        (train_too_little, "of the test digits"),
    ],
    "unsupervised-learning": [(2, "is too few"), (12, "is too many")],
    "reinforcement-learning": [
        (lambda s, a, s2, lake, done: lake, "falling into a hole costs nothing"),
        (lambda s, a, s2, lake, done: 0.0 if done else 1.0, "pays 1 on average for a move that ends nothing"),
    ],
    "cost-function": [
        (lambda p, label: (label - p) ** 2, "that is squared error"),
        (lambda p, label: -math.log(p), "wrong for label 0"),
    ],
    "overfitting": [(degree_by_training_error, "it overfits"), (lambda *data: 1, "too simple")],
    "underfitting": [
        ({"degree": 1, "train_points": 2000}, "More data did not help"),
        ("degree=18,train_points=20", "now overfits"),
    ],
    "classification": [
        (lambda scores: (scores.argmin(axis=1), scores.min(axis=1)), "lowest score"),
        (lambda scores: (scores.argmax(axis=1), scores.max(axis=1)), "raw scores"),
    ],
    "regression": [
        (lambda X_train, y_train, X_test: np.full(len(X_test), y_train.mean()), "for every patient"),
        (standardised_answers, "on another scale"),
    ],
    "training-set": [(estimate_on_training_images, "images it was fitted on"), (estimate_from_a_tenth, "only 120 of the 1,200")],
    "validation-set": [(choose_on_test, "you chose on the test set"), (choose_by_validation_report_validation, "used to choose")],
    "test-set": [(split_in_order, "holds only the digits"), (split_with_overlap, "also in the training or validation set")],
    "batch-size": [(4, "more than 400"), (256, "only 12 updates")],
    "epoch": [
        (lambda training, validation: len(training), "where the training loss is lowest"),
        (lambda training, validation: int(np.argmin(validation)), "one too early"),
    ],
    "learning-rate": [(2.5, "past the edge"), (0.1, "too small"), (1.95, "zig-zags")],
    "mitchell": [
        (lambda e, p, chance: p[-1] > 2 * chance, "a program that was good from the start"),
        (lambda e, p, chance: p[-1] > p[0], "wobbles at chance"),
    ],
}

SLOW = {"supervised-learning"}


def _params(slugs):
    return [pytest.param(slug, marks=pytest.mark.slow) if slug in SLOW else slug for slug in slugs]


def test_every_term_has_one_exercise_in_lesson_order():
    assert [exercise.term for exercise in all_exercises()] == [term.slug for term in all_terms()]
    assert sorted(WRONG) == sorted(term.slug for term in all_terms())


def _assert_explained(feedback: Feedback) -> None:
    assert isinstance(feedback, Feedback)
    for part in (feedback.what, feedback.why, feedback.hint):
        assert len(part) > 20, feedback
    assert str(feedback).count("\n") >= 2


@pytest.mark.parametrize("slug", _params(sorted(WRONG)))
def test_the_worked_answer_passes(slug):
    exercise = get_exercise(slug)
    feedback = exercise.check(exercise.solution_answer())
    assert feedback.passed, str(feedback)
    _assert_explained(feedback)


@pytest.mark.parametrize("slug", _params(sorted(WRONG)))
def test_two_kinds_of_wrong_answer_fail_with_their_own_message(slug):
    messages = []
    for answer, expected in WRONG[slug]:
        feedback = check(slug, answer)
        assert not feedback.passed, f"{slug}: {expected!r} passed"
        assert expected in feedback.what, f"{slug}: expected {expected!r} in: {feedback}"
        _assert_explained(feedback)
        messages.append(feedback.what)
    assert len(set(messages)) == len(messages)


@pytest.mark.parametrize("slug", _params(sorted(WRONG)))
def test_the_students_placeholder_runs_and_gets_feedback(slug):
    exercise = get_exercise(slug)
    feedback = exercise.check(run_source(exercise.placeholder, exercise.name))
    assert not feedback.passed, f"the placeholder of {slug} already passes"
    _assert_explained(feedback)


def test_an_answer_that_raises_becomes_feedback_naming_the_error():
    def broken(p, label):
        raise KeyError("oops")

    feedback = check("cost function", broken)
    assert not feedback.passed
    assert "cross_entropy raised KeyError" in feedback.what
    assert "cross_entropy(0.9, 1)" in feedback.hint


def test_a_value_of_the_wrong_kind_is_feedback_not_a_crash():
    feedback = check("learning rate", "fast")
    assert not feedback.passed and "not a number" in feedback.what
    feedback = check("neural network", 50_890)
    assert not feedback.passed and "not a function" in feedback.what


def test_checks_are_deterministic():
    from glossary.exercises import training

    first = check("epoch", lambda training, validation: 5)
    training._epoch_runs.cache_clear()  # the runs are made again, not read back from the cache
    second = check("epoch", lambda training, validation: 5)
    assert first == second


def test_cross_validation_is_an_honest_estimate_too():
    def five_fold(fit, X, y):
        folds = np.array_split(np.arange(len(X)), 5)
        scores = []
        for held in folds:
            kept = np.setdiff1d(np.arange(len(X)), held)
            scores.append(np.mean(fit(X[kept], y[kept]).predict(X[held]) == y[held]))
        return float(np.mean(scores))

    feedback = check("training set", five_fold)
    assert feedback.passed, str(feedback)
