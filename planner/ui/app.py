"""The Textual app: opens plans, saves them, and asks before losing changes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from planner.model.errors import PlanError, PlanFileError
from planner.model.settings import Settings
from planner.model.text import slugify
from planner.storage import load
from planner.storage.layouts import load_layout
from planner.ui.commands import PlannerCommands
from planner.ui.screens.compare import CompareScreen
from planner.ui.screens.dialogs import Confirm, Message, UnsavedChanges
from planner.ui.screens.forms import SaveAsForm
from planner.ui.screens.help import HelpScreen
from planner.ui.screens.main import MainScreen
from planner.ui.screens.start import StartScreen
from planner.ui.session import Session


class PlannerApp(App[None]):
    """Org Planner in the terminal."""

    CSS_PATH = "planner.tcss"
    TITLE = "Org Planner"
    COMMANDS = App.COMMANDS | {PlannerCommands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", key_display="f1", id="app.help",
                tooltip="Keys, and how load and risk are worked out"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit", priority=True, tooltip="Quit (asks about unsaved changes)"),
    ]

    def __init__(self, session: Session | None = None, saves: Path = Path("saves"),
                 startup_error: PlanFileError | None = None) -> None:
        super().__init__()
        self.session = session
        self.saves = saves
        self._startup_error = startup_error

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        if self.session is not None:
            self.push_screen(MainScreen(self.session))
        else:
            self.push_screen(StartScreen(self.saves))
        if self._startup_error is not None:
            self.show_load_error(self._startup_error)

    @property
    def main_screen(self) -> MainScreen | None:
        """The main screen, if a plan is open."""
        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    def show_load_error(self, error: PlanFileError) -> None:
        """Explain why a plan could not be opened, as `planner check` words it."""
        self.push_screen(Message(f"Could not open {error.source}", error.render()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys, and how load and risk are worked out", self.action_help)
        yield SystemCommand("Open or new", "Open a recent plan or start from a layout", self.action_open)

    def action_help(self) -> None:
        """Show the keys and the method."""
        if isinstance(self.screen, HelpScreen):
            return
        bindings = [*self.BINDINGS, *MainScreen.BINDINGS]
        self.push_screen(HelpScreen(bindings, self.session.plan.settings if self.session else Settings()))

    def action_open(self) -> None:
        """Go to the start screen (asking first about unsaved changes)."""
        self._unless_unsaved(lambda: self.push_screen(StartScreen(self.saves)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "back" on the start screen only when a plan is open behind it."""
        if action == "back_to_plan":
            return self.main_screen is not None
        return True

    def action_back_to_plan(self) -> None:
        """Leave the start screen for the open plan, if there is one."""
        if isinstance(self.screen, StartScreen) and self.main_screen is not None:
            self.pop_screen()

    def on_start_screen_chosen(self, message: StartScreen.Chosen) -> None:
        try:
            if message.path is not None:
                session = Session(load(message.path), message.path)
            else:
                session = Session(load_layout(message.layout), origin=message.layout)
        except PlanFileError as error:
            self.show_load_error(error)
            return
        except PlanError as error:
            self.push_screen(Message("Could not open the plan", str(error)))
            return
        self.open_session(session)

    def on_compare_screen_jump_to(self, message: CompareScreen.JumpTo) -> None:
        """Leave the comparison for a person in one of its scenarios."""
        main = self.main_screen
        if main is None:
            return
        self.pop_screen()
        main.show_scenario(message.scenario)
        main.go_to(message.person_id)

    def open_session(self, session: Session) -> None:
        """Make a session the open plan, replacing the screens of the previous one."""
        self.session = session
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(MainScreen(session))

    def save_session(self, then=None) -> None:
        """Save to the open file, or ask for one; `then` runs after a successful save."""
        if self.session is None:
            return
        if self.session.path is None:
            self.save_session_as(then)
            return
        self._write(self.session.path, then)

    def save_session_as(self, then=None) -> None:
        """Ask for a file and save there (confirming before replacing another file)."""
        if self.session is None:
            return
        suggestion = self.session.path or self.saves / f"{slugify(self.session.plan.name)}.toml"

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            if path.exists() and path != self.session.path:
                self.push_screen(Confirm("Replace file?", f"{path} exists. Replace it with this plan?", "Replace"),
                                 lambda yes: yes and self._write(path, then))
            else:
                self._write(path, then)

        self.push_screen(SaveAsForm(suggestion), chosen)

    def _write(self, path: Path, then=None) -> None:
        try:
            saved = self.session.save(path)
        except PlanError as error:
            self.push_screen(Message("Could not save", str(error)))
            return
        self.notify(f"Saved {saved}", timeout=3, markup=False)
        if self.main_screen is not None:
            self.main_screen.refresh_all()
        if then is not None:
            then()

    def _unless_unsaved(self, proceed) -> None:
        """Run `proceed` now, or after the user saves or discards unsaved changes."""
        if self.session is None or not self.session.dirty:
            proceed()
            return

        def answer(choice: str) -> None:
            if choice == "save":
                self.save_session(then=proceed)
            elif choice == "discard":
                proceed()

        self.push_screen(UnsavedChanges(self.session.file_label), answer)

    async def action_quit(self) -> None:
        """Quit, asking first when there are unsaved changes."""
        self._unless_unsaved(self.exit)


def make_app(path: Path | None = None, layout: str | None = None, saves: Path = Path("saves")) -> PlannerApp:
    """The app on a plan file, a starter layout, or the start screen: the CLI and the tests both use this."""
    if path is not None:
        try:
            return PlannerApp(Session(load(path), path), saves)
        except PlanFileError as error:
            return PlannerApp(None, saves, startup_error=error)
    if layout is not None:
        return PlannerApp(Session(load_layout(layout), origin=layout), saves)
    return PlannerApp(None, saves)
