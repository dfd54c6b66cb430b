import math

import numpy as np
import pytest
from scipy import stats

from paradigms.report.stats import format_amount, format_interval, format_number, mean_interval


def test_interval_matches_hand_numbers():
    interval = mean_interval([1.0, 2.0, 3.0])
    # mean 2, s = 1, t(0.975, 2) = 4.302652729911275, half-width = t * s / sqrt(3)
    assert interval.mean == 2.0 and interval.n == 3 and interval.std == pytest.approx(1.0)
    assert interval.half_width == pytest.approx(4.302652729911275 / math.sqrt(3))
    assert (interval.low, interval.high) == pytest.approx((2 - 2.4841377, 2 + 2.4841377))


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_interval_matches_scipy(confidence):
    values = np.random.default_rng(3).normal(0.8, 0.05, size=7)
    interval = mean_interval(values, confidence=confidence)
    low, high = stats.t.interval(confidence, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
    assert (interval.low, interval.high) == pytest.approx((low, high))


def test_one_value_has_no_interval_and_nans_are_dropped():
    single = mean_interval([0.5])
    assert single.half_width is None and single.low == single.high == 0.5
    assert format_interval(single) == "0.500"
    assert mean_interval([1.0, float("nan"), None, 3.0]).n == 2


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="at least one finite value"):
        mean_interval([float("nan")])
    with pytest.raises(ValueError, match="confidence"):
        mean_interval([1, 2], confidence=95)


def test_numbers_read_like_scores():
    assert [format_number(v) for v in (0.97312, 1.0, 25.5, 487.33, 12345.6, 7, None)] == [
        "0.973", "1.000", "25.50", "487.3", "12,346", "7", "—",
    ]
    assert format_amount(200.0) == "200" and format_amount(2.5) == "2.500"
    assert format_interval(mean_interval([1.0, 2.0, 3.0])) == "2.000 ± 2.484"
