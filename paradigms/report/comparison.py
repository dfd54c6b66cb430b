"""What a comparison report is built from: evaluations, failures, and the paradigms' descriptions.

A :class:`Comparison` holds every :class:`~paradigms.evaluation.Evaluation`
(one per paradigm and seed), the runs that failed
(:class:`~paradigms.execution.Failure`), each paradigm's T/P/E and
settings table (:class:`ParadigmInfo`, copied from its
:class:`~paradigms.registry.ParadigmSpec` so the page can be rebuilt from
``results.json`` alone) and a few facts about the run (seeds, ``--quick``,
the command line). :meth:`Comparison.save` and :meth:`Comparison.load` write and
read it as ``results.json`` (:mod:`paradigms.report.results_file`).

A sweep (``paradigms sweep``) is a comparison of one paradigm with itself, cell
by cell: its :class:`SweepInfo` records the grid and which cell each evaluation
and failure belongs to (:meth:`Comparison.from_sweep`), and the page becomes a
sweep report (:mod:`paradigms.report.sweep_content`).
"""

from __future__ import annotations

import datetime as _dt
import shlex
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import registry
from ..errors import ConfigError, DataError
from ..evaluation import Evaluation
from ..execution import Failure, Grid, SweepResult
from ..files import to_jsonable
from .results_file import read_results_document, write_results

#: Feedback signals of the built-in paradigms, when a result names no spec.
DEFAULT_FEEDBACK = {
    "supervised": "labels: the correct answer for every example",
    "unsupervised": "none: only the data",
    "reinforcement": "rewards: a number after each action",
}


