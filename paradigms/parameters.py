"""Settings as parameters: the one way an estimator or an agent takes its parameters from a settings dataclass.

A scikit-learn estimator keeps its parameters as plain attributes (``get_params``,
``set_params`` and ``clone`` rely on it) and checks them when it learns; an agent
takes its hyper-parameters as keyword arguments. Both are the same settings
dataclass (:mod:`paradigms.settings`) seen through a :class:`ParameterMap`: which
settings are parameters, under which names (``k`` is a segmenter's
``n_clusters``), their defaults, and the one validation, which builds the
settings from the parameters. An object built from settings remembers them
(:meth:`ParameterMap.remember`), so learning with the parameters unchanged does
not turn them into settings again: the run and the estimator learn by the same
settings object.

>>> from dataclasses import dataclass
>>> from paradigms.settings import Settings, setting
>>> @dataclass(frozen=True)
... class Demo(Settings):
...     k: int = setting(3, "segments", min=2)
...     seed: int = setting(0, "seed")
>>> PARAMS = ParameterMap(Demo, ("k",), renames={"k": "n_clusters"})
>>> PARAMS.defaults()
{'n_clusters': 3}
>>> PARAMS.from_settings(Demo(k=5))
{'n_clusters': 5}
>>> PARAMS.to_settings({"n_clusters": 1})
Traceback (most recent call last):
...
paradigms.errors.ConfigError: k = 1 is out of range: must be >= 2 (segments)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

from .settings import Settings

S = TypeVar("S", bound=Settings)

#: Where an object built from settings keeps them (a private attribute: scikit-learn's ``clone`` drops it).
_SOURCE = "_source_settings"

__all__ = ["ParameterMap"]


def _same(a: Any, b: Any) -> bool:
    """``a`` and ``b`` are the same value of the same type (arrays and odd objects: never)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - an array's == is no truth value; any failure means "not known equal"
        return False


class ParameterMap(Generic[S]):
    """Which settings of ``settings_class`` are an object's parameters, and their parameter names.

    ``names``: the settings that are parameters, in order (None: every setting);
    ``renames``: setting name -> parameter name, where they differ.
    """

    def __init__(
        self, settings_class: type[S], names: Iterable[str] | None = None, *, renames: Mapping[str, str] | None = None,
    ) -> None:
        known = settings_class.field_names()
        chosen = tuple(known if names is None else names)
        renames = dict(renames or {})
        unknown = [name for name in (*chosen, *renames) if name not in known]
        if unknown:
            raise TypeError(f"{settings_class.__name__} has no setting {', '.join(map(repr, unknown))}")
        self.settings_class = settings_class
        #: Setting name -> parameter name, for every setting that is a parameter.
        self.parameter_of: dict[str, str] = {name: renames.get(name, name) for name in chosen}
        self._setting_of = {parameter: name for name, parameter in self.parameter_of.items()}
        self._fields = {f.name: f for f in dataclasses.fields(settings_class)}

    @property
    def names(self) -> tuple[str, ...]:
        """The parameters' names, in order."""
        return tuple(self.parameter_of.values())

    def field(self, parameter: str) -> dataclasses.Field:
        """The settings field behind ``parameter`` (its default, help and range)."""
        return self._fields[self._setting_of[parameter]]

    def defaults(self) -> dict[str, Any]:
        """Each parameter's default: its setting's."""
        return {parameter: self.field(parameter).default for parameter in self.names}

    def from_settings(self, settings: S) -> dict[str, Any]:
        """The parameters ``settings`` hold, by parameter name."""
        return {parameter: getattr(settings, name) for name, parameter in self.parameter_of.items()}

    def to_settings(self, values: Mapping[str, Any]) -> S:
        """The one validation: settings holding ``values`` (by parameter name; the settings that are
        no parameters keep their defaults). A value out of range is a ConfigError in the settings'
        words; a name that is no setting, one that suggests the close ones."""
        settings = self.settings_class.from_overrides({self._setting_of.get(k, k): v for k, v in values.items()})
        return settings

    # -- an object's parameters --------------------------------------------------------------

    def remember(self, owner: object, settings: S) -> None:
        """Note that ``owner``'s parameters were taken from ``settings`` (already validated)."""
        vars(owner)[_SOURCE] = settings

    def settings_of(self, owner: object, **replaced: Any) -> S:
        """The settings behind ``owner``'s parameters (its attributes of the parameters' names; ``replaced``
        overrides some): those it was built from while the values still match them, else validated now."""
        values = {parameter: getattr(owner, parameter) for parameter in self.names}
        values.update(replaced)
        source = vars(owner).get(_SOURCE)
        if source is not None:
            held = self.from_settings(source)
            if all(_same(values[name], held[name]) for name in self.names):
                return source
        return self.to_settings(values)
