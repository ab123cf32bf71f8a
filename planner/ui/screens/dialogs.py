"""The dialog box every dialog is, and the small ones: a choice, confirm, unsaved changes, a notice shown literally."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

class Dialog(ModalScreen):
    """A modal box in the middle of the screen whose inputs and buttons are compact, so it fits a 24-line terminal.

    Every dialog's look is here, once; a dialog's own DEFAULT_CSS only says what differs (a width, a list's height).
    """

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog .dialog { width: 72; max-width: 100%; height: auto; max-height: 100%; border: thick $primary;
                     background: $surface; padding: 0 1; overflow-y: auto; }
    Dialog .dialog-title { text-style: bold; margin-bottom: 1; }
    Dialog .dialog-buttons { height: auto; margin-top: 1; align-horizontal: right; }
    Dialog .dialog-buttons Button { margin-left: 1; }
    Dialog .form-error { color: $error; height: auto; }
    """

    def on_mount(self) -> None:
        for widget in self.query("Input, Select, TextArea, Button, Checkbox"):
            widget.compact = True


class Choice(Dialog):
    """Ask to pick one of several answers, each with its own key; escape picks the last one.

    A body too long for the box (a file's problems, say) scrolls with the arrows, PageUp/PageDown and Home/End
    while a button has focus.
    """

    DEFAULT_CSS = "Choice VerticalScroll { height: auto; max-height: 16; }"

    BINDINGS = [Binding(key, f"scroll_body('{action}')", show=False, id=f"choice.{action}")
                for key, action in (("up", "scroll_up"), ("down", "scroll_down"), ("pageup", "page_up"),
                                    ("pagedown", "page_down"), ("home", "scroll_home"), ("end", "scroll_end"))]

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
                for index, (value, key, label) in enumerate(self._answers):
                    yield Button(f"{label} ({key})", id=f"answer-{value}", variant="primary" if index == 0 else "default")

    def on_mount(self) -> None:
        self.query_one(f"#answer-{self._answers[0][0]}", Button).focus()

    async def action_scroll_body(self, action: str) -> None:
        """Scroll the body as its own key would."""
        await self.query_one(VerticalScroll).run_action(action)

    def answer(self, value: str) -> object:
        """What the dialog hands back for a chosen value (the value itself here)."""
        return value

    def on_key(self, event) -> None:
        keys = {key: value for value, key, _ in self._answers}
        if event.key in keys:
            event.stop()
            self.dismiss(self.answer(keys[event.key]))
        elif event.key == "escape":
            event.stop()
            self.dismiss(self.answer(self._answers[-1][0]))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.answer(event.button.id.removeprefix("answer-")))


class Confirm(Choice):
    """Ask a yes/no question: y or enter confirms, n or escape cancels; hands back a bool."""

    def __init__(self, title: str, question: str, yes: str = "Yes") -> None:
        super().__init__(title, question, [("yes", "y", yes), ("no", "n", "Cancel")])

    def answer(self, value: str) -> bool:
        return value == "yes"


class UnsavedChanges(Choice):
    """Ask what to do with unsaved changes: "save", "discard" or "cancel"."""

    def __init__(self, why: str) -> None:
        """`why`: what would be lost, in a sentence."""
        super().__init__("Unsaved changes", why,
                         [("save", "s", "Save"), ("discard", "d", "Discard"), ("cancel", "c", "Cancel")])


class Notice(Choice):
    """Show a message (an error report, say) as literal text until dismissed."""

    def __init__(self, title: str, body: str) -> None:
        super().__init__(title, body, [("close", "enter", "Close")])
