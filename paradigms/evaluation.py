"""The one result type every paradigm returns, built on Mitchell's definition.

    A program learns from experience E with respect to task T and performance
    measure P if its performance on T, as measured by P, improves with E.

:class:`Evaluation` records T (``task``), P (``measure``, with the floor a
trivial program reaches and the ceiling a perfect one reaches), E (the unit of
``experience``) and the learning ``curve`` of P against E, plus everything
needed to read and rerun the result: further ``metrics`` (numbers and short
values the report lists), the ``dataset``, the full ``config``, the ``seed``,
``timings`` and a reproducibility ``manifest``. What the paradigm's figures draw
has its own places: ``figure_data`` (raw material for its plots) and
``pictures`` (:class:`~paradigms.pictures.Picture`: GIF or PNG bytes it made).

It round-trips losslessly through JSON (:meth:`Evaluation.to_json`,
:meth:`Evaluation.from_json`); the comparison report is built from those files.
Files written before ``figure_data`` and ``pictures`` existed still load: their
pictures and raw material are moved out of ``metrics`` (:mod:`paradigms.legacy`).

Example
-------
>>> import pandas as pd
>>> ev = Evaluation(
...     paradigm="supervised", task="classify digits", experience="epochs",
...     measure=Measure(name="test accuracy", value=0.9, baseline=0.1, best=1.0),
...     curve=pd.DataFrame({"experience": [1, 2], "performance": [0.8, 0.9]}),
...     dataset=DatasetInfo(name="toy", source="made up"), seed=0)
>>> round(ev.normalized_score, 3)
0.889
>>> Evaluation.from_json(ev.to_json()).measure == ev.measure
True
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import platform
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError
from .files import to_jsonable, write_atomic
from .legacy import is_legacy, split_legacy_metrics
from .outputs import read_json_file
from .pictures import PICTURE_TYPES, Picture

__all__ = [
    "CURVE_EXPERIENCE",
    "CURVE_PERFORMANCE",
    "JSON_FIELDS",
    "OPTIONAL_JSON_FIELDS",
    "PICTURE_TYPES",
    "DatasetInfo",
    "Evaluation",
    "Measure",
    "Picture",
    "collect_manifest",
    "to_jsonable",
    "write_atomic",
]

#: The exact top-level names of the JSON form, in order.
JSON_FIELDS = (
    "paradigm",
    "task",
    "experience",
    "measure",
    "curve",
    "metrics",
    "dataset",
    "config",
    "seed",
    "timings",
    "manifest",
    "figure_data",
    "pictures",
)

#: Fields that files written before they existed lack; such a file's metrics are
#: migrated into them on loading (see :mod:`paradigms.legacy`).
OPTIONAL_JSON_FIELDS = ("figure_data", "pictures")

#: The curve's two required columns: E (amount of experience) and P (performance so far).
CURVE_EXPERIENCE = "experience"
CURVE_PERFORMANCE = "performance"

_MANIFEST_PACKAGES = (
    "learning-paradigms",
    "numpy",
    "pandas",
    "scikit-learn",
    "torch",
    "gymnasium",
    "matplotlib",
)


def _finite(name: str, value: Any, *, allow_none: bool = False) -> float | None:
    """Return ``value`` as a finite float, or raise a ValueError naming ``name``."""
    if value is None and allow_none:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


@dataclass(frozen=True)
class Measure:
    """P: what is measured, its value, and where it stands between floor and ceiling.

    ``baseline`` is what a trivial program scores (chance accuracy, a random
    clustering, the random policy); ``best`` is a perfect or "solved" score
    (accuracy 1.0, silhouette 1.0, the environment's reward threshold).
    """

    name: str
    value: float
    baseline: float
    best: float
    higher_is_better: bool = True
    #: Spread of ``value`` (e.g. the std of evaluation returns), when it has one.
    std: float | None = None
    #: What the curve's ``performance`` column tracks, e.g. "validation accuracy".
    curve_label: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("the measure needs a name (e.g. 'test accuracy')")
        for attr in ("value", "baseline", "best"):
            object.__setattr__(self, attr, _finite(f"measure {attr} ({self.name})", getattr(self, attr)))
        object.__setattr__(self, "std", _finite(f"measure std ({self.name})", self.std, allow_none=True))
        if self.best == self.baseline:
            raise ValueError(f"measure {self.name!r}: best and baseline are both {self.best}")
        object.__setattr__(self, "higher_is_better", bool(self.higher_is_better))
        if not self.curve_label:
            object.__setattr__(self, "curve_label", self.name)

    @property
    def normalized(self) -> float:
        """(value - baseline) / (best - baseline): 0 = trivial, 1 = perfect or solved."""
        return (self.value - self.baseline) / (self.best - self.baseline)


@dataclass(frozen=True)
class DatasetInfo:
    """Where the experience came from: name, source, sizes and checksums.

    ``fallback`` is true when the real data set was unavailable and a stand-in
    was used (the report says so in plain words).
    """

    name: str
    source: str
    sizes: dict[str, int] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)
    fallback: bool = False
    notes: str = ""

    def __post_init__(self) -> None:
        if not self.name or not self.source:
            raise ValueError("a dataset needs a name and a source")
        object.__setattr__(self, "sizes", {str(k): int(v) for k, v in self.sizes.items()})
        object.__setattr__(self, "checksums", {str(k): str(v) for k, v in self.checksums.items()})


def collect_manifest(device: str = "cpu", **extra: Any) -> dict[str, Any]:
    """What is needed to reproduce a run: package versions, Python, platform, device."""
    packages: dict[str, str | None] = {}
    for name in _MANIFEST_PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    manifest = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "device": device,
        "packages": packages,
        "argv": list(sys.argv),
    }
    manifest.update(to_jsonable(extra))
    return manifest


def _curve_to_json(curve: pd.DataFrame) -> dict[str, list[Any]]:
    return {str(col): to_jsonable(curve[col].tolist()) for col in curve.columns}


def _curve_from_json(data: dict[str, list[Any]]) -> pd.DataFrame:
    frame = pd.DataFrame({col: pd.Series(values) for col, values in data.items()})
    for col in frame.columns:
        if frame[col].dtype == object and frame[col].map(lambda v: v is None or isinstance(v, float | int)).all():
            frame[col] = frame[col].astype(float)
    return frame


@dataclass(frozen=True)
class Evaluation:
    """One paradigm's result in Mitchell's terms; see the module docstring."""

    paradigm: str
    task: str
    experience: str
    measure: Measure
    curve: pd.DataFrame
    dataset: DatasetInfo
    seed: int
    metrics: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=collect_manifest)
    #: Raw material for the paradigm's figures (pixels of misclassified digits, a
    #: 2-D projection, ...): data the plots draw, not numbers the report lists.
    figure_data: dict[str, Any] = field(default_factory=dict)
    #: Images and animations the paradigm made (the trained agent as a GIF, ...).
    pictures: tuple[Picture, ...] = ()

    def __post_init__(self) -> None:
        for attr in ("paradigm", "task", "experience"):
            if not isinstance(getattr(self, attr), str) or not getattr(self, attr):
                raise ValueError(f"an Evaluation needs a non-empty {attr}")
        if not isinstance(self.measure, Measure):
            raise ValueError(f"measure must be a Measure, got {type(self.measure).__name__}")
        if not isinstance(self.dataset, DatasetInfo):
            raise ValueError(f"dataset must be a DatasetInfo, got {type(self.dataset).__name__}")
        if not isinstance(self.curve, pd.DataFrame):
            raise ValueError(f"curve must be a pandas DataFrame, got {type(self.curve).__name__}")
        missing = [c for c in (CURVE_EXPERIENCE, CURVE_PERFORMANCE) if c not in self.curve.columns]
        if missing:
            raise ValueError(
                f"the learning curve needs columns {CURVE_EXPERIENCE!r} and {CURVE_PERFORMANCE!r}; "
                f"missing {missing}, found {list(self.curve.columns)}"
            )
        object.__setattr__(self, "curve", self.curve.reset_index(drop=True))
        object.__setattr__(self, "seed", int(self.seed))
        object.__setattr__(self, "metrics", to_jsonable(dict(self.metrics)))
        object.__setattr__(self, "config", to_jsonable(dict(self.config)))
        object.__setattr__(self, "manifest", to_jsonable(dict(self.manifest)))
        object.__setattr__(self, "figure_data", to_jsonable(dict(self.figure_data)))
        pictures = tuple(self.pictures)
        if not all(isinstance(p, Picture) for p in pictures):
            raise ValueError("pictures must be Picture objects")
        object.__setattr__(self, "pictures", pictures)
        timings = {str(k): _finite(f"timing {k!r}", v) for k, v in self.timings.items()}
        object.__setattr__(self, "timings", timings)

    @property
    def normalized_score(self) -> float:
        """P rescaled so that 0 is the baseline and 1 is the best (perfect or solved)."""
        return self.measure.normalized

    def with_updates(self, **changes: Any) -> Evaluation:
        """A copy with some fields replaced (the object itself is frozen)."""
        return dataclasses.replace(self, **changes)

    # -- JSON -----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form, with exactly the names in :data:`JSON_FIELDS`."""
        return {
            "paradigm": self.paradigm,
            "task": self.task,
            "experience": self.experience,
            "measure": to_jsonable(self.measure),
            "curve": _curve_to_json(self.curve),
            "metrics": self.metrics,
            "dataset": to_jsonable(self.dataset),
            "config": self.config,
            "seed": self.seed,
            "timings": self.timings,
            "manifest": self.manifest,
            "figure_data": self.figure_data,
            "pictures": [p.to_dict() for p in self.pictures],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evaluation:
        if not isinstance(data, dict):
            raise ValueError(f"an evaluation must be a JSON object, got {type(data).__name__}")
        missing = [name for name in JSON_FIELDS if name not in data and name not in OPTIONAL_JSON_FIELDS]
        if missing:
            raise ValueError(f"not an evaluation: missing {', '.join(missing)}")
        measure = data["measure"]
        if not isinstance(measure, dict):
            raise ValueError("not an evaluation: 'measure' must be an object")
        metrics = data["metrics"]
        if not isinstance(metrics, dict):
            raise ValueError("not an evaluation: 'metrics' must be an object")
        if is_legacy(data):  # written before figure_data and pictures existed: the one legacy path
            metrics, figure_data, pictures = split_legacy_metrics(metrics)
        else:
            figure_data = data.get("figure_data") or {}
            pictures = tuple(Picture.from_dict(p) for p in data.get("pictures") or ())
        return cls(
            paradigm=data["paradigm"],
            task=data["task"],
            experience=data["experience"],
            measure=Measure(**measure),
            curve=_curve_from_json(data["curve"]),
            metrics=metrics,
            dataset=DatasetInfo(**data["dataset"]),
            config=data["config"],
            seed=data["seed"],
            timings=data["timings"],
            manifest=data["manifest"],
            figure_data=figure_data,
            pictures=pictures,
        )

    @classmethod
    def from_json(cls, text: str) -> Evaluation:
        return cls.from_dict(json.loads(text))

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the JSON form atomically (temporary file, then rename)."""
        return write_atomic(path, self.to_json())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Evaluation:
        """Read an evaluation written by :meth:`save`; errors name the file."""
        path = Path(path)
        data = read_json_file(path, what="evaluation file")
        try:
            return cls.from_dict(data)
        except RecursionError:
            raise DataError(f"{path}: nested too deeply; not a readable evaluation") from None
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            reason = f"missing {exc}" if isinstance(exc, KeyError) else " ".join(str(exc).split())
            raise DataError(f"{path}: not a readable evaluation ({reason[:300]})") from None
