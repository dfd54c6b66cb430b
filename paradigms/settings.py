"""Settings: one frozen, documented dataclass per paradigm.

Each field is declared with :func:`setting`, which records its help text and
its allowed range. From that one declaration come the command-line options
(``paradigms run NAME --help``), the validation of values, the JSON ``config``
of an :class:`~paradigms.evaluation.Evaluation` and the report's settings table.

Example
-------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Demo(Settings):
...     epochs: int = setting(5, "passes over the training set", min=1)
...     lr: float = setting(0.01, "learning rate", min=0, min_inclusive=False)
>>> Demo(epochs=3).epochs
3
>>> Demo(epochs=0)
Traceback (most recent call last):
...
paradigms.errors.ConfigError: epochs = 0 is out of range: must be >= 1 (passes over the training set)
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import math
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .files import to_jsonable

_NONE_WORDS = {"none", "null", "auto"}
S = typing.TypeVar("S", bound="Settings")
#: A list setting (hidden layer sizes, ...) holds at most this many values; more only exhausts the machine.
MAX_LIST_ITEMS = 256


def setting(
    default: Any,
    help: str,
    *,
    min: float | None = None,
    max: float | None = None,
    min_inclusive: bool = True,
    choices: tuple[Any, ...] | None = None,
    quick: Any = dataclasses.MISSING,
) -> Any:
    """Declare one setting: its default, a help line, and its allowed values.

    ``quick`` is the value used by ``--quick`` (a tiny budget for smoke runs and
    classroom demos); fields without it keep their default under ``--quick``.
    Mutable defaults (lists) are not allowed: use tuples.
    """
    if isinstance(default, (list, dict, set)):
        raise TypeError("settings are frozen: use a tuple, not a list, as default")
    metadata = {
        "help": help,
        "min": min,
        "max": max,
        "min_inclusive": min_inclusive,
        "choices": choices,
        "quick": quick,
    }
    return dataclasses.field(default=default, metadata=metadata)


def _resolve_type(annotation: Any) -> tuple[Any, bool]:
    """(base type, optional?) of an annotation such as ``int | None``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        if len(args) == 1:
            return args[0], optional
        return str, optional
    return annotation, False


def _convert(name: str, annotation: Any, raw: Any) -> Any:
    """Convert ``raw`` (a string from the command line, or a Python value) to the field's type."""
    base, optional = _resolve_type(annotation)
    if raw is None or (optional and isinstance(raw, str) and raw.strip().lower() in _NONE_WORDS):
        if optional:
            return None
        raise ConfigError(f"{name} needs a value")
    origin = typing.get_origin(base)
    try:
        if origin is tuple:
            (item_type, *_rest) = typing.get_args(base) or (str,)
            if isinstance(raw, str):
                parts = [p for p in raw.replace(" ", ",").split(",") if p]
            else:
                parts = list(raw)
            return tuple(_convert(name, item_type, p) for p in parts)
        if base is bool:
            if isinstance(raw, bool):
                return raw
            word = str(raw).strip().lower()
            if word in ("1", "true", "yes", "on"):
                return True
            if word in ("0", "false", "no", "off"):
                return False
            raise ValueError
        if base is int:
            if isinstance(raw, float) and not raw.is_integer():
                raise ValueError
            if isinstance(raw, str):
                number = float(raw.replace("_", ""))
                if not number.is_integer():
                    raise ValueError
                return int(number)
            return int(raw)
        if base is float:
            return float(raw)
        if base is Path:
            return Path(raw)
        return base(raw) if callable(base) else raw
    except ConfigError:
        raise
    except (TypeError, ValueError):
        kind = getattr(base, "__name__", str(base))
        raise ConfigError(f"{name} = {raw!r} is not a valid {kind}") from None


#: Where a new instance keeps, until ``__post_init__``, the names of the settings given to it.
_GIVEN = "_given_settings"
#: The field that names a preset, in a subclass with :attr:`Settings.PRESETS`.
PRESET_FIELD = "preset"


def apply_preset(given: dict[str, Any], preset: typing.Mapping[str, Any]) -> dict[str, Any]:
    """The one rule of presets: ``preset`` fills every setting not ``given``; a value given wins,
    even one equal to the default (and the ``--quick`` values count as given).

    >>> apply_preset({"epochs": 2}, {"epochs": 8, "dropout": 0.1})
    {'dropout': 0.1, 'epochs': 2}
    """
    return {**{name: value for name, value in preset.items() if name not in given}, **given}


