"""The planner's side of a room in `planner serve --ssh`: edits relayed both ways, the pen, presence, presenting.

The session holding the pen sends each edit it makes (undo and redo as the edits they applied) and
the room's sequence number it was made on; every other session applies the room's edits in order,
refreshing its views as an edit does, its cursor and dialogs left where they are. planner.serve.rooms
is the other end.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen
from textual.widgets import ContentSwitcher

from planner.model.edit_codec import decode_edit, encode_edit
from planner.model.edits import Edit
from planner.model.errors import PlanError
from planner.model.plan import Plan
from planner.serve.rooms import MAX_LINE, PEN_IDLE_SECONDS, decode, encode
from planner.storage import dumps, loads
from planner.ui.room_keys import EDIT_ACTIONS, SAVE_ACTIONS
from planner.ui.screens.advice import AdviceScreen
from planner.ui.screens.compare import CompareScreen
from planner.ui.screens.main import MainScreen
from planner.ui.session import Session
from planner.ui.widgets.org_tree import OrgTree

if TYPE_CHECKING:
    from planner.ui.app import PlannerApp

PRESENT_SECONDS = 0.2
# The screens a presenter shares and a follower is shown (any other screen is a dialog of its own).
PRESENTED_SCREENS = (MainScreen, CompareScreen, AdviceScreen)


@dataclass(frozen=True)
class Presence:
    """Who is in the room (id, name, role), who holds the pen, who asks for it, who presents."""

    members: tuple[tuple[int, str, str], ...] = ()
    holder: int | None = None
    asking: tuple[int, ...] = ()
    presenter: int | None = None

    @classmethod
    def of(cls, message: Mapping[str, Any]) -> Presence:
        """The presence a server message describes."""
        members = tuple((m["id"], str(m["name"]), str(m["role"])) for m in message["members"])
        return cls(members, message.get("holder"), tuple(message.get("asking", ())), message.get("presenter"))

    def name(self, member: int | None, you: int | None) -> str:
        """A member's name as others see it ("you" for oneself)."""
        if member == you:
            return "you"
        return next((name for id_, name, _ in self.members if id_ == member), "nobody")

    def describe(self, you: int | None) -> str:
        """One line: how many are here, who edits, who presents."""
        editing = f"editing: {self.name(self.holder, you)}" if self.holder is not None else "nobody editing"
        line = f"{len(self.members)} here · {editing}"
        if self.presenter is not None:
            line += " (presenting)" if self.presenter == self.holder else \
                f" · presenting: {self.name(self.presenter, you)}"
        return line


