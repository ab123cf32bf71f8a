"""Plans of any size and depth: nothing recurses over the org, and the quick paths give what the full ones give."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.analysis import analyse
from planner.cli import main
from planner.model import Org, Person, Plan
from planner.model.errors import PlanFileError
from planner.render import charts, data
from planner.render.data import analysis_data, analysis_json, to_json
from planner.storage import codec, dumps, load, save
from planner.storage.importer import import_csv
from planner.ui.app import make_app
from planner.ui.screens.main import MainScreen
from planner.ui.widgets.org_tree import DEEPEST_SHOWN

from .strategies import plans

DEPTH = 5_000


@pytest.fixture
def default_recursion_limit():
    """Python's default recursion limit, whatever the test runner set."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1_000)
    yield
    sys.setrecursionlimit(limit)


def chain_csv(path: Path, depth: int = DEPTH) -> Path:
    """A staff CSV of one line of command, `depth` people deep."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "title", "manager"])
        for index in range(depth):
            writer.writerow([f"p{index}", f"Person {index}", "Team lead", f"p{index - 1}" if index else ""])
    return path


@pytest.fixture
def deep_plan(tmp_path) -> Path:
    """A plan of a 5,000-layer chain, made by `planner import` and given a second scenario."""
    plan = tmp_path / "deep.toml"
    assert main(["import", str(chain_csv(tmp_path / "deep.csv")), "-o", str(plan)]) == 0
    assert main(["scenario", "add", str(plan), "flat", "--from", "current"]) == 0
    return plan


def test_a_5000_layer_chain_goes_through_every_command(deep_plan, tmp_path, capsys, monkeypatch,
                                                        default_recursion_limit):
    monkeypatch.setattr(charts.shutil, "which", lambda name: None)
    commands = [["check", str(deep_plan)], ["scenario", "list", str(deep_plan)],
                ["compare", str(deep_plan), "current", "flat"], ["compare", str(deep_plan), str(deep_plan)]]
    commands += [["report", str(deep_plan), "--format", fmt] for fmt in ("text", "markdown", "json")]
    commands += [["export", str(deep_plan), "--format", fmt, "-o", str(tmp_path / f"out.{fmt}")]
                 for fmt in ("markdown", "html", "mermaid", "dot", "csv", "json")]
    commands += [["export", str(deep_plan), "--format", fmt, "--compare", "flat", "-o", str(tmp_path / f"both.{fmt}")]
                 for fmt in ("markdown", "html", "json")]
    for command in commands:
        assert main(command) == 0, command
    capsys.readouterr()
    assert main(["import", str(tmp_path / "deep.csv"), "-o", str(tmp_path / "again.toml")]) == 0
    again = load(tmp_path / "again.toml").scenario()
    assert len(again) == DEPTH and len(again.chain_of_command(f"p{DEPTH - 1}")) == DEPTH - 1
    assert json.loads((tmp_path / "out.json").read_text())["shape"]["layers"] == DEPTH
    assert f"Person {DEPTH - 1}" in (tmp_path / "out.html").read_text()


async def test_the_planner_opens_a_5000_layer_chain_and_edits_at_the_bottom(deep_plan, default_recursion_limit):
    bottom = f"p{DEPTH - 1}"
    app = make_app(deep_plan, saves=deep_plan.parent / "saves")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *f"Person {DEPTH - 1}", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.selected == bottom
        assert screen.org_tree.subtree_root == f"p{DEPTH - 1 - DEEPEST_SHOWN // 2}"
        await pilot.press("v")
        await pilot.pause()
        assert app.session.org.person(bottom).vacant
        await pilot.press("m", *"Person 10", "enter")
        await pilot.pause()
        assert app.session.org.manager_of(bottom) == "p10"
        assert screen.selected == bottom and screen.org_tree.cursor_node.data == bottom
        assert app.session.analysis.people["p10"].team.team_size == DEPTH - 11


async def test_opening_teams_one_by_one_deeper_than_the_tree_shows_starts_it_halfway_up(deep_plan):
    app = make_app(deep_plan, saves=deep_plan.parent / "saves")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*["down"] * (DEEPEST_SHOWN + 5))
        await pilot.pause()
        assert app.screen.selected == f"p{DEEPEST_SHOWN - 1}"
        await pilot.press("right", "down")
        await pilot.pause()
        assert app.screen.selected == f"p{DEEPEST_SHOWN}"
        assert app.screen.org_tree.subtree_root == f"p{DEEPEST_SHOWN // 2 - 1}"


# ---------------------------------------------------------------- opening a file: the quick paths


@given(st.text(alphabet="[]{}\"'#.\\\nab= ", max_size=120))
@settings(max_examples=500, deadline=None)
def test_the_quick_shape_proof_never_passes_a_text_the_full_scan_refuses(text):
    if codec._plainly_shaped(text):
        codec._scan_shapes(text, "plan.toml")


def test_files_the_planner_writes_are_read_without_the_full_scan(monkeypatch):
    org = Org()
    names = ["O'Brien", 'Ann "Q" Lee', "C:\\dir\\", "D'Arcy O'Neil", "Zoë (Sales) 100%", "a.b.c.d.e.f.g.h"]
    for index, name in enumerate(names):
        org.put(Person(f"p{index}", name, "Team lead", roles=("sales-rep",), capacity_hours=32.5,
                       dotted_managers=("p1",) if index > 1 else (), notes="line one\nline two"))
        org.set_manager(f"p{index}", "p0" if index else None)
    text = dumps(Plan("Ordinary names", scenarios={"current": org}))

    def full_scan(*args):
        raise AssertionError("the full scan ran")

    monkeypatch.setattr(codec, "_scan_shapes", full_scan)
    assert codec.loads(text).scenario() == org


def test_a_long_key_or_deep_nesting_still_reaches_the_full_scan():
    assert not codec._plainly_shaped("a.b.c.d.e.f.g.h.i = 1\n")
    assert not codec._plainly_shaped("x = " + "[" * 17 + "]" * 17 + "\n")
    assert not codec._plainly_shaped('x = ["]"]\n')
    assert not codec._plainly_shaped("x = '''a\n[[b'''\n") and not codec._plainly_shaped("x = \"\"\"[\"\"\"\n")
    assert codec._plainly_shaped("a.b.c.d.e.f.g.h = 1\n" + "x = " + "[" * 16 + "]" * 16 + "\n")
    with pytest.raises(PlanFileError) as raised:
        codec.loads('schema = 1\nname = "x"\nx = ["\\"]"' + ", [" * 17 + "]" * 18 + "\n")
    assert raised.value.problems[0].message == "arrays or tables are nested more than 16 levels deep"


@given(plans())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_an_org_built_in_bulk_is_the_org_networkx_builds(plan):
    for org in plan.scenarios.values():
        lines = [(manager, person_id) for person_id in org if (manager := org.manager_of(person_id)) is not None]
        built = Org.build(org.people(), lines)
        reference = nx.DiGraph()
        reference.add_nodes_from((person.id, {"person": person}) for person in org.people())
        reference.add_edges_from(lines)
        assert nx.utils.graphs_equal(built.graph, reference)
        assert built == org and list(built) == list(org)
        built.set_manager(lines[0][1], None) if lines else None
        assert built.graph.number_of_edges() == max(len(lines) - 1, 0)


# ---------------------------------------------------------------- the JSON report


@given(plans())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_json_written_a_person_at_a_time_is_json_dumps_of_the_report(plan):
    for name in plan.scenarios:
        analysis = analyse(plan, name)
        assert "".join(analysis_json(analysis)) == to_json(analysis_data(analysis))


def test_the_json_report_encodes_each_shared_load_once(monkeypatch):
    org = Org()
    for index in range(300):
        org.put(Person(f"p{index}", f"Person {index}", roles=("sales-rep",)))
    analysis = analyse(Plan("Same work", scenarios={"current": org}))
    loads_encoded = []
    original = data._text

    def text(value, level):
        if value is analysis.people["p0"].load:
            loads_encoded.append(level)
        return original(value, level)

    monkeypatch.setattr(data, "_text", text)
    report = json.loads("".join(analysis_json(analysis)))
    assert len(report["people"]) == 300 and report["people"][299]["load"] == report["people"][0]["load"]
    assert loads_encoded == [3]


def test_planner_report_json_writes_the_report_in_pieces(tmp_path, monkeypatch, capsys):
    org = Org()
    for index in range(50):
        org.put(Person(f"p{index}", f"Person {index}", roles=("sales-rep",)))
    save(Plan("Fifty", scenarios={"current": org}), tmp_path / "fifty.toml")
    writes = []
    monkeypatch.setattr(sys.stdout, "write", lambda text: writes.append(text) or len(text))
    assert main(["report", str(tmp_path / "fifty.toml"), "--format", "json"]) == 0
    assert len(writes) > 50 and max(len(text) for text in writes) < 10_000
    assert json.loads("".join(writes))["shape"]["headcount"] == 50


def no_person_by_person_graph_building(monkeypatch: pytest.MonkeyPatch, *more: str) -> None:
    """Make adding people or reporting lines one at a time (and the `more` methods of Org) fail."""

    def one_at_a_time(*args, **kwargs):
        raise AssertionError("the org was built one person or line at a time, or sorted")

    for name in ("put", "set_manager", "add_reporting_lines", *more):
        monkeypatch.setattr(Org, name, one_at_a_time)


def test_opening_a_plan_builds_its_org_in_bulk(tmp_path, monkeypatch):
    path = deep_plan_file(tmp_path, 300)
    plan = load(path)
    with monkeypatch.context() as patched:
        no_person_by_person_graph_building(patched, "tree_order")
        opened = load(path)
    assert opened.scenario() == plan.scenario() and len(opened.scenario().chain_of_command("p299")) == 299


def test_importing_a_csv_builds_its_org_in_bulk(tmp_path, monkeypatch):
    source = chain_csv(tmp_path / "staff.csv", 300)
    with monkeypatch.context() as patched:
        no_person_by_person_graph_building(patched)
        result = import_csv(source, "Staff")
    assert result.problems == [] and result.plan.scenario().chain_of_command("p299")[-1] == "p0"


def deep_plan_file(folder: Path, depth: int) -> Path:
    """A plan file of a chain `depth` people deep; its path."""
    org = Org()
    for index in range(depth):
        org.put(Person(f"p{index}", f"Person {index}", roles=("sales-rep",)))
        org.set_manager(f"p{index}", f"p{index - 1}" if index else None)
    save(Plan("Deep", scenarios={"current": org}), folder / "deep.toml")
    return folder / "deep.toml"
