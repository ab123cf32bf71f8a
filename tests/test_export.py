"""Exports (markdown, html, json, csv, mermaid, dot): content, escaping, CLI, and the CSV round trip."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.analysis import analyse
from planner.cli import main
from planner.model.edits import (
    add_dotted_line,
    assign_responsibility,
    unassign_responsibility,
    update_person,
)
from planner.model.errors import PlanError
from planner.model.plan import Plan
from planner.model.scenarios import AddScenario, merge_roles
from planner.model.text import FORMULA_STARTS, neutralise_formula, restore_formula
from planner.render import export as export_module
from planner.render.document import band_label
from planner.render.export import FORMATS, export
from planner.render.markdown import escape as md_escape
from planner.render.tables import CSV_COLUMNS
from planner.storage import dumps, load, save
from planner.storage.importer import import_csv
from planner.storage.layouts import load_layout

from .test_import_csv import write_csv

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")


# ---------------------------------------------------------------- helpers

def saved(plan: Plan, tmp_path: Path, name: str = "plan.toml") -> Path:
    """The plan written to a file under tmp_path."""
    path = tmp_path / name
    save(plan, path)
    return path


def render_svg(source: str) -> str:
    """A DOT graph rendered by Graphviz as SVG; fails the test if `dot` rejects it."""
    result = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "<svg" in result.stdout
    return result.stdout


def svg_texts(svg: str) -> list[str]:
    """The text lines drawn in an SVG, entity references decoded."""
    return [html.unescape(text) for text in re.findall(r"<text[^>]*>(.*?)</text>", svg)]


def csv_rows(text: str) -> list[dict[str, str]]:
    """A CSV export as dicts, checking the header is exactly CSV_COLUMNS."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(CSV_COLUMNS)
    assert all(len(row) == len(CSV_COLUMNS) for row in rows[1:])
    return [dict(zip(CSV_COLUMNS, row)) for row in rows[1:]]


def depth(plan: Plan, person_id: str, scenario: str | None = None) -> int:
    return len(plan.scenario(scenario).chain_of_command(person_id))


VOID = {"meta", "br", "hr", "img", "link", "input"}
SVG_TAGS = {"svg", "g", "title", "polygon", "polyline", "path", "ellipse", "text", "rect", "line"}


