"""The benchmarks measure what BENCHMARKS.md says: the planner and its floors timed alike, the lazy floor lazy."""

from __future__ import annotations

import gc

from textual.widgets import Tree

from bench.run import generate, medians
from bench.ui import lazy_tree_app
from planner.storage import save


def test_the_planner_and_its_floor_are_both_timed_with_the_collector_paused():
    seen: list[tuple[str, bool]] = []
    medians(lambda: seen.append(("planner", gc.isenabled())), lambda: seen.append(("floor", gc.isenabled())), 2)
    assert seen == [("planner", False), ("floor", False)] * 2
    assert gc.isenabled(), "and the collector runs again afterwards"


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
