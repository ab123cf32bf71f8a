"""The Textual app: opens plans, saves them, and asks before losing changes."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message as Event
from textual.screen import Screen

from planner.model.errors import PlanError, PlanFileError
from planner.model.plan import Plan
from planner.model.settings import Settings
from planner.model.text import slugify
from planner.storage import load
from planner.storage.files import file_exists
from planner.storage.importer import import_csv
from planner.storage.layouts import load_layout
from planner.storage.safety import (
    Recovery,
    open_recovery,
    pending_recoveries,
    remove_recovery,
    state_dir,
    write_crash_log,
)
from planner.ui.collector import IDLE_SECONDS, collect_if_due, defer_full_passes, resume_full_passes
from planner.ui.commands import PlannerCommands
from planner.ui.disk_watch import DiskWatch
from planner.ui.keys import KeysInOrder
from planner.ui.room import RoomLink, RoomMember
from planner.ui.screens.compare import CompareScreen
from planner.ui.screens.dialogs import Choice, Confirm, Notice, UnsavedChanges
from planner.ui.screens.forms import SaveAsForm
from planner.ui.screens.help import HelpScreen
from planner.ui.screens.main import MainScreen
from planner.ui.screens.start import StartScreen
from planner.ui.session import SaveTicket, Session

RECOVERY_SECONDS = 2.0
HANGUP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
HANGUP_GRACE_SECONDS = 1.5
HANGUP_FLUSH_SECONDS = 1.0
EXIT_HANGUP = 129
SAVE_PROGRESS_AFTER = 0.3
SAVE_STAGES = ("copying", "serialising", "writing", "checking")


class PlannerApp(RoomMember, KeysInOrder):
    """Org Planner in the terminal."""

    CSS_PATH = "planner.tcss"
    TITLE = "Org Planner"
    COMMANDS = App.COMMANDS | {PlannerCommands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", key_display="f1", id="app.help",
                tooltip="Keys, and how load and risk are worked out"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit", priority=True, tooltip="Quit (asks about unsaved changes)"),
    ]

    @dataclass
    class SaveProgress(Event):
        """A save in the worker reached a stage."""

        ticket: SaveTicket
        stage: str

    @dataclass
    class SaveDone(Event):
        """A save in the worker finished (its ticket holds the outcome)."""

        ticket: SaveTicket

    def __init__(self, session: Session | None = None, saves: Path = Path("saves"), read_only: bool = False,
                 confine: bool = False, room_fd: int | None = None) -> None:
        """`room_fd` is this session's connection to its rooms, from `planner serve --ssh`."""
        super().__init__()
        self.session = session
        self.saves = saves
        self.read_only = read_only
        self.confine = confine
        self.state = state_dir(saves if confine else None)
        self.startup_error: PlanFileError | None = None
        self.startup_recoveries: Sequence[Recovery] = ()
        self.room = RoomLink(self, room_fd) if room_fd is not None else None
        self.disk_watch = DiskWatch(self)
        self.save_status = ""
        self._save: SaveTicket | None = None
        self._save_then: Callable[[], object] | None = None
        self._when_saved: list[Callable[[], object]] = []

    @property
    def limited(self) -> bool:
        """Whether this is a client's session (confined or a viewer's): only the planner's own commands."""
        return self.confine or self.read_only

    def new_session(self, plan: Plan, path: Path | None = None, origin: str = "", from_layout: bool = False) -> Session:
        """A session on a plan, read-only for a viewer, keeping untitled recoveries in this app's state folder."""
        return Session(plan, path, origin=origin, read_only=self.read_only, state=self.state, from_layout=from_layout)

    def on_mount(self) -> None:
        self.theme = "textual-dark"
        self._watch_signals()
        self.set_interval(RECOVERY_SECONDS, lambda: self.keep_recovery(wait=False))
        defer_full_passes()
        self.set_interval(IDLE_SECONDS, self._collect_when_idle)
        if self.room is not None:
            self.room.start()
        self.disk_watch.start()
        if self.session is not None:
            self.open_session(self.session)
        else:
            self.push_screen(self.start_screen())
        if self.startup_error is not None:
            self.show_load_error(self.startup_error)
        self.offer_recoveries(self.startup_recoveries)

    def on_unmount(self) -> None:
        self._ignore_signals()
        resume_full_passes()
        gc.unfreeze()
        if self._save is not None:
            ticket = self._save
            ticket.done.wait()
            with contextlib.suppress(PlanError):
                self._finish_save(ticket)
        if self.session is not None:
            self.keep_recovery()
            self.session.close()

    def _watch_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in HANGUP_SIGNALS:
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                loop.add_signal_handler(signum, self.hang_up)

    def _ignore_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in HANGUP_SIGNALS:
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                loop.remove_signal_handler(signum)

    def hang_up(self) -> None:
        """The terminal went away (SIGHUP) or we were told to stop (SIGTERM): keep the changes and go."""
        watchdog = threading.Timer(HANGUP_GRACE_SECONDS, os._exit, (EXIT_HANGUP,))
        watchdog.daemon = True
        watchdog.start()
        with contextlib.suppress(Exception):
            self.keep_recovery(timeout=HANGUP_FLUSH_SECONDS)
            if self.session is not None:
                self.session.close()
        self.exit(return_code=EXIT_HANGUP)

    def keep_recovery(self, wait: bool = True, timeout: float | None = None) -> None:
        """Keep unsaved changes in the recovery file; `wait` for its thread to write them (every few seconds: not)."""
        if self.session is not None:
            try:
                self.session.keep_recovery(wait, timeout)
            except OSError as error:
                self.notify(f"Could not write the recovery file: {error}", severity="warning", markup=False)

    def _fatal_error(self) -> None:
        """On a crash: keep the changes, log the traceback to a file, and print no plan data to the terminal.

        A viewer's session writes no log.
        """
        with contextlib.suppress(Exception):
            self.keep_recovery(timeout=HANGUP_FLUSH_SECONDS)
        session = self.session
        kept = session is not None and session.dirty and session.recovery is not None
        where = f" Unsaved changes are in {session.recovery}." if kept else ""
        details = "" if self.read_only else f" Details for a bug report: {write_crash_log(self._exception, self.state)}"
        self.panic(Text(f"Org Planner stopped on an internal error ({type(self._exception).__name__}).{where}{details}"))

    def offer_recoveries(self, recoveries: Sequence[Recovery], index: int = 0) -> None:
        """Offer, one at a time, the unsaved changes left by sessions that ended: restore one, discard, or keep each."""
        if index >= len(recoveries):
            return
        recovery = recoveries[index]
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(recovery.written))
        found = f"{recovery.path.name} holds changes to this plan that a session which has ended did not save ({when})"
        title = "Unsaved changes found" + (f" ({index + 1} of {len(recoveries)})" if len(recoveries) > 1 else "")
        if recovery.plan is None:
            body = f"{found}, but {recovery.problem}.\n\nDiscard them for good, or keep the file to decide later?"
            choices = [("discard", "d", "Discard"), ("later", "l", "Later")]
        else:
            older = ("\n\nThey were written before the plan was last saved: restoring them replaces what was "
                     "saved since.") if recovery.before_last_save else ""
            body = (f"{found}:\n  - " + "\n  - ".join(recovery.changes) + older
                    + "\n\nRestore them, discard them for good, or keep them to decide later?")
            choices = [("restore", "r", "Restore"), ("discard", "d", "Discard"), ("later", "l", "Later")]

        def answer(choice: str) -> None:
            if choice == "restore":
                self._restore(recovery, left=len(recoveries) - index - 1)
                return
            if choice == "discard":
                remove_recovery(recovery.path)
            self.offer_recoveries(recoveries, index + 1)

        self.push_screen(Choice(title, body, choices), answer)

    def _restore(self, recovery: Recovery, left: int) -> None:
        """Open the recovered changes as this session's own unsaved changes; the others stay for next time."""
        restored = self.new_session(recovery.plan, self.session.path)
        self.open_session(restored)
        self._take_over(restored, recovery)
        if left:
            self.notify(f"{left} more set(s) of unsaved changes to this plan are kept: open it again to see them.",
                        timeout=10, markup=False)

    def _take_over(self, session: Session, recovery: Recovery) -> None:
        """Make a recovered file's changes the session's own (its own recovery file), then remove that file."""
        session.take_over(recovery.path, recovery.adoptable)
        self.keep_recovery(wait=False)

    @property
    def main_screen(self) -> MainScreen | None:
        """The main screen, if a plan is open."""
        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    def show_load_error(self, error: PlanFileError) -> None:
        """Explain why a plan could not be opened, as `planner check` words it."""
        self.push_screen(Notice(f"Could not open {error.source}", error.render()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The app's keys and "Open or new"; Textual's own commands (theme, screenshot...) only outside client sessions."""
        if not self.limited:
            yield from (command for command in super().get_system_commands(screen) if command.title != "Quit")
        for binding in self.BINDINGS:
            yield SystemCommand(binding.description, binding.tooltip, getattr(self, f"action_{binding.action}"))
        yield SystemCommand("Open or new", "Open a recent plan or start from a layout", self.action_open)

    def action_help(self) -> None:
        """Show the keys and the method."""
        if isinstance(self.screen, HelpScreen):
            return
        bindings = [*self.BINDINGS, *MainScreen.BINDINGS]
        self.push_screen(HelpScreen(bindings, self.session.plan.settings if self.session else Settings()))

    def action_open(self) -> None:
        """Go to the start screen (asking first about unsaved changes)."""
        self._unless_unsaved(lambda: self.push_screen(self.start_screen()))

    def start_screen(self) -> StartScreen:
        """The start screen: plans of the folder, and untitled recoveries for those who may restore them."""
        return StartScreen(self.saves, None if self.read_only else self.state, self.allowed_path)

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
        chosen = message.path or message.recovered
        if chosen is not None and not self.allowed_path(chosen):
            self.push_screen(Notice("Not allowed", f"{chosen.name} leads outside {self.saves}."))
            return
        recoveries: Sequence[Recovery] = ()
        recovered: Recovery | None = None
        try:
            if message.recovered is not None:
                recovered = open_recovery(message.recovered)
                session = self.new_session(recovered.plan, origin="recovered")
            elif message.path is not None:
                plan = load(message.path)
                session = self.new_session(plan, message.path)
                recoveries = self.pending_recoveries(message.path, plan)
            else:
                session = self.new_session(load_layout(message.layout), origin=message.layout, from_layout=True)
        except PlanFileError as error:
            self.show_load_error(error)
            return
        except (PlanError, OSError) as error:
            self.push_screen(Notice("Could not open the plan", str(error)))
            return
        self.open_session(session)
        if recovered is not None:
            self._take_over(session, recovered)
        self.offer_recoveries(recoveries)

    def pending_recoveries(self, path: Path, plan: Plan) -> Sequence[Recovery]:
        """Unsaved changes of a plan left by ended sessions, for an editor to restore (a viewer is not shown them)."""
        return () if self.read_only else pending_recoveries(path, plan)

    def on_compare_screen_jump_to(self, message: CompareScreen.JumpTo) -> None:
        """Leave the comparison for a person in one of its scenarios."""
        main = self.main_screen
        if main is None:
            return
        self.pop_screen()
        main.show_scenario(message.scenario)
        main.go_to(message.person_id)

    def import_staff(self, path: Path) -> None:
        """Open a new plan made from a staff CSV; rows with problems are listed and can be left out."""
        try:
            result = import_csv(path, path.stem)
        except PlanError as error:
            self.push_screen(Notice("Could not import", str(error)))
            return
        session = self.new_session(result.plan, origin=path.name)
        if not result.problems:
            self._unless_unsaved(lambda: self.open_session(session))
            return
        body = "\n".join(problem.render(str(path)) for problem in result.problems)
        self.push_screen(Choice(f"{len(result.problems)} row(s) have problems", body + "\n\nOpen the other rows?",
                                [("open", "o", "Open the rest"), ("cancel", "c", "Cancel")]),
                         lambda answer: answer == "open" and self._unless_unsaved(lambda: self.open_session(session)))

    def open_session(self, session: Session) -> None:
        """Make a session the open plan, replacing the screens of the previous one."""
        if self.session is not None and self.session is not session:
            self.session.close()
        self.session = session
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(MainScreen(session))
        self._keep_out_of_the_collector()
        if self.room is not None:
            self.room.joined(session)
        self.keep_recovery(wait=False)
        other = session.open_lock()
        if other is not None and self.room is None:
            self.notify(f"This plan is also open in another session: {other.describe()}. The planner will ask "
                        "before saving over changes made there.", title="Open elsewhere", severity="warning",
                        timeout=10, markup=False)

    def replace_session(self, session: Session) -> None:
        """Put another session on the same plan file in place of the open one: same screens, scenario and person."""
        old = self.session
        if old.scenario in session.plan.scenarios:
            session.scenario = old.scenario
        old.close()
        session.open_lock()
        self.session = session
        self._keep_out_of_the_collector()
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.session = session
                if screen.is_mounted:
                    screen.refresh_all()

    def _collect_when_idle(self) -> None:
        """The collector's full pass once no key has come for a second and no worker runs, so none falls in a key press.

        A worker (a save, a hand-off plan) holds a plan's worth of new objects while it runs: a full pass
        then would walk them all and hold the screen for as long (0.4 s in a save of 100,000 people).
        """
        idle = time.monotonic() - self.last_key_at >= IDLE_SECONDS
        if idle and not any(worker.is_running for worker in self.workers):
            collect_if_due()

    def _keep_out_of_the_collector(self) -> None:
        """Let the plan shown before be collected, and leave the one shown now out of the collector's full passes.

        A plan and its first analysis live as long as the session and hold no garbage: frozen, they are not
        walked by the full collections, each of which stalls the UI (150 ms at 10,000 people, 2 s at 100,000).
        """
        gc.unfreeze()
        self.call_after_refresh(gc.freeze)

    def save_session(self, then=None) -> None:
        """Save to the open file, or ask for one; `then` runs after a successful save."""
        if self.session is None or self.refuse_writing() or self._after_the_save(lambda: self.save_session(then)):
            return
        if self.session.path is None:
            self.save_session_as(then)
            return
        if self.session.changed_on_disk():
            self._resolve_conflict(then)
            return
        self._write(self.session.path, then)

    def _resolve_conflict(self, then=None) -> None:
        """The file changed on disk since it was opened here: reload it, save elsewhere, or overwrite."""
        path = self.session.path
        body = (f"{path} was changed outside this session (another session, an editor, git) since you opened "
                "or saved it. Saving now would overwrite those changes.")

        def answer(choice: str) -> None:
            if choice == "overwrite":
                self._write(path, then)
            elif choice == "save-as":
                self.save_session_as(then)
            elif choice == "reload":
                self.push_screen(Confirm("Reload?", f"Load {path} as it is on disk now and drop your unsaved "
                                         "changes here?", "Reload"), lambda yes: yes and self._reload(path))

        self.push_screen(Choice("The file changed on disk", body, [
            ("save-as", "a", "Save as"), ("reload", "r", "Reload"), ("overwrite", "o", "Overwrite"),
            ("cancel", "c", "Cancel")]), answer)

    def _reload(self, path: Path) -> None:
        try:
            plan = load(path)
        except PlanFileError as error:
            self.show_load_error(error)
            return
        self.session.discard()
        self.open_session(self.new_session(plan, path))

    def refuse_writing(self) -> bool:
        """In a viewer's session, say that nothing can be written, and return True."""
        if self.read_only:
            self.push_screen(Notice("Read-only session", "This is a viewer's session: plans can be read and "
                                     "tried out here, but nothing can be saved, exported or changed on disk."))
        return self.read_only

    def allowed_path(self, path: Path) -> bool:
        """Whether a file may be opened or written: anywhere, or inside the plans folder when confined (links followed)."""
        if not self.confine:
            return True
        try:
            return path.resolve().is_relative_to(self.saves.resolve())
        except (OSError, ValueError):
            return False

    def write_file(self, path: Path, what: str, write: Callable[[], object], replaces: Callable[[Path], bool]) -> None:
        """Run `write` if `path` may be written, asking first when it `replaces` a file; otherwise say why not."""
        if not self.allowed_path(path):
            self.push_screen(Notice("Not allowed", f"Files are kept in {self.saves}: choose a file there."))
            return
        try:
            replacing = replaces(path)
        except PlanError as error:
            self.push_screen(Notice("Cannot write there", str(error)))
            return
        if replacing:
            self.push_screen(Confirm("Replace file?", f"{path} exists. Replace it with {what}?", "Replace"),
                             lambda yes: yes and write())
        else:
            write()

    def save_session_as(self, then=None) -> None:
        """Ask for a file and save there (confirming before replacing another file)."""
        if self.session is None or self.refuse_writing():
            return
        suggestion = self.session.path or self.saves / f"{slugify(self.session.plan.name)}.toml"

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.write_file(path, "this plan", lambda: self._write(path, then),
                                lambda target: target != self.session.path and file_exists(target))

        self.push_screen(SaveAsForm(suggestion), chosen)

    @property
    def saving(self) -> bool:
        """Whether a save is under way in the worker."""
        return self._save is not None

    def _after_the_save(self, request: Callable[[], object]) -> bool:
        """While a save runs, keep `request` for when it ends and return True; else False."""
        if not self.saving:
            return False
        self._when_saved.append(request)
        return True

    def _write(self, path: Path, then=None) -> None:
        """Save in a worker: the file gets the plan as it is now, and editing goes on while it is written."""
        if self._after_the_save(lambda: self._write(path, then)):
            return
        self._save = ticket = self.session.begin_save(path)
        self._save_then = then
        self.set_timer(SAVE_PROGRESS_AFTER, lambda: self._show_save_progress(ticket))
        self._save_in_background(ticket)

    @work(thread=True, group="save", description="save the plan")
    def _save_in_background(self, ticket: SaveTicket) -> None:
        ticket.write(lambda stage: self.post_message(self.SaveProgress(ticket, stage)))
        self.post_message(self.SaveDone(ticket))

    @on(SaveProgress)
    def _save_progressed(self, message: SaveProgress) -> None:
        if self.save_status:
            self._show_save_progress(message.ticket)

    def _show_save_progress(self, ticket: SaveTicket) -> None:
        """Say in the title how far the save has got, once it has taken long enough to notice."""
        if self._save is not ticket:
            return
        if not self.save_status:
            self.notify(f"Saving {ticket.target.name} in the background: keep working. It holds the plan as it was "
                        "when you saved.", timeout=4, markup=False)
        self.save_status = f" · saving {SAVE_STAGES.index(ticket.stage) + 1}/{len(SAVE_STAGES)}: {ticket.stage}…"
        self._show_titles()

    @on(SaveDone)
    def _save_done(self, message: SaveDone) -> None:
        if self._save is not message.ticket:
            return
        then, waiting = self._save_then, self._when_saved
        self._save_then, self._when_saved = None, []
        try:
            saved = self._finish_save(message.ticket)
        except PlanError as error:
            self.push_screen(Notice("Could not save", str(error)))
        else:
            self.notify(f"Saved {saved}", timeout=3, markup=False)
            if self.room is not None:
                self.room.saved(self.session, message.ticket.state)
            if then is not None:
                then()
        self._show_titles()
        for request in waiting:
            request()

    def _finish_save(self, ticket: SaveTicket) -> Path:
        """Take the finished save into its session; the file saved, or the save's PlanError."""
        self._save, self.save_status = None, ""
        return ticket.session.finish_save(ticket)

    def _show_titles(self) -> None:
        if self.main_screen is not None:
            self.main_screen.show_titles()

    def _unless_unsaved(self, proceed) -> None:
        """Run `proceed` now, or after the user saves or discards unsaved changes (after a save under way ends)."""
        if self._after_the_save(lambda: self._unless_unsaved(proceed)):
            return
        if self.session is None or not self.session.dirty or (
                self.room is not None and self.room.keeps_changes(self.session)):
            proceed()
            return
        if self.read_only:
            self.push_screen(Choice("Changes not kept", f"{self.session.file_label} has changes tried out here, "
                                    "which a viewer's session does not keep. Discard them?",
                                    [("discard", "d", "Discard"), ("cancel", "c", "Cancel")]),
                             lambda choice: choice == "discard" and proceed())
            return

        def answer(choice: str) -> None:
            if choice == "save":
                self.save_session(then=proceed)
            elif choice == "discard":
                self.session.discard()
                proceed()

        self.push_screen(UnsavedChanges(self.session.unsaved_text), answer)

    async def action_quit(self) -> None:
        """Quit, asking first when there are unsaved changes."""
        self._unless_unsaved(self.exit)


def make_app(path: Path | None = None, layout: str | None = None, saves: Path = Path("saves"),
             read_only: bool = False, confine: bool = False, room_fd: int | None = None) -> PlannerApp:
    """The app on a plan file, a starter layout, or the start screen: the CLI and the tests both use this.

    `read_only` makes a viewer's session (nothing is written or removed); `confine` keeps every file the
    session opens or writes, its own state included, inside `saves`; `room_fd` joins the rooms of
    `planner serve --ssh`.
    """
    app = PlannerApp(None, saves, read_only=read_only, confine=confine, room_fd=room_fd)
    if path is not None:
        try:
            plan = load(path)
        except PlanFileError as error:
            app.startup_error = error
            return app
        app.session = app.new_session(plan, path)
        app.startup_recoveries = app.pending_recoveries(path, plan)
    elif layout is not None:
        app.session = app.new_session(load_layout(layout), origin=layout, from_layout=True)
    return app
