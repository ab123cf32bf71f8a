"""Small dialogs: confirm, unsaved changes, and a message that shows text literally."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

DIALOG_CSS = """
.dialog { width: 72; max-width: 100%; height: auto; max-height: 100%; border: thick $primary;
          background: $surface; padding: 0 1; overflow-y: auto; }
.dialog-title { text-style: bold; margin-bottom: 1; }
.dialog-buttons { height: auto; margin-top: 1; align-horizontal: right; }
.dialog-buttons Button { margin-left: 1; }
"""


class Dialog(ModalScreen):
    """A modal whose inputs and buttons are compact, so it fits a 24-line terminal."""

    def on_mount(self) -> None:
        for widget in self.query("Input, Select, TextArea, Button"):
            widget.compact = True


class Confirm(Dialog):
    """Ask a yes/no question; enter or y confirms, escape or n cancels."""

    DEFAULT_CSS = "Confirm { align: center middle; }" + DIALOG_CSS
    BINDINGS = [
        Binding("escape,n", "dismiss(False)", "Cancel", id="confirm.no"),
        Binding("y", "dismiss(True)", "Yes", id="confirm.yes"),
    ]

    def __init__(self, title: str, question: str, yes: str = "Yes") -> None:
        super().__init__()
        self._title, self._question, self._yes = title, question, yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="dialog-title")
            yield Static(Text(self._question))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (n)", id="no")
                yield Button(f"{self._yes} (y)", id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class UnsavedChanges(Dialog):
    """Ask what to do with unsaved changes: "save", "discard" or "cancel"."""

    DEFAULT_CSS = "UnsavedChanges { align: center middle; }" + DIALOG_CSS
    BINDINGS = [
        Binding("escape,c", "dismiss('cancel')", "Cancel", id="unsaved.cancel"),
        Binding("s", "dismiss('save')", "Save", id="unsaved.save"),
        Binding("d", "dismiss('discard')", "Discard", id="unsaved.discard"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self._what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Unsaved changes", classes="dialog-title")
            yield Static(Text(f"{self._what} has changes that are not saved."))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (c)", id="cancel")
                yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Save (s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)


class Message(Dialog):
    """Show a message (an error report, say) as literal text until dismissed."""

    DEFAULT_CSS = "Message { align: center middle; } Message VerticalScroll { height: auto; max-height: 16; }" + DIALOG_CSS
    BINDINGS = [Binding("escape,enter", "dismiss", "Close", id="message.close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self._title, self._body = title, body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="dialog-title")
            with VerticalScroll():
                yield Static(Text(self._body))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close (enter)", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss()


class Choice(Dialog):
    """Ask to pick one of several answers, each with its own key; escape picks the last one."""

    DEFAULT_CSS = "Choice { align: center middle; } Choice VerticalScroll { height: auto; max-height: 12; }" + DIALOG_CSS

    def __init__(self, title: str, body: str, answers: list[tuple[str, str, str]]) -> None:
        """`answers` are (value, key, label); the first is the default button."""
        super().__init__()
        self._title, self._body, self._answers = title, body, answers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="dialog-title")
            with VerticalScroll():
                yield Static(Text(self._body))
            with Horizontal(classes="dialog-buttons"):
                for value, key, label in self._answers:
                    yield Button(f"{label} ({key})", id=f"answer-{value}")

    def on_mount(self) -> None:
        self.query_one(f"#answer-{self._answers[0][0]}", Button).focus()

    def on_key(self, event) -> None:
        keys = {key: value for value, key, _ in self._answers}
        if event.key in keys:
            event.stop()
            self.dismiss(keys[event.key])
        elif event.key == "escape":
            event.stop()
            self.dismiss(self._answers[-1][0])

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id.removeprefix("answer-"))
