"""Sliders in Jupyter: one per term, on a setting the demo accepts; without ipywidgets a one-line hint."""

import sys

import pytest

import glossary
from glossary import all_terms, get_term
from glossary.interactive import INSTALL_HINT, SLIDERS


@pytest.mark.parametrize("term", all_terms(), ids=lambda t: t.slug)
def test_every_term_has_a_slider_whose_every_stop_is_a_valid_setting(term):
    slider = SLIDERS[term.slug]
    assert slider.setting in term.settings.field_names()
    assert slider.default in slider.options and len(slider.options) >= 5
    assert list(slider.options) == sorted(slider.options)
    for value in slider.options:
        term.settings.from_overrides({slider.setting: slider.value_for(value)})  # raises if out of range


def test_without_ipywidgets_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets now fails
    with pytest.raises(ImportError) as info:
        glossary.interactive("epoch")
    assert str(info.value) == INSTALL_HINT and "pip install 'learning-paradigms[widgets]'" in str(info.value)
    assert "\n" not in str(info.value)


def test_moving_the_slider_reruns_the_demo_with_the_new_value():
    pytest.importorskip("ipywidgets", reason="the sliders need ipywidgets: pip install 'learning-paradigms[widgets]'")
    widget = glossary.interactive("learning rate", steps=10)
    slider = widget.children[0]
    assert slider.value == 0.5 and not slider.continuous_update
    assert widget.result.settings.rates == (0.5,) and widget.result.settings.steps == 10
    assert "0.5: reaches the bottom" in widget.result.finding
    slider.value = 2.1
    assert widget.result.settings.rates == (2.1,)
    assert "2.1: too large: past 2/L = 2.00" in widget.result.finding


def test_the_sliders_setting_cannot_also_be_fixed():
    pytest.importorskip("ipywidgets", reason="the sliders need ipywidgets")
    with pytest.raises(TypeError, match="slider's setting"):
        glossary.interactive(get_term("epoch"), epochs=3)