@dataclass(frozen=True)
class Settings:
    """Base class: validates every field declared with :func:`setting` after construction.

    A subclass may name groups of values in :attr:`PRESETS` and choose one with a field
    ``preset``; the chosen group fills the settings the caller did not give
    (:func:`apply_preset`), whether the settings are built by the constructor, by
    :meth:`from_overrides` or by :meth:`replace`. (``dataclasses.replace`` gives the
    constructor every value, so its copy keeps them all and its ``preset`` fills nothing:
    ``settings.replace(preset="best")`` applies the preset.)
    """

    #: Preset name -> the values it gives (none by default).
    PRESETS: typing.ClassVar[typing.Mapping[str, typing.Mapping[str, Any]]] = {}

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        """Note which settings the caller gave (by position or name), for the preset in ``__post_init__``."""
        self = super().__new__(cls)
        if cls.PRESETS and (args or kwargs):
            names = [f.name for f in dataclasses.fields(cls) if f.init]
            object.__setattr__(self, _GIVEN, frozenset((*names[: len(args)], *kwargs)))
        return self

    def __post_init__(self) -> None:
        given = self.__dict__.get(_GIVEN, frozenset())  # kept (not a field): what :meth:`replace` rebuilds from
        if self.PRESETS:
            name = getattr(self, PRESET_FIELD)  # checked against the choices below, with the other fields
            preset = self.PRESETS.get(name, {}) if isinstance(name, str) else {}
            for key, value in apply_preset({key: getattr(self, key) for key in given}, preset).items():
                object.__setattr__(self, key, value)
        hints = typing.get_type_hints(type(self))
        for f in dataclasses.fields(self):
            value = _convert(f.name, hints[f.name], getattr(self, f.name))
            object.__setattr__(self, f.name, value)
            _check_range(f, value)

    # -- construction from user input ----------------------------------------

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    @classmethod
    def from_overrides(
        cls: type[S], overrides: typing.Mapping[str, Any] | None = None, *, quick: bool = False,
        preset: typing.Mapping[str, Any] | None = None,
    ) -> S:
        """Defaults, then ``preset`` (values tuned for the case at hand, e.g. an agent's for one
        environment; a named preset of :attr:`PRESETS` is the setting ``preset``), then the
        ``--quick`` values if asked, then ``overrides`` (strings from the command line or Python
        values): :func:`apply_preset`'s rule. Unknown names are an error that suggests close matches."""
        values: dict[str, Any] = {}
        if quick:
            for f in dataclasses.fields(cls):
                if f.metadata.get("quick", dataclasses.MISSING) is not dataclasses.MISSING:
                    values[f.name] = f.metadata["quick"]
        values.update(cls._known(overrides or {}))
        return cls(**apply_preset(values, cls._known(preset or {})))

    def replace(self: S, **changes: Any) -> S:
        """A copy with ``changes``, made as the constructor makes one: the settings given when this one
        was made and the ``changes`` win, and the preset (a new one, if ``changes`` names it) fills
        the rest. ``dataclasses.replace`` keeps every value instead, so there a new preset fills nothing.

        >>> from dataclasses import dataclass
        >>> @dataclass(frozen=True)
        ... class Demo(Settings):
        ...     PRESETS: typing.ClassVar[dict[str, dict[str, float]]] = {"plain": {}, "long": {"epochs": 9, "lr": 0.1}}
        ...     preset: str = setting("plain", "named values", choices=("plain", "long"))
        ...     epochs: int = setting(5, "passes over the training set", min=1)
        ...     lr: float = setting(0.01, "learning rate", min=0)
        >>> Demo(lr=0.5).replace(preset="long")
        Demo(preset='long', epochs=9, lr=0.5)
        >>> dataclasses.replace(Demo(lr=0.5), preset="long")
        Demo(preset='long', epochs=5, lr=0.5)
        """
        if not self.PRESETS:
            return dataclasses.replace(self, **changes)
        given = {name: getattr(self, name) for name in self.__dict__.get(_GIVEN, frozenset())}
        return type(self)(**{**given, **self._known(changes)})

    @classmethod
    def _known(cls, values: typing.Mapping[str, Any]) -> dict[str, Any]:
        """``values`` by setting name (``-`` read as ``_``); a name that is no setting is a ConfigError."""
        names = cls.field_names()
        known: dict[str, Any] = {}
        for key, value in values.items():
            key = key.replace("-", "_")
            if key not in names:
                close = difflib.get_close_matches(key, names, n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else f"; known settings: {', '.join(names)}"
                raise ConfigError(f"unknown setting {key!r} for {cls.__name__}{hint}")
            known[key] = value
        return known

    @classmethod
    def is_list(cls, name: str) -> bool:
        """Whether setting ``name`` holds a list of values (e.g. ``hidden_sizes``: ``256,128``)."""
        base, _ = _resolve_type(typing.get_type_hints(cls)[name])
        return typing.get_origin(base) is tuple

    def to_dict(self) -> dict[str, Any]:
        """Plain values (tuples as lists, paths as strings), for JSON and reports."""
        return to_jsonable({f.name: getattr(self, f.name) for f in dataclasses.fields(self)})

    @classmethod
    def describe(cls) -> list[dict[str, Any]]:
        """One row per setting: name, type, default, help: the report's settings table."""
        hints = typing.get_type_hints(cls)
        rows = []
        for f in dataclasses.fields(cls):
            rows.append(
                {
                    "name": f.name,
                    "type": _type_name(hints[f.name]),
                    "default": f.default,
                    "help": f.metadata.get("help", ""),
                }
            )
        return rows

    # -- command line --------------------------------------------------------

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """Add one ``--option`` per field; values stay strings until :meth:`from_overrides`."""
        hints = typing.get_type_hints(cls)
        group = parser.add_argument_group(f"settings ({cls.__name__})")
        for f in dataclasses.fields(cls):
            flag = "--" + f.name.replace("_", "-")
            base, _ = _resolve_type(hints[f.name])
            meta = f.metadata
            help_text = meta.get("help", "")
            extras = [f"default: {_show(f.default)}"]
            if meta.get("choices"):
                extras.insert(0, "one of " + ", ".join(map(str, meta["choices"])))
            if meta.get("quick", dataclasses.MISSING) is not dataclasses.MISSING:
                extras.append(f"--quick: {_show(meta['quick'])}")
            full_help = f"{help_text} ({'; '.join(extras)})".replace("%", "%%")
            dest = f"setting__{f.name}"
            if base is bool:
                group.add_argument(flag, dest=dest, action=argparse.BooleanOptionalAction, default=None, help=full_help)
            else:
                group.add_argument(flag, dest=dest, metavar=_type_name(hints[f.name]).upper(), default=None, help=full_help)

    @classmethod
    def overrides_from_namespace(cls, namespace: argparse.Namespace) -> dict[str, Any]:
        """The options the user actually gave on the command line."""
        return {
            name[len("setting__"):]: value
            for name, value in vars(namespace).items()
            if name.startswith("setting__") and value is not None
        }


def _check_range(f: dataclasses.Field, value: Any) -> None:
    meta = f.metadata
    if not meta or value is None:
        return
    values = value if isinstance(value, tuple) else (value,)
    help_text = meta.get("help", "")
    if len(values) > MAX_LIST_ITEMS:
        raise ConfigError(f"{f.name} has {len(values):,} values: give at most {MAX_LIST_ITEMS} ({help_text})")
    choices = meta.get("choices")
    for item in values:
        if choices and item not in choices:
            close = difflib.get_close_matches(str(item), [str(c) for c in choices], n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ConfigError(
                f"{f.name} = {item!r} is not allowed: choose one of {', '.join(map(str, choices))}{hint}"
            )
        if isinstance(item, float) and not math.isfinite(item):  # NaN, inf, -inf: before the range, which NaN escapes
            raise ConfigError(f"{f.name} = {item} is not a finite number: give a number ({help_text})")
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            low, high = meta.get("min"), meta.get("max")
            if low is not None:
                ok = item >= low if meta.get("min_inclusive", True) else item > low
                if not ok:
                    op = ">=" if meta.get("min_inclusive", True) else ">"
                    raise ConfigError(f"{f.name} = {item!r} is out of range: must be {op} {low} ({help_text})")
            if high is not None and item > high:
                raise ConfigError(f"{f.name} = {item!r} is out of range: must be <= {high} ({help_text})")


def _type_name(annotation: Any) -> str:
    base, optional = _resolve_type(annotation)
    if typing.get_origin(base) is tuple:
        (item, *_rest) = typing.get_args(base) or (str,)
        name = f"{getattr(item, '__name__', 'value')},..."
    else:
        name = getattr(base, "__name__", str(base))
    return f"{name}|none" if optional else name


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(map(str, value)) or "(empty)"
    return str(value)
