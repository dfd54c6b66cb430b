"""The page in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) opens it from disk, logs no console error, loads every
image, runs no script, fits a laptop screen, and a screenshot is taken."""

import base64

import pytest
from browser_helpers import click, open_and_check, screenshot
from report_helpers import TERMS, several

from paradigms.report import build

pytestmark = pytest.mark.browser
TITLE = "Three ways to learn, measured alike"


@pytest.mark.slow
def test_the_real_quick_report_in_a_browser(browser, tmp_path, monkeypatch):
    """`paradigms compare --quick` on the built-in paradigms, then the page in Chromium."""
    from paradigms.cli import main

    monkeypatch.setenv("MPLBACKEND", "Agg")
    assert main(["compare", "--quick", "--out", str(tmp_path / "results"), "--no-progress"]) == 0
    images = open_and_check(browser, tmp_path / "results" / "index.html", TITLE)
    assert len(images) >= 8  # two comparison figures and each paradigm's own
    text = browser.find_element("tag name", "body").text
    for name in ("supervised", "unsupervised", "reinforcement"):
        assert f"{name}:" in text
    screenshot(browser, tmp_path / "quick-report.png")


def test_page_opens_from_disk_without_errors(browser, tmp_path):
    evaluations, failures = several()
    page = build(evaluations, tmp_path / "report", failures=failures, terms=TERMS)
    images = open_and_check(browser, page, TITLE)
    assert len(images) >= 3  # two comparison figures and an agent's animation
    # data, not code: the <script> in a column name is text and nothing ran (open_and_check: no script)
    assert "<script>alert(1)</script>" in browser.find_element("tag name", "body").text
    # a glossary link jumps to its definition
    link = browser.find_element("css selector", 'a.term[href="#term-baseline"]')
    click(browser, link)
    assert browser.execute_script("return location.hash;") == "#term-baseline"

    # printable: the print stylesheet gives a multi-page PDF
    pdf = base64.b64decode(browser.print_page())
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 2

    screenshot(browser, tmp_path / "report.png")
