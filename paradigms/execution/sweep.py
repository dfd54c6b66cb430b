"""``paradigms sweep``: one paradigm over a grid of settings, each cell over several seeds.

What does the batch size do, or the learning rate, or k? A sweep answers by
running every cell of a :class:`~paradigms.execution.grid.Grid` once per seed,
each run an independent task on a backend (local processes, or Ray), and saving
every result as it arrives, so that an interrupted sweep resumes where it stopped:

    OUT/sweep.json                 the ledger: the grid, and every finished run
                                   (its cell, seed, settings, file or error)
    OUT/runs/CELL/seedS.json       one Evaluation per cell and seed
    OUT/runs/CELL/seedS/           the files that run wrote itself (segments, agent, ...)

With ``resume=True`` the runs already in the ledger with the same settings and
seed are read back instead of run again (a failed one is run again); a folder
whose ledger holds another grid is refused before anything runs. The report
(``results.json`` and the page) is written above this floor, by the command line.
One sweep writes a folder at a time: a second one into it is refused in one line
(:func:`paradigms.outputs.exclusive_use`, held by :func:`sweep` and the command
line for the whole sweep, its page included).

>>> result = sweep("unsupervised", ["k=3,4"], seeds=2, quick=True, out="sweeps/k")  # doctest: +SKIP
>>> result.chosen().label                                                           # doctest: +SKIP
'k=3'
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, DataError
from ..evaluation import Evaluation
from ..files import to_jsonable, write_atomic
from ..outputs import (
    check_output_dir,
    exclusive_use,
    read_json_file,
    remove_stale_stages,
    writing_own,
)
from ..progress import Progress
from ..tracking import Tracking, parent_run
from .grid import Cell, Grid, make_grid, parse_grid_options
from .runner import run_tasks
from .selection import choose, selection_name, selection_value
from .tasks import Backend, Failure, Outcome, RunTask, seed_list

LEDGER_FILE = "sweep.json"
LEDGER_FORMAT = "learning-paradigms/sweep"
RUNS_DIR = "runs"
#: More runs than this (cells × seeds) need ``yes=True`` (``--yes``): a typo in a grid can ask for days.
MAX_RUNS = 100


@dataclass(frozen=True)
class SweepRun:
    """One finished run of a sweep: its cell (by id), seed, and outcome.
    ``resumed`` marks a result read back from an earlier, interrupted sweep."""

    cell: str
    seed: int
    outcome: Outcome
    resumed: bool = False

    @property
    def failed(self) -> bool:
        return isinstance(self.outcome, Failure)


@dataclass(frozen=True)
class SweepPlan:
    """A checked sweep, ready to run: the grid, the seeds, the tasks still to run
    (with their cell ids), the runs resumed from ``out`` and where the runs log their
    curves (``tracking``: each run in its cell's name, under one MLflow parent run)."""

    grid: Grid
    seeds: tuple[int, ...]
    out: Path | None
    tasks: tuple[tuple[str, RunTask], ...]
    resumed: tuple[SweepRun, ...] = ()
    tracking: Tracking | None = None

    @property
    def total(self) -> int:
        return len(self.grid.cells) * len(self.seeds)

    def in_folder(self, out: str | Path, *, resume: bool = False) -> SweepPlan:
        """This plan writing into ``out`` (checked and made; what a killed sweep's runs left
        half-written removed), and with ``resume`` the runs already in its ledger with the same
        settings and seed read back instead of run again. The grid is not built again: the
        command line plans it before it makes and locks the folder, and calls this holding it."""
        folder = check_output_dir(out)
        remove_stale_stages(folder, within=True)
        done = _resumable(folder, self.grid) if resume else {}
        return _planned(self.grid, self.seeds, folder, done, self.tracking)


@dataclass(frozen=True)
class SweepResult:
    """Every run of a sweep, ordered by cell then seed."""

    grid: Grid
    seeds: tuple[int, ...]
    runs: tuple[SweepRun, ...]

    @property
    def evaluations(self) -> list[Evaluation]:
        return [run.outcome for run in self.runs if isinstance(run.outcome, Evaluation)]

    @property
    def failures(self) -> list[Failure]:
        return [run.outcome for run in self.runs if isinstance(run.outcome, Failure)]

    def evaluations_of(self, cell_id: str) -> list[Evaluation]:
        return [r.outcome for r in self.runs if r.cell == cell_id and isinstance(r.outcome, Evaluation)]

    def chosen(self) -> Cell | None:
        """The best cell on the paradigm's selection measure (mean over seeds); ``None`` if no run came back."""
        groups = {cell.id: self.evaluations_of(cell.id) for cell in self.grid.cells}
        best = choose({k: v for k, v in groups.items() if v}, self.grid.selection)
        return None if best is None else self.grid.cell(best)

    def chosen_line(self) -> str:
        """The choice in one line: ``chosen: batch_size=128 (mean best validation accuracy 0.981; its test accuracy 0.979)``."""
        cell = self.chosen()
        if cell is None:
            return "no run came back: nothing to choose from"
        runs = self.evaluations_of(cell.id)
        chooser = [v for v in (selection_value(ev, self.grid.selection) for ev in runs) if v is not None]
        name = selection_name(self.grid.selection, runs[0].measure)
        p_mean = sum(ev.measure.value for ev in runs) / len(runs)
        its = "" if self.grid.selection is None else f"; its {runs[0].measure.name} {p_mean:.4g}"
        return f"chosen: {cell.label} (mean {name} {sum(chooser) / len(chooser):.4g}{its})"


def run_line(grid: Grid, run: SweepRun) -> str:
    """One finished run as the command line shows it while the sweep goes on:
    ``batch_size=32 seed 1: test accuracy = 0.9712, best validation accuracy 0.9733 (12.3 s)``."""
    head = f"{grid.cell(run.cell).label} seed {run.seed}"
    if isinstance(run.outcome, Failure):
        return f"{head}: FAILED: {(run.outcome.error or '?').splitlines()[0]}"
    ev = run.outcome
    value = selection_value(ev, grid.selection)
    chose = "" if grid.selection is None or value is None else f", {selection_name(grid.selection, ev.measure)} {value:.4g}"
    return f"{head}: {ev.measure.name} = {ev.measure.value:.4g}{chose} ({ev.timings.get('total_seconds', 0.0):.1f} s)"


def plan_sweep(
    name: str,
    grid: Mapping[str, Any] | Sequence[str],
    *,
    seeds: int | Sequence[int] = 1,
    seed: int = 0,
    settings: Mapping[str, Any] | None = None,
    quick: bool = False,
    out: str | Path | None = None,
    resume: bool = False,
    max_runs: int = MAX_RUNS,
    yes: bool = False,
    tracking: Tracking | None = None,
) -> SweepPlan:
    """Check everything a sweep needs before the first run: the grid (each value as
    the settings read it), the run count, the output folder and, with ``resume``,
    the ledger already there. Every problem is a one-line ConfigError.

    ``grid`` maps a setting to its values (a list, or a string as ``--grid``
    writes it), or is a list of ``--grid`` words (``"batch_size=32,128"``);
    ``settings`` are the other settings changed for every run (``--set``);
    ``tracking`` logs every run to TensorBoard and/or MLflow (:mod:`paradigms.tracking`).
    """
    axes = parse_grid_options([grid] if isinstance(grid, str) else grid) if not isinstance(grid, Mapping) else grid
    seeds_ = seed_list(seeds, seed)

    def check_size(cells: int) -> None:  # before any cell is built: a typo can ask for a million
        total = cells * len(seeds_)
        if total > max_runs and not yes:
            raise ConfigError(
                f"this sweep is {cells} cells × {len(seeds_)} seeds = {total} runs, more than {max_runs}: "
                "add --yes to run them all, or sweep fewer values"
            )

    built = make_grid(name, axes, fixed=settings, quick=quick, check_size=check_size)
    if resume and out is None:
        raise ConfigError("--resume needs the --out folder of the sweep to resume")
    plan = _planned(built, seeds_, None, {}, None if tracking is None else tracking.check())
    return plan if out is None else plan.in_folder(out, resume=resume)


def _planned(grid: Grid, seeds: tuple[int, ...], folder: Path | None, done: Mapping[tuple[str, int], Evaluation],
             tracking: Tracking | None) -> SweepPlan:
    """The plan's tasks, seed by seed (an interrupted sweep has seen every cell early), the runs in
    ``done`` read back instead."""
    tasks, resumed = [], []
    for seed in seeds:
        for cell in grid.cells:
            if (cell.id, seed) in done:
                resumed.append(SweepRun(cell.id, seed, done[(cell.id, seed)], resumed=True))
                continue
            tasks.append((cell.id, RunTask(grid.paradigm, _run_settings(cell, seed, folder), seed)))
    return SweepPlan(grid, seeds, folder, tuple(tasks), tuple(resumed), tracking)


def run_sweep(
    plan: SweepPlan,
    *,
    backend: str | Backend = "local",
    jobs: int | None = None,
    progress: Progress | bool | None = None,
    on_done: Callable[[SweepRun], None] | None = None,
) -> SweepResult:
    """Run the plan's tasks on ``backend``, saving each result as it arrives (with an
    output folder); ``on_done`` is called with each finished run. With MLflow tracking,
    the runs are nested under one parent run (opened here unless the plan's tracking
    names one)."""
    with parent_run(plan.tracking, f"sweep__{plan.grid.paradigm}__{plan.grid.describe()}",
                    {"paradigm": plan.grid.paradigm, "grid": plan.grid.describe(),
                     "seeds": ",".join(map(str, plan.seeds))}) as parent:
        tracked = plan if parent.tracking is None else dataclasses.replace(plan, tasks=tuple(
            (cell, dataclasses.replace(task, tracking=parent.tracking.for_cell(cell))) for cell, task in plan.tasks))
        return _run_sweep(tracked, backend=backend, jobs=jobs, progress=progress, on_done=on_done)


def _run_sweep(
    plan: SweepPlan,
    *,
    backend: str | Backend,
    jobs: int | None,
    progress: Progress | bool | None,
    on_done: Callable[[SweepRun], None] | None,
) -> SweepResult:
    runs = list(plan.resumed)
    cell_of = {task: cell for cell, task in plan.tasks}  # a task is its settings and seed: one per run
    shown = progress if isinstance(progress, Progress) else Progress(enabled=progress)
    if plan.out is not None:
        with writing_own(plan.out, [LEDGER_FILE]):
            _write_ledger(plan, runs)
    with shown.bar(total=plan.total, desc="sweep runs", unit="run", initial=len(runs)) as bar:

        def arrived(task: RunTask, outcome: Outcome) -> None:
            run = SweepRun(cell_of[task], task.seed, outcome)
            runs.append(run)
            if plan.out is not None:
                if isinstance(outcome, Evaluation):
                    with writing_own(plan.out, [run_file(run.cell, run.seed)]):
                        outcome.save(plan.out / run_file(run.cell, run.seed))
                _write_ledger(plan, runs)
            bar.update(1)
            bar.set_postfix(failed=sum(r.failed for r in runs), refresh=False)
            if on_done is not None:
                on_done(run)

        if plan.tasks:
            run_tasks([task for _, task in plan.tasks], backend=backend, jobs=jobs, progress=progress,
                      on_done=arrived)
    order = {cell.id: index for index, cell in enumerate(plan.grid.cells)}
    runs.sort(key=lambda r: (order[r.cell], r.seed))
    return SweepResult(plan.grid, plan.seeds, tuple(runs))


def sweep(
    name: str,
    grid: Mapping[str, Any] | Sequence[str],
    *,
    backend: str | Backend = "local",
    jobs: int | None = None,
    progress: Progress | bool | None = None,
    on_done: Callable[[SweepRun], None] | None = None,
    **options: Any,
) -> SweepResult:
    """Sweep paradigm ``name`` over ``grid`` and return every run (:class:`SweepResult`).

    ``options`` are :func:`plan_sweep`'s (``seeds``, ``seed``, ``settings``, ``quick``,
    ``out``, ``resume``, ``max_runs``, ``yes``); the rest are :func:`run_sweep`'s.

    >>> result = sweep("supervised", {"batch_size": [32, 512]}, seeds=3, quick=True, jobs=2)  # doctest: +SKIP
    >>> [ev.measure.value for ev in result.evaluations]                                       # doctest: +SKIP
    """
    out, resume = options.pop("out", None), options.pop("resume", False)
    if out is None:
        plan = plan_sweep(name, grid, resume=resume, **options)
        return run_sweep(plan, backend=backend, jobs=jobs, progress=progress, on_done=on_done)
    plan = plan_sweep(name, grid, **options)  # the grid and the run count, before the folder is made and locked
    with exclusive_use(out):  # one sweep per folder at a time
        return run_sweep(plan.in_folder(out, resume=resume), backend=backend, jobs=jobs, progress=progress,
                         on_done=on_done)


def run_file(cell_id: str, seed: int) -> str:
    """Where the Evaluation of ``cell_id`` with ``seed`` is saved, relative to the sweep's folder."""
    return f"{RUNS_DIR}/{cell_id}/seed{seed}.json"


def _run_settings(cell: Cell, seed: int, folder: Path | None) -> Any:
    """The cell's settings, with the paradigm's own files in this run's folder."""
    settings = cell.settings
    if settings is None or not dataclasses.is_dataclass(settings) or not hasattr(settings, "output_dir"):
        return settings
    if folder is not None:
        return dataclasses.replace(settings, output_dir=folder / RUNS_DIR / cell.id / f"seed{seed}")  # type: ignore[call-arg]  # output_dir: a field of this paradigm's settings (checked above), not of the base class
    if settings.output_dir is not None:
        return dataclasses.replace(settings, output_dir=Path(settings.output_dir) / cell.id / f"seed{seed}")  # type: ignore[call-arg]  # output_dir: a field of this paradigm's settings (checked above), not of the base class
    return settings


def _comparable(config: Mapping[str, Any]) -> dict[str, Any]:
    """A run's settings without the folder the sweep chose for it."""
    return {k: v for k, v in config.items() if k != "output_dir"}


#: A ledger is a line per run (its cell, seed, settings, and a failure's traceback): a few MB
#: for thousands of runs. A larger one is refused unread.
MAX_LEDGER_BYTES = 64 << 20


def read_ledger(folder: str | Path) -> dict[str, Any] | None:
    """The ledger in ``folder`` (``None`` where there is none); a broken one is a DataError naming it.

    Read through the checked reader (:func:`paradigms.outputs.read_json_file`): a
    FIFO is refused unopened, a file over :data:`MAX_LEDGER_BYTES` unread, and
    nesting too deep for Python is one line.
    """
    path = Path(folder) / LEDGER_FILE
    if not path.exists() and not path.is_symlink():
        return None
    ledger = read_json_file(path, what="sweep ledger", max_bytes=MAX_LEDGER_BYTES)
    try:
        if not isinstance(ledger, dict) or ledger.get("format") != LEDGER_FORMAT:
            raise ValueError(f"not a {LEDGER_FORMAT} file")
        ledger["grid"] = Grid.from_dict(ledger["grid"])
        runs = ledger.get("runs", [])
        if not isinstance(runs, list) or not all(isinstance(run, dict) for run in runs):
            raise ValueError("its runs are not a list of records")
        for run in runs:
            run["cell"], run["seed"] = str(run.get("cell")), int(run.get("seed", -1))
        return ledger
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise DataError(f"{path}: cannot read this sweep's ledger ({type(exc).__name__}: {exc}); "
                        "move it away to start afresh") from None


def _resumable(folder: Path, grid: Grid) -> dict[tuple[str, int], Evaluation]:
    """The runs in ``folder``'s ledger that the new grid would run again, unchanged."""
    ledger = read_ledger(folder)
    if ledger is None:
        return {}
    earlier: Grid = ledger["grid"]
    if not earlier.same_axes(grid):
        if earlier.paradigm == grid.paradigm and earlier.describe() == grid.describe():  # same shape, other values
            raise ConfigError(
                f"--resume {folder}: that folder holds a sweep of {earlier.paradigm} over {earlier.describe_values()}, "
                f"not over {grid.describe_values()}; use another --out, or drop --resume to start afresh")
        raise ConfigError(
            f"--resume {folder}: that folder holds a sweep of {earlier.paradigm} over {earlier.describe()}, "
            f"not of {grid.paradigm} over {grid.describe()}; use another --out, or drop --resume to start afresh"
        )
    cells = {cell.id: _comparable(cell.config) for cell in grid.cells}
    done = {}
    for record in ledger.get("runs", ()):
        key = (record["cell"], record["seed"])
        if record.get("error") or key[0] not in cells or _comparable(record.get("config") or {}) != cells[key[0]]:
            continue
        if record.get("file") != run_file(*key):  # a line naming another run's file (or any other)
            continue
        try:
            evaluation = Evaluation.load(folder / run_file(*key))
        except Exception:  # noqa: BLE001 - a file gone or damaged: that run is simply run again
            continue
        if _is_run_of(evaluation, grid.paradigm, cells[key[0]], key[1]):
            done[key] = evaluation
    return done


def _is_run_of(evaluation: Evaluation, paradigm: str, config: Mapping[str, Any], seed: int) -> bool:
    """Whether a result read back is the run the ledger says it is: same paradigm, seed and settings.
    Anything else (another cell's file copied there, another paradigm's result) is run again."""
    return (evaluation.paradigm == paradigm and evaluation.seed == seed
            and to_jsonable(_comparable(evaluation.config or {})) == to_jsonable(config))


def _write_ledger(plan: SweepPlan, runs: Sequence[SweepRun]) -> None:
    assert plan.out is not None
    configs = {cell.id: cell.config for cell in plan.grid.cells}
    records = []
    for run in runs:
        record: dict[str, Any] = {"cell": run.cell, "seed": run.seed, "config": configs[run.cell]}
        if isinstance(run.outcome, Failure):
            record.update(error=run.outcome.error, traceback=run.outcome.traceback)
        else:
            record["file"] = run_file(run.cell, run.seed)
        records.append(record)
    ledger = {"format": LEDGER_FORMAT, "version": 1, "grid": plan.grid.to_dict(), "seeds": list(plan.seeds),
              "runs": records}
    write_atomic(plan.out / LEDGER_FILE, json.dumps(to_jsonable(ledger), indent=1, allow_nan=False))
