import dataclasses
import html
import json
import re
import sys

import pytest
from matplotlib.figure import Figure
from report_helpers import EVIL, TERMS, legacy_rollout, make_evaluation, several

import paradigms
from paradigms.cli import glossary_terms
from paradigms.report import Comparison, build, read_results, rebuild
from paradigms.report.markdown import md_code, md_escape
from paradigms.report.terms import TermInfo, TermLinker, report_terms

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    evaluations, failures = several()
    page = build(evaluations, tmp_path_factory.mktemp("report") / "out", failures=failures, terms=TERMS, run={"created": "2024-01-02T03:04:05+00:00"})
    return page


def test_writes_page_markdown_figures_and_results(report):
    out = report.parent
    assert report.name == "index.html"
    assert {p.name for p in out.iterdir()} >= {"index.html", "report.md", "results.json", "figures"}
    pictures = sorted((out / "figures").iterdir())
    assert {"normalized-scores.png", "learning-curves.png"} <= {p.name for p in pictures}
    for picture in pictures:
        assert picture.read_bytes()[:8] == PNG or picture.read_bytes()[:4] == b"GIF8"
    markdown = (out / "report.md").read_text()
    linked = re.findall(r"!\[[^\]]*\]\((figures/[^)]+)\)", markdown)
    assert len(linked) == len(pictures) and all((out / link).exists() for link in linked)
    assert [ev.paradigm for ev in read_results(out)] == ["alpha", "alpha", "beta"]
    assert not list(out.rglob("*.tmp")), "a temporary file was left behind"
    # the same sections, the same scores, in the same order as the page
    page = (out / "index.html").read_text()
    sections = re.findall(r'<section id="([^"]+)">', page)
    assert re.findall(r'^<a id="([^"]+)"></a>$', markdown, flags=re.MULTILINE) == sections
    assert "0.905 ± 0.064" in markdown and "**Error: Some runs failed.**" in markdown


def test_page_is_self_contained_and_shows_every_part(report):
    page = report.read_text()
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page), "the page must not load anything"
    assert "<script" not in page.replace(html.escape(EVIL), "")
    for anchor in ("learning", "tpe", "scores", "curves", "paradigm-alpha", "paradigm-beta", "paradigm-gamma",
                   "data", "timings", "manifest", "glossary"):
        assert f'id="{anchor}"' in page, anchor
    assert "Mitchell" in page and "labels: the correct answer" not in page  # alpha is no built-in
    assert page.count('<img src="data:image/png;base64,') == 2
    assert 'src="data:image/gif;base64,' in page  # beta's agent animation
    assert "Rollout, animated (episode return 500.0, length 500)" in page
    assert "Seeds 0, 1: mean ± half-width of the 95% interval." in page


def test_everything_from_data_is_escaped(report):
    page = report.read_text()
    assert EVIL not in page
    assert html.escape(EVIL) in page  # shown as text: task, dataset, config, metric, failure
    assert page.count(html.escape(EVIL)) >= 5
    markdown = (report.parent / "report.md").read_text()
    # Markdown shows code spans and fenced blocks literally; everywhere else markup is escaped.
    outside_code = re.sub(r"(?s)```.*?```|``.*?``|`[^`]*`", "", markdown)
    assert EVIL not in outside_code and "&lt;script&gt;" in outside_code


def test_scores_show_mean_and_interval_over_seeds(report):
    page = report.read_text()
    # alpha: 0.90 and 0.91 -> mean 0.905, half-width t(0.975, 1) * 0.00707 / sqrt(2) = 0.0635
    assert "0.905 ± 0.064" in page
    assert "1 run(s) of gamma raised an error" in page
    assert "RuntimeError: broke" in page


def test_fallback_data_is_flagged_in_plain_words(report):
    page = report.read_text()
    assert "Stand-in data" in page
    assert "The real data set was unavailable, so this run used" in page
    assert "yes: the real data set was unavailable" in page


