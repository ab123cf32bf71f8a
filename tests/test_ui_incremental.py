"""After an edit the views redo only what changed (tree, team view, shared analyses); the collector skips the plan."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual.widgets import DataTable, Tree
from textual.widgets.tree import TreeNode

from planner.analysis.report import Analyser, People
from planner.model import Org, Person, Plan
from planner.model.scenarios import AddScenario
from planner.storage import save
from planner.ui.app import PlannerApp, make_app
from planner.ui.screens.compare import CompareScreen
from planner.ui.widgets.org_tree import OrgTree

SIZE = (120, 40)
REP, MANAGER, OWNER = "sales-rep-1", "sales-marketing-manager", "owner"


def loaded_nodes(app: PlannerApp) -> dict[str, TreeNode[str]]:
    """Every person's node the tree has built, by id."""
    nodes, pending = {}, list(app.main_screen.query_one(OrgTree).root.children)
    while pending:
        node = pending.pop()
        nodes[node.data] = node
        pending.extend(node.children)
    return nodes


def assert_tree_follows(app: PlannerApp) -> None:
    """Every loaded team in the tree is the team in the plan, in order."""
    org = app.session.org
    assert [node.data for node in app.main_screen.query_one(OrgTree).root.children] == org.roots()
    for person_id, node in loaded_nodes(app).items():
        if node.children:
            assert [child.data for child in node.children] == org.reports(person_id), person_id


def nested_plan(path: Path) -> Path:
    """A plan in three levels: owner over a and b, each over three people, a1 over two."""
    org = Org()
    for person_id, manager in [("owner", None), ("a", "owner"), ("b", "owner"), ("a1", "a"), ("a2", "a"),
                               ("a3", "a"), ("b1", "b"), ("b2", "b"), ("b3", "b"), ("x1", "a1"), ("x2", "a1")]:
        org.put(Person(person_id, person_id.upper(), roles=("owner",) if manager is None else ()))
        org.set_manager(person_id, manager)
    save(Plan("Nested", scenarios={"current": org}), path)
    return path


async def test_an_edit_relabels_only_the_people_whose_result_changed(monkeypatch):
    relabelled: list[str] = []
    relabel = TreeNode.set_label
    monkeypatch.setattr(TreeNode, "set_label", lambda node, label: (relabelled.append(node.data), relabel(node, label)))
    app = make_app(layout="merged")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.main_screen.go_to(REP)
        await pilot.pause()
        before = app.session.analysis
        relabelled.clear()
        await pilot.press("v")
        await pilot.pause()
        after = app.session.analysis
        changed = {pid for pid in loaded_nodes(app) if before.people[pid] is not after.people[pid]}
        assert set(relabelled) == changed and REP in changed
        assert len(changed) < len(loaded_nodes(app)) / 2, "most people's results did not change"
        assert "OPEN" in str(loaded_nodes(app)[REP].label)


