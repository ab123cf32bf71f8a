"""Team sizes per manager and function, the sales vs marketing difference, and the top risks."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable, Static

from planner.analysis import Analysis, PersonResult
from planner.analysis.span import LABELS
from planner.ui.labels import BAND_STYLE, band_marker
from planner.ui.widgets.reading import ReadingScroll
from planner.ui.widgets.static_text import show_text
from planner.ui.widgets.view_table import ViewTable

RISK_LIMIT = 10
REFILL_AFTER = 50
COUNTS_LEGEND = ("in the function: people holding one of its roles, its managers too · team members: those of "
                 "them who do not manage it (the figure compared) · under its managers: everyone below its "
                 "managers, whatever their function")


def manager_cells(person: PersonResult) -> tuple[Text, Text, int, int, int, Text]:
    """A manager's row: name, load, span, team size, layers below, and the span check against the archetype."""
    span = person.span
    check = Text()
    check.append(span.status, style="bold red" if span.status != "within" else "green")
    check.append(f" {LABELS[span.archetype]} {span.range_text}")
    return (Text(person.name), band_marker(person), span.span, person.team.team_size, person.team.layers_below,
            check)


def headline_text(analysis: Analysis) -> Text:
    """The org's shape and sales against marketing, with what each count means."""
    shape, functions = analysis.shape, analysis.functions
    text = Text()
    text.append(f"{shape.headcount} people ({shape.vacancies} open) on {shape.layers} layers, "
                f"{shape.managers} managers, mean span {shape.mean_span:.1f}\n")
    text.append("Sales vs marketing: ", style="bold")
    text.append(functions.summary + "\n")
    text.append(f"{'function':<10} {'in the function':>15} {'team members':>13} {'under its managers':>19}\n",
                style="bold")
    for team in (functions.sales, functions.marketing):
        text.append(f"{team.function:<10} {team.members:>15} {team.team_members:>13} {team.under_managers:>19}\n")
    text.append(f"{COUNTS_LEGEND}\n", style="dim")
    text.append(f"({functions.context})", style="italic")
    return text


def findings_text(analysis: Analysis) -> Text:
    """The merged-role verdicts with when to split, and the health checks."""
    lines = [line for role in analysis.merged_roles for line in (
        Text.assemble(("Merged role: ", "bold"), role.verdict),
        Text.assemble(("When to split: ", "bold"), role.split_summary))]
    lines += [Text.assemble(("! ", "bold yellow"), f"{check.title}: {check.detail}") for check in analysis.health]
    return Text("\n").join(lines)


def why_text(analysis: Analysis, person_id: str | None) -> Text:
    """Why a person is at risk: their verdict in full, which the table has no room for."""
    person = analysis.people.get(person_id) if person_id is not None else None
    if person is None:
        return Text("")
    text = Text()
    text.append("Why: ", style="bold")
    text.append(f"{person.name}: {person.load.verdict}")
    return text


