"""``paradigms lesson`` in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) opens the page from disk, logs no console error, loads every image,
runs no script and asks for nothing over the network, fits a laptop screen, and keeps
each answer folded until it is opened."""

import pytest
from browser_helpers import click, open_and_check, screenshot

from glossary.lesson import STEPS
from paradigms.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def lesson_page(tmp_path_factory, request):
    """`paradigms lesson --out DIR`: every demo and a quick run of each paradigm (built once)."""
    out = tmp_path_factory.mktemp("lesson")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MPLBACKEND", "Agg")
        assert main(["lesson", "--out", str(out), "--no-progress"]) == 0
    return out / "lesson.html"


def test_the_lesson_page_in_a_browser(browser, lesson_page, tmp_path):
    open_and_check(browser, lesson_page, "How machines learn: the lesson")
    terms = sum(1 for step in STEPS if step.term)
    assert browser.execute_script("return document.querySelectorAll('section.lesson-step figure.lead img').length;") == terms
    # The paradigms' own figures, where the lesson reaches them: at least two of each of the three.
    assert browser.execute_script("return document.querySelectorAll('.run-figures img').length;") >= 6

    # The answer stays folded until the class has guessed; a click opens it.
    answer = browser.find_element("css selector", "#epoch details.answer")
    text = answer.find_element("css selector", "p")
    assert not text.is_displayed()
    summary = answer.find_element("css selector", "summary")
    click(browser, summary)
    assert text.is_displayed() and "early stopping" in text.text

    screenshot(browser, tmp_path / "lesson.png")
