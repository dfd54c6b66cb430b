"""Headless Chromium for the page tests (Debian's ``chromium`` and ``chromium-driver``).

The report's and the lesson's browser tests share this: the driver (skipped, with the
reason, where Chromium or selenium is missing; the README's TensorBoard screenshot script
drives the same browser through :func:`chromium_driver`), opening a page from disk with the
checks every page must pass, and a full-page screenshot.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
)
#: A laptop screen.
WINDOW = (1366, 900)


def _find(*names: str) -> str | None:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserMissing(Exception):
    """Selenium, Chromium or its driver is not installed here; the message says which, and how to get it."""


@contextmanager
def chromium_driver(*, window: tuple[int, int] = WINDOW, logging_prefs: dict[str, str] | None = None) -> Iterator[Any]:
    """A headless Chromium driver with the flags every use shares: the page tests (:func:`chromium`)
    and the README's TensorBoard screenshot (``benchmarks/tensorboard_screenshot.py``). Its own
    profile folder, removed at the end; ``logging_prefs`` as selenium's ``goog:loggingPrefs``;
    :class:`BrowserMissing` where there is no browser to drive."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        raise BrowserMissing("selenium is not installed") from None
    binary = _find("chromium", "chromium-browser", "google-chrome")
    driver_path = _find("chromedriver")
    if not binary or not driver_path:
        raise BrowserMissing("headless Chromium not found: install Debian's chromium and chromium-driver packages")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={window[0]},{window[1]}")
    if logging_prefs:
        options.set_capability("goog:loggingPrefs", logging_prefs)
    try:
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        try:
            yield driver
        finally:
            driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def chromium(*, network_log: bool = False) -> Iterator[Any]:
    """A headless Chromium driver with the browser console logged; skips where there is none.
    With ``network_log``, every request the browser makes is logged too (:func:`requests_made`)."""
    import pytest  # here: the screenshot script imports this module without pytest

    prefs = {"browser": "ALL", **({"performance": "ALL"} if network_log else {})}
    with ExitStack() as stack:
        try:
            driver = stack.enter_context(chromium_driver(logging_prefs=prefs))
        except BrowserMissing as exc:
            pytest.skip(str(exc))
        driver.set_page_load_timeout(60)
        yield driver


def open_and_check(browser: Any, page: Path, title: str, *, scripts: int = 0) -> list:
    """Open ``page`` from disk and check what every page must do: its title, no console
    error (a script the Content-Security-Policy refuses is one), every image loaded,
    ``scripts`` scripts (none, unless the page is made to have one), nothing fetched over
    the network, nothing wider than a laptop screen. Returns the images as
    ``[alt, complete, naturalWidth]``."""
    browser.get(page.resolve().as_uri())
    assert browser.title == title
    severe = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    assert severe == [], severe
    images = browser.execute_script("return Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth]);")
    assert all(complete and width > 0 for _, complete, width in images), images
    assert browser.execute_script("return document.scripts.length;") == scripts
    network = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith('data:'));"
    )
    assert network == []
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;")
    return images


def requests_made(browser: Any) -> list[str]:
    """The URLs requested since the last call (a driver from ``chromium(network_log=True)``):
    pages, stylesheets, scripts, images, fonts, workers, from disk or not."""
    import json

    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def click(browser: Any, element: Any) -> None:
    """Scroll ``element`` into view and click it."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element)


def screenshot(browser: Any, path: Path) -> None:
    """A full-page PNG screenshot at laptop width (a real picture, not an empty one)."""
    height = browser.execute_script("return document.documentElement.scrollHeight;")
    browser.set_window_size(WINDOW[0], min(height + 80, 12000))
    assert browser.save_screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