def test_glossary_terms_are_linked_to_their_entries(report):
    page = report.read_text()
    assert 'id="term-epoch"' in page and 'id="term-batch-size"' in page
    assert re.search(r'<a class="term" href="#term-baseline" title="What a trivial program scores &lt;b&gt;.">baseline</a>', page)
    assert 'href="#term-epoch"' in page  # "epochs" in the T/P/E table
    glossary = page[page.index('id="glossary"'):]
    assert 'class="term"' not in glossary  # no links inside the definitions themselves
    assert 'href="#term-batch-size">batch size</a>' in glossary  # related terms
    markdown = (report.parent / "report.md").read_text()
    assert "](#term-baseline)" in markdown and '<a id="term-epoch"></a>' in markdown


def test_rebuilt_from_results_json_matches(report, tmp_path):
    out = report.parent
    before = {name: (out / name).read_bytes() for name in ("index.html", "report.md")}
    figures = {p.name: p.read_bytes() for p in (out / "figures").iterdir()}
    (out / "index.html").unlink()
    page = rebuild(out, terms=TERMS)
    assert page == out / "index.html"
    assert {name: (out / name).read_bytes() for name in before} == before
    assert {p.name: p.read_bytes() for p in (out / "figures").iterdir()} == figures
    copy = rebuild(out / "results.json", tmp_path / "copy", terms=TERMS)
    assert copy.read_bytes() == before["index.html"]
    assert (tmp_path / "copy" / "results.json").exists()


def test_without_terms_there_are_no_links(tmp_path):
    page = build([make_evaluation()], tmp_path).read_text()
    assert 'class="term"' not in page and 'id="glossary"' not in page


def test_any_object_with_the_term_attributes_is_linked(tmp_path):
    class Word:  # no glossary: a notebook's own vocabulary
        slug, name, definition = "baseline", "baseline", "What a trivial program scores."

    page = build([make_evaluation()], tmp_path, terms=[Word()]).read_text()
    assert 'href="#term-baseline"' in page and 'id="term-baseline"' in page
    assert [t.slug for t in report_terms([TermInfo("b", "beta", "x"), Word(), TermInfo("b", "other", "y")])] == [
        "baseline", "b"]


def test_the_command_line_hands_in_the_real_glossary_terms():
    import glossary

    terms = glossary_terms()
    assert sorted(term.slug for term in terms) == sorted(term.slug for term in glossary.all_terms())
    assert {"epoch", "batch-size", "overfitting"} <= {term.slug for term in terms}
    assert all(term.slug and term.name for term in terms)


def test_a_broken_glossary_costs_the_links_not_the_page(monkeypatch):
    def broken():
        raise RuntimeError("half-written")

    monkeypatch.setattr("glossary.all_terms", broken)
    with pytest.warns(UserWarning, match="half-written"):
        assert glossary_terms() == []


def test_linker_links_first_mention_plurals_and_aliases_only():
    linker = TermLinker(TERMS)
    seen: set[str] = set()
    pieces = linker.split("Two training passes: an Epoch, then epochs; batch sizes vary.", seen)
    assert [p for p in pieces if p[1]] == [("training passes", "epoch"), ("batch sizes", "batch-size")]
    assert linker.split("epochal", set()) == [("epochal", None)]
    assert TermLinker([]).split("epoch", set()) == [("epoch", None)]


def test_markdown_escaping():
    assert md_escape("<b>*x*_y_ | [a](b)") == "&lt;b&gt;\\*x\\*\\_y\\_ \\| \\[a\\](b)"
    assert md_code("a`b|c") == "`` a`b\\|c ``"


