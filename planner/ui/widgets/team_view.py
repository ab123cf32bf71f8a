"""Team sizes per manager and function, the sales vs marketing difference, and the top risks."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from planner.analysis import Analysis, PersonResult
from planner.analysis.span import LABELS
from planner.ui.labels import BAND_STYLE, band_marker

RISK_LIMIT = 10
REFILL_AFTER = 50


def manager_cells(person: PersonResult) -> tuple[Text, int, int, int, Text, Text]:
    """A manager's row: name, span, team size, layers below, archetype with its range, and the span check."""
    span = person.span
    status = Text(span.status, style="bold red" if span.status != "within" else "green")
    return (Text(person.name), span.span, person.team.team_size, person.team.layers_below,
            Text(f"{LABELS[span.archetype]} {span.range_text}"), status)


def summary_text(analysis: Analysis) -> Text:
    """The org's shape, the function comparison and any merged-role verdicts."""
    shape, functions = analysis.shape, analysis.functions
    text = Text()
    text.append(f"{shape.headcount} people ({shape.vacancies} open) on {shape.layers} layers, "
                f"{shape.managers} managers, mean span {shape.mean_span:.1f}\n")
    text.append("Sales vs marketing: ", style="bold")
    text.append(functions.summary + "\n")
    for team in (functions.sales, functions.marketing):
        text.append(f"  {team.function}: {team.members} in the function, {team.team_members} team members, "
                    f"{team.under_managers} under its managers\n")
    text.append(f"  ({functions.context})\n", style="italic")
    for role in analysis.merged_roles:
        text.append("Merged role: ", style="bold")
        text.append(role.verdict + "\n")
    for check in analysis.health:
        text.append("! ", style="bold yellow")
        text.append(f"{check.title}: {check.detail}\n")
    return text


class TeamView(VerticalScroll):
    """The team view: a summary, the top risks and every manager's team."""

    @dataclass
    class JumpTo(Message):
        """The user chose a person to go to."""

        person_id: str

    def compose(self):
        yield Static(id="team-summary")
        yield Static(Text("Top risks (enter: go to the person)", style="bold"), classes="table-title")
        yield DataTable(id="risks", cursor_type="row", zebra_stripes=True)
        yield Static(Text("Managers and their teams (enter: go to the person)", style="bold"), classes="table-title")
        yield DataTable(id="managers", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#risks", DataTable).add_columns("Band", "Person", "Demand", "If hours are off", "How sure")
        self._manager_columns = self.query_one("#managers", DataTable).add_columns(
            "Manager", "Span", "Team", "Layers", "Archetype", "Span check")
        self._managers: dict[str, PersonResult] = {}

    def show(self, analysis: Analysis) -> None:
        """Fill the view from an analysis."""
        self.query_one("#team-summary", Static).update(summary_text(analysis))
        risks = self.query_one("#risks", DataTable)
        risks.clear()
        for person in analysis.top_risks(RISK_LIMIT):
            load = person.load
            name = f"{person.name} (open position)" if person.vacant else person.name
            risks.add_row(band_marker(person), Text(name), Text(f"{load.demand_hours:.1f} h"),
                          Text(f"{load.range.low_hours:.0f}-{load.range.high_hours:.0f} h: {load.range.bands_text}"),
                          Text(load.robustness), key=person.id)
        if not risks.row_count:
            risks.add_row(Text("none", style=BAND_STYLE[next(iter(BAND_STYLE))]), Text("nobody is above capacity"),
                          Text(""), Text(""), Text(""))
        self._show_managers({pid: person for pid, person in analysis.people.items() if person.span is not None})

    def _show_managers(self, managers: dict[str, PersonResult]) -> None:
        """Update the managers' rows whose result changed; rows keep their place, new managers come last."""
        table = self.query_one("#managers", DataTable)
        gone = self._managers.keys() - managers.keys()
        if len(gone) > REFILL_AFTER:
            table.clear()
            self._managers = {}
        for person_id in gone & self._managers.keys():
            table.remove_row(person_id)
        for person_id, person in managers.items():
            shown = self._managers.get(person_id)
            if shown is None:
                table.add_row(*manager_cells(person), key=person_id)
            elif shown is not person:
                for column, cell in zip(self._manager_columns, manager_cells(person)):
                    table.update_cell(person_id, column, cell)
        self._managers = managers

    @on(DataTable.RowSelected)
    def _jump(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(self.JumpTo(event.row_key.value))
