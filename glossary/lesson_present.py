"""``paradigms lesson --present``: the lesson as slides, ``present.html``.

One step of the lesson per screen. A slide opens on the idea and the question
only; each press of a key (→, space, Page Down or Enter) or click reveals the
next part: the demo's figure and its sentence, the paradigm's run (one figure
at a time), then the answer; the next press moves to the next slide. ←,
Page Up or Backspace step back; Home and End jump to the first and the last
slide. A slide's address (``present.html#epoch``) opens the deck there.

The page is as self-contained as the lesson page (no network, every figure
inline, every text escaped). Its one inline script is allowed by its SHA-256
hash in the Content-Security-Policy and nothing else may run
(:func:`paradigms.report.html.content_security_policy`). Without the script
(a browser that blocks it) the page is simply the whole lesson, everything
shown.
"""

from __future__ import annotations

import json

from paradigms.report.html import escape_html, page_shell
from paradigms.report.style import CSS

from .lesson import STEPS, Step, word_count
from .lesson_material import (
    LESSON_TITLE,
    LessonMaterial,
    answer_text_html,
    demo_figure_html,
    missing_run_html,
    picture_html,
    question_html,
    run_heading,
    run_sentence_html,
    step_heading,
)

PRESENT_FILE = "present.html"
TITLE = f"{LESSON_TITLE}, as slides"

#: Keys that reveal the next part (or go to the next slide), and those that step back.
NEXT_KEYS = ("ArrowRight", " ", "PageDown", "Enter")
BACK_KEYS = ("ArrowLeft", "PageUp", "Backspace")

#: The slides' look; it applies only while the script runs (it sets ``presenting`` on the page).
PRESENT_CSS = """
[hidden] { display: none !important; }
.presenting body { font-size: 20px; }
.presenting nav.toc, .presenting header.masthead, .presenting footer { display: none; }
.presenting .page { display: block; max-width: none; padding: 0 3vw; }
.presenting section.slide { min-height: 100vh; padding: 3vh 0 10vh; }
.presenting .slide h2 { font-size: 2.4rem; margin: 0 0 1rem; }
.presenting .slide h1 { font-size: 3.2rem; margin-top: 20vh; }
.presenting .slide p { max-width: 70em; }
.presenting .slide .idea { font-size: 1.45rem; }
.presenting .slide .analogy { font: italic 1.4rem/1.5 var(--serif); border-left: 4px solid var(--faint); padding-left: 1rem; }
.presenting .slide .question { font: 1.6rem/1.45 var(--sans); background: var(--note-bg); border-left: 6px solid var(--accent);
                               padding: 0.8rem 1.1rem; border-radius: 4px; }
.presenting .slide figure img { width: auto; max-width: 100%; max-height: 58vh; margin: 0 auto; }
.presenting .slide .finding, .presenting .slide figcaption.finding { font: 600 1.3rem/1.4 var(--sans); color: var(--ink); }
.presenting .slide .answer p { font-size: 1.45rem; }
.presenting .slide .lesson-check { border-left: 4px solid var(--warn); padding-left: 1rem; }
.presenting .slide h3 { font-size: 1.6rem; }
#slide-counter { display: none; }
.presenting #slide-counter { display: block; position: fixed; right: 1.4rem; bottom: 1rem; font: 600 1rem var(--sans);
                             color: var(--muted); background: var(--paper); padding: 0.2rem 0.6rem; border-radius: 4px; }
.keys { font: 1.2rem/1.6 var(--sans); color: var(--muted); }
"""

