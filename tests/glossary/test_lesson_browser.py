"""``paradigms lesson`` in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``) opens each page from disk, logs no console error, loads every image
and asks for nothing over the network.

The lesson page runs no script, fits a laptop screen, keeps each demo's result and each
answer folded until opened, shows every figure at least 900 pixels wide (labels at 14
pixels or more: drawn so at that width, tests/glossary/test_lesson_pages.py) and speaks
the student's language. The slides run their one script (a policy violation would be a
console error) and answer the keys. The handouts print on at most 12 A4 pages."""

import base64
import re

import pytest
from browser_helpers import click, open_and_check, screenshot
from student_language import developer_words

from glossary.lesson import STEPS
from glossary.lesson_handout import HANDOUT_FILES, MAX_PAGES
from paradigms.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "How machines learn: the lesson"


@pytest.fixture(scope="module")
def lesson_folder(tmp_path_factory, request):
    """`paradigms lesson --out DIR --present --handout`: every demo and a quick run of each paradigm (built once)."""
    out = tmp_path_factory.mktemp("lesson")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MPLBACKEND", "Agg")
        assert main(["lesson", "--out", str(out), "--no-progress", "--present", "--handout"]) == 0
    return out


def test_the_lesson_page_in_a_browser(browser, lesson_folder, tmp_path):
    open_and_check(browser, lesson_folder / "lesson.html", TITLE)
    terms = sum(1 for step in STEPS if step.term)
    assert browser.execute_script("return document.querySelectorAll('section.lesson-step figure.lead img').length;") == terms
    # The paradigms' own figures, where the lesson reaches them: at least two of each of the three,
    # but the one that names clustering scores (Calinski-Harabasz), left to the report.
    alts = browser.execute_script("return Array.from(document.querySelectorAll('figure.projected img')).map(i => i.alt);")
    assert len(alts) >= 6 and "k selection" not in alts and "segments" in alts, alts

    # The demo's figure and sentence stay folded under the question until the reader opens them.
    section = browser.find_element("css selector", "#epoch")
    question = section.find_element("css selector", ".question")
    finding = section.find_element("css selector", "details.reveal .finding")
    assert question.is_displayed() and not finding.is_displayed()
    click(browser, section.find_element("css selector", "details.reveal summary"))
    assert finding.is_displayed() and "epoch" in finding.text
    # So does the answer.
    answer = section.find_element("css selector", "details.answer")
    text = answer.find_element("css selector", "p")
    assert not text.is_displayed()
    click(browser, answer.find_element("css selector", "summary"))
    assert text.is_displayed() and "early stopping" in text.text

    # Figures for the back of the room: every one, opened, at least 900 px wide and never
    # shown smaller than drawn (so its labels stay at 14 px or more).
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true);")
    sizes = browser.execute_script(
        "return Array.from(document.querySelectorAll('figure.lead img, figure.projected img'))"
        ".map(i => [i.alt, i.clientWidth, i.naturalWidth, i.src.startsWith('data:image/png')]);"
    )
    assert len(sizes) >= terms + 6
    for alt, shown, natural, png in sizes:
        assert shown >= 900, (alt, shown)
        assert not png or shown >= natural, (alt, shown, natural)
    screenshot(browser, tmp_path / "lesson.png")


@pytest.mark.parametrize("page", ["lesson.html", "present.html", *HANDOUT_FILES.values()])
def test_the_pages_a_student_sees_speak_the_students_language(browser, lesson_folder, page):
    browser.get((lesson_folder / page).resolve().as_uri())
    text = browser.execute_script("return document.body.textContent;")  # folded parts and hidden slides too
    assert developer_words(text) == []
    if page != "present.html":
        for words in ("the lecture", "sample exam questions", "the exam itself"):
            assert words in text
    if page != HANDOUT_FILES[False]:
        assert "hungry for more data" in text and "more capacity does" in text


def _state(browser):
    return browser.execute_script(
        "var shown = Array.from(document.querySelectorAll('section.slide')).filter(s => s.getClientRects().length);"
        "return [shown.map(s => s.id), document.body.dataset.stage];"
    )


