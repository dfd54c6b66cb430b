"""One home for every setting: SupervisedSettings, and the estimator that derives from it."""

import dataclasses

import pytest
from sklearn.base import clone

from paradigms.errors import ConfigError
from paradigms.supervised import estimator
from paradigms.supervised.estimator import DigitClassifier
from paradigms.supervised.model import ACTIVATION_LAYERS
from paradigms.supervised.settings import ACTIVATIONS, BEST_PRESET, SupervisedSettings


def test_the_estimator_defaults_are_the_paradigm_defaults():
    # DigitClassifier() is the recipe `paradigms run supervised` trains: every parameter it
    # shares with the settings has the settings' default, the validation slice included.
    assert DigitClassifier().recipe() == SupervisedSettings()
    assert DigitClassifier().validation_size == SupervisedSettings().validation_size


def test_from_settings_carries_every_recipe_setting():
    settings = SupervisedSettings.from_overrides({"preset": "best", "threads": 1, "validation_size": 300})
    clf = DigitClassifier.from_settings(settings, random_state=7)
    params = clf.get_params()
    own = {"random_state", "file_preparation"}  # not settings: the seed, and how files are read (by the data)
    assert {name: params[name] for name in params if name not in own} == {
        name: getattr(settings, name) for name in params if name not in own
    }
    assert params["random_state"] == 7 and params["hidden_sizes"] == BEST_PRESET["hidden_sizes"]
    assert DigitClassifier.from_settings(settings, file_preparation="resize").file_preparation == "resize"


@pytest.mark.parametrize(
    "options",
    [
        dict(epochs=0),
        dict(batch_size=0),
        dict(hidden_sizes=(64, 0)),
        dict(dropout=0.99),
        dict(optimizer="adamm"),
        dict(learning_rate=-1.0),
        dict(activation="swish"),
        dict(schedule="linear"),
        dict(device="tpu"),
    ],
)
def test_the_estimator_refuses_what_the_settings_refuse_with_the_same_words(options):
    with pytest.raises(ConfigError) as from_settings:
        SupervisedSettings(**options)
    with pytest.raises(ConfigError) as from_estimator:
        DigitClassifier(**options).fit([[0.0, 1.0], [1.0, 0.0]], [0, 1])
    assert str(from_estimator.value) == str(from_settings.value)


def test_every_activation_setting_has_a_layer():
    assert set(ACTIVATION_LAYERS) == set(ACTIVATIONS)


def test_presets():
    best = SupervisedSettings.from_overrides({"preset": "best"})
    assert best.hidden_sizes == BEST_PRESET["hidden_sizes"] and best.epochs == BEST_PRESET["epochs"]
    mine = SupervisedSettings.from_overrides({"preset": "best", "dropout": "0"})
    assert mine.dropout == 0.0 and mine.hidden_sizes == BEST_PRESET["hidden_sizes"]
    quick = SupervisedSettings.from_overrides({"preset": "best"}, quick=True)
    assert quick.epochs == SupervisedSettings.from_overrides(quick=True).epochs
    assert quick.hidden_sizes == BEST_PRESET["hidden_sizes"]
    assert SupervisedSettings(preset="best").epochs == BEST_PRESET["epochs"]
    with pytest.raises(ConfigError, match="misclassified = 500 is out of range"):
        SupervisedSettings(misclassified=500)


def test_a_preset_gives_the_same_settings_however_they_are_built():
    # Python's constructor and the command line's overrides apply the preset by one rule: a
    # setting given explicitly wins, the preset fills the settings left alone.
    direct = SupervisedSettings(preset="best", epochs=2)
    parsed = SupervisedSettings.from_overrides({"preset": "best", "epochs": 2})
    assert direct == parsed
    assert direct.epochs == 2
    assert direct.hidden_sizes == BEST_PRESET["hidden_sizes"] and direct.dropout == BEST_PRESET["dropout"]


def test_a_preset_ranks_below_explicit_and_quick_values_and_above_the_defaults():
    # An explicit value wins even when it equals the default.
    for mine in (SupervisedSettings(preset="best", dropout=0.0),
                 SupervisedSettings.from_overrides({"preset": "best", "dropout": "0"})):
        assert mine.dropout == 0.0 and mine.hidden_sizes == BEST_PRESET["hidden_sizes"]
    quick = SupervisedSettings.from_overrides({"preset": "best"}, quick=True)
    plain_quick = SupervisedSettings.from_overrides(quick=True)
    assert (quick.epochs, quick.batch_size) == (plain_quick.epochs, plain_quick.batch_size)  # --quick beats the preset
    assert quick.learning_rate == BEST_PRESET["learning_rate"]  # the preset beats the defaults
    assert SupervisedSettings.from_overrides({"preset": "best", "epochs": 5}, quick=True).epochs == 5
    assert SupervisedSettings(preset="best").activation == SupervisedSettings().activation  # not in the preset
    # A copy keeps every value it does not change: the preset is not applied again over them.
    assert dataclasses.replace(SupervisedSettings(preset="best", epochs=4), batch_size=20).epochs == 4


class _Stop(Exception):
    """Raised where training would start: the test only looks at what it is given."""


def test_a_classifier_from_settings_trains_by_those_very_settings(monkeypatch):
    # It used to go settings -> parameters -> new settings on every fit (validation and presets
    # again); now the run's settings are what it trains by, until a parameter changes.
    settings = SupervisedSettings.from_overrides({"preset": "best", "epochs": 1, "threads": 1, "validation_size": 2})
    clf = DigitClassifier.from_settings(settings, random_state=0)
    assert clf.recipe() is settings
    given = []

    def fit_network(recipe, *args, **kwargs):
        given.append(recipe)
        raise _Stop

    monkeypatch.setattr(estimator, "fit_network", fit_network)
    with pytest.raises(_Stop):
        clf.fit([[0.0, 1.0], [1.0, 0.0]] * 5, [0, 1] * 5)
    assert given[0] is settings
    assert clone(clf).recipe() == SupervisedSettings(**{name: getattr(settings, name) for name in estimator.RECIPE.names})
    clf.set_params(epochs=2)
    assert clf.recipe() is not settings and clf.recipe().epochs == 2
    clf.set_params(epochs=0)
    with pytest.raises(ConfigError, match="epochs = 0 is out of range"):
        clf.recipe()
