"""The documentation site: the guides' runnable blocks, the generated pages, the strict build
and the built site opened in headless Chromium from disk.

The build (``-m slow``) runs every glossary demo and every example on its quick budget, with a
cache of its own, so it checks what a fresh CI machine checks.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
RUN_MARK = "<!-- run: the tests execute this block (tests/test_docs.py) -->"


def load_hook():
    spec = importlib.util.spec_from_file_location("docs_site_hook", DOCS / "_hooks" / "site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MARK_LINE = re.compile(r"^" + re.escape(RUN_MARK) + r"$", re.M)


def runnable_blocks(page: Path) -> list[str]:
    """The Python blocks of ``page`` marked to be run (the mark on a line of its own), in order."""
    pattern = re.compile(r"^" + re.escape(RUN_MARK) + r"\n```python\n(.*?)\n```", re.S | re.M)
    return pattern.findall(page.read_text())


PAGES_WITH_RUNNABLE_BLOCKS = sorted(p for p in DOCS.rglob("*.md") if MARK_LINE.search(p.read_text()))


# -- fast checks --------------------------------------------------------------------------


def test_the_guides_have_runnable_blocks_and_each_mark_precedes_a_python_block():
    assert len(PAGES_WITH_RUNNABLE_BLOCKS) >= 3
    for page in PAGES_WITH_RUNNABLE_BLOCKS:
        assert len(runnable_blocks(page)) == len(MARK_LINE.findall(page.read_text())), page


@pytest.mark.parametrize("page", PAGES_WITH_RUNNABLE_BLOCKS, ids=lambda p: p.stem)
def test_runnable_blocks_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict = {"__name__": "__docs__"}
    for block in runnable_blocks(page):
        exec(compile(block, f"{page.relative_to(ROOT)}", "exec"), namespace)
    import matplotlib.pyplot as plt

    plt.close("all")


def test_every_public_name_has_a_docstring():
    assert load_hook().undocumented_names() == []


def test_a_public_name_without_a_docstring_is_caught(tmp_path, monkeypatch):
    package = tmp_path / "undocumented_pkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        '__all__ = ["bare", "Told", "Plain"]\n'
        "from dataclasses import dataclass\n"
        "def bare(): pass\n"
        "def Told():\n    '''Says what it does.'''\n"
        "@dataclass\nclass Plain:\n    x: int = 0\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    problems = load_hook().undocumented_names((("undocumented_pkg", "x"),))
    assert problems == [
        "undocumented_pkg.bare is public (in __all__) but has no docstring",
        "undocumented_pkg.Plain is public (in __all__) but has no docstring",
    ]


def test_the_api_pages_list_every_name_in_all_where_it_is_defined():
    hook = load_hook()
    pages = hook.reference_pages()
    for module_name, page in hook.PACKAGES:
        module = importlib.import_module(module_name)
        text = pages[f"reference/{page}.md"]
        for name in module.__all__:
            path = hook.defined_at(module, name)
            assert f"::: {path}\n" in text, (module_name, name)
            home, _, attribute = path.rpartition(".")
            assert getattr(importlib.import_module(home), attribute) is getattr(module, name), path


def test_docstring_examples_become_code_blocks():
    spec = importlib.util.spec_from_file_location("docs_docstrings", DOCS / "_hooks" / "docstrings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = "Run it:\n\n>>> run('x')  # doctest: +SKIP\n'done'\n\nSee :class:`~paradigms.Evaluation`."
    assert module.markdown_docstring(text) == (
        "Run it:\n\n```pycon\n>>> run('x')\n'done'\n```\n\nSee `paradigms.Evaluation`."
    )


def test_every_example_and_notebook_is_on_the_site():
    hook = load_hook()
    assert sorted(hook.EXAMPLES) == sorted(p.name for p in (ROOT / "examples").glob("*.py"))
    assert sorted(hook.NOTEBOOKS) == sorted(p.name for p in (ROOT / "examples").glob("*.ipynb"))


def test_readme_is_a_short_front_page_linking_every_guide():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) < 300
    links = re.findall(r"\]\((docs/[^)#]+)", readme)
    assert links and all((ROOT / link).is_file() for link in links), links
    guides = {f"docs/{p.relative_to(DOCS).as_posix()}" for p in (DOCS / "guides").glob("*.md")}
    assert guides <= set(links), guides - set(links)
    assert "MkDocs" in readme and "./run.sh docs" in readme


# -- the site, built ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = dict(
        os.environ,
        LEARNING_PARADIGMS_DOCS_CACHE=str(out / "cache"),  # a fresh cache: everything runs
        LEARNING_PARADIGMS_DOCS_BUDGET="quick",
        NO_MKDOCS_2_WARNING="1",
        MPLBACKEND="Agg",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out / "site")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out / "site"


@pytest.mark.slow
def test_the_site_builds_strictly_with_every_generated_page(site):
    from glossary import all_terms

    hook = load_hook()
    for term in all_terms():
        assert (site / "glossary" / f"{term.slug}.html").is_file()
        assert (site / "glossary" / f"{term.slug}.png").read_bytes()[:4] == b"\x89PNG"
    for _, page in hook.PACKAGES:
        assert (site / "reference" / f"{page}.html").is_file()
    for script in hook.EXAMPLES:
        page = (site / "examples" / script.replace(".py", ".html")).read_text()
        assert "What it printed" in page
    assert list((site / "examples").rglob("*.png")), "the examples' figures"
    # Offline: no script, stylesheet or font from another host.
    for page in site.rglob("*.html"):
        text = page.read_text()
        external = re.findall(r"<(?:script|link|img|iframe)[^>]*(?:src|href)=\"(?:https?:)?//[^\"]*\"", text)
        assert external == [], (page, external)


@pytest.mark.slow
def test_a_glossary_page_shows_what_paradigms_glossary_show_computes(site):
    from glossary import get_term
    from glossary.cli import run_demo

    result = run_demo(get_term("epoch"))
    page = html.unescape(re.sub(r"<[^>]+>", "", (site / "glossary" / "epoch.html").read_text()))
    assert result.finding in page
    assert result.term.definition in page


@pytest.mark.slow
def test_the_site_opens_from_disk_and_fetches_nothing_from_the_network(site):
    from browser_helpers import chromium, requests_made

    pages = {
        "index.html": "learning-paradigms",
        "guides/supervised.html": "Supervised",
        "glossary/epoch.html": "Epoch",
        "reference/paradigms.html": "paradigms",
    }
    with chromium(network_log=True) as browser:
        browser.get("about:blank")
        requests_made(browser)  # the browser's own start-up pages (chrome://), before ours
        for page, title in pages.items():
            browser.get((site / page).resolve().as_uri())
            assert title.lower() in browser.title.lower(), (page, browser.title)
            requests = requests_made(browser)
            assert any(url.endswith(".css") for url in requests), (page, requests)  # the theme, from disk
            left = [url for url in requests if not url.startswith(("file:", "data:", "blob:"))]
            assert left == [], (page, left)
            images = browser.execute_script(
                "return Array.from(document.images).map(i => [i.src, i.complete, i.naturalWidth]);"
            )
            assert all(done and width > 0 for _, done, width in images), (page, images)
            if page.startswith("glossary/"):
                assert any(src.endswith("epoch.png") for src, _, _ in images), images
            if page.startswith("reference/"):
                assert browser.find_elements("css selector", ".doc-object"), "the API entries"
            links = browser.execute_script("return Array.from(document.links).map(a => a.href);")
            internal = [u for u in links if u.startswith("file:")]
            assert all(Path(re.sub(r"[#?].*$", "", u).removeprefix("file://")).exists() for u in internal)
            severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
            assert severe == [], (page, severe)


def test_hook_budget_is_checked(monkeypatch):
    hook = load_hook()
    monkeypatch.setenv("LEARNING_PARADIGMS_DOCS_BUDGET", "huge")
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match="quick or full"):
        hook.budget()


def test_a_build_reads_the_sources_once_and_a_second_build_remakes_nothing(tmp_path, monkeypatch):
    hook = load_hook()
    monkeypatch.setenv("LEARNING_PARADIGMS_DOCS_CACHE", str(tmp_path))
    made, hashed, code_hash = [], [], hook.code_hash
    monkeypatch.setattr(hook, "glossary_pages", lambda: made.append("glossary") or {"glossary/index.md": "terms"})
    monkeypatch.setattr(hook, "example_pages", lambda: made.append("examples") or {"examples/index.md": "runs"})
    monkeypatch.setattr(hook, "reference_pages", dict)
    monkeypatch.setattr(hook, "code_hash", lambda: hashed.append(1) or code_hash())
    first, second = hook.generated_pages(), hook.generated_pages()
    assert len(hashed) == 2 and made == ["glossary", "examples"]  # one reading per build; the second from the cache
    assert second["glossary/index.md"] == b"terms" and first["examples/index.md"] == "runs"


def test_nothing_in_docs_is_left_unlinked():
    """Every hand-written page is in the navigation (mkdocs.yml)."""
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in DOCS.rglob("*.md"):
        assert page.relative_to(DOCS).as_posix() in nav, page



def test_an_example_that_fails_stops_the_build(tmp_path, monkeypatch):
    from mkdocs.exceptions import PluginError

    hook = load_hook()
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "broken.py").write_text('"""Fails."""\nraise SystemExit("no data here")\n')
    monkeypatch.setattr(hook, "ROOT", tmp_path)
    with pytest.raises(PluginError, match=r"examples/broken.py failed \(exit code 1\): no data here"):
        hook.run_example("broken.py", [])


def test_the_build_is_strict_offline_and_opens_from_disk():
    """What the configuration promises: warnings (broken links and anchors among them) are
    errors, no web fonts, pages as files."""
    import yaml

    text = (ROOT / "mkdocs.yml").read_text()
    config = yaml.load(text, Loader=yaml.BaseLoader)  # no !!python tags in ours
    assert config["strict"] == "true"
    assert config["use_directory_urls"] == "false"
    assert config["theme"]["font"] == "false"
    assert config["validation"]["links"] == {"not_found": "warn", "anchors": "warn", "unrecognized_links": "warn"}


def test_notebook_outputs_become_self_contained_html_figures_or_text():
    hook = load_hook()
    html_output = {"output_type": "display_data", "data": {"text/html": ["<div>\n\n<img src='data:image/png;base64,AA'>", "</div>"]}}
    assert hook.output_markdown(html_output) == (
        "<div class=\"notebook-output\">\n<div>\n<img src='data:image/png;base64,AA'></div>\n</div>\n"
    )
    scripted = {"output_type": "display_data", "data": {"text/html": "<script>x()</script>", "text/plain": "Widget"}}
    assert hook.output_markdown(scripted) == "```text\nWidget\n```\n"  # no script reaches the page
    png = {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo=\n"}}
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in hook.output_markdown(png)
    assert hook.output_markdown({"output_type": "stream", "text": ["ok\n"]}) == "```text\nok\n```\n"
    assert hook.output_markdown({"output_type": "stream", "text": "\n"}) == ""


def test_the_navigation_opens_the_glossary_and_the_examples():
    from glossary import all_terms

    hook = load_hook()
    glossary = hook.expand_section({"Glossary": "glossary/index.md"})["Glossary"]
    assert glossary[0] == {"All terms": "glossary/index.md"}
    assert [next(iter(e.values())) for e in glossary[1:]] == [f"glossary/{t.slug}.md" for t in all_terms()]
    examples = hook.expand_section({"Examples": "examples/index.md"})["Examples"]
    assert len(examples) == 1 + len(hook.EXAMPLES) + len(hook.NOTEBOOKS)
    assert hook.expand_section({"Home": "index.md"}) == {"Home": "index.md"}
