"""The layers run one way, read from the source with ``ast`` (function-level imports included).

Floors, bottom to top: the core (errors, progress, seeding, evaluation, settings,
registry, commands, devices, ...) -> execution -> the three paradigm packages ->
report -> glossary -> the command line. These tests fail the moment an arrow points
up or two files import each other, so the design stays visible in the folder tree.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("paradigms", "glossary")
PARADIGM_PACKAGES = ("paradigms.supervised", "paradigms.unsupervised", "paradigms.reinforcement")
UPPER_FLOORS = ("paradigms.report", "glossary", "paradigms.cli", "paradigms.execution")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _source_files() -> dict[str, Path]:
    files = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            files[_module_name(path)] = path
    return files


FILES = _source_files()


def _is_package(module: str) -> bool:
    return FILES.get(module) is not None and FILES[module].name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str) -> Iterator[str]:
    """Every project module that ``module`` imports, at any depth of the file."""
    tree = ast.parse(FILES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, node)
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in FILES else source for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in FILES:  # a name inside a module -> the module
                target = target.rpartition(".")[0]
            if target and target != module:
                yield target


GRAPH = {module: sorted(set(imports_of(module))) for module in FILES}


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _violations(sources: list[str], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{source} imports {target}"
        for source in sources
        for target in GRAPH[source]
        if any(_within(target, f) for f in forbidden)
    ]


def test_the_graph_is_read() -> None:
    # A guard for the guards: the reader must see real edges, or every rule passes vacuously.
    assert "paradigms.evaluation" in GRAPH["paradigms.registry"]
    assert any(_within(t, "paradigms") for t in GRAPH["paradigms.cli"])


def test_only_main_imports_the_command_line() -> None:
    offenders = [
        f"{source} imports {target}"
        for source, targets in GRAPH.items()
        for target in targets
        if _within(target, "paradigms.cli")
        and source != "paradigms.__main__" and not _within(source, "paradigms.cli")
    ]
    assert not offenders, offenders


def test_the_report_takes_glossary_terms_as_an_argument() -> None:
    sources = [m for m in GRAPH if _within(m, "paradigms.report")]
    assert sources
    assert not _violations(sources, ("glossary", "paradigms.cli"))


def test_the_core_imports_nothing_above_it() -> None:
    core = [
        m for m in GRAPH
        if _within(m, "paradigms") and m != "paradigms" and m != "paradigms.__main__"
        and not any(_within(m, p) for p in PARADIGM_PACKAGES + UPPER_FLOORS)
    ]
    for name in ("paradigms.errors", "paradigms.evaluation", "paradigms.settings", "paradigms.registry"):
        assert name in core
    assert not _violations(core, PARADIGM_PACKAGES + UPPER_FLOORS)


def test_execution_sits_below_the_paradigms_report_and_command_line() -> None:
    sources = [m for m in GRAPH if _within(m, "paradigms.execution")]
    assert not _violations(sources, PARADIGM_PACKAGES + ("paradigms.report", "glossary", "paradigms.cli"))


@pytest.mark.parametrize("package", PARADIGM_PACKAGES)
def test_a_paradigm_package_imports_no_other_paradigm_nor_anything_above(package: str) -> None:
    sources = [m for m in GRAPH if _within(m, package)]
    assert sources
    others = tuple(p for p in PARADIGM_PACKAGES if p != package)
    assert not _violations(sources, others + UPPER_FLOORS)


def _find_cycle() -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in GRAPH[node]:
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for module in GRAPH:
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_no_two_files_import_each_other_even_around_a_loop() -> None:
    cycle = _find_cycle()
    assert cycle is None, " -> ".join(cycle or [])


# -- the three paradigm packages alike ------------------------------------------------------------

#: The roles every paradigm package fills, one module each (DESIGN.md: "each the same layout").
ROLES = ("settings", "paradigm", "training", "persistence", "plots")
#: The model a user can take without the framework, in its field's idiom: ``estimator.py`` (a
#: scikit-learn estimator) or, for the Gymnasium-style agents, the ``agents`` package (one file per
#: agent, CleanRL's way). Either way it saves and loads itself through ``persistence.py``.
ESTIMATOR_ROLES = ("estimator", "agents")
#: T, P and E in words, and the name they are registered under: each package's ``settings.py`` holds them.
WORDS = ("NAME", "TASK", "MEASURE", "EXPERIENCE", "FEEDBACK", "DEFAULTS")


@pytest.mark.parametrize("package", PARADIGM_PACKAGES)
def test_a_paradigm_package_has_every_role(package: str) -> None:
    """The role layout: ``settings``, ``paradigm``, ``training``, ``persistence`` and ``plots``
    modules, and an estimator role (``estimator.py``, or ``agents/`` for the RL agents) that
    imports ``persistence``: every paradigm's model can be saved and loaded back."""
    missing = [role for role in ROLES if f"{package}.{role}" not in FILES]
    assert not missing, f"{package} lacks {', '.join(missing)}"
    estimators = [f"{package}.{role}" for role in ESTIMATOR_ROLES if f"{package}.{role}" in FILES]
    assert len(estimators) == 1, f"{package}: one of {ESTIMATOR_ROLES} expected, found {estimators}"
    role = estimators[0]
    users = [m for m in GRAPH if _within(m, role) and f"{package}.persistence" in GRAPH[m]]
    assert users, f"{role} does not save or load through {package}.persistence"