async def test_a_move_rebuilds_only_the_teams_it_touches(tmp_path):
    app = make_app(nested_plan(tmp_path / "nested.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.main_screen.query_one(OrgTree).select_person("x1")
        await pilot.pause()
        before = loaded_nodes(app)
        assert {"x1", "x2", "b1"} <= before.keys()
        await pilot.press("m", *"A3", "enter")
        await pilot.pause()
        after = loaded_nodes(app)
        assert app.session.org.manager_of("x1") == "a3"
        assert_tree_follows(app)
        assert after["x1"].parent is after["a3"] and app.main_screen.query_one(OrgTree).person_id == "x1"
        kept = {"owner", "a", "b", "a1", "a2", "a3", "x2", "b1", "b2", "b3"}
        assert all(after[pid] is before[pid] for pid in kept), "nodes outside the moved person's teams stay"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.org.manager_of("x1") == "a1"
        assert_tree_follows(app)



def wide_open_plan(path: Path) -> Path:
    """An owner over three managers of 50 each: every node is loaded and open, more lines than the screen has."""
    org = Org()
    org.put(Person("owner", "Owner", roles=("owner",)))
    for manager, name in (("m1", "Ana"), ("m2", "Ben"), ("m3", "Cleo")):
        org.put(Person(manager, name))
        org.set_manager(manager, "owner")
        for index in range(50):
            org.put(Person(f"{manager}-{index:02d}", f"Zoë {manager}-{index} 名前"))
            org.set_manager(f"{manager}-{index:02d}", manager)
    save(Plan("Wide", scenarios={"current": org}), path)
    return path


async def test_a_move_compares_only_the_teams_it_touches_and_measures_no_label(tmp_path, monkeypatch):
    app = make_app(wide_open_plan(tmp_path / "wide.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tree = app.main_screen.query_one(OrgTree)
        tree.select_person("m1-10")
        await pilot.pause()
        assert len(loaded_nodes(app)) == 154 and all(node.is_expanded for node in loaded_nodes(app).values()
                                                     if node.allow_expand)
        asked: list[str] = []
        rendered: list[str] = []
        reports, render_label = Org.reports, OrgTree.render_label
        monkeypatch.setattr(Org, "reports", lambda org, pid: (asked.append(pid), reports(org, pid))[1])
        monkeypatch.setattr(Org, "roots", lambda org: pytest.fail("the top team did not change"))
        monkeypatch.setattr(OrgTree, "render_label",
                            lambda tree, node, *a: (rendered.append(node.data), render_label(tree, node, *a))[1])
        await pilot.press("m", *"Cleo", "enter")
        await pilot.pause()
        assert app.session.org.manager_of("m1-10") == "m3" and tree.person_id == "m1-10"
        monkeypatch.undo()
        assert_tree_follows(app)
        assert set(asked) <= {"m1", "m3", "m1-10"}, "only the old and the new manager's teams are compared"
        assert len(rendered) < SIZE[1] * 2, "labels are rendered for the lines drawn, not measured for every line"
        assert all(tree.get_label_width(node) == Tree.get_label_width(tree, node) for node in loaded_nodes(app).values())

async def test_the_team_view_updates_only_the_rows_that_changed(monkeypatch):
    app = make_app(layout="merged")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        managers = app.main_screen.query_one("#managers", DataTable)
        refilled: list[DataTable] = []
        clear = DataTable.clear
        monkeypatch.setattr(DataTable, "clear", lambda table, *a, **k: (refilled.append(table), clear(table, *a, **k)))
        await pilot.press("t")
        app.main_screen.go_to(REP)
        await pilot.press("m", *"Sam", "enter")
        await pilot.pause()
        assert app.session.org.manager_of(REP) == OWNER
        await pilot.press("t")
        await pilot.pause()
        assert managers not in refilled, "the managers' table was updated, not refilled"
        span = [str(column.label) for column in managers.ordered_columns].index("Span")
        spans = {pid: managers.get_row(pid)[span] for pid in (OWNER, MANAGER)}
        analysis = app.session.analysis
        assert spans == {pid: analysis.people[pid].span.span for pid in (OWNER, MANAGER)} == {OWNER: 3, MANAGER: 9}



async def test_the_team_view_after_an_edit_looks_only_at_the_people_whose_result_changed(tmp_path, monkeypatch):
    app = make_app(wide_open_plan(tmp_path / "wide.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("t")
        app.main_screen.go_to("m1-10")
        await pilot.press("m", *"Cleo", "enter")
        await pilot.pause()
        assert app.session.org.manager_of("m1-10") == "m3"
        looked: list[str] = []
        results = People.__getitem__
        monkeypatch.setattr(People, "__iter__", lambda people: pytest.fail("the team view went through everyone"))
        monkeypatch.setattr(People, "__getitem__", lambda people, pid: (looked.append(pid), results(people, pid))[1])
        await pilot.press("t")
        await pilot.pause()
        monkeypatch.undo()
        managers = app.main_screen.query_one("#managers", DataTable)
        analysis = app.session.analysis
        shown = {str(managers.get_row(pid)[0]): managers.get_row(pid)[2:5]
                 for pid in ("owner", "m1", "m2", "m3")}
        assert shown == {analysis.people[pid].name: [analysis.people[pid].team.span, analysis.people[pid].team.team_size,
                                                    analysis.people[pid].team.layers_below]
                         for pid in ("owner", "m1", "m2", "m3")}
        assert shown["Ana"][0] == 49 and shown["Cleo"][0] == 51
        assert len(looked) < 20, "only the moved person, their managers and the top risks are read"

async def test_compare_and_the_team_view_share_the_sessions_analyses(monkeypatch):
    analysed: list[str] = []
    analyse = Analyser.analyse
    monkeypatch.setattr(Analyser, "analyse",
                        lambda self, plan, scenario=None: (analysed.append(scenario), analyse(self, plan, scenario))[1])
    app = make_app(layout="merged")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.session.apply(AddScenario("copy", "current"))
        app.main_screen.refresh_all()
        other = next(name for name in app.session.plan.scenarios if name != app.session.scenario)
        await pilot.press("t")
        await pilot.pause()
        analysed.clear()
        await pilot.press("t", "c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert analysed == [other], "the analysis of the scenario shown is the one the views already have"
        await pilot.press("s", "s")
        await pilot.pause()
        assert analysed == [other], "swapping sides analyses nothing again"



def collected(item: object) -> bool:
    """Whether the cyclic collector walks `item` in any of its generations (frozen objects it leaves alone)."""
    return any(any(found is item for found in gc.get_objects(generation)) for generation in range(3))


async def test_the_open_plan_is_left_out_of_the_collectors_passes_until_it_is_closed():
    app = make_app(layout="merged")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        people = app.session.org.graph._node
        assert gc.is_tracked(people) and not collected(people), "a full pass would walk the whole plan"
    assert collected(people) or not gc.is_tracked(people), "once closed, the plan can be collected again"
