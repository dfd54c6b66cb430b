"""The type checker: mypy, with the settings of ``[tool.mypy]`` in pyproject.toml, finds no
error in ``paradigms/`` and ``glossary/`` (docs/development.md says how to run it by hand).

mypy keeps its cache in ``.mypy_cache/`` (ignored by git): the first run checks everything
(under a minute), later runs only what changed.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("paradigms", "glossary")


def _mypy_config() -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.mark.slow  # docs/getting-started.md counts it among the slow tests: up to a minute with an empty cache
@pytest.mark.skipif(importlib.util.find_spec("mypy") is None,
                    reason="mypy is not installed: pip install -e '.[dev]' installs it")
def test_mypy_finds_no_error_in_the_packages():
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
               "--cache-dir", str(ROOT / ".mypy_cache"), "--no-color-output", "--no-error-summary", *CHECKED]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    report = (done.stdout + done.stderr).strip()
    assert done.returncode == 0, f"mypy reports errors (run: python -m mypy, from {ROOT}):\n{report}"


def test_the_config_checks_both_packages_and_ignores_missing_imports_only_per_module():
    mypy = _mypy_config()["tool"]["mypy"]
    assert sorted(mypy["files"]) == sorted(CHECKED)
    assert "ignore_missing_imports" not in mypy, "name the untyped libraries in an override instead"
    for override in mypy.get("overrides", []):
        assert all(not module.startswith(CHECKED) for module in override["module"]), override


def test_the_dev_extra_installs_mypy_and_the_stubs():
    dev = _mypy_config()["project"]["optional-dependencies"]["dev"]
    names = {requirement.split("=")[0].split(">")[0].strip() for requirement in dev}
    assert {"mypy", "pandas-stubs", "types-tqdm"} <= names
