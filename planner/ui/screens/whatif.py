"""What-if dialogs: the scenario list, a scenario name, merging two people's roles, splitting one's."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from planner.model.plan import Plan
from planner.model.scenarios import FATES
from planner.model.text import clean_line
from planner.ui.screens.dialogs import Dialog
from planner.ui.screens.forms import Form


@dataclass(frozen=True)
class ScenarioChoice:
    """What the scenario list asks for: switch, copy, rename or remove, and which scenario."""

    action: str
    name: str


class ScenarioList(Dialog):
    """The plan's scenarios; enter switches, c copies, r renames, x removes."""

    DEFAULT_CSS = "ScenarioList OptionList { height: auto; max-height: 12; }"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="scenarios.close"),
        Binding("c", "choose('copy')", "Copy", id="scenarios.copy", tooltip="A new scenario copied from this one"),
        Binding("r", "choose('rename')", "Rename", id="scenarios.rename"),
        Binding("x,delete", "choose('remove')", "Remove", id="scenarios.remove"),
        Binding("b", "choose('blank')", "Blank", id="scenarios.blank", tooltip="A new empty scenario"),
    ]

    def __init__(self, plan: Plan, current: str) -> None:
        super().__init__()
        self._plan, self._current = plan, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Scenarios", classes="dialog-title")
            yield OptionList(id="scenario-options")
            yield Static(Text("enter: open · c: copy · b: blank · r: rename · x: remove · esc: close", style="italic"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for name, org in self._plan.scenarios.items():
            label = Text(name, style="bold" if name == self._current else "")
            label.append(f" · {len(org)} people" + (" · showing" if name == self._current else ""), style="dim")
            options.add_option(Option(label, id=f"={name}"))
        options.highlighted = list(self._plan.scenarios).index(self._current)
        options.focus()

    def _highlighted(self) -> str:
        options = self.query_one(OptionList)
        return options.get_option_at_index(options.highlighted or 0).id[1:]

    def action_choose(self, action: str) -> None:
        """Hand back an action on the highlighted scenario."""
        self.dismiss(ScenarioChoice(action, self._highlighted()))

    @on(OptionList.OptionSelected)
    def _open(self) -> None:
        self.dismiss(ScenarioChoice("switch", self._highlighted()))


class NameForm(Form):
    """Ask for a name (of a scenario)."""

    def __init__(self, title: str, value: str = "", submit: str = "Create") -> None:
        super().__init__()
        self._title, self._value, self.SUBMIT = title, value, submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="dialog-title")
            yield Input(self._value, id="name")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def to_model(self) -> str:
        """The cleaned name."""
        name = clean_line(self.query_one("#name", Input).value).strip()
        if not name:
            raise ValueError("type a name")
        return name


@dataclass(frozen=True)
class WhatIf:
    """A merge or split choice: the fate or role, a new person's name, and the scenario to create (or None)."""

    choice: str
    name: str
    into: str | None


def _into(form: Form) -> str | None:
    return clean_line(form.query_one("#into", Input).value).strip() or None


class MergeForm(Form):
    """How to merge: what happens to the other person, and whether to do it in a new scenario."""

    SUBMIT = "Merge"

    def __init__(self, keeper: str, other: str, suggestion: str) -> None:
        super().__init__()
        self._keeper, self._other, self._suggestion = keeper, other, suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"Merge {self._other}'s roles into {self._keeper}"), classes="dialog-title")
            yield Static(Text(f"{self._keeper} takes {self._other}'s manager roles and reports. {self._other}…"))
            yield Select([(text, fate) for fate, text in FATES.items()], id="fate", value="leave", allow_blank=False)
            yield Label("Do it in a new scenario named (blank: change this scenario)")
            yield Input(self._suggestion, id="into")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#fate", Select).focus()

    def to_model(self) -> WhatIf:
        """The merge as chosen."""
        return WhatIf(str(self.query_one("#fate", Select).value), "", _into(self))


class SplitForm(Form):
    """How to split: which role to hand over, to whom, and whether in a new scenario."""

    SUBMIT = "Split"

    def __init__(self, person: str, parts: list[tuple[str, str]], suggestion: str) -> None:
        super().__init__()
        self._person, self._parts, self._suggestion = person, parts, suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"Split {self._person}'s roles"), classes="dialog-title")
            yield Label("Hand over this role, with the reports of its function")
            yield Select([(Text(title), role_id) for role_id, title in self._parts], id="part",
                         value=self._parts[-1][0], allow_blank=False)
            yield Label("To a new person named (blank: an open position)")
            yield Input(id="newcomer")
            yield Label("Do it in a new scenario named (blank: change this scenario)")
            yield Input(self._suggestion, id="into")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#part", Select).focus()

    def to_model(self) -> WhatIf:
        """The split as chosen."""
        name = clean_line(self.query_one("#newcomer", Input).value).strip()
        return WhatIf(str(self.query_one("#part", Select).value), name, _into(self))
