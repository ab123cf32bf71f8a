"""One report, many formats: every fact of the JSON report is laid out in text, Markdown and HTML alike."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, Static

from planner.analysis import analyse
from planner.analysis.compare import compare
from planner.analysis.load import percent_beyond
from planner.cli import main
from planner.model.edits import RemovePerson, update_person
from planner.model.org import Org, Person
from planner.model.plan import Plan
from planner.model.scenarios import AddScenario, merge_roles
from planner.render import charts, export as export_module
from planner.render.data import analysis_data, comparison_data
from planner.render.document import comparison_document, report_document
from planner.render.export import export
from planner.render.html import render_html
from planner.render.markdown import render_markdown
from planner.render.text import render_text
from planner.storage import save
from planner.storage.layouts import load_layout
from planner.ui.app import make_app
from planner.ui.screens.compare import CompareScreen

from .conftest import REPO

LAYOUTS = sorted(path.stem for path in (REPO / "layouts").glob("*.toml"))
FIXED_DAY = date(2024, 3, 5)


# ---------------------------------------------------------------- reading each format back as plain text

class _Visible(HTMLParser):
    """The text a reader sees in the body of an HTML page (not the style sheet, not the chart)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("style", "svg", "title")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("style", "svg", "title")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def _words(text: str) -> str:
    return " ".join(text.split())


def text_words(text: str) -> str:
    return _words(text)


def markdown_words(text: str) -> str:
    """Markdown without its heading marks, emphasis marks and escapes, as one line of words."""
    plain = re.sub(r"(?<!\\)\*+", "", re.sub(r"(?m)^#+ ", "", text))
    return _words(re.sub(r"\\(.)", r"\1", plain))


def html_words(text: str) -> str:
    reader = _Visible()
    reader.feed(text)
    reader.close()
    return _words("".join(reader.parts))


def missing(facts: list[str], laid_out: str) -> list[str]:
    """The facts (already as words) that a format's text does not hold."""
    return [fact for fact in facts if _words(fact) not in laid_out]


# ---------------------------------------------------------------- the facts, read from the JSON alone

def hours_range(spread: dict) -> str:
    return f"{spread['low_hours']:.0f}-{spread['high_hours']:.0f}"


def shares(spread: dict) -> list[str]:
    """How much less or more time the duties may take before the band changes, as the reports word it."""
    return [f"{percent_beyond(spread[key])}% {word}" for key, word in (("breakeven_share", "less"),
                                                                         ("rise_share", "more"))
            if spread[key] is not None]


def span_range(span: dict) -> str:
    return f"{span['low']}-{span['high']}" if span["high"] is not None else f"{span['low']}+"


def report_facts(data: dict) -> tuple[list[str], list[str]]:
    """What a report must show: facts shown exactly, and band words (shown in any case)."""
    names = {person["id"]: person["name"] for person in data["people"]}
    shape = data["shape"]
    facts = [data["plan_name"], data["scenario"], f"{shape['headcount']} people", f"{shape['filled']} filled",
             f"{shape['vacancies']} open", f"{shape['layers']} layers", f"{shape['managers']} managers",
             f"mean span {shape['mean_span']:.1f}", *(f"{span}: {count}" for span, count in shape["span_distribution"])]
    bands = []
    for person in data["people"]:
        load, team, span = person["load"], person["team"], person["span"]
        facts += [person["name"], person["title"], f"{load['demand_hours']:.1f}", f"{load['capacity_hours']:g}",
                  f"{load['utilisation']:.0%}", hours_range(load["range"]), *shares(load["range"])]
        bands += [load["band"], load["range"]["low_band"], load["range"]["high_band"]]
        if span is not None:
            facts += [str(team["span"]), str(team["team_size"]), str(team["layers_below"]), span_range(span),
                      span["status"]]
        if load["band"] != "ok" or (span is not None and span["status"] != "within") or load["notes"]:
            facts += person["reasons"]
    functions = data["functions"]
    facts += [functions["summary"], functions["context"]]
    for team in (functions["sales"], functions["marketing"]):
        facts += [f"{team['function']}: {team['members']} in the function", f"{team['team_members']} team members",
                  f"{team['under_managers']} people under them", *(names[m] for m in team["managers"])]
    for role in data["merged_roles"]:
        facts += [role["name"], role["verdict"], role["source"], f"{role['span']} direct reports"]
        for part in role["parts"]:
            facts += [part["role_title"], f"{part['responsibility_hours']:.1f}", f"{part['management_hours']:.1f}",
                      f"{part['coordination_hours']:.1f}", f"{part['demand_hours']:.1f}", str(part["reports"]),
                      hours_range(part["range"])]
            bands.append(part["band"])
    for check in data["health"]:
        facts += [check["title"], check["detail"]]
    for item in data["assumptions"]:
        facts += [item["label"], item["shown"], item["source"]]
    return [fact for fact in facts if fact], bands


