"""The layers hold: no import runs up (import-linter contracts) and a headless run loads no Textual module."""

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import planner

ROOT = Path(__file__).resolve().parent.parent
BELOW_UI = ("model", "storage", "analysis", "render", "serve")


def _modules_below_ui() -> list[str]:
    """Every module of the packages that sit below the UI, found on disk so a new one can't be missed."""
    names = []
    for package in BELOW_UI:
        names.append(f"planner.{package}")
        path = [str(Path(planner.__file__).parent / package)]
        names.extend(info.name for info in pkgutil.walk_packages(path, prefix=f"planner.{package}."))
    return names


def _lint_imports(project: Path) -> subprocess.CompletedProcess:
    """`lint-imports` run on a project folder with its pyproject.toml contracts."""
    command = Path(sys.executable).parent / "lint-imports"
    return subprocess.run([str(command), "--no-cache"], cwd=project, capture_output=True, text=True,
                          env={"PYTHONPATH": str(project), "PATH": ""})


def test_every_module_below_the_ui_loads_without_textual():
    modules = _modules_below_ui() + ["planner.cli"]
    assert {"planner.render.html", "planner.render.markdown", "planner.render.export", "planner.serve.ssh"} <= set(modules)
    code = (
        f"import importlib, sys\nfor name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'planner.ui')))\n"
        "print(','.join(loaded))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_the_layer_contracts_are_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_an_import_running_up_a_layer_breaks_the_contract(tmp_path):
    shutil.copytree(ROOT / "planner", tmp_path / "planner", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with open(tmp_path / "planner" / "model" / "text.py", "a") as handle:
        handle.write("\nimport planner.analysis.report  # noqa: E402\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "planner.model.text -> planner.analysis.report" in result.stdout