class RoomLink:
    """This planner's connection to the room of the plan it has open, over the socket the server gave it."""

    def __init__(self, app: PlannerApp, fd: int) -> None:
        self.app = app
        self._fd = fd
        self._writer: asyncio.StreamWriter | None = None
        self._outbox: list[bytes] | None = []
        self.session: Session | None = None
        self._path: Path | None = None
        self._remote = False
        self.you: int | None = None
        self.seq = 0
        self._states: dict[int, int] = {}  # the room's edit number -> this session's history state after it
        self.presence = Presence()
        self.following = app.read_only
        self.presenting = False
        self._last_view: dict[str, Any] | None = None
        self._sent_view: dict[str, Any] | None = None
        self._view_due: Mapping[str, Any] | None = None
        self._leaving: Screen | None = None
        self._refresh_due = False

    @property
    def in_room(self) -> bool:
        """Whether this session is in a room now."""
        return self.you is not None

    @property
    def holds_pen(self) -> bool:
        """Whether this session holds the room's pen."""
        return self.in_room and self.presence.holder == self.you

    @property
    def watching(self) -> bool:
        """Whether this session is in a room without the pen (it may not edit)."""
        return self.in_room and self.presence.holder != self.you

    def start(self) -> None:
        """Connect, and handle what the room says until the server closes the connection."""
        self.app.run_worker(self._run(), name="room", group="room")
        self.app.set_interval(PRESENT_SECONDS, self._view_tick)

    async def _run(self) -> None:
        try:
            reader, writer = await asyncio.open_unix_connection(sock=socket.socket(fileno=self._fd), limit=MAX_LINE)
        except OSError:
            self._gone()
            return
        self._writer, outbox, self._outbox = writer, self._outbox or [], None
        for data in outbox:
            writer.write(data)
        with contextlib.suppress(ValueError, ConnectionError):
            while line := await reader.readline():
                self._receive(decode(line))
        self._gone()

    def _gone(self) -> None:
        """The server is gone: go on as a session of one, sending nothing more."""
        was_in_room, self.you, self._writer, self._outbox = self.in_room, None, None, None
        if was_in_room:
            self.app.notify("The live session ended: the plan stays open here as it is.", severity="warning",
                            timeout=10)
            self._show_presence()

    def _send(self, message: dict[str, Any]) -> None:
        data = encode(message)
        if self._outbox is not None:
            self._outbox.append(data)
        elif self._writer is not None and not self._writer.is_closing():
            self._writer.write(data)

    def joined(self, session: Session) -> None:
        """The app opened a session: enter the room of its plan file, leaving the room of the one before."""
        if session is not self.session:
            self._watch(session)
            self._enter(session)

    def _enter(self, session: Session) -> None:
        """Leave the room this session was in, and enter the room of its plan file (if it has one)."""
        if self.in_room:
            self._send({"type": "leave"})
            self.you, self.presence, self.presenting = None, Presence(), False
            self._show_presence()
        self._path = session.path
        if session.path is not None:
            self._send({"type": "join", "plan": str(session.path.resolve()), "signature": session.disk_signature,
                        "snapshot": dumps(session.plan) if session.dirty else None})

    def _watch(self, session: Session) -> None:
        """Hear of every edit the session makes (besides whoever listened before)."""
        self.session = session
        before = session.history.applied

        def applied(edit: Edit) -> None:
            if before is not None:
                before(edit)
            if session is self.session:
                self._made_here(edit)

        session.history.applied = applied

    def _made_here(self, edit: Edit) -> None:
        """Pass on an edit made in this session (the server refuses it, and resends the plan, without the pen)."""
        if self._remote or not self.in_room:
            return
        self._send({"type": "edit", "base": self.seq, "edit": encode_edit(edit)})
        self.seq += 1
        self._states[self.seq] = self.session.history.state

    def _receive(self, message: dict[str, Any]) -> None:
        handler = self._handlers.get(message["type"])
        if handler is not None:
            try:
                handler(self, message)
            except (PlanError, KeyError, TypeError, ValueError):
                self._send({"type": "sync"})

    def _welcome(self, message: dict[str, Any]) -> None:
        resync = self.in_room
        self.you, self.seq = message["you"], message["seq"]
        if message.get("state") is not None:
            self._adopt(loads(message["state"], "the room's plan"), message["unsaved"], resync)
        elif message["unsaved"] and not self.session.dirty:
            self.session.history.mark_unsaved()
        self._states = {self.seq: self.session.history.state}
        if self._last_view is not None and self.following:
            self._follow(self._last_view)
        self._show_presence()

    def _adopt(self, plan: Plan, unsaved: bool, resync: bool) -> None:
        """Take the room's plan in place of this session's, in the same screens (dialogs stay open).

        A session replaced on a resync held only the room's changes: its recovery file goes with it.
        """
        old = self.session
        new = self.app.new_session(plan, old.path)
        if unsaved:
            new.history.mark_unsaved()
        if resync:
            old.discard()
        self._watch(new)
        self.app.replace_session(new)

    def _edit(self, message: dict[str, Any]) -> None:
        if message["seq"] != self.seq + 1:
            raise ValueError("an edit out of order")
        edit = decode_edit(message["edit"])
        with self._applying():
            self.session.history.apply(edit)
        self.seq = message["seq"]
        self._states[self.seq] = self.session.history.state
        self._refresh_soon()

    @contextlib.contextmanager
    def _applying(self) -> Iterator[None]:
        self._remote = True
        try:
            yield
        finally:
            self._remote = False

    def _refresh_soon(self) -> None:
        """Refresh the views once for a burst of the room's edits, as after an edit of one's own."""
        if not self._refresh_due:
            self._refresh_due = True
            self.app.call_later(self._refresh)

    def _refresh(self) -> None:
        self._refresh_due = False
        main = self.app.main_screen
        if main is not None and main.session is self.session:
            main.refresh_all()

    def _refused(self, message: dict[str, Any]) -> None:
        self.app.notify(f"Your last change was not made: {message['reason']}. The plan shown is the room's.",
                        title="Not done", severity="error", timeout=8, markup=False)

    def _presence(self, message: dict[str, Any]) -> None:
        before, self.presence = self.presence, Presence.of(message)
        if self.presence.holder != before.holder and before.members:
            self._tell_pen_moved()
        if self.presence.presenter != self.you:
            self.presenting = False
        self._show_presence()

    def _tell_pen_moved(self) -> None:
        if self.holds_pen:
            self.app.notify("You hold the pen: your changes reach everyone in the room.", title="Pen", timeout=6)
        elif self.presence.holder is None:
            self.app.notify("Nobody holds the pen now.", title="Pen", timeout=6)
        else:
            self.app.notify(f"{self.presence.name(self.presence.holder, self.you)} holds the pen now.",
                            title="Pen", timeout=6, markup=False)

    def _asked(self, message: dict[str, Any]) -> None:
        minutes = PEN_IDLE_SECONDS / 60
        self.app.notify(f"{message['by']} asks for the pen: press P to pass it. It passes by itself after "
                        f"{minutes:g} minutes without a key from you.", title="Pen", timeout=15, markup=False)

    def _saved(self, message: dict[str, Any]) -> None:
        """The holder saved: the plan as it was at that edit is the file now."""
        self.session.saved_elsewhere(self._states.get(message["seq"]), message.get("signature"))
        self._states = {seq: token for seq, token in self._states.items() if seq >= message["seq"]}
        self._refresh_soon()

    def _notice(self, message: dict[str, Any]) -> None:
        self.app.notify(str(message["text"]), timeout=6, markup=False)

    def _view(self, message: dict[str, Any]) -> None:
        self._last_view = message
        if self.following:
            self._follow(message)

    _handlers: dict[str, Callable[[RoomLink, dict[str, Any]], None]] = {
        "welcome": _welcome, "edit": _edit, "refused": _refused, "presence": _presence,
        "asked": _asked, "saved": _saved, "notice": _notice, "view": _view,
    }

    def saved(self, session: Session, state: int) -> None:
        """This session saved its plan as it was at history `state`: tell the room (holding the pen) at which edit.

        Saved under another name, the plan is another file: the session moves to that file's room. A save
        runs in the background, so the plan saved may be a few edits behind the one shown.
        """
        if session is not self.session:
            return
        if session.path != self._path:
            self._enter(session)
            return
        if not self.holds_pen:
            return
        seq = max((seq for seq, at in self._states.items() if at == state), default=None)
        if seq is not None:
            self._send({"type": "saved", "seq": seq, "signature": session.disk_signature})

    def keeps_changes(self, session: Session) -> bool:
        """Whether the room keeps this session's unsaved changes when it leaves (it watches: they are the room's).

        If so, its own copy of them (the recovery file) is dropped.
        """
        if session is not self.session or not self.watching:
            return False
        session.discard()
        return True

    def status(self) -> str:
        """The presence line for the header (empty outside a room)."""
        return self.presence.describe(self.you) if self.in_room and self.presence.members else ""

    def _show_presence(self) -> None:
        """Presence in the title, and the editing keys dimmed or not in the footer."""
        main = self.app.main_screen
        if main is not None and main.is_mounted:
            main.call_after_refresh(main.show_titles)
            main.refresh_bindings()

    def forbids(self, action: str) -> bool:
        """Whether an action would change the plan of a session without the pen.

        A viewer's save is left to the app, which says why a viewer's session never writes.
        """
        return action in EDIT_ACTIONS and self.watching and not (self.app.read_only and action in SAVE_ACTIONS)

    def refuses(self, action: str) -> bool:
        """Refuse an editing action of a session without the pen, saying who has it and how to ask."""
        if not self.forbids(action):
            return False
        if self.app.read_only:
            text = "You watch as a viewer: the plan shown is the room's, and a viewer cannot change it."
        elif self.presence.holder is None:
            text = "Nobody holds the pen: press P to take it."
        else:
            text = f"{self.presence.name(self.presence.holder, self.you)} holds the pen: press P to ask for it."
        self.app.notify(text, title="Not your pen", severity="warning", markup=False)
        return True

    def pen(self) -> None:
        """Ask for the pen, or pass it to whoever asked first."""
        if self.app.read_only:
            self.app.notify("A viewer's session cannot take the pen.", severity="warning")
        elif self.holds_pen:
            self._send({"type": "pass"})
        elif self.you in self.presence.asking:
            self.app.notify(f"You asked; {self.presence.name(self.presence.holder, self.you)} holds the pen.",
                            markup=False)
        else:
            self._send({"type": "ask"})
            if self.presence.holder is not None:
                self.app.notify(f"Asked {self.presence.name(self.presence.holder, self.you)} for the pen.",
                                markup=False)

    def toggle_presenting(self) -> None:
        """Start presenting (followers see this screen and selection), or stop."""
        if self.app.read_only:
            self.app.notify("A viewer's session follows; it cannot present.", severity="warning")
            return
        self.presenting = not self.presenting
        self._sent_view = None
        self._send({"type": "present", "on": self.presenting})
        self.app.notify("Presenting: those who follow see what you see." if self.presenting else "Stopped presenting.",
                        timeout=4)

    def toggle_following(self) -> None:
        """Follow the presenter, or look around on one's own."""
        self.following = not self.following
        self.app.notify("Following the presenter." if self.following else "Not following: you look around alone.",
                        timeout=4)
        if self.following and self._last_view is not None:
            self._follow(self._last_view)

    def _view_tick(self) -> None:
        """A few times a second: send what is shown if presenting and it changed; show a view still to follow."""
        if self._view_due is not None:
            self._follow(self._view_due)
        if not (self.presenting and self.in_room):
            return
        view = current_view(self.app)
        if view is not None and view != self._sent_view:
            self._sent_view = view
            self._send(view)

    def _follow(self, view: Mapping[str, Any]) -> None:
        """Show what the presenter shows once the screens have settled and no dialog of one's own is open."""
        self._view_due = None
        if self.presenting or self.presence.presenter is None or self.presence.presenter == self.you:
            return
        screen = self.app.screen
        settled = screen.is_mounted and (self._leaving is None or not self._leaving.is_running)
        if not settled or not isinstance(screen, PRESENTED_SCREENS):
            self._view_due = view  # a dialog of one's own is open, or screens are changing: at a later tick
            return
        self._leaving = show_view(self.app, view)


