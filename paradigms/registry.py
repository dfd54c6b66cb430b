"""The paradigms the toolkit knows, and how to run one to an Evaluation.

A paradigm is described by a :class:`ParadigmSpec`: its name, Mitchell's T, P
and E in words, the feedback signal it learns from, its settings dataclass and
its ``run(settings, seed, progress) -> Evaluation`` function. The three built-in
paradigms register themselves when their ``paradigms.<name>.paradigm`` module is
imported; :func:`available` imports them on first use. A test or a user can
:func:`register` more.

>>> [spec.name for spec in available()]  # doctest: +SKIP
['supervised', 'unsupervised', 'reinforcement']
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError, DataError
from .evaluation import Evaluation
from .outputs import staged_outputs
from .progress import Progress
from .seeding import seed_everything
from .settings import Settings
from .tracking import Tracking, tracked_run

#: Modules that define the built-in paradigms, in the order they are shown.
BUILTIN_MODULES = (
    "paradigms.supervised.paradigm",
    "paradigms.unsupervised.paradigm",
    "paradigms.reinforcement.paradigm",
)

RunFunction = Callable[[Any, int, Progress], Evaluation]


@dataclass(frozen=True)
class ParadigmSpec:
    """Everything the CLI and the report need to know about one paradigm.

    ``figures`` (optional) turns one of its Evaluations into named matplotlib
    Figures for the report: ``figures(evaluation) -> dict[str, Figure]``.

    ``selection_metric`` says which number a sweep chooses the best settings on,
    so that the choice is not made on P where P is measured on a test set:
    ``"curve"`` (the best point of the learning curve, where the curve is measured
    on held-out data: validation accuracy, evaluation episodes), the name of one
    of its Evaluation's ``metrics``, or ``None``: P itself (for a measure that
    sees no held-out labels, such as a clustering's silhouette).
    """

    name: str
    task: str
    measure: str
    experience: str
    feedback: str
    settings: type[Settings]
    run: RunFunction
    description: str = ""
    figures: Callable[[Evaluation], Mapping[str, Any]] | None = None
    selection_metric: str | None = None

    def summary_line(self) -> str:
        return f"{self.name:<14} T: {self.task}; P: {self.measure}; E: {self.experience}"


_REGISTRY: dict[str, ParadigmSpec] = {}
_builtins_loaded = False


def register(spec: ParadigmSpec, *, replace: bool = False) -> ParadigmSpec:
    """Add a paradigm; re-registering a name needs ``replace=True``."""
    if spec.name in _REGISTRY and not replace and _REGISTRY[spec.name] is not spec:
        raise ValueError(f"a paradigm named {spec.name!r} is already registered")
    _REGISTRY[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    """Remove the paradigm called ``name`` from the registry (nothing happens if there is none).

    For tests and notebooks that register a paradigm of their own and clean up after it.
    """
    _REGISTRY.pop(name, None)


def _load_builtins() -> None:
    global _builtins_loaded
    if _builtins_loaded:
        return
    _builtins_loaded = True
    for module in BUILTIN_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:  # a paradigm not built yet
            if exc.name is None or not module.startswith(exc.name):
                raise


def available() -> list[ParadigmSpec]:
    """All registered paradigms: built-ins first, then any registered later."""
    _load_builtins()
    return list(_REGISTRY.values())


def get(name: str) -> ParadigmSpec:
    """The paradigm called ``name``, or a ConfigError that suggests close names."""
    _load_builtins()
    if name in _REGISTRY:
        return _REGISTRY[name]
    names = list(_REGISTRY)
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    known = ", ".join(names) or "none registered"
    raise ConfigError(f"unknown paradigm {name!r}: {hint}known paradigms: {known} (see `paradigms list`)")


def make_settings(
    name: str,
    overrides: Mapping[str, Any] | None = None,
    *,
    quick: bool = False,
    output_dir: str | Path | None = None,
) -> Settings:
    """The settings of paradigm ``name``: defaults, ``--quick`` values, then overrides.

    ``output_dir`` (the CLI's ``--out``) fills the paradigm's own ``output_dir``
    setting, where it has one and the user did not set it: the folder for the
    files a paradigm writes besides its Evaluation (e.g. customer segments).
    """
    settings_class = get(name).settings
    overrides = dict(overrides or {})
    if output_dir is not None and "output_dir" in settings_class.field_names():
        overrides.setdefault("output_dir", str(output_dir))
    return settings_class.from_overrides(overrides, quick=quick)


def run(
    name: str,
    settings: Settings | None = None,
    *,
    seed: int = 0,
    quick: bool = False,
    progress: Progress | bool | None = None,
    tracking: Tracking | None = None,
    **overrides: Any,
) -> Evaluation:
    """Run paradigm ``name`` and return its :class:`Evaluation`.

    Seeds everything first, times the whole run (``timings["total_seconds"]``)
    and fills in the config where the paradigm left it empty (the manifest is
    collected by :class:`~paradigms.evaluation.Evaluation` itself). Where the
    settings have an ``output_dir``, the paradigm writes into a staging folder
    inside it, and its files are moved into place only when the run succeeds
    (:func:`paradigms.outputs.staged_outputs`): a failed run leaves the previous
    run's files as they were.

    ``tracking`` (:class:`~paradigms.tracking.Tracking`) logs the run to TensorBoard
    and/or MLflow while it learns, and its result when it ends; a tracker that fails
    is a warning, never the run's failure.

    >>> ev = run("supervised", quick=True, seed=0)  # doctest: +SKIP
    """
    spec = get(name)
    if settings is None:
        settings = spec.settings.from_overrides(overrides, quick=quick)
    elif overrides:
        raise TypeError("give either a settings object or keyword overrides, not both")
    if not isinstance(settings, spec.settings):
        raise TypeError(f"{name} expects {spec.settings.__name__}, got {type(settings).__name__}")
    if not isinstance(progress, Progress):
        progress = Progress(enabled=progress)
    seed = seed_everything(seed)
    with tracked_run(tracking, spec.name, settings, seed, progress, spec.figures) as finish:
        start = time.perf_counter()
        output_dir = getattr(settings, "output_dir", None)
        if output_dir is None:
            evaluation = spec.run(settings, seed, progress)
        else:  # the run's files are staged, and moved into output_dir only if it succeeds
            with staged_outputs(output_dir) as stage:
                try:
                    staged = dataclasses.replace(settings, output_dir=stage.path)  # type: ignore[call-arg]  # output_dir: a field of this paradigm's settings (checked above), not of the base class
                    evaluation = spec.run(staged, seed, progress)
                except (ConfigError, DataError) as exc:
                    raise _without_stage(exc, stage.path, stage.final) from None
                evaluation = _unstaged(evaluation, stage.path, stage.final)
        total = time.perf_counter() - start
        changes: dict[str, Any] = {"timings": {**evaluation.timings, "total_seconds": total}}
        if not evaluation.config:
            changes["config"] = settings.to_dict()
        evaluation = evaluation.with_updates(**changes)
        finish(evaluation)  # the trackers' last words: settings, P, figures (not in total_seconds)
    return evaluation


def _without_stage(error: ConfigError | DataError, stage: Path, final: Path) -> ConfigError | DataError:
    """``error``, its message naming no path inside the staging folder, which is removed as the run
    fails: a file the run made there is named by its place in the output folder, said to be gone."""
    text = _moved_text(str(error), stage, final)
    if text == str(error):
        return error
    kind = DataError if isinstance(error, DataError) else ConfigError  # the same exit code
    return kind(f"{text} (a file the failed run made itself; not kept, as no file of a failed run is)")


def _moved_text(text: str, stage: Path, final: Path) -> str:
    """``text`` with each path into the staging folder naming its place in ``final`` (the absolute
    spelling first, so that the one given is not replaced inside it)."""
    for old, new in ((str(stage.resolve()), str(final.resolve())), (str(stage), str(final))):
        text = text.replace(old, new)
    return text


def _unstaged(evaluation: Evaluation, stage: Path, final: Path) -> Evaluation:
    """``evaluation`` with every path into the staging folder (in its config, metrics,
    figure data and data set description) pointing where the files end up."""
    def moved(value: Any) -> Any:
        if isinstance(value, str):
            return _moved_text(value, stage, final)
        if isinstance(value, dict):
            return {key: moved(item) for key, item in value.items()}
        if isinstance(value, list):
            return [moved(item) for item in value]
        return value

    dataset = dataclasses.replace(
        evaluation.dataset, source=moved(evaluation.dataset.source), notes=moved(evaluation.dataset.notes)
    )
    return evaluation.with_updates(
        config=moved(evaluation.config), metrics=moved(evaluation.metrics),
        figure_data=moved(evaluation.figure_data), dataset=dataset,
    )


def parse_assignments(assignments: Sequence[str]) -> dict[str, dict[str, str]]:
    """Per-paradigm settings from ``NAME.SETTING=VALUE`` words (the command line's ``--set``).

    ``["supervised.epochs=3"]`` -> ``{"supervised": {"epochs": "3"}}``; the values stay
    strings until the paradigm's settings class converts them. A word of another
    shape, or an unknown paradigm, is a ConfigError that says what to write.
    """
    per_paradigm: dict[str, dict[str, str]] = {}
    for item in assignments:
        target, sep, value = item.partition("=")
        name, dot, key = target.partition(".")
        if not sep or not dot or not name or not key:
            raise ConfigError(f"--set {item!r}: write NAME.SETTING=VALUE, e.g. supervised.epochs=3")
        get(name)
        per_paradigm.setdefault(name, {})[key] = value
    return per_paradigm
