"""The page in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) opens it from disk, logs no console error, loads every
image, runs no script, fits a laptop screen, and a screenshot is taken."""

import base64
import shutil
import tempfile
from pathlib import Path

import pytest
from report_helpers import TERMS, several

from paradigms.report import build

pytestmark = pytest.mark.browser

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


def _open_and_check(browser, page: Path) -> list:
    """Open ``page`` from disk; check the console and the images; return the images."""
    browser.get(page.resolve().as_uri())
    assert browser.title == "Three ways to learn, measured alike"
    severe = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    assert severe == [], severe
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth]);"
    )
    assert all(complete and width > 0 for _, complete, width in images), images
    assert browser.execute_script("return document.scripts.length;") == 0
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;")
    return images


def _screenshot(browser, path: Path) -> None:
    height = browser.execute_script("return document.documentElement.scrollHeight;")
    browser.set_window_size(1366, min(height + 80, 12000))
    assert browser.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


@pytest.mark.slow
def test_the_real_quick_report_in_a_browser(browser, tmp_path, monkeypatch):
    """`paradigms compare --quick` on the built-in paradigms, then the page in Chromium."""
    from paradigms.cli import main

    monkeypatch.setenv("MPLBACKEND", "Agg")
    assert main(["compare", "--quick", "--out", str(tmp_path / "results"), "--no-progress"]) == 0
    images = _open_and_check(browser, tmp_path / "results" / "index.html")
    assert len(images) >= 8  # two comparison figures and each paradigm's own
    text = browser.find_element("tag name", "body").text
    for name in ("supervised", "unsupervised", "reinforcement"):
        assert f"{name}:" in text
    _screenshot(browser, tmp_path / "quick-report.png")


def test_page_opens_from_disk_without_errors(browser, tmp_path):
    evaluations, failures = several()
    page = build(evaluations, tmp_path / "report", failures=failures, terms=TERMS)
    browser.get(page.resolve().as_uri())

    assert browser.title == "Three ways to learn, measured alike"
    severe = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    assert severe == [], severe
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth]);"
    )
    assert len(images) >= 3  # two comparison figures and an agent's animation
    assert all(complete and width > 0 for _, complete, width in images), images
    # data, not code: the <script> in a column name is text and nothing ran
    assert browser.execute_script("return document.scripts.length;") == 0
    assert "<script>alert(1)</script>" in browser.find_element("tag name", "body").text
    network = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith('data:'));"
    )
    assert network == []
    # readable at laptop width: nothing wider than the window
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;")
    # a glossary link jumps to its definition
    link = browser.find_element("css selector", 'a.term[href="#term-baseline"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", link)
    assert browser.execute_script("return location.hash;") == "#term-baseline"

    # printable: the print stylesheet gives a multi-page PDF
    pdf = base64.b64decode(browser.print_page())
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 2

    height = browser.execute_script("return document.documentElement.scrollHeight;")
    browser.set_window_size(1366, min(height + 80, 12000))
    shot = Path(tmp_path / "report.png")
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
