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