class Page(HTMLParser):
    """Reads an HTML document: checks every tag is closed in order; collects tags, text, and each name's
    depth in the organisation outline (the `ul.outline` list)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.by_tag: dict[str, list[str]] = {}
        self.outline: dict[str, int] = {}
        self.errors: list[str] = []
        self._ul = 0
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed {self.stack}")

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "ul" and (self._ul or ("class", "outline") in attrs):
            self._ul += 1

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag == "ul" and self._ul:
            self._ul -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self.stack:
            self.by_tag.setdefault(self.stack[-1], []).append(data)
            if self._ul and self.stack[-1] == "strong" and self.stack[-2] == "li":
                self.outline[data] = self._ul

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def md_cells(line: str) -> int:
    """How many cell separators a Markdown table row has (escaped pipes do not count)."""
    return re.sub(r"\\.", "", line).count("|")


# ---------------------------------------------------------------- 1. every format

def test_an_unknown_format_is_refused_by_export_and_the_cli(merged, tmp_path, capsys):
    with pytest.raises(PlanError, match="unknown format 'pdf'"):
        export(merged, "pdf")
    with pytest.raises(SystemExit) as exit_info:
        main(["export", str(saved(merged, tmp_path)), "--format", "pdf"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("layout", ["merged", "growing"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_cli_writes_exactly_what_export_returns(layout, fmt, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(export_module, "today", lambda: date(2024, 3, 5))  # the same date however long it takes
    path = saved(load_layout(layout), tmp_path)
    out = tmp_path / "out" / f"report.{FORMATS[fmt]}"
    assert main(["export", str(path), "--format", fmt, "-o", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    written = out.read_bytes().decode("utf-8")
    assert written == export(load(path), fmt)
    assert written.endswith("\n") and written.strip()


def test_cli_export_replaces_an_existing_file_only_with_force(merged, tmp_path, capsys):
    path = saved(merged, tmp_path)
    out = tmp_path / "report.md"
    out.write_text("the client's notes", encoding="utf-8")
    assert main(["export", str(path), "-o", str(out)]) == 2
    error = capsys.readouterr().err
    assert f"{out} already exists" in error and "--force" in error
    assert out.read_text(encoding="utf-8") == "the client's notes"
    assert main(["export", str(path), "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8") == export(merged, "markdown")


PLAN_TEXTS = {
    "comments before the schema": "# Acme, hand-edited\n\n" + dumps(load_layout("merged")),
    "the schema after the name": 'name = "Acme"\nschema = 1\n',
    "a broken plan": 'schema = 1\nname = "Acme\n',
}


@pytest.mark.parametrize("text", PLAN_TEXTS.values(), ids=PLAN_TEXTS.keys())
def test_cli_export_never_writes_over_a_plan_even_with_force(text, merged, tmp_path, capsys):
    path = saved(merged, tmp_path)
    for target, before in [(path, path.read_bytes()), (tmp_path / "other.toml", text.encode())]:
        target.write_bytes(before)
        assert main(["export", str(path), "--format", "json", "-o", str(target), "--force"]) == 2
        error = capsys.readouterr().err
        assert f"{target} holds a plan: an export never replaces a plan file" in error and "fix:" in error
        assert target.read_bytes() == before


def test_cli_export_to_a_name_too_long_is_a_clear_error(merged, tmp_path, capsys):
    path = saved(merged, tmp_path)
    assert main(["export", str(path), "-o", str(tmp_path / ("a" * 300 + ".md"))]) == 2
    error = capsys.readouterr().err
    assert "File name too long" in error and "fix: choose a shorter file name" in error


def test_cli_without_output_prints_the_export(growing, tmp_path, capsys):
    path = saved(growing, tmp_path)
    assert main(["export", str(path), "--format", "mermaid"]) == 0
    assert capsys.readouterr().out == export(growing, "mermaid")
    assert list(tmp_path.iterdir()) == [path]


def test_cli_exports_the_named_scenario(separate, tmp_path, capsys):
    AddScenario("merged", "current").apply(separate)
    merge_roles(separate, "merged", "sales-manager", "marketing-manager", "leave").apply(separate)
    path = saved(separate, tmp_path)
    assert main(["export", str(path), "--format", "csv", "--scenario", "merged"]) == 0
    rows = csv_rows(capsys.readouterr().out)
    assert "marketing-manager" not in {row["id"] for row in rows}
    assert len(rows) == len(separate.scenario("merged")) == 13
    assert main(["export", str(path), "--format", "csv", "--scenario", "nope"]) == 2
    assert "no scenario named 'nope'" in capsys.readouterr().err


def test_markdown_has_outline_teams_functions_merged_role_load_health_assumptions(merged):
    analysis = analyse(merged)
    text = export(merged, "markdown")
    lines = text.splitlines()
    assert lines[0] == "# Merged sales and marketing: scenario current"
    assert "13 people (13 filled, 0 open) on 3 layers; 2 managers, mean span 6.0." in lines

    headings = [line for line in lines if line.startswith("#")]
    assert headings[1:3] == ["## Organisation", "## Team sizes"]
    assert headings.index("## Merged role: Jordan Blake") < headings.index("## Load") < headings.index(
        "## Health checks") < headings.index("## Assumptions and sources")

    # The outline: everyone once, nested by depth, managers before their reports.
    outline = lines[lines.index("## Organisation") + 2: lines.index("## Team sizes") - 1]
    assert len(outline) == len(merged.scenario())
    for line, (person_id, person) in zip(outline, analysis.people.items()):
        indent = "  " * depth(merged, person_id)
        assert line == f"{indent}- **{person.name}** · {person.title}: {band_label(person.load.band)}"
    assert "  - **Jordan Blake** · Sales and marketing manager: CRITICAL" in outline
    assert "    - **Priya Shah** · Sales representative: ok" in outline

    # Team sizes: one row per manager.
    assert "| Sam Patel | 2 | 12 | 2 | 3-5 | below |" in lines
    assert "| Jordan Blake | 10 | 10 | 1 | 3-5 | above |" in lines

    # Sales vs marketing.
    assert f"**Sales vs marketing:** {analysis.functions.summary}." in lines
    assert "- sales: 5 in the function (4 team members), managed by Jordan Blake, 10 people under them" in lines
    assert "- marketing: 7 in the function (6 team members), managed by Jordan Blake, 10 people under them" in lines

    # The merged-role verdict and its parts.
    (role,) = analysis.merged_roles
    assert md_escape(role.verdict) in lines
    assert "Jordan Blake, holding both roles, is critical: 68.9 h a week against 40 h (172%" in role.verdict
    parts = lines.index("| Each role held alone | Sales manager | Marketing manager |")
    assert lines[parts + 2: parts + 9] == [
        "| Work h | 27.0 | 25.0 |", "| Reports | 4 | 6 |", "| Team duties h | 6.0 | 9.0 |",
        "| Coordination h | 2.0 | 2.0 |", "| Demand h | 35.0 | 36.0 |", "| Range h | 26-44 | 27-45 |", "| Band | ok | ok |"]

    # Load, worst first, with the reasons of whoever is not ok.
    load = lines[lines.index("## Load") + 2:]
    assert load[0] == "| Person | Title | Demand h | Capacity h | Use | Band |"
    assert load[2] == "| Jordan Blake | Sales and marketing manager | 68.9 | 40 | 172% | CRITICAL |"
    reasons = lines[lines.index("### Jordan Blake") + 2: lines.index("### Sam Patel") - 1]
    assert reasons == [f"- {md_escape(reason)}" for reason in analysis.people["sales-marketing-manager"].reasons]
    assert any("switching between 2 functions" in line for line in reasons)
    assert "### Chloe Martin" not in lines

    # Health checks and assumptions.
    assert "- **1 above capacity**: Jordan Blake 68.9 h, 172% of their week (critical)" in lines
    assert all(f"- **{md_escape(check.title)}**: {md_escape(check.detail)}" in lines for check in analysis.health)
    tail = lines[lines.index("## Assumptions and sources") + 2:]
    assert len(tail) == len(analysis.assumptions)
    assert tail[0].startswith("- Default weekly capacity = 40 h (assumption): ")


def test_markdown_marks_the_open_position_and_the_overloaded_lead(growing):
    lines = export(growing, "markdown").splitlines()
    assert "      - **Open position** · Sales representative (open position): ok" in lines
    assert "| Open position (open) | Sales representative | 36.0 | 40 | 90% | ok |" in lines
    assert "| Nina Petrov | Operations lead | 49.0 | 40 | 123% | OVERLOADED |" in lines
    assert "### Nina Petrov" in lines
    assert not any(line.startswith("## Merged role") for line in lines)


def test_html_is_one_self_contained_document_with_the_same_sections(merged):
    analysis = analyse(merged)
    text = export(merged, "html")
    assert text.startswith("<!DOCTYPE html>\n")
    assert text.count("<html") == 1 and text.rstrip().endswith("</html>")
    page = Page(text)
    assert page.errors == []
    assert page.tags.count("style") == 1 and page.tags.count("body") == 1
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(page.tags)
    assert not [value for _, value in page.attrs if value and re.search(r"(https?:)?//", value)]
    assert not re.search(r"""(src|href)\s*=|@import|url\(""", text, re.IGNORECASE)
    assert page.by_tag["title"][0] == "Merged sales and marketing"

    assert page.by_tag["h1"] == ["Merged sales and marketing: scenario current"]
    assert page.by_tag["h2"] == ["Organisation", "Team sizes", "Merged role: Jordan Blake", "Load", "Health checks",
                                 "Assumptions and sources"]
    body = page.all_text
    assert "13 people (13 filled, 0 open) on 3 layers" in body

    # The outline nests each person one list deeper than their manager.
    assert len(page.outline) == len(merged.scenario())
    for person_id, person in analysis.people.items():
        assert page.outline[person.name] == depth(merged, person_id) + 1

    assert f"Sales vs marketing: {analysis.functions.summary}." in body
    assert analysis.merged_roles[0].verdict in body
    cells = page.by_tag["td"]
    start = cells.index("Jordan Blake")
    assert cells[start:start + 6] == ["Jordan Blake", "10", "10", "1", "3-5", "above"]
    for reason in analysis.people["sales-marketing-manager"].reasons:
        assert reason in body
    assert "172%" in page.by_tag["td"]
    for check in analysis.health:
        assert f"{check.title}: {check.detail}" in body
    for item in analysis.assumptions:
        assert item.source in body
    assert 'class="band-critical">critical</span>' in text


def test_html_marks_the_open_position(growing):
    page = Page(export(growing, "html"))
    assert page.errors == []
    assert "Open position · Sales representative (open position) ok" in page.all_text
    assert "Open position (open)" in page.by_tag["td"]


def test_json_is_the_same_as_planner_report_json(growing, tmp_path, capsys):
    path = saved(growing, tmp_path)
    assert main(["report", str(path), "--format", "json"]) == 0
    reported = capsys.readouterr().out
    exported = export(load(path), "json")
    assert exported == reported
    data = json.loads(exported)
    assert data["format"] == "org-planner-report" and data["version"] == 2
    assert data["plan_name"] == "Growing company" and data["scenario"] == "current"
    assert [person["id"] for person in data["people"]] == list(analyse(growing).people)
    people = {person["id"]: person for person in data["people"]}
    assert people["rep-south-7"]["vacant"] is True
    assert people["operations-lead"]["load"]["band"] == "overloaded"
    assert people["campaigns-1"]["dotted_managers"] == ["head-of-sales"]
    assert "comparison" not in data


def test_csv_has_a_row_per_person_with_the_columns(growing):
    org = growing.scenario()
    analysis = analyse(growing)
    rows = csv_rows(export(growing, "csv"))
    assert [row["id"] for row in rows] == list(analysis.people)
    assert len(rows) == len(org) == 40
    for row in rows:
        person = org.person(row["id"])
        result = analysis.people[row["id"]]
        assert row["name"] == person.name and row["title"] == person.title
        assert row["manager_id"] == (org.manager_of(person.id) or "")
        assert row["roles"].split(";") == list(person.roles)
        assert set(row["responsibilities"].split(";")) == growing.responsibilities_of(person)
        assert float(row["capacity"]) == growing.capacity_of(person)
        assert float(row["demand"]) == pytest.approx(result.load.demand_hours, abs=0.05)
        assert row["band"] == result.load.band.value
        assert row["vacant"] == ("yes" if person.vacant else "")
        assert row["dotted_managers"] == ";".join(person.dotted_managers)
    by_id = {row["id"]: row for row in rows}
    assert by_id["rep-south-7"]["vacant"] == "yes"
    assert by_id["campaigns-1"]["dotted_managers"] == "head-of-sales"
    assert by_id["operations-lead"]["band"] == "overloaded"
    assert "manage-team" in by_id["operations-lead"]["responsibilities"].split(";")
    assert by_id["sales-north"]["title"] == "Sales manager, North"


MERMAID_NODE = re.compile(r'    (n\d+)\["([^"]*)"\](?::::(vacant|overloaded|critical))?')
MERMAID_LINK = re.compile(r"    (n\d+) (-->|-\.->) (n\d+)")
MERMAID_CLASSDEF = re.compile(r"    classDef (vacant|overloaded|critical) \S.*")


def mermaid_parts(text: str) -> tuple[dict[str, tuple[str, str | None]], list[tuple[str, str, str]]]:
    """Nodes {node: (label, class)} and links [(from, arrow, to)]; fails on any other line."""
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    nodes, links, classdefs = {}, [], set()
    for line in lines[1:]:
        if node := MERMAID_NODE.fullmatch(line):
            nodes[node[1]] = (node[2], node[3])
        elif link := MERMAID_LINK.fullmatch(line):
            links.append((link[1], link[2], link[3]))
        elif classdef := MERMAID_CLASSDEF.fullmatch(line):
            classdefs.add(classdef[1])
        else:
            pytest.fail(f"not a node, link or classDef: {line!r}")
    assert classdefs == {"vacant", "overloaded", "critical"}
    assert all(a in nodes and b in nodes for a, _, b in links)
    return nodes, links


def decode_mermaid(label: str) -> list[str]:
    """A label's lines with entity codes turned back into characters; every other character must be plain."""
    parts = label.split("<br/>")
    for part in parts:
        assert re.fullmatch(r"(?:[A-Za-z0-9 ,]|#\d+;)*", part), part
    return [re.sub(r"#(\d+);", lambda m: chr(int(m[1])), part) for part in parts]


@pytest.mark.parametrize("layout, marked", [
    ("growing", {"rep-south-7": "vacant", "operations-lead": "overloaded"}),
    ("merged", {"sales-marketing-manager": "critical"}),
])
def test_mermaid_flowchart_marks_vacancies_overload_and_critical(layout, marked):
    plan = load_layout(layout)
    analysis = analyse(plan)
    nodes, links = mermaid_parts(export(plan, "mermaid"))
    ids = dict(zip(nodes, analysis.people))
    assert len(nodes) == len(analysis.people)
    classes = {ids[node]: kind for node, (_, kind) in nodes.items() if kind}
    assert classes == marked
    for node, (label, _) in nodes.items():
        person = analysis.people[ids[node]]
        assert decode_mermaid(label) == [person.name, person.title,
                                         f"{person.load.utilisation:.0%} {person.load.band.value}"]
    org = plan.scenario()
    solid = {(ids[a], ids[b]) for a, arrow, b in links if arrow == "-->"}
    dotted = {(ids[a], ids[b]) for a, arrow, b in links if arrow == "-.->"}
    assert solid == {(org.manager_of(p), p) for p in org if org.manager_of(p)}
    assert dotted == {(m, p.id) for p in org.people() for m in p.dotted_managers}
    if layout == "growing":
        assert dotted == {("head-of-sales", "campaigns-1")}


def test_dot_is_a_digraph_with_styles_and_dashed_dotted_lines(growing):
    text = export(growing, "dot")
    lines = text.splitlines()
    assert lines[0] == 'digraph "Growing company" {' and lines[-1] == "}"
    assert '    "rep-south-7" [label="Open position\\nSales representative\\n90% ok", style="dashed"];' in lines
    assert ('    "operations-lead" [label="Nina Petrov\\nOperations lead\\n123% overloaded", style="filled", '
            'fillcolor="#ffd8a8"];') in lines
    assert '    "owner" -> "head-of-sales";' in lines
    assert '    "head-of-sales" -> "campaigns-1" [style=dashed, constraint=false];' in lines
    edges = [line for line in lines if " -> " in line]
    assert len(edges) == (len(growing.scenario()) - 1) + 1  # every solid line and the one dotted line
    assert "critical" in export(load_layout("merged"), "dot")
    assert 'fillcolor="#ffc9c9"' in export(load_layout("merged"), "dot")


@needs_dot
@pytest.mark.parametrize("layout", ["merged", "growing"])
def test_dot_renders_with_graphviz(layout):
    plan = load_layout(layout)
    svg = render_svg(export(plan, "dot"))
    texts = svg_texts(svg)
    for person in plan.scenario().people():
        assert person.name in texts and person.title in texts
    assert svg.count('class="node"') == len(plan.scenario())


# ---------------------------------------------------------------- 2. --compare

@pytest.fixture
def two_scenarios(separate, tmp_path) -> Path:
    """The separate layout with a second scenario where the sales manager takes over marketing, saved."""
    AddScenario("merged", "current").apply(separate)
    merge_roles(separate, "merged", "sales-manager", "marketing-manager", "leave").apply(separate)
    assert len(separate.scenario("merged")) == 13
    return saved(separate, tmp_path)


def export_cli(path: Path, fmt: str, *extra: str) -> tuple[int, str]:
    out = path.with_name(f"out.{FORMATS[fmt]}")
    code = main(["export", str(path), "--format", fmt, *extra, "-o", str(out), "--force"])
    return code, out.read_text(encoding="utf-8") if out.exists() else ""


def test_compare_in_markdown(two_scenarios):
    code, text = export_cli(two_scenarios, "markdown", "--scenario", "merged", "--compare", "current")
    assert code == 0
    lines = text.splitlines()
    assert lines[0] == "# Separate sales and marketing: scenario merged"
    assert lines.index("## Compare current with merged") > lines.index("## Assumptions and sources")
    assert "Headcount 14→13 (-1); open positions 0→0 (+0)." in lines
    assert "| Dana Reyes | 4→10 | 4→10 | 35.0→68.9 | ok→critical | 26-44→52-86 | changed |" in lines
    assert "| Lee Morgan | 6 | 6 | 36.0 | ok | 27-45 | removed |" in lines
    assert "| Chloe Martin | 0 | 0 | 36.0 | ok | 27-45 | moved |" in lines
    assert any(line.startswith("- **In merged**: Dana Reyes, holding both roles, is critical: 68.9 h")
               for line in lines)
    assert "Compare" not in export_cli(two_scenarios, "markdown", "--scenario", "merged")[1]


def test_compare_in_html(two_scenarios):
    code, text = export_cli(two_scenarios, "html", "--scenario", "merged", "--compare", "current")
    assert code == 0
    page = Page(text)
    assert page.errors == []
    assert page.by_tag["h2"][-1] == "Compare current with merged"
    assert "Headcount 14→13 (-1); open positions 0→0 (+0)." in page.all_text
    assert '<tr><td>Dana Reyes</td><td class="number">4→10</td><td class="number">4→10</td>' \
           '<td class="number">35.0→68.9</td><td>ok→critical</td><td class="number">26-44→52-86</td>' \
           '<td>changed</td></tr>' in text
    assert "In merged: Dana Reyes, holding both roles, is critical: 68.9 h" in page.all_text


def test_compare_in_json_is_planner_compare_json(two_scenarios, capsys):
    code, text = export_cli(two_scenarios, "json", "--scenario", "merged", "--compare", "current")
    assert code == 0
    data = json.loads(text)
    capsys.readouterr()
    assert main(["compare", str(two_scenarios), "current", "merged", "--format", "json"]) == 0
    assert data.pop("comparison") == json.loads(capsys.readouterr().out)
    assert main(["report", str(two_scenarios), "--scenario", "merged", "--format", "json"]) == 0
    assert data == json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("fmt", ["csv", "mermaid", "dot"])
def test_compare_with_a_chart_or_csv_exits_2_and_says_why(two_scenarios, fmt, capsys):
    capsys.readouterr()
    code, text = export_cli(two_scenarios, fmt, "--compare", "current")
    assert code == 2 and text == ""
    assert not two_scenarios.with_name(f"out.{FORMATS[fmt]}").exists()
    err = capsys.readouterr().err
    assert f"error: a comparison can be exported as markdown, html or json, not {fmt} (--compare)" in err
    assert "Traceback" not in err


def test_compare_with_an_unknown_scenario_exits_2(two_scenarios, capsys):
    assert export_cli(two_scenarios, "markdown", "--compare", "nope") == (2, "")
    assert "no scenario named 'nope'" in capsys.readouterr().err


# ---------------------------------------------------------------- 3. hostile names

HOSTILE = {
    "owner": ('Ana "Q" [bold]', "--> x"),
    "operations-assistant": ("<script>alert(1)</script>", "a\\b"),
    "marketing-exec-6": ("{curly} |pipe| #hash;", "x -> y [label=z]; n0 --> n1"),
    "sales-marketing-manager": ("a\\", '"; } digraph {'),
    "marketing-exec-1": ("*star* _under_ `tick` ~strike~", "&amp; &lt;b&gt; <!-- c -->"),
    "sales-rep-1": ("O'Brien, Ana; \\N \\n", "| cell | ]] [[x]]"),
}
HOSTILE_PLAN_NAME = 'Acme "Quotes" <Ltd> \\ [x] & co'


@pytest.fixture
def hostile() -> Plan:
    plan = load_layout("merged")
    plan.name = HOSTILE_PLAN_NAME
    for person_id, (name, title) in HOSTILE.items():
        update_person(plan, "current", person_id, name=name, title=title).apply(plan)
    return plan


HOSTILE_TEXTS = [text for pair in HOSTILE.values() for text in pair]


def test_html_escapes_every_name(hostile):
    text = export(hostile, "html")
    assert "<script>" not in text and "<!--" not in text
    page = Page(text)
    assert page.errors == []
    assert set(page.tags) <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "ul", "li",
                              "strong", "span", "table", "tr", "th", "td", "figure", *SVG_TAGS}
    assert page.by_tag["title"][0] == HOSTILE_PLAN_NAME
    assert page.by_tag["h1"] == [f"{HOSTILE_PLAN_NAME}: scenario current"]
    assert set(page.outline) >= {name for name, _ in HOSTILE.values()}
    body = page.all_text
    for literal in HOSTILE_TEXTS:
        assert literal in body
        assert literal in html.unescape(text)
    assert "&amp;amp; &amp;lt;b&amp;gt;" in text  # escaped once more, so it reads literally


