"""The planner command: layouts, new, check, help; exit 2 and no traceback on bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from planner.cli import main
from planner.storage import load

from .conftest import REPO


def run_planner(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    """Run `python -m planner` as a user would."""
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=cwd)


def test_layouts_lists_each_starter_with_what_it_shows(capsys):
    assert main(["layouts"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines]
    assert {"blank", "separate", "merged", "growing"} <= set(names)
    assert all(len(line) <= 80 for line in lines)


def test_new_writes_a_valid_plan_and_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "saves" / "acme.toml"
    assert main(["new", "--layout", "merged", "--name", "Acme", str(target)]) == 0
    assert load(target).name == "Acme"
    target.write_text("precious")
    assert main(["new", "--layout", "separate", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert target.read_text() == "precious"
    assert main(["new", "--layout", "separate", "--force", str(target)]) == 0
    assert len(load(target).scenario()) == 14


def test_new_with_an_unknown_layout_names_the_known_ones(tmp_path, capsys):
    assert main(["new", "--layout", "huge", str(tmp_path / "x.toml")]) == 2
    assert "merged" in capsys.readouterr().err
    assert not (tmp_path / "x.toml").exists()


def test_check_passes_the_layouts():
    result = run_planner("check", *(str(p) for p in sorted((REPO / "layouts").glob("*.toml"))))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": ok") == 4


def test_check_lists_every_problem_of_every_file_and_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = 1\nname = "x"\n[[people]]\nid = "a"\nnmae = "A"\nmanager = "zz"\n')
    broken = tmp_path / "broken.toml"
    broken.write_text('schema = 1\nname = [\n')
    good = REPO / "layouts" / "merged.toml"
    result = run_planner("check", str(bad), str(good), str(broken))
    assert result.returncode == 2
    assert f"{bad}:5: unknown key 'nmae'" in result.stderr
    assert f"{bad}:6: person 'a' reports to unknown person 'zz'" in result.stderr
    assert f"{broken}:" in result.stderr and "not valid TOML" in result.stderr
    assert "fix:" in result.stderr
    assert "Traceback" not in result.stderr
    assert "merged.toml: ok" in result.stdout


@pytest.mark.parametrize("args", [[], ["layouts"], ["new"], ["check"]])
def test_help_explains_with_an_example(args):
    result = run_planner(*args, "--help")
    assert result.returncode == 0
    assert "example" in result.stdout and "planner" in result.stdout


def test_usage_errors_exit_2():
    result = run_planner("check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
