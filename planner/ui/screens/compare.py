"""Two scenarios side by side: per person before and after, and what the change does to the plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from planner.analysis.compare import CHANGES, Comparison, compare
from planner.render.document import change_text, functions_change, range_hours
from planner.ui.screens.picker import picker
from planner.ui.session import Session
from planner.ui.widgets.footer import FittingFooter
from planner.ui.widgets.header import PlannerHeader
from planner.ui.widgets.view_table import RowTable

STATUS_STYLE = {"added": "bold green", "removed": "bold red", "vacated": "bold red", "filled": "bold green",
                "moved": "bold yellow", "changed": "", "same": "dim"}


def comparison_summary(comparison: Comparison, titles: Mapping[str, str]) -> Text:
    """Headcount, vacancies, what the change costs, sales vs marketing, who came, went, fell vacant or moved,
    responsibilities (by their `titles`, as the team view names them) and merged roles."""
    a, b = comparison.before_label, comparison.after_label
    (h1, h2), (v1, v2) = comparison.headcount, comparison.vacancies
    text = Text()
    text.append(a, style="bold")
    text.append(" compared with ")
    text.append(b, style="bold")
    text.append(f": headcount {h1}→{h2} ({h2 - h1:+d}), open positions {v1}→{v2} ({v2 - v1:+d})\n")
    if comparison.cost is not None:
        text.append("cost: ", style="bold")
        text.append(comparison.cost + "\n")
    text.append(functions_change(comparison) + "\n")
    for status in CHANGES:
        names = [diff.name for diff in comparison.with_status(status)]
        if names:
            text.append(f"{status}: ", style=STATUS_STYLE[status])
            text.append(", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "") + "\n")
    for label, items in (("gained", comparison.responsibilities_gained), ("lost", comparison.responsibilities_lost)):
        if items:
            text.append(f"responsibilities {label}: {', '.join(titles[item] for item in items)}\n")
    for label, items in zip((a, b), comparison.unowned):
        if items:
            text.append(f"left unowned in {label}: {', '.join(titles[item] for item in items)}\n", style="yellow")
    for label, roles in zip((a, b), comparison.merged_roles):
        for role in roles:
            text.append(f"merged role in {label}: ", style="bold")
            text.append(role.verdict + "\n")
        if not roles:
            text.append(f"no merged role in {label}\n", style="dim")
    return text


class CompareScreen(Screen):
    """Compare two scenarios; b/a choose them, s swaps, enter and o jump to a person."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="compare.back", tooltip="Back to the plan"),
        Binding("b", "choose('before')", "Before…", id="compare.before", tooltip="Choose the scenario before"),
        Binding("a", "choose('after')", "After…", id="compare.after", tooltip="Choose the scenario after"),
        Binding("s", "swap", "Swap", id="compare.swap", tooltip="Swap before and after"),
        Binding("enter", "jump('after')", "Go after", id="compare.jump_after", priority=True,
                tooltip="Open the person in the after scenario"),
        Binding("o", "jump('before')", "Go before", id="compare.jump_before",
                tooltip="Open the person in the before scenario"),
    ]

    @dataclass
    class JumpTo(Message):
        """Open a person in a scenario."""

        scenario: str
        person_id: str

    def __init__(self, session: Session, before: str, after: str) -> None:
        super().__init__()
        self.session, self.before, self.after = session, before, after

    def compose(self) -> ComposeResult:
        yield PlannerHeader()
        with VerticalScroll(id="compare-summary-box"):
            yield Static(id="compare-summary")
        yield RowTable(id="compare-table")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Person", "Team", "Span", "Demand h", "Band", "Range h", "Change")
        self.show()
        self.query_one(DataTable).focus()

    def show(self) -> None:
        """Fill the summary and the table for the current pair."""
        plan = self.session.plan
        comparison = compare(self.session.analysis_of(self.before), self.session.analysis_of(self.after),
                             self.before, self.after)
        titles = {item.id: item.title for item in plan.catalog.responsibilities.values()}
        self.query_one("#compare-summary", Static).update(comparison_summary(comparison, titles))
        table = self.query_one(DataTable)
        table.clear()
        for diff in comparison.people:
            old, new = diff.before, diff.after
            table.add_row(
                Text(diff.name), change_text(old, new, lambda s: s.team_size), change_text(old, new, lambda s: s.span),
                change_text(old, new, lambda s: s.demand_hours, "{:.1f}"),
                change_text(old, new, lambda s: s.band.value), change_text(old, new, lambda s: range_hours(s.range)),
                Text(diff.status, style=STATUS_STYLE[diff.status]), key=diff.id,
            )
        self.sub_title = f"compare {self.before} → {self.after} · {plan.name}"

    def action_choose(self, side: str) -> None:
        """Pick the scenario for one side."""
        names = [(name, name, f"{len(org)} people") for name, org in self.session.plan.scenarios.items()]

        def chosen(name: str | None) -> None:
            if name:
                setattr(self, side, name)
                self.show()

        self.app.push_screen(picker(self.app, f"Scenario {side}", names), chosen)

    def action_swap(self) -> None:
        """Swap before and after."""
        self.before, self.after = self.after, self.before
        self.show()

    def action_jump(self, side: str) -> None:
        """Open the highlighted person in the scenario of one side."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return
        person_id = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        scenario = getattr(self, side)
        if person_id not in self.session.plan.scenario(scenario):
            self.app.notify(f"Not in {scenario}.", severity="warning", markup=False)
            return
        self.post_message(self.JumpTo(scenario, person_id))

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_jump("after")
