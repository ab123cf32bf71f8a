"""The benchmarks measure what BENCHMARKS.md says: the planner and its floors timed alike, the lazy floor lazy."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Tree

from bench import run
from bench.run import generate, medians, timed
from bench.ui import lazy_tree_app
from planner.storage import save


def test_the_planner_and_its_floor_are_both_timed_with_the_collector_paused():
    seen: list[tuple[str, bool]] = []
    medians(lambda: seen.append(("planner", gc.isenabled())), lambda: seen.append(("floor", gc.isenabled())), 2)
    assert seen == [("planner", False), ("floor", False)] * 2
    assert gc.isenabled(), "and the collector runs again afterwards"


def test_what_a_timed_call_returns_is_let_go_after_the_clock_stops(monkeypatch):
    events: list[str] = []

    class Result:
        def __del__(self) -> None:
            events.append("freed")

    monkeypatch.setattr(run.time, "process_time", lambda: events.append("clock") or 0.0)
    timed(Result)
    assert events == ["clock", "clock", "freed"]


async def test_the_lazy_ui_floor_parses_the_file_and_shows_only_the_top_two_levels(tmp_path):
    path = tmp_path / "plan.toml"
    save(generate(300), path)
    app = lazy_tree_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        [top] = app.query_one(Tree).root.children
        assert str(top.label) == "Owner 0"
        assert [str(node.label) for node in top.children] == ["Head 1", "Head 2", "Head 3"]
        assert all(node.allow_expand and not node.children for node in top.children), "nothing deeper is built"


REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("script", ["run.py", "ui.py"])
def test_a_benchmark_run_as_a_script_measures_the_checkouts_planner(script, tmp_path):
    # Loaded as `python bench/<script>` loads it, from another folder: the planner it then imports
    # must be the one beside it, not a copy `pip install .` put in site-packages earlier.
    code = (f"import runpy, sys\nsys.path[0] = {str(REPO / 'bench')!r}\n"
            f"runpy.run_path({str(REPO / 'bench' / script)!r}, run_name='bench_script')\n"
            "import planner\nprint(planner.__file__)\n")
    shown = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert Path(shown.stdout.strip()).resolve().is_relative_to(REPO / "planner"), shown.stdout