def change(before: dict | None, after: dict | None, key: str, fmt: str = "{}") -> str:
    old = fmt.format(before[key]) if before else None
    new = fmt.format(after[key]) if after else None
    return old or new if old is None or new is None or old == new else f"{old}→{new}"


def comparison_facts(data: dict) -> list[str]:
    """What a comparison must show: labels, totals, each person's figures, work and roles on each side."""
    (h1, h2), (v1, v2) = data["headcount"], data["vacancies"]
    facts = [data["before_label"], data["after_label"], f"{h1}→{h2}", f"{v1}→{v2}"]
    for person in data["people"]:
        before, after = person["before"], person["after"]
        facts += [person["name"], person["status"], change(before, after, "team_size"), change(before, after, "span"),
                  change(before, after, "demand_hours", "{:.1f}"), change(before, after, "band"),
                  change(before and {"range": hours_range(before["range"])},
                         after and {"range": hours_range(after["range"])}, "range")]
    facts += [*data["responsibilities_gained"], *data["responsibilities_lost"]]
    facts += [item for side in data["unowned"] for item in side]
    facts += [role["verdict"] for side in data["merged_roles"] for role in side]
    for side in data["functions"]:
        facts += [side["summary"], str(side["sales"]["team_members"]), str(side["marketing"]["team_members"]),
                  f"{side['difference']:+d}"]
    return facts


def assert_laid_out(facts: list[str], outputs: dict[str, str], any_case: list[str] = ()) -> None:
    for fmt, words in outputs.items():
        assert missing(facts, words) == [], fmt
        assert missing([word.lower() for word in any_case], words.lower()) == [], fmt


# ---------------------------------------------------------------- 1. fact coverage

@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_fact_of_the_json_report_is_in_text_markdown_and_html(layout):
    analysis = analyse(load_layout(layout))
    facts, bands = report_facts(json.loads(json.dumps(analysis_data(analysis))))
    document = report_document(analysis, generated=FIXED_DAY)
    outputs = {"text": text_words(render_text(document)), "markdown": markdown_words(render_markdown(document)),
               "html": html_words(render_html(document))}
    assert_laid_out(facts, outputs, bands)


def test_the_fact_check_catches_a_fact_left_out():
    analysis = analyse(load_layout("merged"))
    facts, _ = report_facts(analysis_data(analysis))
    text = text_words(render_text(report_document(analysis)))
    assert missing(facts, text) == []
    assert missing(facts, text.replace("52-86", "52-87")) != []


def separate_and_merged() -> Plan:
    """The separate layout with the merged layout's org as a second scenario named "merged"."""
    plan = load_layout("separate")
    plan.scenarios["merged"] = load_layout("merged").scenario()
    return plan


def test_every_fact_of_a_comparison_is_in_text_markdown_and_html():
    plan = separate_and_merged()
    comparison = compare(analyse(plan, "current"), analyse(plan, "merged"))
    data = comparison_data(comparison)
    facts = comparison_facts(data)
    document = comparison_document(comparison)
    outputs = {"text": text_words(render_text(document)), "markdown": markdown_words(render_markdown(document)),
               "html": html_words(render_html(document))}
    assert_laid_out(facts, outputs)


def test_lost_and_unowned_responsibilities_are_in_every_comparison_format(separate):
    """Regression: the HTML comparison left out the responsibilities lost and left unowned."""
    AddScenario("lean", "current").apply(separate)
    update_person(separate, "lean", "marketing-manager", roles=()).apply(separate)
    comparison = compare(analyse(separate, "current"), analyse(separate, "lean"))
    assert comparison.responsibilities_lost and comparison.unowned[1]
    exported = export(separate, "html", "current", "lean", generated=FIXED_DAY)
    words = html_words(exported)
    for item in (*comparison.responsibilities_lost, *comparison.unowned[1]):
        assert item in words
    assert "Lost:" in words and "Unowned in lean:" in words
    for render, read in ((render_text, text_words), (render_markdown, markdown_words)):
        assert missing(comparison_facts(comparison_data(comparison)), read(render(comparison_document(comparison)))) == []


