"""``paradigms list``, ``run``, ``compare`` and ``report``: one paradigm, all of them side by side, the page again."""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import registry
from ..commands import PROG
from ..console import seed_line, summarize
from ..errors import ConfigError
from ..evaluation import Evaluation
from ..execution import Outcome, run_many
from ..outputs import check_input_file, check_output_dir, writing_own
from ..seeding import check_seed
from ..tracking import parent_run

if TYPE_CHECKING:
    from ..datasets.table_features import TableSpec
    from ..datasets.tables import Table
from .common import (
    backend_for,
    checked_seeds,
    glossary_terms,
    progress_of,
    start_backend,
    tracking_of,
)


def cmd_list(args: argparse.Namespace) -> int:
    specs = registry.available()
    if not specs:
        print("no paradigms registered")
    for spec in specs:
        print(spec.summary_line())
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    spec = registry.get(args.name)
    seed = check_seed(args.seed)
    overrides = spec.settings.overrides_from_namespace(args)
    settings = registry.make_settings(spec.name, overrides, quick=args.quick, output_dir=args.out)
    check_output_dir(args.out)  # before any work: a run must not end unable to write its result
    evaluation = registry.run(spec.name, settings, seed=seed, progress=progress_of(args), tracking=tracking_of(args))
    with writing_own(args.out, [f"{spec.name}.json"]):
        path = evaluation.save(Path(args.out) / f"{spec.name}.json")
    print(summarize(evaluation))
    print(f"  wrote {path}")
    return 0


def _compare_command(args: argparse.Namespace, seeds: Sequence[int]) -> str:
    """The command line that reruns this comparison (the report's manifest shows it)."""
    parts = [PROG, "compare", "--seed", str(seeds[0])]
    if len(seeds) > 1:
        parts += ["--seeds", str(len(seeds))]
    if args.quick:
        parts.append("--quick")
    if args.only:
        parts += ["--only", args.only]
    if args.data:
        parts += ["--data", args.data, "--target", args.target]
    if getattr(args, "task", None):
        parts += ["--task", args.task]
    for assignment in args.assignments:
        parts += ["--set", assignment]
    if args.backend != "local":
        parts += ["--backend", args.backend]
    return shlex.join(parts)


def _table_assignments(args: argparse.Namespace, assignments: dict[str, dict[str, str]]) -> tuple[list[str], dict[str, str]]:
    """``--data TABLE --target COLUMN``: the same rows for the three kinds of feedback. The supervised
    run gets the target, the unsupervised one the same rows with the target as the known groups (never
    fitted on), the reinforcement one a guessing game over the rows (a reward for each right guess)
    where the target can be one. Returns the paradigms to run, and the ones left out with why."""
    if args.target is None or args.data is None:
        raise ConfigError("--data and --target go together: the table, and its column of labels")
    if args.only:
        raise ConfigError("--only does not go with --data: a table is compared through all three kinds of "
                          "feedback")
    check_input_file(args.data, what="table")
    task = str(assignments.get("supervised", {}).get("task", "auto"))
    table, spec = _check_table_target(args.data, args.target, task)
    from ..report.table_comparison import TABLE_PARADIGMS
    from ..same_task import TABLE_GUESS_ID

    seeds = checked_seeds(args)
    assignments.setdefault("supervised", {}).update(data=args.data, target=args.target, test_curve="true")
    assignments.setdefault("unsupervised", {}).update(data=args.data, kind="customers", label_column=args.target)
    left_out: dict[str, str] = {}
    try:  # a target that cannot be a bandit (a number, one class, too few rows per class) is said, not dropped
        from ..datasets.table_features import prepare_table
        from ..reinforcement.table_guess import bandit_split

        # the guessing game reads the target as it is (task auto), whatever the supervised run was told
        guessed = spec if task == "auto" else prepare_table(table.frame, source=str(table.path), target=args.target)
        bandit_split(guessed, args.data, split_seed=seeds[0])
    except ConfigError as exc:
        left_out["reinforcement"] = f"no guessing game over this table: {exc}"
    else:
        kwargs = f"data={args.data},target={args.target},split_seed={seeds[0]}"
        assignments.setdefault("reinforcement", {}).update(env=TABLE_GUESS_ID, env_kwargs=kwargs)
    return [name for name in TABLE_PARADIGMS if name not in left_out], left_out


def _task_assignments(args: argparse.Namespace, assignments: dict[str, dict[str, str]]) -> list[str]:
    """``--task NAME``: the settings that make the three paradigms learn that one task (a user's
    ``--set`` wins); the paradigms to run."""
    from ..same_task import PARADIGMS, task_settings

    if args.only or args.data is not None or args.target is not None:
        raise ConfigError("--task runs the three paradigms on one task: it does not go with --only, --data or "
                          "--target")
    for name, values in task_settings(args.task).items():
        assignments[name] = {**values, **assignments.get(name, {})}
    return list(PARADIGMS)