@pytest.mark.parametrize("package", PARADIGM_PACKAGES)
def test_a_paradigm_package_says_its_name_and_t_p_e_in_its_settings(package: str) -> None:
    tree = ast.parse(FILES[f"{package}.settings"].read_text(encoding="utf-8"))
    assigned = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)}
    assert set(WORDS) <= assigned, f"{package}.settings lacks {sorted(set(WORDS) - assigned)}"


def _evaluation_calls(module: str) -> Iterator[ast.Call]:
    for node in ast.walk(ast.parse(FILES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in ("Evaluation", "ParadigmSpec"):
                yield node


@pytest.mark.parametrize("package", PARADIGM_PACKAGES)
def test_every_evaluation_is_built_from_the_packages_words(package: str) -> None:
    """Every ``Evaluation(...)`` (and the ``ParadigmSpec``) of a paradigm package names its paradigm
    by the package's ``NAME`` and its E by a constant of ``settings.py``, never a literal written
    where it is built: a renamed paradigm or reworded E then changes everywhere at once."""
    calls = {m: list(_evaluation_calls(m)) for m in GRAPH if _within(m, package)}
    assert any(calls.values()), f"no Evaluation is built in {package}"
    offenders = []
    for module, found in calls.items():
        for call in found:
            words = {k.arg: k.value for k in call.keywords}
            name_word = "name" if isinstance(call.func, ast.Name) and call.func.id == "ParadigmSpec" else "paradigm"
            paradigm, experience = words.get(name_word), words.get("experience")
            if not (isinstance(paradigm, ast.Name) and paradigm.id == "NAME"):
                offenders.append(f"{module}:{call.lineno}: {name_word}= is not NAME")
            if experience is None or isinstance(experience, (ast.Constant, ast.JoinedStr)):
                offenders.append(f"{module}:{call.lineno}: experience= is a literal, not a constant of settings.py")
    assert not offenders, offenders


@pytest.mark.parametrize("package", PARADIGM_PACKAGES)
def test_a_paradigm_package_exports_lazily_through_paradigms_lazy(package: str) -> None:
    import importlib

    module = importlib.import_module(package)
    assert module.__getattr__.__qualname__.startswith("lazy_exports."), f"{package} writes its own __getattr__"
    assert set(module.__all__) <= set(dir(module))  # the lazy names are listed before they are imported


@pytest.mark.parametrize("package", PARADIGM_PACKAGES)
def test_defaults_are_an_instance_of_the_packages_settings(package: str) -> None:
    """``settings.DEFAULTS`` is one type in every package: the settings dataclass made with no arguments
    (read by attribute, frozen), not a dict of them in one package and an instance in another."""
    import dataclasses
    import importlib

    import paradigms

    settings = importlib.import_module(f"{package}.settings")
    spec = paradigms.registry.get(settings.NAME)
    assert type(settings.DEFAULTS) is spec.settings
    assert settings.DEFAULTS == spec.settings()
    for field in dataclasses.fields(spec.settings):
        assert getattr(settings.DEFAULTS, field.name) == field.default
