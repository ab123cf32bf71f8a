"""The selected person: who they are, what they hold, and why their load is what it is."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from planner.analysis import Analysis, Load, PersonResult
from planner.analysis.load import range_text
from planner.analysis.span import LABELS
from planner.model.plan import Plan
from planner.ui.labels import VACANT_STYLE, load_bar
from planner.ui.widgets.static_text import show_text

EMPTY_SCENARIO = "Nobody in this scenario yet. Press a to add the first person."


def _heading(title: str) -> Text:
    text = Text()
    text.append(title, style="bold underline")
    return text


def _name_of(analysis: Analysis, person_id: str | None) -> str:
    return analysis.people[person_id].name if person_id in analysis.people else "nobody (top of the org)"


def person_text(plan: Plan, analysis: Analysis, result: PersonResult) -> Text:
    """Everything about one person as literal text: identity, load and reasons, responsibilities, team."""
    text = Text()
    text.append(result.name, style="bold")
    if result.vacant:
        text.append("  ")
        text.append(" OPEN POSITION ", style=VACANT_STYLE)
    text.append("\n")
    if result.title:
        text.append(result.title + "\n", style="italic")
    text.append(f"Reports to {_name_of(analysis, result.manager)}\n")
    if result.dotted_managers:
        text.append("Dotted lines to " + ", ".join(_name_of(analysis, m) for m in result.dotted_managers) + "\n")
    roles = ", ".join(plan.catalog.roles[role].title for role in result.roles) or "none"
    text.append(f"Roles: {roles}\n\n")
    text.append_text(_load_section(result, plan.settings.assumption_spread))
    text.append_text(_responsibility_section(result))
    text.append_text(_team_section(result))
    notes = plan.scenario(analysis.scenario).person(result.id).notes
    if notes:
        text.append("\n")
        text.append_text(_heading("Notes"))
        text.append("\n" + notes + "\n")
    return text


def _load_section(result: PersonResult, spread: float) -> Text:
    load = result.load
    text = _heading("Load")
    text.append("\n")
    text.append_text(load_bar(result))
    capacity = "default" if load.capacity_is_default else "own"
    text.append(f"\n{load.demand_hours:.1f} h demand against {load.capacity_hours:g} h capacity ({capacity})\n")
    text.append_text(range_line(load, spread))
    text.append("Why:\n", style="bold")
    for reason in result.reasons:
        text.append(f" • {reason}\n")
    return text


def range_line(load: Load, spread: float) -> Text:
    """The demand's range if the assumed hours are off, with the band at each end."""
    if not spread:
        return Text("No spread assumed: the figure is the assumed hours as they are\n", style="italic")
    return Text(f"{range_text(load.range.low_hours, load.range.high_hours, spread)}: {load.range.bands_text}\n",
                style="italic")


def _responsibility_section(result: PersonResult) -> Text:
    load, span = result.load, result.team.span
    text = Text("\n")
    team = f" + {load.team_duties.hours:g} h team duties" if any(item.hours_per_report for item in load.responsibilities) else ""
    text.append_text(_heading(f"Responsibilities ({len(load.responsibilities)}, {load.responsibility.hours:g} h{team})"))
    text.append("\n")
    for item in load.responsibilities:
        text.append(f" {item.hours + item.hours_per_report * span:>5.1f} h  ", style="bold")
        text.append(f"{item.title}")
        per_report = f" · {item.hours_per_report:g} h per report" if item.hours_per_report else ""
        text.append(f"  {item.function}{per_report}\n", style="dim")
    if not load.responsibilities:
        text.append(" none: press r to assign roles or responsibilities\n", style="italic")
    return text


def _team_section(result: PersonResult) -> Text:
    team, span = result.team, result.span
    text = Text("\n")
    text.append_text(_heading("Team"))
    text.append(f"\n{team.span} direct reports, {team.team_size} in the whole team, {team.layers_below} layers below\n")
    if span is not None:
        default = " (default)" if span.archetype_is_default else ""
        text.append(f"Archetype {LABELS[span.archetype]}{default}: {span.range_text} reports; span is {span.status}\n")
    return text


class PersonPanel(VerticalScroll):
    """Shows one person; shows a hint when nobody is selected."""

    def compose(self):
        yield Static(Text("Select a person in the tree.", style="italic"), id="person-details")

    def show(self, plan: Plan, analysis: Analysis, person_id: str | None) -> None:
        """Show a person (or the hint when None or gone)."""
        if person_id is None or person_id not in analysis.people:
            self._show_text(Text(EMPTY_SCENARIO if not analysis.people else "Select a person in the tree.",
                                 style="italic"))
        else:
            self._show_text(person_text(plan, analysis, analysis.people[person_id]))

    def _show_text(self, text: Text) -> None:
        """Put the text in the panel (an edit shows it, then the tree's cursor again: the second time is free)."""
        show_text(self.query_one("#person-details", Static), text)