class TeamView(ReadingScroll):
    """The team view: the headline, the top risks and why, the findings, and every manager's team.

    One scrolling view: the keys scroll it, and the focused table keeps its cursor row in sight.
    """

    @dataclass
    class JumpTo(Message):
        """The user chose a person to go to."""

        person_id: str

    def compose(self):
        yield Static(id="team-headline")
        yield Static(Text("Top risks (enter: go to the person)", style="bold"), classes="table-title")
        yield ViewTable(id="risks")
        yield Static(id="risk-why")
        yield Static(id="team-findings")
        yield Static(Text("Managers and their teams (enter: go to the person)", style="bold"), classes="table-title")
        yield ViewTable(id="managers")

    def on_mount(self) -> None:
        self.query_one("#risks", DataTable).add_columns("Band", "Person", "Demand", "If hours are off")
        self._manager_columns = self.query_one("#managers", DataTable).add_columns(
            "Manager", "Load", "Span", "Team", "Layers", "Span check")
        self._managers: dict[str, PersonResult] = {}
        self._risks: list[PersonResult] | None = None  # None: not filled yet
        self._shown: Analysis | None = None

    def show(self, analysis: Analysis) -> None:
        """Fill the view from an analysis."""
        self._analysis = analysis
        show_text(self.query_one("#team-headline", Static), headline_text(analysis))
        self._fill("#team-findings", findings_text(analysis))
        self._show_risks(analysis.top_risks(RISK_LIMIT))
        self._show_why()
        self._show_managers(analysis)

    def _show_risks(self, top: list[PersonResult]) -> None:
        """Fill the risks table, unless it shows these very results already."""
        shown = self._risks
        if shown is not None and len(top) == len(shown) and all(now is was for now, was in zip(top, shown)):
            return
        self._risks = top
        risks = self.query_one("#risks", DataTable)
        risks.clear()
        for person in top:
            load = person.load
            name = f"{person.name} (open position)" if person.vacant else person.name
            risks.add_row(band_marker(person), Text(name), Text(f"{load.demand_hours:.1f} h"),
                          Text(f"{load.range.low_hours:.0f}-{load.range.high_hours:.0f} h: {load.range.bands_text}"),
                          key=person.id)
        if not risks.row_count:
            risks.add_row(Text("none", style=BAND_STYLE[next(iter(BAND_STYLE))]), Text("nobody is above capacity"),
                          Text(""), Text(""))

    def _show_managers(self, analysis: Analysis) -> None:
        """Update the managers' rows whose result changed; rows keep their place, new managers come last."""
        table = self.query_one("#managers", DataTable)
        changed = analysis.changed_since(self._shown) if self._shown is not None else None
        if changed is None:
            self._show_every_manager(table, analysis)
        else:
            for person_id in sorted(changed):
                self._show_manager(table, person_id, analysis.people.get(person_id))
        self._shown = analysis

    def _show_every_manager(self, table: DataTable, analysis: Analysis) -> None:
        """Compare every manager's row with the analysis (the rows of many managers gone: fill the table again)."""
        managers = {pid: person for pid, person in analysis.people.items() if person.span is not None}
        gone = self._managers.keys() - managers.keys()
        if len(gone) > REFILL_AFTER:
            table.clear()
            self._managers = {}
        for person_id in gone & self._managers.keys():
            self._show_manager(table, person_id, None)
        for person_id, person in managers.items():
            self._show_manager(table, person_id, person)

    def _show_manager(self, table: DataTable, person_id: str, person: PersonResult | None) -> None:
        """Add, update or remove one person's row: a manager has one (None: the person is gone)."""
        shown = self._managers.get(person_id)
        if person is None or person.span is None:
            if shown is not None:
                table.remove_row(person_id)
                del self._managers[person_id]
        elif shown is None:
            table.add_row(*manager_cells(person), key=person_id)
            self._managers[person_id] = person
        elif shown is not person:
            for column, cell in zip(self._manager_columns, manager_cells(person)):
                table.update_cell(person_id, column, cell)
            self._managers[person_id] = person

    def focus_risks(self) -> None:
        """Show the view from its top, the risks table focused on the risk it was on (the first after they changed)."""
        self.scroll_home(animate=False, immediate=True)
        risks = self.query_one("#risks", ViewTable)
        self.screen.set_focus(risks, scroll_visible=False)

    def _show_why(self) -> None:
        risks = self.query_one("#risks", DataTable)
        person_id = risks.coordinate_to_cell_key(risks.cursor_coordinate).row_key.value if risks.row_count else None
        self._fill("#risk-why", why_text(self._analysis, person_id))

    def _fill(self, selector: str, text: Text) -> None:
        """Show a paragraph, or leave it out (with its margin) when it has nothing to say."""
        paragraph = self.query_one(selector, Static)
        show_text(paragraph, text)
        paragraph.display = bool(text.plain)

    @on(DataTable.RowHighlighted, "#risks")
    def _risk_highlighted(self) -> None:
        self._show_why()

    @on(DataTable.RowSelected)
    def _jump(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(self.JumpTo(event.row_key.value))
