"""Settings as parameters (paradigms/parameters.py) and the one rule of presets (paradigms/settings.py)."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from paradigms.errors import ConfigError
from paradigms.parameters import ParameterMap
from paradigms.settings import Settings, setting


@dataclass(frozen=True)
class Recipe(Settings):
    PRESETS: ClassVar[dict[str, dict[str, Any]]] = {"plain": {}, "long": {"epochs": 9, "width": 128}}

    preset: str = setting("plain", "named values", choices=("plain", "long"))
    epochs: int = setting(3, "passes", min=1, quick=1)
    width: int = setting(32, "units", min=1)
    k: int | None = setting(None, "segments", min=2)
    name: str = setting("demo", "not a parameter")


MAP = ParameterMap(Recipe, ("epochs", "width", "k"), renames={"k": "n_clusters"})


class Owner:
    def __init__(self, epochs: int = 3, width: int = 32, n_clusters: int | None = None) -> None:
        self.epochs, self.width, self.n_clusters = epochs, width, n_clusters


def test_a_map_renames_and_takes_its_defaults_from_the_settings():
    assert MAP.names == ("epochs", "width", "n_clusters")
    assert MAP.defaults() == {"epochs": 3, "width": 32, "n_clusters": None}
    assert MAP.from_settings(Recipe(k=4, name="x")) == {"epochs": 3, "width": 32, "n_clusters": 4}
    assert MAP.to_settings({"n_clusters": 5, "width": "64"}) == Recipe(k=5, width=64)
    with pytest.raises(TypeError, match="no setting 'depth'"):
        ParameterMap(Recipe, ("depth",))


def test_the_one_validation_speaks_the_settings_words():
    with pytest.raises(ConfigError, match=r"^k = 1 is out of range: must be >= 2 \(segments\)$"):
        MAP.to_settings({"n_clusters": 1})
    with pytest.raises(ConfigError, match="unknown setting 'epoch'.*did you mean epochs"):
        MAP.to_settings({"epoch": 2})


def test_an_owner_built_from_settings_keeps_them_until_a_parameter_changes():
    settings = Recipe.from_overrides({"preset": "long", "name": "run"})
    owner = Owner(**MAP.from_settings(settings))
    MAP.remember(owner, settings)
    assert MAP.settings_of(owner) is settings  # no second trip through validation (nor the preset)
    owner.width = 0  # as set_params would
    with pytest.raises(ConfigError, match="width = 0 is out of range"):
        MAP.settings_of(owner)
    owner.width = 128.0  # equal, but not the same value: validated again
    again = MAP.settings_of(owner)
    assert again is not settings and again.width == 128 and again.preset == "plain"
    assert MAP.settings_of(Owner(), n_clusters=3).k == 3  # replaced values count, unremembered owner


def test_a_preset_fills_what_is_not_given_however_the_settings_are_built():
    # Constructor and from_overrides share the rule: given > --quick > preset > default.
    assert Recipe(preset="long", epochs=2) == Recipe.from_overrides({"preset": "long", "epochs": 2})
    assert (Recipe(preset="long", epochs=2).epochs, Recipe(preset="long", epochs=2).width) == (2, 128)
    assert Recipe(preset="long", epochs=3).epochs == 3  # a value given wins, even the default
    assert Recipe.from_overrides({"preset": "long"}, quick=True).epochs == 1
    # A preset that is a mapping (an agent's values tuned for an environment) ranks the same way.
    tuned = {"epochs": 7, "width": 64}
    assert Recipe.from_overrides(preset=tuned) == Recipe(epochs=7, width=64)
    assert Recipe.from_overrides({"width": 16}, preset=tuned) == Recipe(epochs=7, width=16)
    assert Recipe.from_overrides(quick=True, preset=tuned).epochs == 1
    with pytest.raises(ConfigError, match="unknown setting 'depth'"):
        Recipe.from_overrides(preset={"depth": 2})
    # A copy keeps every value: dataclasses.replace gives the constructor all of them.
    assert dataclasses.replace(Recipe(preset="long"), name="copy").epochs == 9


def test_replace_applies_a_new_preset_to_the_settings_not_given():
    from paradigms.supervised.settings import BEST_PRESET, SupervisedSettings

    assert SupervisedSettings().replace(preset="best").hidden_sizes == BEST_PRESET["hidden_sizes"]
    assert SupervisedSettings(epochs=2).replace(preset="best") == SupervisedSettings(preset="best", epochs=2)
    assert Recipe(width=16).replace(preset="long") == Recipe(preset="long", width=16, epochs=9)
    assert Recipe(preset="long", epochs=3).replace(preset="plain") == Recipe(epochs=3)  # the old preset's values go
    assert Recipe.from_overrides({"epochs": "4"}, quick=True).replace(preset="long").epochs == 4
    assert pickle.loads(pickle.dumps(Recipe(width=16))).replace(preset="long").width == 16  # a run's copy too
    assert Recipe(preset="long").replace(name="copy") == dataclasses.replace(Recipe(preset="long"), name="copy")
    with pytest.raises(ConfigError, match="unknown setting 'widht'.*did you mean width"):
        Recipe().replace(widht=3)
    # dataclasses.replace still hands the constructor every value: its copy keeps them (the Settings docstring says so)
    assert dataclasses.replace(Recipe(), preset="long").epochs == 3

    @dataclass(frozen=True)
    class Plain(Settings):
        epochs: int = setting(3, "passes", min=1)
        name: str = setting("demo", "a name")

    assert Plain(epochs=5).replace(name="x") == Plain(epochs=5, name="x")
