"""The glossary as a list of terms: completeness, lookup, links, the interface the report relies on."""

import importlib
import re
import subprocess
import sys

import pytest

from glossary import all_terms, get_term, link_index
from glossary.registry import normalize
from paradigms.errors import ConfigError

LESSON_TERMS = [
    "neuron", "neural-network", "deep", "backpropagation", "supervised-learning", "unsupervised-learning",
    "reinforcement-learning", "cost-function", "overfitting", "underfitting", "classification", "regression",
    "training-set", "validation-set", "test-set", "batch-size", "epoch", "learning-rate", "mitchell",
]


def test_every_lesson_term_is_there_in_a_stable_order():
    assert [term.slug for term in all_terms()] == LESSON_TERMS


@pytest.mark.parametrize("term", all_terms(), ids=lambda t: t.slug)
def test_term_entry_is_complete(term):
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", term.slug)
    assert term.name and term.name == term.name.strip()
    # One or two plain sentences.
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", term.definition.strip()) if s]
    assert 1 <= len(sentences) <= 2 and term.definition.endswith(".")
    assert len(term.look_for) > 20
    module = importlib.import_module(term.module)
    assert module.TERM is term and module.demo is term.demo
    # Every setting the demo takes is declared, so `--set` and the sliders can check it.
    assert term.settings is not None and term.settings.field_names()


@pytest.mark.parametrize("term", all_terms(), ids=lambda t: t.slug)
def test_related_terms_exist(term):
    slugs = {t.slug for t in all_terms()}
    assert term.related, f"{term.slug} links to no related term"
    for slug in term.related:
        assert slug in slugs and slug != term.slug


def _resolve(reference: str):
    """Import the longest module prefix of ``reference`` and walk the rest as attributes."""
    parts = reference.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            target = getattr(target, name)
        return target
    raise ModuleNotFoundError(reference)


def test_used_in_references_point_at_real_code():
    references = [(t.slug, ref) for t in all_terms() for ref in t.used_in]
    assert len(references) >= 8
    for slug, reference in references:
        assert _resolve(reference) is not None, f"{slug}: {reference} does not resolve"


def test_epoch_links_to_the_supervised_training_loop():
    assert any(ref.startswith("paradigms.supervised.training") for ref in get_term("epoch").used_in)


def test_no_word_links_to_two_terms():
    owner = {}
    for term in all_terms():
        for word in (term.slug, *term.words):
            key = normalize(word)
            assert owner.setdefault(key, term.slug) == term.slug, f"{word!r}: {owner[key]} and {term.slug}"


@pytest.mark.parametrize(
    "query, slug",
    [
        ("batch-size", "batch-size"), ("batch size", "batch-size"), ("Batch_Size", "batch-size"),
        ("epochs", "epoch"), ("EPOCH", "epoch"), ("loss function", "cost-function"),
        ("layers", "neural-network"), ("Deep Learning", "deep"), ("validation data", "validation-set"),
        ("Mitchell's definition", "mitchell"), ("  overfit ", "overfitting"),
    ],
)
def test_get_term_by_slug_name_or_alias(query, slug):
    assert get_term(query).slug == slug


@pytest.mark.parametrize(
    "query, suggestion",
    [("epoc", "epoch"), ("bach-size", "batch-size"), ("overfiting", "overfitting"), ("valid", "validation-set")],
)
def test_unknown_term_suggests_close_matches(query, suggestion):
    with pytest.raises(ConfigError) as info:
        get_term(query)
    message = str(info.value)
    assert f"unknown glossary term {query!r}" in message and suggestion in message and "\n" not in message


def test_unknown_term_without_close_match_points_to_the_list():
    with pytest.raises(ConfigError, match="paradigms glossary list"):
        get_term("zebra crossing")


def test_link_index_maps_every_word_longest_first():
    index = link_index()
    assert index["epochs"] == "epoch" and index["validation set"] == "validation-set"
    lengths = [len(word) for word in index]
    assert lengths == sorted(lengths, reverse=True)
    assert set(index.values()) == set(LESSON_TERMS)


def test_the_report_reads_the_terms_it_is_handed():
    from paradigms.report.terms import TermLinker, report_terms

    infos = report_terms(all_terms())
    assert {info.slug for info in infos} == set(LESSON_TERMS)
    linker = TermLinker(infos)
    pieces = linker.split("Ten epochs with a batch size of 64, then the test set.", seen=set())
    assert ("epochs", "epoch") in pieces and ("batch size", "batch-size") in pieces and ("test set", "test-set") in pieces


def test_listing_the_terms_loads_no_plotting_library():
    # `paradigms glossary list` and every command line start: matplotlib loads when a demo is drawn
    code = "import glossary, sys; glossary.all_terms(); print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
