"""A sweep's grid: the settings that vary, the values each takes, and the cells they make.

``--grid batch_size=32,128,512`` is one axis; several ``--grid`` options multiply
into cells (every combination). Values are read exactly as ``paradigms run NAME
--help`` documents each setting: every value goes through the paradigm's own
settings class (:meth:`~paradigms.settings.Settings.from_overrides`), so an
unknown setting gets a did-you-mean, a value out of range is refused, and the
cells' settings are checked together (``k_min`` above ``k_max``) before any run.

A setting that holds a list, such as ``hidden_sizes`` (``256,128``), needs its
commas, so its values are separated by :data:`LIST_SEPARATOR` instead:
``--grid "hidden_sizes=128;256,128"`` sweeps a one-layer and a two-layer network.

>>> grid = make_grid("supervised", parse_grid_options(["batch_size=32,128", "hidden_sizes=64;64,64"]))
>>> [cell.label for cell in grid.cells]
['batch_size=32, hidden_sizes=64', 'batch_size=32, hidden_sizes=64,64', 'batch_size=128, hidden_sizes=64', 'batch_size=128, hidden_sizes=64,64']
>>> grid.cells[0].id
'1-batch_size=32_hidden_sizes=64'
>>> make_grid("supervised", {"batch_size": [0]})
Traceback (most recent call last):
...
paradigms.errors.ConfigError: --grid batch_size: batch_size = 0 is out of range: must be >= 1 (examples per gradient step)
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import registry
from ..errors import ConfigError
from ..files import to_jsonable
from ..settings import Settings

#: Separates the values of a list-valued setting (``hidden_sizes``), whose own items use commas.
LIST_SEPARATOR = ";"
#: Settings the sweep itself sets for each run (one folder per run).
_SET_BY_THE_SWEEP = ("output_dir",)
_UNSAFE = re.compile(r"[^A-Za-z0-9._=+-]+")


def show_value(value: Any) -> str:
    """A setting's value as the command line writes it: ``256,128``, ``none``, ``0.001``."""
    if isinstance(value, (list, tuple)):
        return ",".join(show_value(v) for v in value) or "(empty)"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class Axis:
    """One swept setting and its values (plain JSON values: a list for a list setting)."""

    setting: str
    values: tuple[Any, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(show_value(v) for v in self.values)

    @property
    def numeric(self) -> bool:
        """Whether every value is a number (a figure may then space them by value)."""
        return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in self.values)


@dataclass(frozen=True)
class Cell:
    """One combination of the swept values: its folder name, the values, every setting.

    ``settings`` is the paradigm's settings object, present while the sweep is
    planned and run; a cell read back from JSON has only ``config``.
    """

    id: str
    values: dict[str, Any]
    config: dict[str, Any]
    settings: Settings | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # list values (hidden_sizes) as tuples, so that a cell built here and one read back
        # from JSON hold equal values, and a value can key a dict (the page's figures)
        object.__setattr__(self, "values", {name: _frozen(value) for name, value in self.values.items()})

    @property
    def label(self) -> str:
        return ", ".join(f"{name}={show_value(value)}" for name, value in self.values.items())

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "values": self.values, "config": self.config}


@dataclass(frozen=True)
class Grid:
    """Every cell of a sweep of paradigm ``paradigm``, and what it was made from.

    ``fixed`` holds the other settings the user changed (``--set``), ``quick``
    whether ``--quick`` values were used, and ``selection`` the rule that picks
    the best cell (the paradigm's
    :attr:`~paradigms.registry.ParadigmSpec.selection_metric`).
    """

    paradigm: str
    axes: tuple[Axis, ...]
    cells: tuple[Cell, ...]
    fixed: dict[str, Any] = field(default_factory=dict)
    quick: bool = False
    selection: str | None = None

    def describe(self) -> str:
        """``batch_size (4 values) × learning_rate (3 values): 12 cells``."""
        axes = " × ".join(f"{a.setting} ({len(a.values)} value{'s' if len(a.values) != 1 else ''})" for a in self.axes)
        return f"{axes}: {len(self.cells)} cell{'s' if len(self.cells) != 1 else ''}"

    def describe_values(self, limit: int = 6) -> str:
        """The axes with their values, for telling two grids apart: ``k=2,3 × seed_rule=a``
        (at most ``limit`` values an axis, then how many more)."""
        def values(axis: Axis) -> str:
            shown = [show_value(v) for v in axis.values[:limit]]
            more = f",… ({len(axis.values) - limit} more)" if len(axis.values) > limit else ""
            return (LIST_SEPARATOR if any("," in v for v in shown) else ",").join(shown) + more

        return " × ".join(f"{axis.setting}={values(axis)}" for axis in self.axes)

    def same_axes(self, other: Grid) -> bool:
        """Whether ``other`` sweeps the same paradigm over the same settings and values."""
        return self.paradigm == other.paradigm and self.axes == other.axes

    def cell(self, cell_id: str) -> Cell:
        for cell in self.cells:
            if cell.id == cell_id:
                return cell
        raise KeyError(cell_id)

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable({
            "paradigm": self.paradigm,
            "axes": [{"setting": a.setting, "values": list(a.values)} for a in self.axes],
            "cells": [c.to_dict() for c in self.cells],
            "fixed": self.fixed,
            "quick": self.quick,
            "selection": self.selection,
        })

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Grid:
        """Read back :meth:`to_dict` (raises KeyError/TypeError/ValueError on a broken record)."""
        return cls(
            paradigm=str(data["paradigm"]),
            axes=tuple(Axis(str(a["setting"]), tuple(_frozen(v) for v in a["values"])) for a in data["axes"]),
            cells=tuple(
                Cell(id=str(c["id"]), values={str(k): v for k, v in dict(c["values"]).items()}, config=dict(c["config"]))
                for c in data["cells"]
            ),
            fixed=dict(data.get("fixed") or {}),
            quick=bool(data.get("quick", False)),
            selection=data.get("selection"),
        )


