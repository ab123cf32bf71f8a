"""Pick one of many by typing part of its name: a person to move under, find or merge; a scenario; a help section."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from planner.ui.screens.dialogs import Dialog

SHOWN = 50


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

    def __init__(self, title: str, choices: list[tuple[str, str, str]], extra: tuple[str, str] | None = None) -> None:
        """`choices` are (id, name, detail); `extra` is an optional first choice such as ("", "nobody")."""
        super().__init__()
        self._title = title
        self._choices = choices
        self._extra = extra
        self._keys = [f"{name} {detail}".casefold() for _, name, detail in choices]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="dialog-title")
            yield Input(placeholder="type part of a name", id="picker-filter")
            yield OptionList(id="picker-options")
            yield Static("", id="picker-count")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-filter", Input).focus()

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
