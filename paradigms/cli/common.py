"""What the sub-commands share: the one-line parser, option groups, seeds, backends, progress, terms."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import NoReturn

import glossary

from .. import registry
from ..errors import ConfigError
from ..execution import Backend, get_backend
from ..progress import Progress
from ..report.terms import TermInfo, report_terms
from ..seeding import MAX_SEED, check_seed
from ..tracking import Tracking

DEFAULT_OUT = Path("results")
#: More seeds than this is a sweep for the cluster, not a comparison (each seed runs every paradigm).
MAX_SEEDS = 1000


class Parser(argparse.ArgumentParser):
    """argparse that reports bad usage in one line and exits with 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def common_options() -> argparse.ArgumentParser:
    """Options every command takes: ``--debug``, ``--no-progress``."""
    parent = Parser(add_help=False)
    parent.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show the full traceback on errors")
    parent.add_argument(
        "--no-progress", dest="progress", action="store_false", default=argparse.SUPPRESS,
        help="never draw progress bars (they are drawn only on a terminal anyway)",
    )
    return parent


def run_options() -> argparse.ArgumentParser:
    """Options of the commands that run paradigms: ``--seed``, ``--out``, ``--quick``."""
    parent = Parser(add_help=False)
    parent.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same numbers (default: 0)")
    parent.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder for the results (default: {DEFAULT_OUT}/)")
    parent.add_argument("--quick", action="store_true", help="tiny budget: a smoke run or a classroom demo in seconds")
    return parent


def backend_options() -> argparse.ArgumentParser:
    """Where runs go: ``--backend``, ``--address``."""
    parent = Parser(add_help=False)
    parent.add_argument(
        "--backend", choices=("local", "ray"), default="local",
        help="where the runs go: local processes (default), or Ray tasks (a local Ray instance, or the "
        "cluster at --address); Ray is an extra: pip install 'learning-paradigms[ray]'",
    )
    parent.add_argument(
        "--address", default=None, metavar="HOST:PORT",
        help="join the Ray cluster whose head node listens there (default: $RAY_ADDRESS, else a local "
        "Ray instance); needs --backend ray",
    )
    return parent


def tracking_options() -> argparse.ArgumentParser:
    """Where the runs' learning curves also go: ``--tensorboard DIR``, ``--mlflow [URI]``."""
    parent = Parser(add_help=False)
    group = parent.add_argument_group("tracking (pip install 'learning-paradigms[tracking]')")
    group.add_argument(
        "--tensorboard", type=Path, default=None, metavar="DIR",
        help="write TensorBoard event files while each run learns, one folder per run "
        "(DIR/PARADIGM__DATA__CELL__seedS__TIME); watch with: tensorboard --logdir DIR",
    )
    group.add_argument(
        "--mlflow", nargs="?", const="", default=None, metavar="URI",
        help="log each run to MLflow (settings, curve, P, files); URI: a tracking server or store "
        "(default: MLflow's own, $MLFLOW_TRACKING_URI or a local store in this folder)",
    )
    return parent


def tracking_of(args: argparse.Namespace) -> Tracking | None:
    """The tracking the command line asked for (checked to be installed), or None."""
    tracking = Tracking(tensorboard=getattr(args, "tensorboard", None), mlflow=getattr(args, "mlflow", None))
    return tracking.check() if tracking.enabled else None


def paradigm_names() -> str:
    return ", ".join(spec.name for spec in registry.available()) or "none registered"


def progress_of(args: argparse.Namespace) -> Progress:
    return Progress(enabled=None if getattr(args, "progress", True) else False)


def glossary_terms() -> list[TermInfo]:
    """The glossary's terms, for the report to link; none (with a warning) where
    ``glossary.all_terms()`` fails, so a broken glossary never costs the page."""
    try:
        return report_terms(glossary.all_terms())
    except Exception as exc:  # noqa: BLE001 - the page is still worth having without links
        warnings.warn(
            f"the report has no glossary links: glossary.all_terms() failed ({type(exc).__name__}: {exc})",
            UserWarning,
            stacklevel=2,
        )
        return []


def checked_seeds(args: argparse.Namespace) -> list[int]:
    """``--seed S --seeds N`` -> seeds S..S+N-1, checked (one line, exit 2) before any run."""
    seed = check_seed(args.seed)
    if not 1 <= args.seeds <= MAX_SEEDS:
        raise ConfigError(f"--seeds {args.seeds}: give 1 to {MAX_SEEDS}")
    if seed + args.seeds - 1 > MAX_SEED:
        raise ConfigError(f"--seed {seed} with --seeds {args.seeds}: the last seed, {seed + args.seeds - 1}, is past "
                          f"the largest, {MAX_SEED}; choose --seed {MAX_SEED - args.seeds + 1} or below")
    if args.jobs is not None and args.jobs < 1:
        raise ConfigError(f"--jobs {args.jobs}: give at least 1")
    return list(range(seed, seed + args.seeds))


def backend_for(args: argparse.Namespace) -> Backend:
    """The backend the command line asked for (Ray: checked to be installed; not started yet); the
    local one's default is one process per run, up to the cores."""
    return get_backend(args.backend, jobs=args.jobs, address=args.address)


def start_backend(backend: Backend, runs: int) -> str:
    """Start Ray (or join its cluster) before any run, so a bad --address stops us here; where runs go, in words."""
    where = backend.describe(runs)
    connect = getattr(backend, "connect", None)
    if connect is not None:
        print(f"starting Ray ({where}) ...", file=sys.stderr)
        print(f"Ray ready in {connect():.1f} s", file=sys.stderr)
    return where