# ---------------------------------------------------------------- 2. comparisons: direction and team sizes

@pytest.fixture
def two_scenarios(separate) -> Plan:
    """The separate layout, and a "merged" scenario after it where the sales manager takes over marketing."""
    AddScenario("merged", "current").apply(separate)
    merge_roles(separate, "merged", "sales-manager", "marketing-manager", "leave").apply(separate)
    return separate


@pytest.mark.parametrize("shown, other", [("current", "merged"), ("merged", "current"), (None, "merged")])
def test_an_exported_comparison_puts_the_baseline_before(two_scenarios, shown, other):
    """Regression: `--compare OTHER` always made OTHER "before", so exporting current --compare merged showed the
    proposal as before. The scenario earlier in the plan (the baseline) is before, whichever is exported."""
    data = json.loads(export(two_scenarios, "json", shown, other))["comparison"]
    assert (data["before_label"], data["after_label"]) == ("current", "merged")
    assert data["headcount"] == [14, 13]
    lines = export(two_scenarios, "markdown", shown, other, generated=FIXED_DAY).splitlines()
    start = lines.index("## Compare current with merged")
    assert lines[start + 2: start + 6] == ["- **Before**: current", "- **After**: merged", "",
                                           "Headcount 14→13 (-1); open positions 0→0 (+0)."]