def test_paradigm_figures_are_embedded_and_a_broken_one_is_reported(coin_paradigm, tmp_path):
    def figures(evaluation):
        figure = Figure(figsize=(2, 2))
        figure.add_subplot().plot(evaluation.curve["experience"], evaluation.curve["performance"])
        return {"estimate per flip": figure}

    paradigms.register(dataclasses.replace(coin_paradigm, figures=figures), replace=True)
    evaluation = paradigms.run("coin", seed=1)
    page = build([evaluation], tmp_path / "ok", terms=[]).read_text()
    assert page.count("data:image/png;base64,") == 3 and "estimate per flip" in page
    assert (tmp_path / "ok" / "figures" / "coin-1-estimate-per-flip.png").exists()

    def broken(evaluation):
        raise KeyError("confusion")

    paradigms.register(dataclasses.replace(coin_paradigm, figures=broken), replace=True)
    page = build([evaluation], tmp_path / "broken", terms=[]).read_text()
    assert "Its figures could not be drawn" in page and "KeyError" in page
    assert not (tmp_path / "broken" / "figures" / "coin-1-estimate-per-flip.png").exists()


def test_stale_figures_are_removed_and_a_failed_build_keeps_the_old_page(tmp_path, monkeypatch):
    out = tmp_path / "r"
    build([make_evaluation("alpha"), make_evaluation("beta", gif=True)], out, terms=[])
    assert (out / "figures" / "beta-rollout.gif").exists()
    old = (out / "index.html").read_bytes()
    build_module = sys.modules["paradigms.report.build"]  # the module, not the function

    def explode(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(build_module, "render_html", explode)
    with pytest.raises(RuntimeError):
        build([make_evaluation("alpha")], out, terms=[])
    assert (out / "index.html").read_bytes() == old
    assert not list(out.rglob("*.tmp"))
    monkeypatch.undo()
    build([make_evaluation("alpha")], out, terms=[])
    assert not (out / "figures" / "beta-rollout.gif").exists()


def test_results_document_keeps_failures_and_paradigm_descriptions(report):
    document = json.loads((report.parent / "results.json").read_text())
    assert document["failures"][0]["paradigm"] == "gamma"
    comparison = Comparison.load(report.parent)
    assert comparison.names == ["alpha", "beta", "gamma"]
    assert comparison.info("beta").task.startswith("classify things")
    assert comparison.run["created"] == "2024-01-02T03:04:05+00:00"


def test_a_results_file_with_only_evaluations_still_builds(tmp_path):
    """results.json as the first version of `paradigms compare` wrote it (no failures,
    no paradigm descriptions, no run facts)."""
    document = {
        "format": "learning-paradigms/results",
        "version": 1,
        "evaluations": [make_evaluation("supervised").to_dict()],
    }
    (tmp_path / "results.json").write_text(json.dumps(document))
    page = rebuild(tmp_path, terms=[]).read_text()
    assert 'id="paradigm-supervised"' in page and "0.900" in page
    document["evaluations"][0]["paradigm"] = "nowhere"  # a paradigm no longer installed
    (tmp_path / "results.json").write_text(json.dumps(document))
    page = rebuild(tmp_path, terms=[]).read_text()
    assert "is not installed here, so its own figures are not drawn" in page


def test_a_results_file_from_before_pictures_existed_still_shows_the_animation(tmp_path):
    """An RL evaluation written with its GIF as base64 inside its metrics (the first format)."""
    data = make_evaluation("agent").to_dict()  # a paradigm not installed here: only its pictures show
    del data["figure_data"], data["pictures"]
    data["metrics"]["rollout"] = legacy_rollout()
    document = {"format": "learning-paradigms/results", "version": 1, "evaluations": [data]}
    (tmp_path / "results.json").write_text(json.dumps(document))
    page = rebuild(tmp_path, terms=[]).read_text()
    assert 'src="data:image/gif;base64,' in page
    assert "Rollout, animated (episode return 500.0, length 500)" in page
    assert (tmp_path / "figures" / "agent-rollout.gif").read_bytes()[:4] == b"GIF8"
    assert "gif_base64" not in page  # the picture is shown, not listed as a metric
