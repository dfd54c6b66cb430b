"""The page's two teaching sentences: what a normalized score above 1 means, and whether
a curve shows learning, computed from the curve it describes (never said by default)."""

import numpy as np
import pandas as pd
import pytest
from report_helpers import make_evaluation

from paradigms import Measure
from paradigms.report import Comparison
from paradigms.report.content import build_document
from paradigms.report.learning import FLAT, IMPROVES, UNSTEADY, WORSENS, trend
from paradigms.report.markdown import render_markdown
from paradigms.report.overview import share_words


@pytest.mark.parametrize(
    "curves, verdict",
    [
        ([[0.88, 0.95, 0.96]], IMPROVES),                    # a steady rise
        ([[100.0, 35.0, 160.0, 40.0, 60.0, 150.0, 490.0]], UNSTEADY),  # RL: ends higher, but swings below its start
        ([[20.0, 15.0, 100.0, 200.0, 500.0]], IMPROVES),     # RL: one small dip, then a steady rise
        ([[0.50, 0.70, 0.40, 0.65, 0.52]], FLAT),            # a zig-zag without a trend
        ([[0.500, 0.501, 0.502, 0.503]], FLAT),              # monotone, but under 1% of the scale
        ([[0.9, 0.7, 0.75, 0.5]], WORSENS),
        ([[0.5, 0.6], [0.6, 0.55], [0.5, 0.53]], FLAT),      # the seeds disagree
        ([[0.5, 0.6], [0.5, 0.62], [0.5, 0.61]], IMPROVES),  # the seeds agree
    ],
)
def test_the_verdict_follows_the_curve_and_its_noise(curves, verdict):
    assert trend(curves, scale=1.0).verdict == verdict


def test_lower_is_better_is_read_the_right_way_round():
    assert trend([[2.0, 1.2, 0.5]], scale=2.0, higher_is_better=False).verdict == IMPROVES
    assert trend([[0.5, 1.2, 2.0]], scale=2.0, higher_is_better=False).verdict == WORSENS


def test_the_sentence_gives_the_numbers_it_rests_on():
    zigzag = trend([[0.50, 0.70, 0.40, 0.65, 0.52]], scale=1.0).sentence()
    assert zigzag.startswith("no clear improvement") and "+0.020" in zigzag and "(0.300)" in zigzag
    assert "learns" not in zigzag
    seeds = trend([[0.5, 0.6], [0.6, 0.55], [0.5, 0.53]], scale=1.0).sentence()
    assert "over 3 seeds" in seeds and "within the seed-to-seed interval" in seeds and "learns" not in seeds
    rising = trend([[0.88, 0.95, 0.96]], scale=0.9).sentence()
    assert rising.startswith("it learns in Mitchell's sense: P improved by 0.080")
    assert trend([[0.5, 0.501]], scale=1.0).sentence().startswith("flat: ")


def _with_curve(name, performance, *, value=0.9, best=1.0):
    evaluation = make_evaluation(name, value=min(value, 1.0))
    return evaluation.with_updates(
        curve=pd.DataFrame({"experience": np.arange(1, len(performance) + 1), "performance": performance}),
        measure=Measure(name="return", value=value, baseline=0.0, best=best),
    )


def _page_text(evaluations):
    """The report's text (as Markdown, Markdown escapes removed), figures not drawn."""
    document = build_document(Comparison.create(evaluations), render=lambda figure: b"\x89PNG\r\n\x1a\n")
    return render_markdown(document).replace("\\", "")


def _curve_line(text, name):
    return next(line for line in text.splitlines() if line.startswith(f"- **{name}**: P went from"))


def test_the_page_says_learns_only_for_the_curve_that_does():
    text = _page_text([_with_curve("riser", [0.2, 0.5, 0.8, 0.9]), _with_curve("zigzag", [0.5, 0.7, 0.4, 0.65, 0.52])])
    assert _curve_line(text, "riser").endswith("it learns in Mitchell's sense: P improved by 0.700, "
                                               "with no step back along the way.")
    zigzag = _curve_line(text, "zigzag")
    assert "no clear improvement: P changed by +0.020" in zigzag and "learns" not in zigzag


def test_a_normalized_score_above_one_is_explained():
    assert "beyond the best" in share_words(1.03) and "by 3% of the distance" in share_words(1.03)
    assert "threshold" in share_words(1.03) and "can be passed" in share_words(1.03)
    assert share_words(0.5) == "50% of the way from the baseline to the best."
    assert share_words(-0.2).startswith("below the baseline")
    text = _page_text([_with_curve("agent", [20.0, 300.0, 488.0], value=488.2, best=475.0)])
    assert "A normalized score of 1.028 means it passed the best line by 3%" in text
    assert "A bar past 1 went beyond a threshold" in text
    assert "a normalized score above 1, say 1.03, means the program went past the best line" in text  # every page


def test_without_a_score_above_one_the_chart_caption_stays_short():
    text = _page_text([_with_curve("riser", [0.2, 0.5, 0.9])])
    assert "A bar past 1" not in text