def test_markdown_escapes_brackets_pipes_and_angles(hostile):
    text = export(hostile, "markdown")
    lines = text.splitlines()
    assert lines[0] == '# Acme "Quotes" \\<Ltd\\> \\\\ \\[x\\] \\& co: scenario current'
    assert '- **Ana "Q" \\[bold\\]** · --\\> x: ok' in lines
    assert "  - **\\<script\\>alert(1)\\</script\\>** · a\\\\b: ok" in lines
    assert "    - **{curly} \\|pipe\\| #hash;** · x -\\> y \\[label=z\\]; n0 --\\> n1: ok" in lines
    assert "  - **a\\\\** · \"; } digraph {: CRITICAL" in lines
    assert "<script>" not in text and "[bold]" not in text and "|pipe|" not in text
    for name, title in HOSTILE.values():
        assert md_escape(name) in text and md_escape(title) in text
        assert unescape_md(md_escape(name)) == name
    # Every table row keeps its columns: escaped pipes do not split cells.
    table: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("|"):
            table.append(line)
        elif table:
            assert len({md_cells(row) for row in table}) == 1, table
            table = []
    load = next(line for line in lines if line.startswith("| {curly}"))
    assert md_cells(load) == 7
    assert "## Merged role: a\\\\" in lines


def test_mermaid_labels_hold_no_syntax_and_decode_to_the_names(hostile):
    text = export(hostile, "mermaid")
    nodes, _ = mermaid_parts(text)
    analysis = analyse(hostile)
    ids = dict(zip(nodes, analysis.people))
    for node, (label, _) in nodes.items():
        assert "-->" not in label and '"' not in label and "[" not in label
        assert not set(label.replace("<br/>", "")) & set('"<>[]{}()|\\`')
        person = analysis.people[ids[node]]
        assert decode_mermaid(label)[:2] == [person.name, person.title]
    assert nodes["n0"][0].startswith("Ana #34;Q#34; #91;bold#93;<br/>#45;#45;#62; x<br/>")


