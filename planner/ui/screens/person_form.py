"""The person form: name, title, capacity, archetype and notes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static, TextArea

from planner.analysis.span import LABELS, range_text
from planner.model.catalog import Catalog
from planner.model.org import ARCHETYPES, Person
from planner.model.rules import person_field_violations
from planner.model.text import clean_line, clean_multiline
from planner.ui.screens.forms import Form, refuse_broken_rules
from planner.ui.widgets.checks import TickBox


@dataclass(frozen=True)
class PersonFields:
    """The fields of a person the form edits."""

    name: str
    title: str
    capacity_hours: float | None
    archetype: str | None
    notes: str


@dataclass(frozen=True)
class PersonDraft(PersonFields):
    """What the form hands back: the person's fields, and a role their title named that they accepted."""

    role: str | None = None


def parse_capacity(value: str) -> float | None:
    """Hours from the capacity field; blank means the plan's default. ValueError when not a number."""
    if not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError("capacity must be a number of hours, like 40 or 37.5") from None


class PersonForm(Form):
    """Edit or create a person; ctrl+s or the Save button accepts, escape cancels."""

    DEFAULT_CSS = """
    PersonForm .dialog { width: 76; }
    PersonForm TextArea { height: 3; }
    """

    def __init__(self, title: str, catalog: Catalog, person: Person | None = None) -> None:
        """Edit `person`, or make a new one when None; a title that names a role of `catalog` offers that role."""
        super().__init__()
        self._title = title
        self._catalog = catalog
        self._person = person or Person("new", "")
        self.SUBMIT = "Save" if person else "Add"

    def compose(self) -> ComposeResult:
        person = self._person
        archetypes = [(f"{LABELS[name]} ({range_text(low, high)})", name) for name, (low, high) in ARCHETYPES.items()]
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="dialog-title")
            yield Label("Name")
            yield Input(person.name, id="name", placeholder="Full name, or the position for a vacancy")
            yield Label("Title")
            yield Input(person.title, id="title", placeholder="Job title")
            offer = TickBox(id="title-role", value=True)
            offer.display = False
            yield offer
            yield Label("Weekly capacity in hours (blank: the plan's default)")
            yield Input("" if person.capacity_hours is None else f"{person.capacity_hours:g}", id="capacity",
                        placeholder="blank: the plan's default")
            yield Label("Span archetype (blank: worked out from their work)")
            yield Select(archetypes, id="archetype", prompt="default",
                         value=person.archetype if person.archetype else Select.NULL)
            yield Label("Notes")
            yield TextArea(person.notes, id="notes")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()
        self._offer_role(self.query_one("#title", Input).value)

    def _matching_role(self, title: str) -> str | None:
        """The catalog role the title names, unless the person holds it already."""
        role = self._catalog.role_titled(title)
        return role if role not in self._person.roles else None

    @on(Input.Changed, "#title")
    def _title_changed(self, event: Input.Changed) -> None:
        self._offer_role(event.value)

    def _offer_role(self, title: str) -> None:
        """Show a checkbox that gives the role the title names, as importing a staff list does."""
        box = self.query_one("#title-role", TickBox)
        role = self._matching_role(title)
        box.display = role is not None
        if role is not None:
            items = self._catalog.role_responsibilities(role)
            hours = sum(self._catalog.responsibilities[item].hours for item in items)
            box.label = Text(f"Also give the role {self._catalog.roles[role].title} "
                             f"({len(items)} responsibilities, {hours:g} h)")

    def to_model(self) -> PersonDraft:
        """The form's values, cleaned; ValueError says what to fix."""
        archetype = self.query_one("#archetype", Select).value
        fields = PersonFields(
            name=clean_line(self.query_one("#name", Input).value).strip(),
            title=clean_line(self.query_one("#title", Input).value).strip(),
            capacity_hours=parse_capacity(self.query_one("#capacity", Input).value),
            archetype=None if archetype is Select.NULL else str(archetype),
            notes=clean_multiline(self.query_one("#notes", TextArea).text).strip(),
        )
        refuse_broken_rules(person_field_violations(replace(self._person, **asdict(fields)), "this person"))
        offered = self.query_one("#title-role", TickBox).value
        return PersonDraft(**asdict(fields), role=self._matching_role(fields.title) if offered else None)
