"""Pick one of many by typing part of its name: a person to move under, find or merge; a scenario; a help section."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from planner.ui.screens.dialogs import Dialog

SHOWN = 50


# The name of the picker the app keeps: closing a screen that stays installed costs a third of closing
# one Textual takes down (at 10,000 people, 5 ms against 17: it repaints the whole screen once, not twice).
KEPT = "picker"


class Picker(Dialog):
    """Type to filter the choices by name or detail; enter picks the highlighted one, escape cancels."""

    DEFAULT_CSS = """
    Picker OptionList { height: auto; max-height: 14; }
    Picker #picker-count { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="picker.cancel"),
        Binding("down", "focus_list", "List", show=False, id="picker.list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._title = ""
        self._choices: list[tuple[str, str, str]] = []
        self._extra: tuple[str, str] | None = None
        self._keys: list[str] = []

    def ask(self, title: str, choices: list[tuple[str, str, str]], extra: tuple[str, str] | None = None) -> Picker:
        """Ask this (again, if kept), the filter empty; `choices` are (id, name, detail), `extra` a first one like ("", "nobody")."""
        self._title, self._choices, self._extra = title, choices, extra
        self._keys = [f"{name} {detail}".casefold() for _, name, detail in choices]
        if self.is_mounted:
            self._show_question()
        return self

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="dialog-title")
            yield Input(placeholder="type part of a name", id="picker-filter")
            yield OptionList(id="picker-options")
            yield Static("", id="picker-count")

    def on_mount(self) -> None:
        self._show_question()

    def _show_question(self) -> None:
        self.query_one(".dialog-title", Static).update(Text(self._title))
        query = self.query_one("#picker-filter", Input)
        query.clear()
        query.focus()
        self._fill("")

    def _fill(self, query: str) -> None:
        words = query.casefold().split()
        matches = [index for index, key in enumerate(self._keys) if all(word in key for word in words)]
        options = self.query_one("#picker-options", OptionList)
        options.clear_options()
        if self._extra is not None and not words:
            options.add_option(Option(Text(self._extra[1], style="italic"), id=f"={self._extra[0]}"))
        for index in matches[:SHOWN]:
            person_id, name, detail = self._choices[index]
            label = Text(name, style="bold")
            if detail:
                label.append(f" · {detail}", style="dim")
            options.add_option(Option(label, id=f"={person_id}"))
        more = f"; showing {SHOWN}, type more to narrow" if len(matches) > SHOWN else ""
        self.query_one("#picker-count", Static).update(Text(f"{len(matches)} match(es){more}"))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submit(self) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is not None:
            self._pick(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option.id)

    def _pick(self, option_id: str | None) -> None:
        if option_id is not None:
            self.dismiss(option_id[1:])

    def action_focus_list(self) -> None:
        """Move from the filter into the list."""
        self.query_one("#picker-options", OptionList).focus()


def picker(app: App[Any], title: str, choices: list[tuple[str, str, str]],
           extra: tuple[str, str] | None = None) -> Picker:
    """A picker asking this: the app's kept one, unless that is open already (another picker opened over it)."""
    if not app.is_screen_installed(KEPT):
        app.install_screen(Picker(), KEPT)
    kept = app.get_screen(KEPT)
    assert isinstance(kept, Picker)
    return (Picker() if kept in app.screen_stack else kept).ask(title, choices, extra)