@needs_dot
def test_dot_with_hostile_names_renders_and_shows_them_literally(hostile):
    source = export(hostile, "dot")
    assert source.startswith('digraph "Acme \\"Quotes\\" <Ltd> ') and source.endswith("}\n")
    svg = render_svg(source)
    texts = svg_texts(svg)
    for literal in HOSTILE_TEXTS:
        if "&" not in literal:  # entity references: see test_dot_keeps_entity_like_text_literal
            assert literal in texts, literal
    # The graph's name (the SVG's first <title>, never drawn): Graphviz does not unescape "\\" in a graph id,
    # so only the quotes, angle brackets and ampersand are checked here.
    graph_title = html.unescape(re.search(r"<title>(.*?)</title>", svg)[1])
    assert graph_title.startswith('Acme "Quotes" <Ltd> \\') and graph_title.endswith(" [x] & co")
    assert svg.count('class="node"') == len(hostile.scenario())
    assert svg.count('class="edge"') == len(hostile.scenario()) - 1


@needs_dot
def test_dot_keeps_entity_like_text_literal(merged):
    update_person(merged, "current", "owner", name="Tom &amp; Jerry", title="&lt;b&gt; &copy; &#65;").apply(merged)
    texts = svg_texts(render_svg(export(merged, "dot")))
    assert "Tom &amp; Jerry" in texts
    assert "&lt;b&gt; &copy; &#65;" in texts