def _displayed(browser, selector):
    return browser.execute_script(
        "var e = document.querySelector(arguments[0]); return !!e && e.getClientRects().length > 0;", selector
    )


def test_the_slides_answer_the_keys_and_clicks(browser, lesson_folder, tmp_path):
    from selenium.webdriver.common.keys import Keys

    open_and_check(browser, lesson_folder / "present.html", f"{TITLE}, as slides", scripts=1)
    policy = browser.find_element("css selector", 'meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/]{43}='$", policy) and "default-src 'none'" in policy
    assert browser.execute_script("return document.documentElement.classList.contains('presenting');")
    assert _state(browser) == [["start"], "0"]
    body = browser.find_element("tag name", "body")

    body.send_keys(Keys.ARROW_RIGHT)  # the first step: its question only
    assert _state(browser) == [["neuron"], "0"]
    assert _displayed(browser, "#neuron .question") and not _displayed(browser, "#neuron figure.lead")
    assert not _displayed(browser, "#neuron .answer")
    body.send_keys(Keys.SPACE)  # the figure and its sentence
    assert _state(browser) == [["neuron"], "1"]
    assert _displayed(browser, "#neuron figure.lead") and _displayed(browser, "#neuron .finding")
    assert not _displayed(browser, "#neuron .answer")
    body.send_keys(Keys.PAGE_DOWN)  # the answer
    assert _state(browser) == [["neuron"], "2"] and _displayed(browser, "#neuron .answer")
    body.send_keys(Keys.ENTER)  # the next slide, its question only
    assert _state(browser) == [["network"], "0"] and not _displayed(browser, "#network figure.lead")
    body.send_keys(Keys.ARROW_LEFT)  # back: the previous slide, all shown
    assert _state(browser) == [["neuron"], "2"]
    body.send_keys(Keys.PAGE_UP)
    assert _state(browser) == [["neuron"], "1"]
    click(browser, browser.find_element("css selector", "#neuron .question"))  # a click reveals too
    assert _state(browser) == [["neuron"], "2"]
    body.send_keys(Keys.END)
    assert _state(browser) == [[STEPS[-1].key], "0"]
    body.send_keys(Keys.HOME)
    assert _state(browser) == [["start"], "0"]

    # A paradigm's run: one figure per press, then the answer.
    browser.get((lesson_folder / "present.html").resolve().as_uri() + "#mnist-network")
    assert _state(browser) == [["mnist-network"], "0"]
    stages = browser.execute_script("return document.querySelectorAll('#mnist-network [data-stage]').length;")
    assert stages >= 3
    for stage in range(1, stages + 1):
        body = browser.find_element("tag name", "body")
        body.send_keys(Keys.ARROW_RIGHT)
        assert _state(browser) == [["mnist-network"], str(stage)]
        visible = browser.execute_script(
            "return Array.from(document.querySelectorAll('#mnist-network [data-stage]'))"
            ".map(e => e.getClientRects().length > 0);"
        )
        assert visible == [k < stage for k in range(stages)]
    severe = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    assert severe == [], severe
    browser.save_screenshot(str(tmp_path / "slide.png"))


@pytest.mark.parametrize("teacher", [False, True], ids=["student", "teacher"])
def test_the_handouts_print_on_at_most_twelve_a4_pages(browser, lesson_folder, teacher, tmp_path):
    from selenium.webdriver.common.print_page_options import PrintOptions

    open_and_check(browser, lesson_folder / HANDOUT_FILES[teacher], f"{TITLE} ({'teacher' if teacher else 'student'}"
                   + ("'s copy, with answers)" if teacher else "'s handout)"))
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7  # A4, in centimetres
    pdf = base64.b64decode(browser.print_page(options))
    assert pdf.startswith(b"%PDF")
    (tmp_path / "handout.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    count = max(int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count (\d+)", pdf, flags=re.S) or [b"0"])
    assert pages == count, (pages, count)
    assert 3 <= pages <= MAX_PAGES, pages
