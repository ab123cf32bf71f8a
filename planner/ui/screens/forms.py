"""Forms for the catalog and the settings: a custom responsibility, and the plan's rates and thresholds."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from planner.model.catalog import FUNCTIONS, Responsibility
from planner.model.rules import Violation, check_responsibility, check_settings, first_problem
from planner.model.settings import SPECS, Settings, unusual_settings
from planner.model.text import clean_line, slugify
from planner.ui.screens.dialogs import Confirm, Dialog


class Form(Dialog):
    """A dialog whose `to_model()` builds the result or raises ValueError to show; SUBMIT names what ctrl+s does."""

    SUBMIT = "Save"

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.save", priority=True),
    ]

    def buttons(self) -> ComposeResult:
        yield Static("", id="form-error", classes="form-error")
        with Horizontal(classes="dialog-buttons"):
            yield Button("Cancel (esc)", id="cancel")
            yield Button(f"{self.SUBMIT} (ctrl+s)", id="save", variant="primary")

    def to_model(self):
        raise NotImplementedError

    def action_submit(self) -> None:
        """Dismiss with the result, or say what to fix and stay open."""
        try:
            result = self.to_model()
        except ValueError as error:
            self.show_error(str(error))
            return
        self.dismiss(result)

    def show_error(self, error: str) -> None:
        """Say what to fix, under the fields."""
        self.query_one(".form-error", Static).update(Text(error))

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


def parse_number(text: str, what: str) -> float:
    """The number typed in a field (its bounds are the model's rules), or ValueError naming the field."""
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{what}: type a number") from None


def refuse_broken_rules(violations: Iterable[Violation]) -> None:
    """Raise ValueError with the first rule of the model the form's values break, worded to fix it."""
    problem = first_problem(violations)
    if problem is not None:
        raise ValueError(problem)


class ResponsibilityForm(Form):
    """Add a custom responsibility to the catalog."""

    SUBMIT = "Add"

    def __init__(self, taken: set[str]) -> None:
        super().__init__()
        self._taken = taken

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("New responsibility", classes="dialog-title")
            yield Label("Title")
            yield Input(id="title", placeholder="What has to be done, e.g. Run trade shows")
            yield Label("Function")
            yield Select([(name, name) for name in FUNCTIONS], id="function", value="operations", allow_blank=False)
            yield Label("Weekly hours (your assumption)")
            yield Input("2", id="hours")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def to_model(self) -> Responsibility:
        """The new responsibility, with an id made from its title."""
        title = clean_line(self.query_one("#title", Input).value).strip()
        hours = parse_number(self.query_one("#hours", Input).value, "weekly hours")
        function = str(self.query_one("#function", Select).value)
        item = Responsibility(slugify(title or "responsibility", self._taken), title, function, hours,
                              "added in the planner (assumption)")
        refuse_broken_rules(check_responsibility(item))
        return item


def _shown(name: str, value: float) -> str:
    return f"{value * 100:g}" if SPECS[name].unit.startswith("%") else f"{value:g}"


# The settings that label costs (model.settings.COST_LABELS): each field's label and what it is for.
COST_FIELDS = {
    "currency": ("Currency of costs (blank: none named)",
                 "named beside the yearly costs of roles and people, where the plan has any"),
    "cost_note": ("Where the costs come from (blank: not said)",
                  "shown beside the payroll and every cost: costs are your inputs, the planner does not work them out"),
}


class SettingsForm(Form):
    """The plan's capacity, switching rate, thresholds, coordination and spread, with their sources."""

    SUBMIT = "Apply"

    DEFAULT_CSS = """
    SettingsForm .dialog { width: 90; height: 90%; }
    SettingsForm .source { color: $text-muted; }
    """

    def __init__(self, settings: Settings, consequence: Callable[[Settings], str]) -> None:
        """`consequence` words what new settings would do to the plan, for values outside the usual ranges."""
        super().__init__()
        self._settings = settings
        self._consequence = consequence

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Settings: every figure follows them", classes="dialog-title")
            with VerticalScroll():
                for name, spec in SPECS.items():
                    unit = "%" if spec.unit.startswith("%") else spec.unit
                    kind = "assumption" if spec.assumption else "published figure"
                    yield Label(Text(f"{spec.label} ({unit})"))
                    yield Input(_shown(name, getattr(self._settings, name)), id=name)
                    yield Static(Text(f"{kind}: {spec.source}"), classes="source")
                for name, (label, explained) in COST_FIELDS.items():
                    yield Label(label)
                    yield Input(getattr(self._settings, name), id=name)
                    yield Static(Text(explained), classes="source")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_submit(self) -> None:
        """Apply settings in their usual ranges; others only once the user has seen what they would do."""
        try:
            settings = self.to_model()
        except ValueError as error:
            self.show_error(str(error))
            return
        unusual = unusual_settings(settings)
        if not unusual:
            self.dismiss(settings)
            return
        body = "; ".join(unusual) + ".\n\n" + self._consequence(settings) + "\n\nApply them anyway?"
        self.app.push_screen(Confirm("Unusual settings", body, "Apply"), lambda yes: yes and self.dismiss(settings))

    def to_model(self) -> Settings:
        """New settings from the fields, checked against the plan's rules."""
        values = {}
        for name, spec in SPECS.items():
            scale = 100 if spec.unit.startswith("%") else 1
            text = self.query_one(f"#{name}", Input).value
            values[name] = parse_number(text, spec.label) / scale
        labels = {name: clean_line(self.query_one(f"#{name}", Input).value).strip() for name in COST_FIELDS}
        settings = Settings(**values, **labels)
        refuse_broken_rules(check_settings(settings))
        return settings


class SaveAsForm(Form):
    """Ask for a file to save the plan to (the folder defaults to saves/)."""

    def __init__(self, suggestion: Path) -> None:
        super().__init__()
        self._suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Save as", classes="dialog-title")
            yield Label("File (.toml)")
            yield Input(str(self._suggestion), id="path")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def to_model(self) -> Path:
        """The chosen path, with .toml added when missing."""
        text = self.query_one("#path", Input).value.strip()
        if not text:
            raise ValueError("type a file name")
        path = Path(text).expanduser()
        return path if path.suffix == ".toml" else path.with_name(path.name + ".toml")


@dataclass(frozen=True)
class ExportChoice:
    """The format, file and optional scenario to compare with, as chosen in the export dialog."""

    fmt: str
    path: Path
    compare: str | None


# What a format name alone does not say.
FORMAT_LABELS = {"roles": "roles (role cards, Markdown)"}


class ExportForm(Form):
    """Choose a format and a file (the folder defaults to saves/) to export the scenario shown."""

    SUBMIT = "Export"

    def __init__(self, folder: Path, stem: str, formats: dict[str, str], scenarios: list[str]) -> None:
        super().__init__()
        self._folder, self._stem, self._formats, self._scenarios = folder, stem, formats, scenarios

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Export", classes="dialog-title")
            yield Label("Format")
            yield Select([(FORMAT_LABELS.get(name, name), name) for name in self._formats], id="format", value="html",
                         allow_blank=False)
            yield Label("File")
            yield Input(str(self._folder / f"{self._stem}.html"), id="path")
            yield Label("Compare with scenario (markdown, html, json; blank: none)")
            yield Select([(Text(name), name) for name in self._scenarios], id="compare", prompt="none")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#format", Select).focus()

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        if not Path(path.value).name:
            return
        chosen = Path(path.value)
        stem = chosen.stem
        if stem in (self._stem, f"{self._stem}-roles"):  # the suggested name: role cards get their own
            stem = f"{self._stem}-roles" if event.value == "roles" else self._stem
        path.value = str(chosen.with_name(f"{stem}.{self._formats[str(event.value)]}"))

    def to_model(self) -> ExportChoice:
        """The export as chosen."""
        text = self.query_one("#path", Input).value.strip()
        if not text:
            raise ValueError("type a file name")
        other = self.query_one("#compare", Select).value
        return ExportChoice(str(self.query_one("#format", Select).value), Path(text).expanduser(),
                            None if other is Select.NULL else str(other))


class ImportForm(Form):
    """Ask for a staff CSV to make a new plan from."""

    SUBMIT = "Import"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Import a staff list (CSV)", classes="dialog-title")
            yield Static(Text("Columns such as Employee ID, Full Name, Job Title, Reports To are recognised; "
                              "titles that match catalog roles get those roles.", style="italic"))
            yield Label("CSV file")
            yield Input(id="path", placeholder="staff.csv")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def to_model(self) -> Path:
        """The CSV file, which must exist."""
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        if not path.is_file():
            raise ValueError(f"no file at {path}")
        return path
