"""Exercises on fitting: cost function, overfitting, underfitting, classification, regression.

The checks reuse the demos' data and helpers: the cost-function demo's
cross-entropy, the capacity sweep's noisy wave (:mod:`glossary._capacity`), the
classification demo's digit network, the regression demo's diabetes patients.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from numpy.polynomial import legendre

from paradigms.errors import ConfigError
from paradigms.seeding import numpy_rng
from paradigms.supervised.metrics import r2_score

from .. import cost_function
from .._base import quiet_torch
from .._capacity import fit_polynomial, make_training_data, make_validation_data
from .._data import digits
from .._training import fit_full_batch, small_mlp
from ..regression import diabetes
from ._base import AnswerFailed, Exercise, Feedback, as_number, call_answer, checked, parse_settings

# -- cost function ----------------------------------------------------------------------------

COST_TASK = """
A cost function turns a prediction and the true answer into one number that says how wrong the prediction
is. Write `cross_entropy(p, label)`: `p` is the probability the model gives to "yes" (0 < p < 1), `label`
is 1 (yes) or 0 (no); return the binary cross-entropy, -log of the probability the model gave to what really
happened. The check compares with the cost-function demo's, for both labels.
"""

COST_POINTS = (0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99)


@checked("cost-function", "call cross_entropy(0.9, 1) yourself: it should return -log(0.9) = 0.105")
def check_cost(answer: Any) -> Feedback:
    """``cross_entropy(p, label)`` on seven probabilities, label 1 and label 0."""
    p = np.array(COST_POINTS)
    results = {}
    for label in (1, 0):
        got = np.array([as_number(call_answer(answer, float(q), label, name="cross_entropy"), "the cost") for q in p])
        results[label] = (got, cost_function.cross_entropy(p, float(label)))
    (got1, ce1), (got0, ce0) = results[1], results[0]
    numbers = {"confident_mistake_expected": float(ce1[0]), "confident_mistake_got": float(got1[0])}
    if np.allclose(got1, ce1, rtol=1e-6) and np.allclose(got0, ce0, rtol=1e-6):
        return Feedback("cost-function", True, (
            f"your cost matches the demo's cross-entropy for both labels: a confident mistake (p = 0.01 for a yes) costs "
            f"{ce1[0]:.2f}, a confident right answer (p = 0.99) {ce1[-1]:.3f}."),
            "cross-entropy grows without bound as the model grows sure of the wrong answer, so it pushes hardest where the model is most wrong.",
            "compare with squared error (1 - p)**2: it never exceeds 1 (see glossary.cost_function.demo()).", numbers)
    if np.allclose(got1, cost_function.mean_squared_error(p, 1.0)) and np.allclose(got0, cost_function.mean_squared_error(p, 0.0)):
        return Feedback("cost-function", False, f"that is squared error: a confident mistake (p = 0.01, label 1) costs {got1[0]:.2f}; cross-entropy charges {ce1[0]:.2f}.",
                        "squared error can never exceed 1, so it barely punishes a confident mistake; cross-entropy is -log of the probability given to the truth.",
                        "for label 1 return -log(p); for label 0, -log(1 - p).", numbers)
    if np.allclose(got1, -ce1) and np.allclose(got0, -ce0):
        return Feedback("cost-function", False, f"your costs are negative ({got1[0]:.2f} for a confident mistake): the sign is flipped.",
                        "log of a probability is at most 0, so the cost is minus the log: it is 0 for a perfect answer and grows with the mistake.",
                        "return -log(...), not log(...).", numbers)
    if np.allclose(got1, ce1, rtol=1e-6):
        return Feedback("cost-function", False, f"right for label 1, wrong for label 0: for p = 0.99 and label 0 you return {got0[-1]:.3f}, cross-entropy is {ce0[-1]:.2f}.",
                        "when the answer is no, the probability the model gave to what happened is 1 - p.",
                        "use -(label * log(p) + (1 - label) * log(1 - p)).", numbers)
    return Feedback("cost-function", False, f"for p = 0.01 and label 1 you return {got1[0]:.3f}; cross-entropy is {ce1[0]:.3f}.",
                    "cross-entropy is -log of the probability the model gave to what really happened.",
                    "for label 1 return -log(p); for label 0, -log(1 - p) (np.log is the natural logarithm).", numbers)


COST_PLACEHOLDER = '''import numpy as np


def cross_entropy(p, label):
    # TODO: -log of the probability the model gave to what really happened
    return 0.0
'''

COST_SOLUTION = '''import numpy as np


def cross_entropy(p, label):
    return -(label * np.log(p) + (1 - label) * np.log(1 - p))
'''

# -- overfitting ------------------------------------------------------------------------------

OVERFITTING_TASK = """
The capacity sweep of the overfitting demo: 20 noisy points of a wave, fitted by polynomials of degree 0 to
16. Write `choose_degree(x_train, y_train, x_val, y_val)` that returns the degree to use: fit each candidate
degree on the training points only and keep the one that does best on the 200 validation points. Fit with
`numpy.polynomial.legendre.legfit(x, y, degree)` and predict with `legval(x, coefficients)`. The check runs
it on three data sets and needs a degree whose validation error is within 10% of the best one's.
"""

CAPACITY_SEEDS, MAX_DEGREE, NOISE = (0, 1, 2), 16, 0.3


def _wave(seed: int, train_points: int = 20) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x, y = make_training_data(train_points, NOISE, numpy_rng(seed, 0))
    x_val, y_val = make_validation_data(200, NOISE, numpy_rng(seed, 1))
    return x, y, x_val, y_val


def _errors(x: np.ndarray, y: np.ndarray, x_val: np.ndarray, y_val: np.ndarray, degree: int) -> tuple[float, float]:
    c = fit_polynomial(x, y, degree)
    return float(np.mean((legendre.legval(x, c) - y) ** 2)), float(np.mean((legendre.legval(x_val, c) - y_val) ** 2))


@checked("overfitting", "choose_degree(...) must return a whole number from 0 to 16")
def check_overfitting(answer: Any) -> Feedback:
    """The chosen degree on three noisy waves, against the best degree on validation."""
    for seed in CAPACITY_SEEDS:
        x, y, x_val, y_val = _wave(seed)
        chosen = as_number(call_answer(answer, x.copy(), y.copy(), x_val.copy(), y_val.copy(), name="choose_degree"), "the degree")
        if chosen != int(chosen) or not 0 <= chosen <= MAX_DEGREE:
            raise AnswerFailed(f"choose_degree returned {chosen!r}: a degree from 0 to {MAX_DEGREE} is a whole number")
        chosen = int(chosen)
        errors = [_errors(x, y, x_val, y_val, d) for d in range(MAX_DEGREE + 1)]
        best = int(np.argmin([v for _, v in errors]))
        (train_mine, val_mine), (train_best, val_best) = errors[chosen], errors[best]
        numbers = {"data_set": seed, "degree": chosen, "best_degree": best, "validation_error": val_mine, "best_validation_error": val_best}
        if val_mine <= 1.1 * val_best:
            continue
        if chosen > best:
            return Feedback("overfitting", False, (
                f"on data set {seed + 1} you chose degree {chosen}: training error {train_mine:.3f}, lower than degree {best}'s "
                f"{train_best:.3f}, but validation error {val_mine:.3f}, {val_mine / val_best:.1f} times degree {best}'s {val_best:.3f}: it overfits."),
                "training error can only fall as the degree grows, because the extra capacity also fits the noise; only unseen points show the cost.",
                "choose by the validation error, not the training error: fit on (x_train, y_train), measure on (x_val, y_val).", numbers)
        return Feedback("overfitting", False, (
            f"on data set {seed + 1} you chose degree {chosen}: validation error {val_mine:.3f} against {val_best:.3f} at degree {best}, "
            f"and training error {train_mine:.3f} is high too: too simple."),
            "a polynomial of low degree cannot follow the wave, so it is wrong on training and validation points alike.",
            "try every degree from 0 to 16 and keep the one with the lowest validation error.", numbers)
    return Feedback("overfitting", True, "on all three data sets your degree's validation error is within 10% of the best degree's.",
                    "the validation set measures what training error cannot: how the fit does on points it never saw, noise and all.",
                    "print the training and validation errors of every degree: training error keeps falling, validation error turns up.",
                    {"data_sets": len(CAPACITY_SEEDS)})


OVERFITTING_PLACEHOLDER = '''import numpy as np
from numpy.polynomial import legendre


def choose_degree(x_train, y_train, x_val, y_val):
    # TODO: fit each degree on the training points, keep the best on validation
    return 16
'''

OVERFITTING_SOLUTION = '''import numpy as np
from numpy.polynomial import legendre


def choose_degree(x_train, y_train, x_val, y_val):
    def validation_error(degree):
        coefficients = legendre.legfit(x_train, y_train, degree)
        return np.mean((legendre.legval(x_val, coefficients) - y_val) ** 2)
    return min(range(17), key=validation_error)
'''

# -- underfitting -----------------------------------------------------------------------------

UNDERFITTING_TASK = """
A straight line (degree 1) fitted to 20 noisy points of a wave underfits: its training and validation
errors are both far above the noise level (0.3**2 = 0.09) that even a perfect model leaves. Cure it: choose
a `degree` for the polynomial and a number of `train_points` (10 to 5,000). The check fits it and needs a
validation error (on 200 fresh points) below 1.5 times the noise level. Hand in the two numbers, e.g.
`degree=1,train_points=20` on the command line or `answer = {"degree": 1, "train_points": 20}` in Python.
"""

NOISE_LEVEL = NOISE**2


def _settings(answer: Any) -> tuple[int, int]:
    if isinstance(answer, str):
        answer = parse_settings(answer)
    if not isinstance(answer, dict) or set(answer) != {"degree", "train_points"}:
        raise AnswerFailed(f"the answer is {answer!r:.80}: give a dict with the keys degree and train_points")
    degree, points = (as_number(answer[k], k) for k in ("degree", "train_points"))
    if degree != int(degree) or points != int(points) or not 0 <= degree < points or not 10 <= points <= 5000:
        raise AnswerFailed(f"degree = {answer['degree']!r}, train_points = {answer['train_points']!r}: whole numbers, train_points from 10 to 5,000, degree below it")
    return int(degree), int(points)


@checked("underfitting", "hand in {'degree': D, 'train_points': N}, e.g. degree=1,train_points=20")
def check_underfitting(answer: Any) -> Feedback:
    """Fit the chosen degree on the chosen number of noisy points; validation error against the noise level."""
    degree, points = _settings(answer)
    train_error, val_error = _errors(*_wave(0, points), degree)
    line_train, line_val = _errors(*_wave(0, 20), 1)
    numbers = {"degree": degree, "train_points": points, "training_error": train_error, "validation_error": val_error, "noise_level": NOISE_LEVEL}
    if val_error < 1.5 * NOISE_LEVEL:
        return Feedback("underfitting", True, (
            f"degree {degree} on {points} points: training error {train_error:.3f}, validation error {val_error:.3f}, near the "
            f"noise level {NOISE_LEVEL:.2f} (the straight line on 20 points: {line_train:.3f} and {line_val:.3f})."),
            "underfitting is cured by capacity: a model flexible enough to follow the pattern.",
            "try degree 1 with 5,000 points: more data does not help a model that is too simple." if points <= 100 else
            "more points let a flexible model ignore the noise, but it was the degree that cured the underfitting.", numbers)
    if train_error > 1.5 * NOISE_LEVEL:
        more_data = f" More data did not help: {points:,} points instead of 20." if points > 20 else ""
        return Feedback("underfitting", False, (
            f"degree {degree} on {points:,} points still underfits: training error {train_error:.3f} and validation error "
            f"{val_error:.3f}, both far above the noise level {NOISE_LEVEL:.2f}.{more_data}"),
            "a model too simple for the pattern is wrong even on the points it was fitted to; more examples of a wave do not make a line bend.",
            "raise the degree: the wave turns twice, so the polynomial needs room to turn.", numbers)
    return Feedback("underfitting", False, (
        f"degree {degree} on {points:,} points now overfits: training error {train_error:.3f}, below the noise level "
        f"{NOISE_LEVEL:.2f}, but validation error {val_error:.3f}."),
        "with this much capacity for so few points the polynomial fits the noise of the training points too.",
        "lower the degree (or give it more points): between too simple and too flexible lies the right capacity.", numbers)


UNDERFITTING_PLACEHOLDER = 'answer = {"degree": 1, "train_points": 20}  # TODO: cure the underfitting\n'
UNDERFITTING_SOLUTION = 'answer = {"degree": 5, "train_points": 20}  # more capacity; the 20 points are enough\n'

# -- classification ---------------------------------------------------------------------------

CLASSIFICATION_TASK = """
A classifier's output layer gives one score (a logit) per class. Write `classify(scores)`: `scores` is a
NumPy array with one row per image and one column per digit 0-9; return `(classes, probabilities)`, two
arrays with one entry per image: the class the classifier answers, and the probability it gives that class
(the softmax of the row's scores). The check feeds it the scores of a network trained on 8x8 digits.
"""


@cache
def _scores() -> tuple[np.ndarray, np.ndarray]:
    import torch  # start-up time: torch loads only when the check runs

    X, y = digits()
    order = numpy_rng(0, 22).permutation(len(X))
    train, test = order[:1200], order[1200:]
    with quiet_torch(0):
        network = small_mlp(X.shape[1], 32)
        fit_full_batch(network, X[train], y[train], torch.nn.functional.cross_entropy, steps=150, learning_rate=0.02)
        with torch.no_grad():
            scores = network(torch.from_numpy(X[test])).numpy().astype(np.float64)
    return scores, y[test]


@checked("classification", "return two arrays: classify(scores) -> (classes, probabilities)")
def check_classification(answer: Any) -> Feedback:
    """Classes and probabilities from a trained network's scores, against argmax and softmax."""
    scores, labels = _scores()
    result = call_answer(answer, scores.copy(), name="classify")
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise AnswerFailed(f"classify returned {type(result).__name__}, not a pair (classes, probabilities)")
    classes, probabilities = (np.asarray(part).reshape(-1) for part in result)
    if classes.size != len(scores) or probabilities.size != len(scores):
        raise AnswerFailed(f"classify returned {classes.size} classes and {probabilities.size} probabilities for {len(scores)} images")
    softmax = np.exp(scores - scores.max(axis=1, keepdims=True))
    softmax /= softmax.sum(axis=1, keepdims=True)
    expected_classes, expected_probabilities = scores.argmax(axis=1), softmax.max(axis=1)
    accuracy = float(np.mean(expected_classes == labels))
    numbers = {"images": len(scores), "accuracy": accuracy}
    if not np.array_equal(classes, expected_classes):
        if np.array_equal(classes, scores.argmin(axis=1)):
            return Feedback("classification", False, "your classes are the digits with the lowest score: the least likely answer for every image.",
                            "the classifier answers with the class it scores highest.", "use scores.argmax(axis=1).", numbers)
        return Feedback("classification", False, f"your class differs from the highest-scoring one on {int(np.sum(classes != expected_classes))} of {len(scores)} images.",
                        "the answer is the class whose output neuron scores highest.", "use scores.argmax(axis=1): one class per row.", numbers)
    if np.allclose(probabilities, scores.max(axis=1)):
        return Feedback("classification", False, f"your probabilities are the raw scores (e.g. {probabilities[0]:.2f}), not probabilities.",
                        "scores (logits) can be any number; the softmax turns a row of them into probabilities that are positive and add up to 1.",
                        "exp each score (minus the row's largest, for safety), divide by the row's sum, take the answer's entry.", numbers)
    if np.allclose(probabilities, 1.0 / (1.0 + np.exp(-scores.max(axis=1)))):
        return Feedback("classification", False, "your probabilities are a sigmoid of the top score alone: they ignore the other nine classes.",
                        "with ten classes the probability of one depends on all ten scores: softmax divides by the sum over the row.",
                        "p = exp(s) / exp(scores_of_the_row).sum().", numbers)
    if not np.allclose(probabilities, expected_probabilities, rtol=1e-5):
        worst = int(np.argmax(np.abs(probabilities - expected_probabilities)))
        return Feedback("classification", False, f"for image {worst} you give probability {probabilities[worst]:.3f}; the softmax gives {expected_probabilities[worst]:.3f}.",
                        "the softmax of a row of scores: exp(score) / sum of exp(scores) over the ten classes.",
                        "check each row's probabilities add up to 1 before taking the answer's.", numbers)
    return Feedback("classification", True, (
        f"your classes and probabilities match argmax and softmax; the answers are right on {accuracy:.1%} of {len(scores)} test digits (guessing: 10%)."),
        "a classifier answers with a class, right or wrong, and says how sure it is: a probability for that class.",
        "compare the probabilities of its right and wrong answers: glossary.classification.demo() does.", numbers)


CLASSIFICATION_PLACEHOLDER = '''import numpy as np


def classify(scores):
    # TODO: the class with the highest score, and its softmax probability
    return np.zeros(len(scores), dtype=int), np.zeros(len(scores))
'''

CLASSIFICATION_SOLUTION = '''import numpy as np


def classify(scores):
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))   # softmax, safe from overflow
    probabilities = exp / exp.sum(axis=1, keepdims=True)
    return scores.argmax(axis=1), probabilities.max(axis=1)
'''

# -- regression --------------------------------------------------------------------------------

REGRESSION_TASK = """
Regression predicts a number. The regression demo's patients: ten measurements each (scikit-learn's
diabetes data), and how far the disease progressed a year later (25 to 346). Write
`fit_predict(X_train, y_train, X_test)`: fit any model on the training patients and return one number per
test patient. The check needs R² of at least 0.3 on 110 unseen patients (0 = no better than always answering
the average) and a mean absolute error below the average's.
"""


@checked("regression", "fit_predict must return one number per row of X_test")
def check_regression(answer: Any) -> Feedback:
    """Predictions for unseen patients: R² and mean absolute error against answering the average."""
    X, y, _ = diabetes()
    order = numpy_rng(0, 22).permutation(len(X))
    train, test = order[:332], order[332:]
    got = call_answer(answer, X[train].copy(), y[train].copy(), X[test].copy(), name="fit_predict")
    try:
        predicted = np.asarray(got, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise AnswerFailed(f"fit_predict returned {type(got).__name__}, not numbers") from None
    if predicted.size != len(test):
        raise AnswerFailed(f"fit_predict returned {predicted.size} numbers for {len(test)} test patients")
    true = y[test].astype(float)
    r2, mae = r2_score(true, predicted), float(np.mean(np.abs(predicted - true)))
    baseline = float(np.mean(np.abs(y[train].mean() - true)))
    numbers = {"r_squared": r2, "mean_absolute_error": mae, "baseline_mean_absolute_error": baseline}
    if r2 >= 0.3 and mae < baseline:
        return Feedback("regression", True, f"R² = {r2:.2f} on 110 unseen patients; off by {mae:.1f} points on average, against {baseline:.1f} for always answering the average.",
                        "a regression's answer is never right or wrong, only nearer or further: its measures are distances.",
                        "compare with the network of glossary.regression.demo(): does it do better than your model?", numbers)
    if np.ptp(predicted) < 1e-9:
        return Feedback("regression", False, f"you answer {predicted[0]:.1f} for every patient: R² = {r2:.2f}.",
                        "one number for everyone is the trivial program every regression must beat; R² is 0 for the average and below 0 for any other constant.",
                        "let the answer depend on the measurements: a least-squares line through them (np.linalg.lstsq) already gets R² near 0.5.", numbers)
    if abs(predicted.mean() - true.mean()) > true.std():
        return Feedback("regression", False, f"your answers are on another scale: they average {predicted.mean() + 0.0:.1f}, the patients' progression {true.mean():.0f} (R² = {r2:.2f}).",
                        "an answer on another scale is far off even when it ranks the patients right.",
                        "if you standardised y for training, undo it: prediction * std + mean of the training y.", numbers)
    return Feedback("regression", False, f"R² = {r2:.2f} and mean absolute error {mae:.1f} (always the average: {baseline:.1f}); R² 0.3 is needed.",
                    "R² is the share of the differences between patients your answers explain.",
                    "a linear model on all ten measurements, fitted by least squares, is a good start.", numbers)


REGRESSION_PLACEHOLDER = '''import numpy as np


def fit_predict(X_train, y_train, X_test):
    # TODO: fit a model on the training patients; one number per test patient
    return np.full(len(X_test), y_train.mean())
'''

REGRESSION_SOLUTION = '''import numpy as np


def fit_predict(X_train, y_train, X_test):
    with_bias = lambda X: np.c_[X, np.ones(len(X))]                    # a column of ones: the intercept
    weights, *_ = np.linalg.lstsq(with_bias(X_train), y_train, rcond=None)
    return with_bias(X_test) @ weights
'''


def _parse_underfitting(text: str) -> dict[str, float | int]:
    settings = parse_settings(text)
    if set(settings) != {"degree", "train_points"}:
        raise ConfigError(f"answer {text!r}: give degree=D,train_points=N, e.g. degree=1,train_points=20")
    return settings


EXERCISES = (
    Exercise("cost-function", "Write cross-entropy", COST_TASK, "function", "cross_entropy",
             COST_PLACEHOLDER, COST_SOLUTION, check_cost),
    Exercise("overfitting", "Choose the degree on validation", OVERFITTING_TASK, "function", "choose_degree",
             OVERFITTING_PLACEHOLDER, OVERFITTING_SOLUTION, check_overfitting),
    Exercise("underfitting", "Cure the underfitting", UNDERFITTING_TASK, "value", "answer",
             UNDERFITTING_PLACEHOLDER, UNDERFITTING_SOLUTION, check_underfitting, _parse_underfitting),
    Exercise("classification", "From scores to a class", CLASSIFICATION_TASK, "function", "classify",
             CLASSIFICATION_PLACEHOLDER, CLASSIFICATION_SOLUTION, check_classification),
    Exercise("regression", "Predict a number", REGRESSION_TASK, "function", "fit_predict",
             REGRESSION_PLACEHOLDER, REGRESSION_SOLUTION, check_regression),
)
