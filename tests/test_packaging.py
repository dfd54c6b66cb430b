"""What an installed copy ships beside the code: ``py.typed`` (PEP 561), so that users' type
checkers (mypy, pyright) read our type hints instead of treating the packages as untyped."""

import importlib.resources
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TYPED_PACKAGES = ("paradigms", "glossary")


@pytest.mark.parametrize("package", TYPED_PACKAGES)
def test_each_package_folder_holds_py_typed(package):
    assert (importlib.resources.files(package) / "py.typed").is_file()


def test_pyproject_declares_py_typed_as_package_data():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]
    for package in TYPED_PACKAGES:
        assert "py.typed" in package_data.get(package, []), package


@pytest.mark.slow
def test_the_built_wheel_holds_py_typed(tmp_path):
    # Built offline from a copy of the sources (no build/ left in the checkout), with this
    # environment's setuptools.
    pytest.importorskip("setuptools")
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for package in TYPED_PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"{package}/py.typed" for package in TYPED_PACKAGES} <= names