def test_csv_keeps_hostile_names_exactly(hostile, tmp_path):
    rows = {row["id"]: row for row in csv_rows(export(hostile, "csv", raw=True))}
    for person_id, (name, title) in HOSTILE.items():
        assert (rows[person_id]["name"], rows[person_id]["title"]) == (name, title)
    text = export(hostile, "csv")
    assert {row["id"]: row for row in csv_rows(text)}["owner"]["title"] == "'--> x"
    path = tmp_path / "hostile.csv"
    path.write_text(text, encoding="utf-8")
    result = import_csv(path, HOSTILE_PLAN_NAME)
    assert result.problems == []
    org = result.plan.scenario()
    for person_id, (name, title) in HOSTILE.items():
        assert (org.person(person_id).name, org.person(person_id).title) == (name, title)
    assert result.plan.name == HOSTILE_PLAN_NAME


def test_compare_labels_are_escaped_too(hostile):
    AddScenario('<b>"x"|[y]', "current").apply(hostile)
    page = Page(export(hostile, "html", scenario='<b>"x"|[y]', other="current"))
    assert page.errors == [] and "b" not in page.tags
    assert 'Compare current with <b>"x"|[y]' in page.by_tag["h2"]
    markdown = export(hostile, "markdown", scenario='<b>"x"|[y]', other="current")
    assert '## Compare current with \\<b\\>"x"\\|\\[y\\]' in markdown.splitlines()


