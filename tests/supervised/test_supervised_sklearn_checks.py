"""DigitClassifier passes scikit-learn's own estimator checks (``parametrize_with_checks``).

The checks run on a small recipe (one hidden layer of 16, ten epochs, batches of
32, one thread) so the suite takes seconds; everything else is the default,
augmentation included: the checks' feature tables are not images, so it leaves
them alone. No check is expected to fail; one that must be skipped goes in
``EXPECTED_FAILED_CHECKS`` with the reason.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from paradigms.supervised.estimator import DigitClassifier

#: check name -> why DigitClassifier cannot pass it (none today).
EXPECTED_FAILED_CHECKS: dict[str, str] = {}


@parametrize_with_checks(
    [DigitClassifier(hidden_sizes=(16,), epochs=10, batch_size=32, validation_size=0, threads=1, device="cpu")],
    expected_failed_checks=lambda estimator: EXPECTED_FAILED_CHECKS,
)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
