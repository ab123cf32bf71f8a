"""Assign roles and single responsibilities from the catalog, each shown with its hours."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from planner.model.org import Person
from planner.model.plan import Plan
from planner.ui.screens.forms import Form
from planner.ui.widgets.checks import Checklist

ROLE, ITEM = "role:", "item:"


@dataclass(frozen=True)
class Assignment:
    """The roles and responsibilities checked when the dialog closed."""

    roles: tuple[str, ...]
    responsibilities: frozenset[str]


def assignment_edit_fields(plan: Plan, person: Person, chosen: Assignment) -> dict:
    """The person fields that make them hold exactly the chosen roles and responsibilities."""
    extra, dropped = plan.catalog.holdings(chosen.roles, chosen.responsibilities)
    return {"roles": chosen.roles, "extra_responsibilities": extra, "dropped_responsibilities": dropped}


class AssignScreen(Form):
    """A checklist of roles and responsibilities with the hours checked so far; checking a role checks what it bundles."""

    DEFAULT_CSS = """
    AssignScreen .dialog { width: 90; height: 90%; }
    AssignScreen SelectionList { height: 1fr; }
    """

    def __init__(self, plan: Plan, person: Person, reports: int) -> None:
        """`reports`: the person's direct reports, which team duties count hours for."""
        super().__init__()
        self._plan, self._person, self._reports = plan, person, reports

    def _hours(self, item_id: str) -> float:
        item = self._plan.catalog.responsibilities[item_id]
        return item.hours + item.hours_per_report * self._reports

    def compose(self) -> ComposeResult:
        catalog, person = self._plan.catalog, self._person
        held = self._plan.responsibilities_of(person)
        selections: list[Selection] = []
        for role in sorted(catalog.roles.values(), key=lambda r: r.title):
            items = catalog.role_responsibilities(role.id)
            hours = sum(catalog.responsibilities[i].hours for i in items)
            label = Text("Role  ", style="bold")
            label.append(f"{role.title}  ")
            label.append(f"{len(items)} responsibilities, {hours:g} h", style="dim")
            selections.append(Selection(label, ROLE + role.id, role.id in person.roles))
        for item in sorted(catalog.responsibilities.values(), key=lambda r: (r.function, r.title)):
            label = Text(f"{self._hours(item.id):>5.1f} h  ", style="bold")
            label.append(item.title)
            per_report = f" · {item.hours_per_report:g} h per report" if item.hours_per_report else ""
            label.append(f"  {item.function}{per_report}", style="dim")
            selections.append(Selection(label, ITEM + item.id, item.id in held))
        with Vertical(classes="dialog"):
            yield Static(Text(f"Roles and responsibilities of {person.name}"), classes="dialog-title")
            yield Static(Text("space: check or uncheck; a role brings its responsibilities", style="italic"))
            yield Checklist(*selections, id="assign-list")
            yield Static(id="assign-total")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()
        self._show_total()

    @on(SelectionList.SelectedChanged)
    def _show_total(self) -> None:
        """The hours of what is checked now, against the person's week."""
        chosen = self.to_model()
        hours = sum(self._hours(item) for item in chosen.responsibilities)
        capacity = self._plan.capacity_of(self._person)
        self.query_one("#assign-total", Static).update(Text(
            f"Checked: {len(chosen.roles)} role(s), {len(chosen.responsibilities)} responsibilities, {hours:g} h a "
            f"week against {capacity:g} h capacity (before switching and coordination)", style="bold"))

    @on(SelectionList.SelectionToggled)
    def _role_toggled(self, event: SelectionList.SelectionToggled) -> None:
        value = event.selection.value
        if not value.startswith(ROLE):
            return
        selection_list = self.query_one(SelectionList)
        role_id = value.removeprefix(ROLE)
        if value in selection_list.selected:
            for item in self._plan.catalog.role_responsibilities(role_id):
                selection_list.select(ITEM + item)
            return
        still = set(self._person.extra_responsibilities)
        for other in self.to_model().roles:
            still |= self._plan.catalog.role_responsibilities(other)
        for item in self._plan.catalog.role_responsibilities(role_id) - still:
            selection_list.deselect(ITEM + item)

    def to_model(self) -> Assignment:
        """The checked roles (in the person's order first) and responsibilities."""
        selected = self.query_one(SelectionList).selected
        roles = [v.removeprefix(ROLE) for v in selected if v.startswith(ROLE)]
        ordered = [r for r in self._person.roles if r in roles] + [r for r in roles if r not in self._person.roles]
        items = frozenset(v.removeprefix(ITEM) for v in selected if v.startswith(ITEM))
        return Assignment(tuple(ordered), items)