@dataclass(frozen=True)
class ParadigmInfo:
    """A paradigm's T, P, E, feedback signal, description and settings table."""

    name: str
    task: str
    measure: str
    experience: str
    feedback: str
    description: str = ""
    settings: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_spec(cls, spec: Any) -> ParadigmInfo:
        """From a :class:`~paradigms.registry.ParadigmSpec`."""
        return cls(
            name=spec.name,
            task=spec.task,
            measure=spec.measure,
            experience=spec.experience,
            feedback=spec.feedback,
            description=textwrap.dedent(spec.description or "").strip(),
            settings=tuple(to_jsonable(row) for row in spec.settings.describe()),
        )

    @classmethod
    def from_evaluation(cls, evaluation: Evaluation) -> ParadigmInfo:
        """What one result alone says (for a paradigm that is no longer registered)."""
        return cls(
            name=evaluation.paradigm,
            task=evaluation.task,
            measure=evaluation.measure.name,
            experience=evaluation.experience,
            feedback=DEFAULT_FEEDBACK.get(evaluation.paradigm, "not recorded"),
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParadigmInfo:
        return cls(
            name=str(data["name"]),
            task=str(data.get("task", "")),
            measure=str(data.get("measure", "")),
            experience=str(data.get("experience", "")),
            feedback=str(data.get("feedback", "")),
            description=str(data.get("description", "")),
            settings=tuple(dict(row) for row in data.get("settings", ())),
        )


def describe_paradigms(names: Iterable[str]) -> dict[str, ParadigmInfo]:
    """:class:`ParadigmInfo` of the registered paradigms among ``names``."""
    infos = {}
    for name in names:
        try:
            infos[name] = ParadigmInfo.from_spec(registry.get(name))
        except ConfigError:
            continue
    return infos


@dataclass(frozen=True)
class SweepInfo:
    """A sweep's grid, and the cell (by id) of each evaluation and of each failure,
    in the order of :attr:`Comparison.evaluations` and :attr:`Comparison.failures`."""

    grid: Grid
    evaluation_cells: tuple[str, ...]
    failure_cells: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"grid": self.grid.to_dict(), "evaluation_cells": list(self.evaluation_cells),
                "failure_cells": list(self.failure_cells)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SweepInfo:
        return cls(
            grid=Grid.from_dict(data["grid"]),
            evaluation_cells=tuple(str(c) for c in data.get("evaluation_cells", ())),
            failure_cells=tuple(str(c) for c in data.get("failure_cells", ())),
        )


@dataclass(frozen=True)
class Comparison:
    """Everything one report shows; see the module docstring."""

    evaluations: tuple[Evaluation, ...]
    failures: tuple[Failure, ...] = ()
    paradigms: dict[str, ParadigmInfo] = field(default_factory=dict)
    run: dict[str, Any] = field(default_factory=dict)
    sweep: SweepInfo | None = None

    def __post_init__(self) -> None:
        if self.sweep is not None and (
            len(self.sweep.evaluation_cells) != len(self.evaluations)
            or len(self.sweep.failure_cells) != len(self.failures)
        ):
            raise ValueError("a sweep names one cell per evaluation and per failure")

    @classmethod
    def create(
        cls,
        evaluations: Sequence[Evaluation],
        failures: Sequence[Failure] = (),
        *,
        run: dict[str, Any] | None = None,
        paradigms: dict[str, ParadigmInfo] | None = None,
        sweep: SweepInfo | None = None,
    ) -> Comparison:
        """A comparison with the paradigms' descriptions taken from the registry
        (or from the results themselves for paradigms it does not know)."""
        evaluations = tuple(evaluations)
        failures = tuple(failures)
        infos = _complete_infos(dict(paradigms or {}), evaluations, failures)
        run_info = {
            "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
            "command": shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "",
            "seeds": sorted({ev.seed for ev in evaluations} | {f.seed for f in failures}),
        }
        run_info.update(run or {})
        return cls(evaluations=evaluations, failures=failures, paradigms=infos, run=to_jsonable(run_info), sweep=sweep)

    @classmethod
    def from_sweep(cls, result: SweepResult, *, run: dict[str, Any] | None = None) -> Comparison:
        """The comparison of a sweep's runs (:func:`paradigms.execution.sweep`), cell by cell."""
        info = SweepInfo(result.grid, tuple(r.cell for r in result.runs if not r.failed),
                         tuple(r.cell for r in result.runs if r.failed))
        facts = {"paradigms": [result.grid.paradigm], "seeds": list(result.seeds), "quick": result.grid.quick,
                 **(run or {})}
        return cls.create(result.evaluations, result.failures, run=facts, sweep=info)

    @property
    def names(self) -> list[str]:
        """Paradigm names in the order they were asked for (failed ones included)."""
        names = dict.fromkeys(str(name) for name in self.run.get("paradigms", ()))
        names.update(dict.fromkeys(_ordered_names(self.evaluations, self.failures)))
        return list(names)

    def evaluations_of(self, name: str) -> list[Evaluation]:
        """``name``'s evaluations, by seed."""
        return sorted((ev for ev in self.evaluations if ev.paradigm == name), key=lambda ev: ev.seed)

    def failures_of(self, name: str) -> list[Failure]:
        return sorted((f for f in self.failures if f.paradigm == name), key=lambda f: f.seed)

    def info(self, name: str) -> ParadigmInfo:
        if name in self.paradigms:
            return self.paradigms[name]
        runs = self.evaluations_of(name)
        if runs:
            return ParadigmInfo.from_evaluation(runs[0])
        return ParadigmInfo(name=name, task="", measure="", experience="", feedback="")

    # -- results.json --------------------------------------------------------

    def save(self, out: str | Path) -> Path:
        """Write ``OUT/results.json`` (:mod:`paradigms.report.results_file`); returns its path."""
        return write_results(
            self.evaluations,
            Path(out),
            failures=self.failures,
            paradigms=self.paradigms,
            run=self.run,
            sweep=self.sweep.to_dict() if self.sweep is not None else None,
        )

    @classmethod
    def load(cls, path: str | Path) -> Comparison:
        """Read ``results.json`` (or a folder holding it) written by ``paradigms compare``."""
        document, evaluations, source = read_results_document(Path(path))
        try:
            failures = tuple(Failure.from_dict(item) for item in document.get("failures", ()))
            infos = {
                str(name): ParadigmInfo.from_dict({"name": name, **data})
                for name, data in (document.get("paradigms") or {}).items()
            }
            run = dict(document.get("run") or {})
            sweep = SweepInfo.from_dict(document["sweep"]) if document.get("sweep") else None
            # an older results.json has no descriptions: take them from the registry, else the results
            infos = _complete_infos(infos, evaluations, failures)
            return cls(evaluations=tuple(evaluations), failures=failures, paradigms=infos, run=run, sweep=sweep)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DataError(f"{source}: not a results file written by `paradigms compare` ({exc})") from None


def _complete_infos(
    infos: dict[str, ParadigmInfo], evaluations: Sequence[Evaluation], failures: Sequence[Failure]
) -> dict[str, ParadigmInfo]:
    """``infos`` plus a description of every other paradigm in the results: from the
    registry where it knows the paradigm, else from the paradigm's first result."""
    names = _ordered_names(evaluations, failures)
    infos.update(describe_paradigms([name for name in names if name not in infos]))
    for evaluation in evaluations:
        infos.setdefault(evaluation.paradigm, ParadigmInfo.from_evaluation(evaluation))
    return infos


def _ordered_names(evaluations: Iterable[Evaluation], failures: Iterable[Failure]) -> list[str]:
    names: dict[str, None] = {}
    items: tuple[Evaluation | Failure, ...] = (*evaluations, *failures)
    for item in items:
        names.setdefault(item.paradigm, None)
    return list(names)
