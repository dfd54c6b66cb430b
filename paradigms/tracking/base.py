"""What a tracked run asks for (:class:`Tracking`), what a tracker does (:class:`Tracker`),
and the guard that turns a tracker's failure into one warning (:class:`GuardedTracker`).

>>> run_name("reinforcement", "CartPole-v1", "default", 3, when=1700000000)
'reinforcement__CartPole-v1__default__seed3__1700000000'
>>> Tracking().enabled
False
"""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import re
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..errors import ConfigError
from ..untrusted import one_line

INSTALL_HINT = "pip install 'learning-paradigms[tracking]'"
#: The package each destination needs, by the option that asks for it.
PACKAGES = {"--tensorboard": ("tensorboard", "TensorBoard"), "--mlflow": ("mlflow", "MLflow")}
#: What a run name may hold besides letters and digits (the rest becomes ``-``).
_NAME_SAFE = re.compile(r"[^A-Za-z0-9._=-]+")


@dataclass(frozen=True)
class Tracking:
    """Where a run's curves go: a TensorBoard folder, an MLflow store, or both.

    ``mlflow`` is a tracking URI; ``""`` means MLflow's own default store (the
    ``MLFLOW_TRACKING_URI`` variable, else its local default); ``None``: no MLflow.
    ``parent_run_id`` nests the run under a comparison's or sweep's MLflow run;
    ``cell`` names the run's settings (a sweep's cell id; ``"default"`` otherwise).
    It is plain data, so it travels with a task to another process or a Ray node.
    """

    tensorboard: Path | None = None
    mlflow: str | None = None
    parent_run_id: str | None = None
    cell: str = "default"
    #: Set by :meth:`check` (the packages were found where the runs were asked for), so the
    #: layers below (the sweep's plan, the parent run, each run, here or in a worker) do not look again.
    checked: bool = dataclasses.field(default=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.tensorboard is not None:
            object.__setattr__(self, "tensorboard", Path(self.tensorboard))

    @property
    def enabled(self) -> bool:
        return self.tensorboard is not None or self.mlflow is not None

    def for_cell(self, cell: str) -> Tracking:
        """The same destinations for a run of sweep cell ``cell``."""
        return dataclasses.replace(self, cell=cell)

    def check(self) -> Tracking:
        """This, marked checked, or a one-line ConfigError saying how to install what it needs.
        Looks once: a Tracking already checked is returned as it is."""
        if self.checked:
            return self
        check_installed(tensorboard=self.tensorboard is not None, mlflow=self.mlflow is not None)
        return dataclasses.replace(self, checked=True)


def check_installed(*, tensorboard: bool = False, mlflow: bool = False) -> None:
    """A ConfigError in one line, without importing anything, where a tracker asked for is missing."""
    for option, wanted in (("--tensorboard", tensorboard), ("--mlflow", mlflow)):
        module, product = PACKAGES[option]
        if wanted and importlib.util.find_spec(module) is None:
            raise ConfigError(f"{option} needs {product}, which is not installed here: {INSTALL_HINT}")


def run_name(paradigm: str, data: str, cell: str, seed: int, *, when: float | None = None) -> str:
    """CleanRL's run name: ``{paradigm}__{env or data}__{cell}__seed{S}__{unix time}``."""
    stamp = int(time.time() if when is None else when)
    parts = [_NAME_SAFE.sub("-", str(part)).strip("-") or "none" for part in (paradigm, data, cell)]
    return "__".join([*parts, f"seed{int(seed)}", str(stamp)])


def data_name(settings: Any) -> str:
    """What a run learns from, for its name: the environment, the data file's name, else the
    settings class's ``DEFAULT_DATA`` (``mnist``), else ``default-data``."""
    env = getattr(settings, "env", None)
    if env:
        return str(env)
    data = getattr(settings, "data", None)
    return Path(data).stem if data else str(getattr(settings, "DEFAULT_DATA", "default-data"))


def finite_scalars(values: Mapping[str, Any]) -> dict[str, float]:
    """The entries of ``values`` that are real numbers (``None``, NaN, text dropped)."""
    kept = {}
    for key, value in values.items():
        if isinstance(value, bool) or value is None:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(number):
            kept[key] = number
    return kept


class Tracker(Protocol):
    """One destination of a run's curves. ``where`` names it in a warning."""

    where: str

    def log_scalars(self, step: int, values: Mapping[str, float]) -> None:
        """Numbers seen at ``step`` of E, by tag (``train/loss``), while the run learns."""
        ...

    def log_result(self, evaluation: Any, images: Mapping[str, bytes]) -> None:
        """The finished run: its settings (``evaluation.config``), P and baseline, its JSON, and its
        figures as PNG bytes by name (drawn once for every tracker)."""
        ...

    def close(self, failed: bool = False) -> None:
        ...


class GuardedTracker:
    """Fans calls out to trackers; one that raises is dropped with one warning, the run goes on."""

    def __init__(self, trackers: list[Tracker]) -> None:
        self.trackers = list(trackers)
        #: Calls of :meth:`log_scalars` so far (none: the run's loop logs nothing live).
        self.logged = 0

    def __bool__(self) -> bool:
        return bool(self.trackers)

    def _each(self, method: str, *args: Any) -> None:
        for tracker in list(self.trackers):
            try:
                getattr(tracker, method)(*args)
            except Exception as exc:  # noqa: BLE001 - tracking must never cost the run
                self.trackers.remove(tracker)
                warn_failed(tracker.where, exc)
                try:
                    tracker.close(failed=True)
                except Exception:  # noqa: BLE001 - it has already failed once
                    pass

    def log_scalars(self, step: int, values: Mapping[str, Any]) -> None:
        numbers = finite_scalars(values)
        if numbers:
            self.logged += 1
            self._each("log_scalars", int(step), numbers)

    def log_result(self, evaluation: Any, images: Mapping[str, bytes]) -> None:
        self._each("log_result", evaluation, images)

    def close(self, failed: bool = False) -> None:
        self._each("close", failed)
        self.trackers.clear()


def result_metrics(evaluation: Any) -> dict[str, float]:
    """Final P, its baseline and the normalized score, by their tags in both trackers."""
    values = {"result/performance": evaluation.measure.value, "result/baseline": evaluation.measure.baseline}
    try:
        values["result/normalized_score"] = evaluation.normalized_score
    except ArithmeticError:  # best == baseline: no scale to normalize on
        pass
    return finite_scalars(values)


def last_step(evaluation: Any) -> int:
    """The experience at the run's last curve point (0 without one): the step its results are logged at."""
    return int(evaluation.curve["experience"].iloc[-1]) if len(evaluation.curve) else 0


def setting_text(value: Any) -> str:
    """A setting as a tracker's text: a list comma-joined, None as ``none``."""
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return "none" if value is None else str(value)


def warn_failed(where: str, exc: BaseException) -> None:
    """The one line a failed tracker leaves: where, and why; the run's results are untouched."""
    warnings.warn(f"tracking to {where} stopped ({one_line(exc)}); the run goes on and its "
                  "results are saved as usual", UserWarning, stacklevel=3)