def _check_table_target(data: str, target: str, task: str) -> tuple[Table, TableSpec]:
    """The table read and its target checked as the supervised run will (a missing column, one
    class, values that are not classes): a one-line ConfigError before any run or file. Read once
    here: whether the same rows can be a bandit is told from what it returns."""
    from ..datasets.table_features import prepare_table
    from ..datasets.tables import read_table

    table = read_table(data)
    return table, prepare_table(table.frame, source=str(table.path), target=target, task=str(task))


def cmd_compare(args: argparse.Namespace) -> int:
    # the report (matplotlib) loads for the commands that write a page, not for `run` or `list`
    from ..report import RESULTS_FILE, Comparison, build
    from ..report.same_task import same_task_run_facts
    from ..report.table_comparison import table_paradigm_infos, table_run_facts

    seeds = checked_seeds(args)
    assignments = registry.parse_assignments(args.assignments)
    names = [spec.name for spec in registry.available()]
    if args.only:
        names = [registry.get(name.strip()).name for name in args.only.split(",") if name.strip()]
    left_out: dict[str, str] = {}
    if getattr(args, "task", None) is not None:
        names = _task_assignments(args, assignments)
    elif args.data is not None or args.target is not None:
        names, left_out = _table_assignments(args, assignments)
    if not names:
        raise ConfigError("no paradigms to compare")
    # Validate every paradigm's settings, and the output folder, before the first (long) run starts.
    out = check_output_dir(args.out)
    settings = {
        name: registry.make_settings(name, assignments.get(name), quick=args.quick, output_dir=out)
        for name in names
    }
    runs = len(names) * len(seeds)
    tracking = tracking_of(args)
    backend = backend_for(args)
    where = start_backend(backend, runs)
    print(f"running {', '.join(names)} with seed{'s' if len(seeds) > 1 else ''} "
          f"{', '.join(map(str, seeds))} ({runs} run{'s' if runs > 1 else ''}, {where}) ...", file=sys.stderr)

    def done(outcome: Outcome) -> None:
        if isinstance(outcome, Evaluation):
            name = outcome.paradigm if args.seeds == 1 else f"{outcome.paradigm}.seed{outcome.seed}"
            with writing_own(out, [f"{name}.json"]):
                outcome.save(out / f"{name}.json")
            print(summarize(outcome) if args.seeds == 1 else seed_line(outcome))
        else:
            print(f"{PROG}: {outcome.paradigm} (seed {outcome.seed}) failed: {outcome.error}", file=sys.stderr)
            if getattr(args, "debug", False):
                print(outcome.traceback, file=sys.stderr)

    with parent_run(tracking, f"compare__{'-'.join(names)}__seed{seeds[0]}",
                    {"command": _compare_command(args, seeds)}) as parent:  # MLflow: the runs' parent
        evaluations, failures = run_many(names, settings, seeds, quick=args.quick, progress=progress_of(args),
                                         on_done=done, backend=backend, tracking=parent.tracking)
    run = {"quick": bool(args.quick), "paradigms": names, "seeds": seeds, "jobs": getattr(backend, "jobs", None),
           "backend": args.backend, "command": _compare_command(args, seeds)}
    infos = None
    if getattr(args, "task", None) is not None:
        run.update(same_task_run_facts(args.task))
    if args.data is not None:  # the page describes what ran: the table's target, not MNIST's digits
        run.update(table_run_facts(args.data, args.target))
        run.update(same_task_run_facts("table", left_out=left_out, data=args.data, target=args.target))
        infos = table_paradigm_infos(evaluations)
    comparison = Comparison.create(evaluations, failures, run=run, paradigms=infos)
    start = time.perf_counter()
    page = build(comparison, out, terms=glossary_terms())
    print(f"wrote {out / RESULTS_FILE}")
    print(f"wrote {page} and {page.parent / 'report.md'} (built in {time.perf_counter() - start:.1f} s)")
    parent.log_files([out / RESULTS_FILE, page, page.parent / "report.md"])
    if failures:
        failed = ", ".join(f"{f.paradigm} (seed {f.seed})" for f in failures)
        print(f"{PROG}: {len(failures)} run(s) failed: {failed}; see {page}", file=sys.stderr)
        return 1
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..report import MARKDOWN_FILE, rebuild

    start = time.perf_counter()
    page = rebuild(args.dir, args.out, terms=glossary_terms())
    print(f"wrote {page} and {page.parent / MARKDOWN_FILE} ({time.perf_counter() - start:.1f} s)")
    return 0