#: The one inline script: slides and reveals, by key and by click. Plain text written here, never from data.
PRESENT_SCRIPT = """
(function () {
  "use strict";
  var NEXT = %(next)s, BACK = %(back)s;
  var slides = Array.prototype.slice.call(document.querySelectorAll("section.slide"));
  var counter = document.getElementById("slide-counter");
  if (!slides.length) { return; }
  document.documentElement.classList.add("presenting");
  var at = 0, shown = 0;
  function stages(i) { return Array.prototype.slice.call(slides[i].querySelectorAll("[data-stage]")); }
  function last(i) { return stages(i).reduce(function (n, e) { return Math.max(n, Number(e.dataset.stage)); }, 0); }
  function show(i, s) {
    at = Math.max(0, Math.min(slides.length - 1, i));
    shown = Math.max(0, Math.min(last(at), s));
    slides.forEach(function (slide, k) { slide.hidden = k !== at; });
    var newest = null;
    stages(at).forEach(function (e) {
      var stage = Number(e.dataset.stage);
      e.hidden = stage > shown;
      if (stage === shown) { newest = e; }
    });
    counter.textContent = (at + 1) + " / " + slides.length;
    document.body.dataset.slide = slides[at].id;
    document.body.dataset.stage = String(shown);
    if (newest) { newest.scrollIntoView({block: "nearest"}); } else { window.scrollTo(0, 0); }
  }
  function next() { if (shown < last(at)) { show(at, shown + 1); } else if (at < slides.length - 1) { show(at + 1, 0); } }
  function back() { if (shown > 0) { show(at, shown - 1); } else if (at > 0) { show(at - 1, last(at - 1)); } }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (NEXT.indexOf(event.key) >= 0 && !event.shiftKey) { next(); }
    else if (BACK.indexOf(event.key) >= 0 || (event.key === " " && event.shiftKey)) { back(); }
    else if (event.key === "Home") { show(0, 0); }
    else if (event.key === "End") { show(slides.length - 1, 0); }
    else { return; }
    event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("a, summary, details, code")) { return; }
    next();
  });
  function fromAddress() {
    var named = slides.findIndex(function (slide) { return "#" + slide.id === window.location.hash; });
    show(Math.max(0, named), 0);
  }
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
})();
"""


def present_script() -> str:
    """The page's script, with the keys filled in (as JSON arrays)."""
    return PRESENT_SCRIPT % {"next": json.dumps(list(NEXT_KEYS)), "back": json.dumps(list(BACK_KEYS))}


def _stage(number: int, html: str, css_class: str = "") -> str:
    classes = f' class="{css_class}"' if css_class else ""
    return f'<div data-stage="{number}"{classes}>{html}</div>'


def slide_html(number: int, step: Step, material: LessonMaterial) -> str:
    """One step as a slide: heading and question, then one stage per press."""
    stages: list[tuple[str, str]] = []
    figure = demo_figure_html(material, step)
    if figure:
        stages.append((figure, "demo"))
    if step.paradigm is not None:
        run = material.runs.get(step.paradigm)
        if run is None:
            stages.append((missing_run_html(step.paradigm), "run"))
        else:
            pictures = material.run_pictures.get(step.paradigm, [])
            first = picture_html(pictures[0]) if pictures else ""
            stages.append((run_heading(step.paradigm) + run_sentence_html(run) + first, "run"))
            stages += [(picture_html(picture), "run") for picture in pictures[1:]]
    stages.append(("<h3>Answer</h3>" + answer_text_html(material, step), "answer"))
    body = "".join(_stage(k, html, css) for k, (html, css) in enumerate(stages, start=1))
    return (
        f'<section id="{escape_html(step.key)}" class="slide lesson-step">'
        f"{step_heading(number, step)}{question_html(step)}{body}</section>"
    )


def render_present(material: LessonMaterial, *, steps: tuple[Step, ...] = STEPS, note: str = "") -> str:
    """The slides as one page."""
    note_html = f'<div class="callout note" role="note"><p>{escape_html(note)}</p></div>' if note else ""
    title_slide = (
        f'<section id="start" class="slide"><h1>{escape_html(TITLE.split(":")[0])}</h1>'
        f'<p class="idea">{word_count(steps)} words of an introductory lesson on machine learning, '
        "each with a small real demo. Each slide asks a question first: let the class answer, then reveal "
        "what the demo found, then the answer.</p>"
        '<p class="keys">→, space, Page Down or a click: reveal the next part, then the next slide. '
        "← or Page Up: back. Home, End: first and last slide.</p>"
        f"{note_html}</section>"
    )
    slides = [slide_html(number, step, material) for number, step in enumerate(steps, start=1)]
    return page_shell(
        title=TITLE,
        subtitle="one step of the lesson per screen",
        kicker="learning-paradigms · lesson · slides",
        main=title_slide + "\n".join(slides) + '<p id="slide-counter" aria-live="polite"></p>',
        contents=[(step.key, f"{number}. {step.title}") for number, step in enumerate(steps, start=1)],
        footer="Written by <code>paradigms lesson --present</code>.",
        css=CSS + PRESENT_CSS,
        script=present_script(),
    )