def current_view(app: PlannerApp) -> dict[str, Any] | None:
    """What the app shows: the screen, scenario, selected person, open teams and focused team."""
    main = app.main_screen
    if main is None:
        return None
    tree = main.query_one(OrgTree)
    view: dict[str, Any] = {"type": "view", "scenario": main.session.scenario, "selected": tree.person_id,
                            "open": sorted(tree.open_ids), "subtree": tree.subtree_root}
    top = next((screen for screen in reversed(app.screen_stack) if isinstance(screen, PRESENTED_SCREENS)))
    if isinstance(top, CompareScreen):
        view |= {"screen": "compare", "compare": [top.before, top.after]}
    elif isinstance(top, AdviceScreen):
        view |= {"screen": "advice", "advice": top.person_id}
    else:
        view["screen"] = "team" if main.query_one(ContentSwitcher).current == "team-view" else "tree"
    return view


def show_view(app: PlannerApp, view: Mapping[str, Any]) -> Screen | None:
    """Show a presenter's view here, at this terminal's size, from the main screen or a comparison.

    Returns the screen it closed, if any (it goes away a little later).
    """
    main = app.main_screen
    if main is None:
        return None
    session = main.session
    closed = None
    if isinstance(app.screen, CompareScreen | AdviceScreen):
        if _already_shown(app.screen, view):
            return None
        closed = app.screen
        app.pop_screen()
    if view.get("scenario") in session.plan.scenarios and view["scenario"] != session.scenario:
        main.show_scenario(view["scenario"])
    tree = main.query_one(OrgTree)
    subtree = view.get("subtree")
    if subtree != tree.subtree_root and (subtree is None or subtree in session.org):
        tree.set_subtree_root(subtree)
    tree.show_open({person for person in view.get("open", ()) if person in session.org})
    if view.get("selected") in session.org:
        tree.select_person(view["selected"])
    switcher = main.query_one(ContentSwitcher)
    if (view.get("screen") == "team") != (switcher.current == "team-view"):
        main.action_toggle_team()
    if view.get("screen") == "compare":
        before, after = view.get("compare", [None, None])
        if before in session.plan.scenarios and after in session.plan.scenarios:
            app.push_screen(CompareScreen(session, before, after))
    if view.get("screen") == "advice" and (view.get("advice") is None or view["advice"] in session.org):
        main.show_advice(view.get("advice"))
    return closed


