"""`planner report` and `planner compare`: text in 80 columns, Markdown, stable JSON."""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len

from planner.analysis import analyse
from planner.analysis.compare import compare
from planner.cli import main
from planner.model import Person
from planner.model.edits import AddPerson, MovePerson, RemovePerson, update_person
from planner.render.data import analysis_data
from planner.render.markdown import analysis_markdown
from planner.render.text import analysis_text, comparison_text
from planner.storage import save

from .conftest import REPO

LAYOUTS = REPO / "layouts"


@pytest.mark.parametrize("layout", ["separate", "merged", "growing", "blank"])
def test_text_report_fits_80_columns(layout, capsys):
    assert main(["report", str(LAYOUTS / f"{layout}.toml")]) == 0
    out = capsys.readouterr().out
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert "\nAssumptions and sources\n-----------------------\n" in out


def test_text_report_of_the_merged_layout_reads_out_the_reasons(capsys):
    main(["report", str(LAYOUTS / "merged.toml")])
    out = " ".join(capsys.readouterr().out.split())
    assert "Merged role: Jordan Blake -------------------------" in out and "CRITICAL" in out
    assert "switching between 2 functions: 17% x 23 h outside the main one (sales) = +3.9 h" in out
    assert "the sales team (4) is 2 smaller than the marketing team (6)" in out
    assert ("critical: 68.9 h a week against 40 h (172%; 52-86 h if the assumed hours are 25% off); stays critical "
            "unless duties take 21% less time than assumed, and at least overloaded unless 31% less") in out


def test_json_report_is_stable_and_complete(capsys):
    main(["report", str(LAYOUTS / "merged.toml"), "--format", "json"])
    first = capsys.readouterr().out
    main(["report", str(LAYOUTS / "merged.toml"), "--format", "json"])
    assert capsys.readouterr().out == first
    data = json.loads(first)
    assert (data["format"], data["version"], data["scenario"]) == ("org-planner-report", 2, "current")
    person = next(p for p in data["people"] if p["id"] == "sales-marketing-manager")
    assert person["load"]["band"] == "critical"
    assert [f["name"] for f in person["load"]["factors"]] == [
        "responsibilities", "management", "switching", "coordination"]
    assert person["load"]["range"] == {"low_hours": 51.6825, "high_hours": 86.1375, "low_band": "overloaded",
                                       "high_band": "critical", "breakeven_share": 0.2019, "rise_share": None}
    assert all(f["source"] for f in person["load"]["factors"])
    assert person["span"]["archetype"] == "player-coach" and person["span"]["relationships"] == 5210
    assert data["merged_roles"][0]["person_id"] == "sales-marketing-manager"
    assert {"shape", "functions", "health", "assumptions"} <= set(data)


def test_markdown_report_keeps_hostile_names_literal(separate, tmp_path, capsys):
    update_person(separate, "current", "sales-manager", name="[bold]Dana* | <script>").apply(separate)
    markdown = analysis_markdown(analyse(separate))
    assert r"\[bold\]Dana\* \| \<script\>" in markdown
    assert "<script>" not in markdown


def test_report_on_an_unknown_scenario_exits_2(capsys):
    assert main(["report", str(LAYOUTS / "merged.toml"), "--scenario", "nope"]) == 2
    assert "no scenario named 'nope'" in capsys.readouterr().err


def test_report_on_a_broken_plan_exits_2_with_the_problems(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('schema = 1\nname = "x"\n[[people]]\nid = "a"\nname = "A"\nmanager = "b"\n')
    assert main(["report", str(path)]) == 2
    assert f"{path}:6: person 'a' reports to unknown person 'b'" in capsys.readouterr().err


def test_compare_lists_moved_added_removed_and_headcount(separate):
    before = analyse(separate)
    MovePerson("current", "sales-rep-1", "marketing-manager").apply(separate)
    RemovePerson("current", "marketing-exec-6").apply(separate)
    AddPerson("current", Person("new-hire", "New Hire", roles=("sales-rep",)), "sales-manager").apply(separate)
    comparison = compare(before, analyse(separate), "before", "after")
    assert [d.id for d in comparison.with_status("moved")] == ["sales-rep-1"]
    assert [d.id for d in comparison.with_status("removed")] == ["marketing-exec-6"]
    assert [d.id for d in comparison.with_status("added")] == ["new-hire"]
    assert comparison.headcount == (14, 14)
    marketing = next(d for d in comparison.people if d.id == "marketing-manager")
    assert (marketing.before.span, marketing.after.span) == (6, 6) and marketing.status == "same"
    sales = next(d for d in comparison.people if d.id == "sales-manager")
    assert (sales.before.span, sales.after.span) == (4, 4)
    text = comparison_text(comparison)
    assert "- Moved: Priya Shah" in text and max(cell_len(line) for line in text.splitlines()) <= 80


def test_compare_two_files_and_two_scenarios_of_one_file(tmp_path, separate, capsys):
    assert main(["compare", str(LAYOUTS / "separate.toml"), str(LAYOUTS / "merged.toml")]) == 0
    out = capsys.readouterr().out
    assert "Headcount 14→13 (-1)" in out and "Jordan Blake" in out
    separate.scenarios["lean"] = separate.scenario().copy()
    RemovePerson("lean", "operations-assistant").apply(separate)
    save(separate, tmp_path / "two.toml")
    assert main(["compare", str(tmp_path / "two.toml"), "current", "lean", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "org-planner-compare"
    assert data["headcount"] == [14, 13]
    assert [p["id"] for p in data["people"] if p["status"] == "removed"] == ["operations-assistant"]


def test_report_text_shows_names_literally(separate):
    update_person(separate, "current", "owner", name="[red]Sam[/]").apply(separate)
    assert "[red]Sam[/]" in analysis_text(analyse(separate))


def test_the_json_doc_names_every_key_of_a_persons_load(merged):
    doc = (REPO / "docs" / "report-json.md").read_text(encoding="utf-8")
    person = next(p for p in analysis_data(analyse(merged))["people"] if p["id"] == "sales-marketing-manager")
    for key in person["load"]:
        assert f"`load.{key}`" in doc or f"`load.{key}," in doc or f", `load.{key}`" in doc, key
    for key in person["load"]["range"]:
        assert f"`{key}`" in doc, key
    assert person["load"]["range"]["breakeven_share"] == pytest.approx(1 - 55 / 68.91, abs=1e-4)