def _frozen(value: Any) -> Any:
    """A JSON list as a tuple, so that two axes read from files compare equal."""
    return tuple(value) if isinstance(value, list) else value


def parse_grid_options(options: Sequence[str]) -> dict[str, list[str]]:
    """``["batch_size=32,128", "hidden_sizes=128;256,128"]`` -> the raw values of each setting.

    Values stay strings; :func:`make_grid` converts them with the paradigm's settings
    (and splits a list-valued setting's values at ``;`` instead of ``,``).
    """
    axes: dict[str, list[str]] = {}
    for option in options:
        name, sep, raw = str(option).partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not name:
            raise ConfigError(f"--grid {option!r}: write SETTING=VALUE1,VALUE2,..., e.g. batch_size=32,128,512")
        if name in axes:
            raise ConfigError(f"--grid {name} is given twice: put all its values in one --grid")
        axes[name] = [raw]
    return axes


def make_grid(
    name: str,
    axes: Mapping[str, Sequence[Any]],
    *,
    fixed: Mapping[str, Any] | None = None,
    quick: bool = False,
    check_size: Callable[[int], None] | None = None,
) -> Grid:
    """The grid of paradigm ``name`` over ``axes`` (setting -> values), every cell checked.

    A value may be a string as the command line gives it (``"32,128"`` is then
    split into values: at ``;`` for a list-valued setting, at ``,`` otherwise) or
    a Python value. ``fixed`` are the other settings changed for every cell.
    ``check_size`` is called with the number of cells (the product of the axes'
    lengths) before any value is converted or any cell is built, so that a grid of
    a million cells is refused at once rather than after a minute of building.
    """
    spec = registry.get(name)
    settings_class = spec.settings
    fixed = {str(k).replace("-", "_"): v for k, v in (fixed or {}).items()}
    try:
        settings_class.from_overrides(fixed, quick=quick)
    except ConfigError as exc:
        raise ConfigError(f"--set: {exc}") from None
    if not axes:
        raise ConfigError(f"an empty grid: give at least one --grid SETTING=VALUE1,VALUE2 (see `paradigms run {name} --help`)")
    raw = {str(setting).replace("-", "_"): _raw_values(settings_class, str(setting).replace("-", "_"), values)
           for setting, values in axes.items()}
    if check_size is not None:
        check_size(math.prod(len(values) for values in raw.values()))
    built = [_axis(settings_class, setting, values, fixed, quick) for setting, values in raw.items()]
    both = sorted(set(fixed) & {a.setting for a in built})
    if both:
        raise ConfigError(f"{both[0]} is both swept (--grid) and fixed (--set): give it in one place")
    cells = []
    width = len(str(_size(built)))
    for index, combination in enumerate(itertools.product(*(a.values for a in built))):
        values = {a.setting: v for a, v in zip(built, combination, strict=True)}
        label = ", ".join(f"{k}={show_value(v)}" for k, v in values.items())
        try:
            settings = settings_class.from_overrides({**fixed, **values}, quick=quick)
        except ConfigError as exc:
            raise ConfigError(f"--grid cell {label}: {exc}") from None
        slug = "_".join(f"{k}={show_value(v)}" for k, v in values.items())
        cell_id = f"{index + 1:0{width}d}-{_UNSAFE.sub('-', slug)}"[:120]
        cells.append(Cell(cell_id, to_jsonable(values), settings.to_dict(), settings))
    return Grid(spec.name, tuple(built), tuple(cells), fixed=to_jsonable(fixed), quick=quick,
                selection=spec.selection_metric)


def _size(axes: Sequence[Axis]) -> int:
    size = 1
    for axis in axes:
        size *= len(axis.values)
    return size


def _raw_values(settings_class: type[Settings], setting: str, values: Sequence[Any]) -> list[Any]:
    """One axis's values as given, a string split into its parts, before any is converted."""
    if setting in _SET_BY_THE_SWEEP:
        raise ConfigError(f"--grid {setting}: the sweep sets it itself (one folder per run, under --out)")
    names = settings_class.field_names()
    if setting not in names:  # the settings class says it, with a did-you-mean
        try:
            settings_class.from_overrides({setting: None})
        except ConfigError as exc:
            raise ConfigError(f"--grid: {exc}") from None
    raw: list[Any] = []
    separator = LIST_SEPARATOR if settings_class.is_list(setting) else ","
    for value in [values] if isinstance(values, str) else values:
        if isinstance(value, str):
            raw.extend(part.strip() for part in value.split(separator))
        else:
            raw.append(value)
    if not raw or any(part == "" for part in raw):
        example = "hidden_sizes=128;256,128" if separator == LIST_SEPARATOR else f"{setting}=1,2,3"
        raise ConfigError(f"--grid {setting}: give one or more values separated by '{separator}', e.g. {example}")
    return raw


def _axis(settings_class: type[Settings], setting: str, raw: Sequence[Any], fixed: Mapping[str, Any],
          quick: bool) -> Axis:
    """One axis: each value converted and checked by the settings class, as plain JSON."""
    converted: list[Any] = []
    for part in raw:
        try:
            settings = settings_class.from_overrides({**fixed, setting: part}, quick=quick)
        except ConfigError as exc:
            raise ConfigError(f"--grid {setting}: {exc}") from None
        value = _frozen(to_jsonable(getattr(settings, setting)))
        if value in converted:
            raise ConfigError(f"--grid {setting}: the value {show_value(value)} is given twice")
        converted.append(value)
    return Axis(setting, tuple(converted))