# ---------------------------------------------------------------- 4. formulas in spreadsheets (OWASP: CSV injection)

FORMULAS = {
    "owner": ('=HYPERLINK("http://x.test","Ana")', "+1 555 0100"),
    "operations-assistant": ("-Ana", "@SUM(A1:A9)"),
    "marketing-exec-6": ("'Tis Ana", "''=1+1"),
    "sales-marketing-manager": ("'-quoted", "Ana = Bo"),
}


@pytest.fixture
def formulas(merged) -> Plan:
    for person_id, (name, title) in FORMULAS.items():
        update_person(merged, "current", person_id, name=name, title=title).apply(merged)
    return merged


def test_csv_cells_that_spreadsheets_run_as_formulas_get_a_leading_quote(formulas):
    rows = {row["id"]: row for row in csv_rows(export(formulas, "csv"))}
    cells = {person_id: (rows[person_id]["name"], rows[person_id]["title"]) for person_id in FORMULAS}
    assert cells == {
        "owner": ('\'=HYPERLINK("http://x.test","Ana")', "'+1 555 0100"),
        "operations-assistant": ("'-Ana", "'@SUM(A1:A9)"),
        "marketing-exec-6": ("''Tis Ana", "'''=1+1"),
        "sales-marketing-manager": ("''-quoted", "Ana = Bo"),
    }
    for row in rows.values():
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row.values())


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_of_owasp_is_neutralised_and_restored(start):
    cell = f"{start}cmd|' /C calc'!A0"
    assert neutralise_formula(cell) == "'" + cell
    assert restore_formula(neutralise_formula(cell)) == cell