def test_cli_compare_puts_the_first_named_before(two_scenarios, tmp_path, capsys):
    path = tmp_path / "two.toml"
    save(two_scenarios, path)
    assert main(["compare", str(path), "merged", "current", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["before_label"], data["after_label"], data["headcount"]) == ("merged", "current", [13, 14])
    assert main(["compare", str(path), "current", "merged"]) == 0
    assert "- Before: current\n- After: merged" in capsys.readouterr().out


def lean_plan() -> Plan:
    """The separate layout and a "lean" scenario without one marketing executive: 4 in sales, 5 in marketing."""
    plan = load_layout("separate")
    AddScenario("lean", "current").apply(plan)
    RemovePerson("lean", "marketing-exec-6").apply(plan)
    return plan


@pytest.fixture
def lean_file(tmp_path) -> Path:
    path = tmp_path / "lean.toml"
    save(lean_plan(), path)
    return path


def test_comparison_json_has_the_sales_and_marketing_teams_before_and_after(lean_file, capsys):
    assert main(["compare", str(lean_file), "current", "lean", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    before, after = data["functions"]
    assert before == analysis_data(analyse(lean_plan(), "current"))["functions"]
    assert after == analysis_data(analyse(lean_plan(), "lean"))["functions"]
    assert [(side["sales"]["team_members"], side["marketing"]["team_members"], side["difference"])
            for side in data["functions"]] == [(4, 6, -2), (4, 5, -1)]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_cli_compare_shows_the_team_sizes_on_each_side(fmt, lean_file, capsys):
    assert main(["compare", str(lean_file), "current", "lean", "--format", fmt]) == 0
    out = capsys.readouterr().out
    (header,) = [line for line in out.splitlines() if "Team members" in line]
    assert re.search(r"Team members\s*\|?\s*current\s*\|?\s*lean", header)
    table = [line for line in out.splitlines() if "Difference (sales minus marketing)" in line]
    assert len(table) == 1 and re.search(r"-2\s*\|?\s*-1", table[0])
    assert re.search(r"Sales\s*\|?\s*4\s*\|?\s*4", out) and re.search(r"Marketing\s*\|?\s*6\s*\|?\s*5", out)


# ---------------------------------------------------------------- 3. text in 80 terminal cells

def wide_plan() -> Plan:
    """The merged layout with double-width names, a long unbroken title and a long label: nothing fits as is."""
    plan = load_layout("merged")
    update_person(plan, "current", "sales-marketing-manager", name="山田太郎" * 8,
                  title="Head-of-everything-" * 6).apply(plan)
    update_person(plan, "current", "owner", name="Ana " * 30).apply(plan)
    return plan


def test_text_fits_80_terminal_cells_with_wide_and_long_names():
    plan = wide_plan()
    analysis = analyse(plan)
    other = analyse(load_layout("separate"))
    for text in (render_text(report_document(analysis)), render_text(comparison_document(compare(other, analysis)))):
        assert max(cell_len(line) for line in text.splitlines()) <= 80
        assert "山田太郎" * 8 in "".join(text.split())  # wrapped, never cut
    assert _words("Ana " * 30) in text_words(render_text(report_document(analysis)))


def test_text_tables_wrap_cells_and_right_align_numbers():
    text = render_text(report_document(analyse(wide_plan())))
    lines = text.splitlines()
    header = next(index for index, line in enumerate(lines) if line.lstrip().startswith("Person"))
    rule = next(index for index in range(header, len(lines)) if re.fullmatch(r" *-[- ]*", lines[index]))
    assert cell_len(lines[rule]) <= 80
    first = lines[rule + 1]
    assert first.rstrip().endswith("CRITICAL")
    row = lines[rule + 1: rule + 5]
    assert "".join(re.split(r"\s{2,}", line.strip())[0] for line in row) == "山田太郎" * 8
    assert "%" not in "".join(row[1:])  # the name goes on over the next lines, the figures stay on the first
    # right-aligned: the figure ends where its column's rule ends, counted in cells
    demand = f"{analyse(wide_plan()).people['sales-marketing-manager'].load.demand_hours:.1f}"
    rule_ends = [match.end() for match in re.finditer(r"-+", lines[rule])]
    assert cell_len(first[: first.index(demand) + len(demand)]) == rule_ends[2]


# ---------------------------------------------------------------- 4. the HTML report: chart, date, note

def body_of(page: str) -> str:
    return page[page.index("<body>"):]


def test_html_is_dated_and_notes_beside_the_headline_that_hours_are_assumptions(merged, monkeypatch):
    page = export(merged, "html", generated=FIXED_DAY)
    head = body_of(page)[: body_of(page).index("<h2>")]
    assert "<h1>Merged sales and marketing: scenario current</h1>" in head
    assert "<p><strong>Most at risk:</strong> 1 of 13 works beyond their own week:</p>\n<ul>\n" \
           "<li><strong>Jordan Blake</strong>: critical: 68.9 h a week against 40 h (172%; 52-86 h" in head
    assert '<p class="note">The hours are assumptions, not measurements' in head
    assert "Generated on 2024-03-05" in head
    monkeypatch.setattr(export_module, "today", lambda: date(2031, 12, 24))
    assert "Generated on 2031-12-24" in export(merged, "html")
    assert "Generated on" not in render_text(report_document(analyse(merged)))


def svg_of(page: str) -> str:
    (svg,) = re.findall(r"<svg\b.*?</svg>", page, re.DOTALL)
    return svg


def test_html_carries_the_graphviz_chart_inline(merged):
    if charts.shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed (CI installs it)")
    page = export(merged, "html", generated=FIXED_DAY)
    svg = svg_of(page)
    assert 'id="graph0"' in svg  # Graphviz's drawing
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page and "<!--" not in page and "xmlns" not in page
    assert svg.count('class="node"') == len(merged.scenario())
    for person in merged.scenario().people():
        assert f">{person.name}</text>" in svg


def fake_dot(tmp_path: Path, body: str) -> str:
    path = tmp_path / "dot"
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize("dot_found", ["none", "fails", "hangs"])
def test_html_chart_falls_back_to_the_built_in_tree(merged, tmp_path, monkeypatch, dot_found):
    which = {"none": lambda name: None,
             "fails": lambda name: fake_dot(tmp_path, "echo broken >&2; exit 1"),
             "hangs": lambda name: fake_dot(tmp_path, "exec sleep 600")}[dot_found]
    monkeypatch.setattr(charts.shutil, "which", which)
    monkeypatch.setattr(charts, "DOT_TIMEOUT_SECONDS", 1)
    svg = svg_of(export(merged, "html", generated=FIXED_DAY))
    assert 'id="graph0"' not in svg
    assert svg.count('<g class="node">') == len(merged.scenario())
    assert svg.count("<path ") == len(merged.scenario()) - 1
    assert '>Jordan Blake</text>' in svg and ">172% critical</text>" in svg
    assert 'fill="#ffc9c9"' in svg  # the critical box marked


def test_tree_layout_centres_managers_and_keeps_boxes_apart(growing):
    analysis = analyse(growing)
    positions = charts.tree_positions(analysis)
    layers: dict[int, list[float]] = {}
    for person_id, person in analysis.people.items():
        column, layer = positions[person_id]
        layers.setdefault(layer, []).append(column)
        reports = [pid for pid, p in analysis.people.items() if p.manager == person_id]
        if reports:
            assert column == (positions[reports[0]][0] + positions[reports[-1]][0]) / 2
            assert all(positions[report][1] == layer + 1 for report in reports)
    for columns in layers.values():
        ordered = sorted(columns)
        assert all(b - a >= 1 for a, b in zip(ordered, ordered[1:]))


def test_tree_chart_escapes_names(merged, monkeypatch):
    monkeypatch.setattr(charts.shutil, "which", lambda name: None)
    update_person(merged, "current", "owner", name="<b>x</b> & </svg>", title="<!-- c -->").apply(merged)
    page = export(merged, "html", generated=FIXED_DAY)
    assert "<script>" not in page and "<!--" not in page
    assert ">&lt;b&gt;x&lt;/b&gt; &amp; &lt;/svg&gt;</text>" in svg_of(page)
    assert ">&lt;!-- c --&gt;</text>" in svg_of(page)


def chain_plan(depth: int) -> Plan:
    """One person under another, `depth` layers deep."""
    org = Org()
    for index in range(depth):
        org.put(Person(f"p{index}", f"Person {index}", roles=("sales-rep",)))
    org.add_reporting_lines((f"p{index - 1}", f"p{index}") for index in range(1, depth))
    return Plan("Deep", scenarios={"current": org})


def test_a_very_deep_org_lays_out_in_every_format(monkeypatch):
    monkeypatch.setattr(charts.shutil, "which", lambda name: None)
    depth = sys.getrecursionlimit() + 500
    plan = chain_plan(depth)
    page = export(plan, "html", generated=FIXED_DAY)
    body = body_of(page)
    outline = body[body.index('<ul class="outline">'):body.index("<h2>Team sizes</h2>")]
    assert outline.count("<ul") == depth and outline.count("</ul>") == depth
    assert outline.count("<li>") == outline.count("</li>") == depth
    assert svg_of(page).count('<g class="node">') == depth
    text = render_text(report_document(analyse(plan)))
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    assert f"[layer {depth}] Person {depth - 1}" in text


# ---------------------------------------------------------------- 5. the compare screen

async def test_compare_screen_shows_the_sales_and_marketing_teams_before_and_after(tmp_path):
    path = tmp_path / "plan.toml"
    save(lean_plan(), path)
    app = make_app(path=path, saves=tmp_path / "saves")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen) and (screen.before, screen.after) == ("current", "lean")
        summary = str(screen.query_one("#compare-summary", Static).content)
        assert "sales vs marketing team members: sales 4, marketing 6→5, difference -2→-1" in summary
        table = screen.query_one("#compare-table", DataTable)
        assert [str(column.label) for column in table.columns.values()][4:6] == ["Band", "Range h"]
        old, new = (analyse(lean_plan(), side).people["marketing-manager"].load.range for side in ("current", "lean"))
        assert str(table.get_row("marketing-manager")[5]) == (f"{old.low_hours:.0f}-{old.high_hours:.0f}→"
                                                              f"{new.low_hours:.0f}-{new.high_hours:.0f}")
        assert [str(cell) for cell in table.get_row("marketing-exec-6")[5:]] == ["27-45", "removed"]
        await pilot.press("s")
        await pilot.pause()
        summary = str(screen.query_one("#compare-summary", Static).content)
        assert "sales vs marketing team members: sales 4, marketing 5→6, difference -1→-2" in summary


def test_the_headline_counts_who_works_beyond_their_week_and_gives_the_worst_verdicts(separate):
    assert "Most at risk: nobody works beyond their own week." in text_words(render_text(report_document(
        analyse(separate))))
    for person_id in ("sales-rep-1", "sales-rep-2", "sales-rep-3", "sales-rep-4", "marketing-exec-1"):
        update_person(separate, "current", person_id, capacity_hours=20.0).apply(separate)
    analysis = analyse(separate)
    lines = render_markdown(report_document(analysis)).splitlines()
    start = lines.index("**Most at risk:** 5 of 14 work beyond their own week; the 3 worst:")
    worst = analysis.top_risks(3)
    assert lines[start + 2: start + 5] == [f"- **{p.name}**: {p.load.verdict}" for p in worst]
    assert lines[start + 5] == ""