def _already_shown(screen: CompareScreen | AdviceScreen, view: Mapping[str, Any]) -> bool:
    """Whether a comparison or hand-off plan on screen is the one a presenter's view shows."""
    if isinstance(screen, CompareScreen):
        return view.get("screen") == "compare" and [screen.before, screen.after] == view.get("compare")
    return view.get("screen") == "advice" and screen.person_id == view.get("advice")


def _action_name(action: str | tuple[Any, ...]) -> str:
    """The name of an action, without its namespace and parameters."""
    if isinstance(action, str):
        return action.split("(", 1)[0].rpartition(".")[2]
    return str(action[1])


class RoomMember(App[None]):
    """An app that may be in a room: presence leads its title, and without the pen its edit keys are refused."""

    def __init__(self) -> None:
        super().__init__()
        self.room: RoomLink | None = None

    async def run_action(self, action: Any, default_namespace: Any = None, namespaces: Any = None) -> bool:
        if self.room is not None and self.room.refuses(_action_name(action)):
            return True
        return await super().run_action(action, default_namespace, namespaces)

    def with_presence(self, title: str) -> str:
        """A title led by who is in the room and who holds the pen (the title alone outside a room)."""
        status = self.room.status() if self.room is not None else ""
        return f"{status} │ {title}" if status else title