@given(st.text())
def test_restoring_a_neutralised_cell_gives_it_back_exactly(cell):
    neutral = neutralise_formula(cell)
    assert restore_formula(neutral) == cell
    assert not neutral.startswith(FORMULA_STARTS)


def test_raw_writes_the_cells_as_they_are(formulas, tmp_path, capsys):
    path = saved(formulas, tmp_path)
    assert main(["export", str(path), "--format", "csv", "--raw"]) == 0
    rows = {row["id"]: row for row in csv_rows(capsys.readouterr().out)}
    assert {person_id: (rows[person_id]["name"], rows[person_id]["title"]) for person_id in FORMULAS} == FORMULAS
    assert main(["export", str(path), "--format", "html", "--raw"]) == 2
    assert "--raw applies to csv only" in capsys.readouterr().err


def test_a_neutralised_export_imports_back_exactly(formulas, tmp_path, capsys):
    source = tmp_path / "people.csv"
    assert main(["export", str(saved(formulas, tmp_path)), "--format", "csv", "-o", str(source)]) == 0
    assert main(["import", str(source), "-o", str(tmp_path / "back.toml")]) == 0
    org = load(tmp_path / "back.toml").scenario()
    for person_id, (name, title) in FORMULAS.items():
        assert (org.person(person_id).name, org.person(person_id).title) == (name, title)
    assert export(load(tmp_path / "back.toml"), "csv") == source.read_text(encoding="utf-8")


