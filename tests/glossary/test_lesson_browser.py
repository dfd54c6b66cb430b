"""``paradigms lesson`` in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) opens the page from disk, logs no console error, loads every image,
runs no script and asks for nothing over the network, fits a laptop screen, and keeps
each answer folded until it is opened."""

import shutil
import tempfile

import pytest

from glossary.lesson import STEPS
from paradigms.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
)


def _find(*names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    chromium = _find("chromium", "chromium-browser", "google-chrome")
    driver_path = _find("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("headless Chromium not found: install Debian's chromium and chromium-driver packages")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1366,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def lesson_page(tmp_path_factory, request):
    """`paradigms lesson --out DIR`: every demo and a quick run of each paradigm (built once)."""
    out = tmp_path_factory.mktemp("lesson")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MPLBACKEND", "Agg")
        assert main(["lesson", "--out", str(out), "--no-progress"]) == 0
    return out / "lesson.html"


def test_the_lesson_page_in_a_browser(browser, lesson_page, tmp_path):
    browser.get(lesson_page.resolve().as_uri())
    assert browser.title == "How machines learn: the lesson"
    severe = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    assert severe == [], severe
    images = browser.execute_script("return Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth]);")
    assert all(complete and width > 0 for _, complete, width in images), images
    terms = sum(1 for step in STEPS if step.term)
    assert browser.execute_script("return document.querySelectorAll('section.lesson-step figure.lead img').length;") == terms
    # The paradigms' own figures, where the lesson reaches them: at least two of each of the three.
    assert browser.execute_script("return document.querySelectorAll('.run-figures img').length;") >= 6
    assert browser.execute_script("return document.scripts.length;") == 0
    network = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith('data:'));"
    )
    assert network == []
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;")

    # The answer stays folded until the class has guessed; a click opens it.
    answer = browser.find_element("css selector", "#epoch details.answer")
    text = answer.find_element("css selector", "p")
    assert not text.is_displayed()
    summary = answer.find_element("css selector", "summary")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", summary)
    assert text.is_displayed() and "early stopping" in text.text

    height = browser.execute_script("return document.documentElement.scrollHeight;")
    browser.set_window_size(1366, min(height + 80, 12000))
    shot = tmp_path / "lesson.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