# ---------------------------------------------------------------- 5. round trip

def edited_growing() -> Plan:
    """The growing layout with more to carry: explicit capacities, extra and dropped work, two dotted lines."""
    plan = load_layout("growing")
    for edit in (
        update_person(plan, "current", "ops-1", capacity_hours=30.0),
        update_person(plan, "current", "ops-2", capacity_hours=22.5),
        update_person(plan, "current", "ops-3", title=""),
        update_person(plan, "current", "brand-designer", roles=()),
        unassign_responsibility(plan, "current", "rep-north-1", "prospecting"),
        assign_responsibility(plan, "current", "key-accounts", "pricing"),
        add_dotted_line(plan, "current", "campaigns-1", "content-lead"),
        add_dotted_line(plan, "current", "rep-north-2", "head-of-marketing"),
        update_person(plan, "current", "rep-south-6", name='Lia "Kay" Khan, Jr.', title="Sales rep; South | B2B"),
    ):
        edit.apply(plan)
    return plan


@pytest.mark.parametrize("make", [lambda: load_layout("growing"), edited_growing], ids=["growing", "edited"])
def test_csv_to_plan_to_csv_keeps_every_person_and_line(make, tmp_path, capsys):
    original = make()
    first = export(original, "csv")
    source = write_csv(tmp_path, first, "people.csv")
    out = tmp_path / "people.toml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    assert "40 people" in capsys.readouterr().out
    imported = load(out)
    before, after = original.scenario(), imported.scenario()
    assert list(after) == [row["id"] for row in csv_rows(first)]
    assert set(after) == set(before)
    for person_id in before:
        old, new = before.person(person_id), after.person(person_id)
        assert new.name == old.name
        assert new.title == old.title
        assert after.manager_of(person_id) == before.manager_of(person_id)
        assert new.roles == old.roles
        assert new.vacant == old.vacant
        assert new.dotted_managers == old.dotted_managers
        assert imported.responsibilities_of(new) == original.responsibilities_of(old)
        assert imported.capacity_of(new) == original.capacity_of(old)
        if old.capacity_hours is not None:
            assert new.capacity_hours == old.capacity_hours
    assert sorted(after.graph.edges) == sorted(before.graph.edges)
    assert after.person("rep-south-7").vacant
    assert after.person("campaigns-1").dotted_managers[0] == "head-of-sales"
    assert export(imported, "csv") == first
