"""Rooms of `planner serve --ssh`: the sessions on one plan see one plan, edited by whoever holds the pen.

The server process is the room's sequencer. Each session's planner talks to it over a socket pair made
when the session starts (no path on disk: only that child holds its end), in lines of JSON. The server
knows who is at the other end from the key the client logged in with, so a viewer cannot claim the pen.

A planner sends:
    join {plan, signature, snapshot?}   enter the room of a plan file (snapshot: its own unsaved plan)
    leave                               leave the room
    edit {base, edit}                   an edit it applied, on the room's plan as of seq `base` (pen only)
    sync                                send me the room's plan again (I lost step)
    ask                                 ask for the pen
    pass {to?}                          hand the pen on: to member `to`, or to the first who asked
    saved {seq, signature}              it saved the plan as of seq `seq` (pen only)
    present {on}                        start or stop presenting
    view {...}                          what the presenter shows now
The server sends:
    welcome {you, seq, unsaved, state?} you are member `you`; the plan as of `seq` (TOML) when yours differs
    ack {seq}                           your edit is the room's edit `seq`
    edit {seq, edit, by}                the room's edit `seq`, made by `by`
    refused {reason}                    your edit was not taken; the room's plan follows in a welcome
    presence {members, holder, asking, presenter}
    asked {by}                          someone asks you for the pen
    saved {seq, signature}              the holder saved the plan as of `seq`
    view {...}                          what the presenter shows now
    notice {text}                       something to tell the user
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.model.edit_codec import decode_edit
from planner.model.errors import PlanError
from planner.model.plan import Plan
from planner.storage.codec import dumps, loads, loads_bytes

PEN_IDLE_SECONDS = 120.0
MAX_LINE = 128 * 1024 * 1024
MAX_BACKLOG = 64 * 1024 * 1024
ROOM_FD_VARIABLE = "PLANNER_ROOM_FD"

log = logging.getLogger("planner.serve")


def encode(message: dict[str, Any]) -> bytes:
    """One message as a line of JSON."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    """The message a line holds (ValueError when it holds none)."""
    message = json.loads(line)
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise ValueError("a message is a JSON object with a type")
    return message


@dataclass(eq=False)
class Member:
    """One session in a room: who it is, what it may do, and its end of the socket."""

    id: int
    name: str
    role: str
    writer: asyncio.StreamWriter
    last_input: Callable[[], float]
    room: Room | None = None
    backlog: list[bytes] | None = None
    heard_at: float = 0.0

    @property
    def editor(self) -> bool:
        """Whether this member may hold the pen."""
        return self.role == "editor"

    def send(self, message: dict[str, Any]) -> None:
        """Queue a message; while the member waits for its welcome, hold it back until after."""
        data = encode(message)
        if self.backlog is not None:
            self.backlog.append(data)
        elif not self.writer.is_closing():
            self.writer.write(data)
            if self.writer.transport.get_write_buffer_size() > MAX_BACKLOG:
                log.info("room member %s reads nothing; dropped from the room", self.name)
                self.writer.close()

    def welcome(self, message: dict[str, Any]) -> None:
        """Send the welcome, then what was held back meanwhile."""
        held, self.backlog = self.backlog or [], None
        self.send(message)
        for data in held:
            if not self.writer.is_closing():
                self.writer.write(data)


@dataclass(eq=False)
class Room:
    """The sessions on one plan file, the plan as the pen holder has made it, and who holds the pen."""

    path: Path
    plan: Plan
    signature: str | None = None
    seq: int = 0
    saved_seq: int = 0
    members: list[Member] = field(default_factory=list)
    holder: Member | None = None
    asking: list[Member] = field(default_factory=list)
    presenter: Member | None = None
    view: dict[str, Any] | None = None
    idle_check: asyncio.TimerHandle | None = None

    @property
    def unsaved(self) -> bool:
        """Whether the room's plan holds edits the file does not."""
        return self.saved_seq != self.seq

    def presence(self) -> dict[str, Any]:
        """Who is here, who holds the pen, who asks for it, who presents."""
        return {"type": "presence",
                "members": [{"id": m.id, "name": m.name, "role": m.role} for m in self.members],
                "holder": _id(self.holder), "asking": [m.id for m in self.asking], "presenter": _id(self.presenter)}

    def broadcast(self, message: dict[str, Any], but: Member | None = None) -> None:
        """Send a message to every member (but one)."""
        for member in self.members:
            if member is not but:
                member.send(message)


def _id(member: Member | None) -> int | None:
    return member.id if member is not None else None


class RoomServer:
    """Every room of one server: planners join the room of the plan they open; the server orders what they say."""

    def __init__(self, plans: Path, pen_idle_seconds: float = PEN_IDLE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.plans = plans.resolve()
        self.pen_idle_seconds = pen_idle_seconds
        self.clock = clock
        self.rooms: dict[Path, Room] = {}
        self._opening: dict[Path, asyncio.Future[Room]] = {}
        self._numbers = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()

    def attach(self, sock: socket.socket, name: str, role: str, last_input: Callable[[], float]) -> None:
        """Serve a planner at the other end of `sock` until it closes it."""
        task = asyncio.ensure_future(self._attach(sock, name, role, last_input))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _attach(self, sock: socket.socket, name: str, role: str, last_input: Callable[[], float]) -> None:
        reader, writer = await asyncio.open_unix_connection(sock=sock, limit=MAX_LINE)
        await self.serve(reader, writer, name, role, last_input)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, name: str, role: str,
                    last_input: Callable[[], float] | None = None) -> None:
        """Read a member's messages until it goes; then it leaves its room."""
        member = Member(next(self._numbers), name, role, writer, last_input or (lambda: member.heard_at))
        try:
            while line := await reader.readline():
                if not line.endswith(b"\n"):
                    break
                member.heard_at = self.clock()
                await self._handle_line(member, line)
        except (ValueError, ConnectionError) as error:
            log.info("room member %s: %s; dropped", name, error)
        finally:
            self._leave(member)
            writer.close()

    async def _handle_line(self, member: Member, line: bytes) -> None:
        try:
            message = decode(line)
        except ValueError:
            log.info("room member %s sent a line that is not a message; ignored", member.name)
            return
        kind = message["type"]
        if kind == "join":
            await self._join(member, message)
            return
        handler = self._handlers.get(kind)
        if handler is not None and member.room is not None:
            handler(self, member, member.room, message)

    async def _join(self, member: Member, message: dict[str, Any]) -> None:
        """Enter the room of a plan in the plans folder (leaving any other), created from the file or the joiner's plan."""
        self._leave(member)
        try:
            path = self._plan_path(message.get("plan"))
            member.backlog = []
            room, fresh = await self._room(path, message)
        except PlanError as error:
            member.backlog = None
            member.send({"type": "notice", "text": f"Not in a room: {error}"})
            return
        member.room = room
        room.members.append(member)
        if room.holder is None and member.editor:
            room.holder = member
        state = None if fresh else room.plan.copy()
        room.broadcast(room.presence())
        seq, unsaved = room.seq, room.unsaved
        text = await asyncio.to_thread(dumps, state) if state is not None else None
        member.welcome({"type": "welcome", "you": member.id, "seq": seq, "unsaved": unsaved, "state": text})
        if room.view is not None:
            member.send(room.view)

    def _plan_path(self, plan: Any) -> Path:
        if not isinstance(plan, str):
            raise PlanError("the join names no plan")
        path = (self.plans / plan).resolve()
        if not path.is_relative_to(self.plans):
            raise PlanError(f"{plan} is outside the plans folder")
        return path

    async def _room(self, path: Path, message: dict[str, Any]) -> tuple[Room, bool]:
        """The room of a plan, and whether the joiner already holds its plan (it started the room).

        The first joiner's unsaved plan, or else the file as it is, starts a room.
        """
        if path in self.rooms:
            return self.rooms[path], False
        if path in self._opening:
            return await asyncio.shield(self._opening[path]), False
        opening: asyncio.Future[Room] = asyncio.get_running_loop().create_future()
        self._opening[path] = opening
        try:
            room = await asyncio.to_thread(_new_room, path, message.get("snapshot"))
        except PlanError as error:
            opening.set_exception(error)
            opening.exception()
            raise
        finally:
            del self._opening[path]
        self.rooms[path] = room
        opening.set_result(room)
        log.info("room opened on %s", path.name)
        return room, room.signature is None or room.signature == message.get("signature")

    def _leave(self, member: Member) -> None:
        room, member.room = member.room, None
        if room is None:
            return
        room.members.remove(member)
        if member in room.asking:
            room.asking.remove(member)
        if room.presenter is member:
            room.presenter, room.view = None, None
        if not room.members:
            self._close(room)
            return
        if room.holder is member:
            self._give_pen(room, next(iter(room.asking), None) or next((m for m in room.members if m.editor), None))
        else:
            room.broadcast(room.presence())

    def _close(self, room: Room) -> None:
        if room.idle_check is not None:
            room.idle_check.cancel()
        del self.rooms[room.path]
        left = " with unsaved edits" if room.unsaved else ""
        log.info("room on %s closed%s", room.path.name, left)

    def _give_pen(self, room: Room, member: Member | None) -> None:
        room.holder = member
        if member in room.asking:
            room.asking.remove(member)
        self._watch_idle_holder(room)
        room.broadcast(room.presence())

    def _edit(self, member: Member, room: Room, message: dict[str, Any]) -> None:
        """Take the holder's edit as the room's next one and pass it on; anything else is refused with the room's plan."""
        reason = self._refusal(member, room, message)
        if reason is not None:
            member.send({"type": "refused", "reason": reason})
            self._sync(member, room, message)
            return
        room.seq += 1
        member.send({"type": "ack", "seq": room.seq})
        room.broadcast({"type": "edit", "seq": room.seq, "edit": message["edit"], "by": member.name}, but=member)

    def _sync(self, member: Member, room: Room, message: dict[str, Any]) -> None:
        """Send the room's plan again to a member that lost step."""
        member.send({"type": "welcome", "you": member.id, "seq": room.seq, "unsaved": room.unsaved,
                     "state": dumps(room.plan)})

    def _refusal(self, member: Member, room: Room, message: dict[str, Any]) -> str | None:
        """Why an edit cannot be the room's next one (None: it has been applied to the room's plan)."""
        if room.holder is not member:
            holder = room.holder.name if room.holder else "nobody"
            return f"the pen is with {holder}"
        if message.get("base") != room.seq:
            return "the edit was made on an older plan"
        try:
            decode_edit(message.get("edit")).apply(room.plan)
        except PlanError as error:
            return str(error)
        return None

    def _ask(self, member: Member, room: Room, message: dict[str, Any]) -> None:
        if not member.editor:
            member.send({"type": "notice", "text": "A viewer's session cannot take the pen."})
        elif room.holder is None:
            self._give_pen(room, member)
        elif room.holder is not member and member not in room.asking:
            room.asking.append(member)
            room.holder.send({"type": "asked", "by": member.name})
            self._watch_idle_holder(room)
            room.broadcast(room.presence())

    def _pass(self, member: Member, room: Room, message: dict[str, Any]) -> None:
        if room.holder is not member:
            return
        to = next((m for m in room.members if m.id == message.get("to") and m.editor and m is not member), None)
        target = to or next(iter(room.asking), None)
        if target is None:
            member.send({"type": "notice", "text": "Nobody has asked for the pen."})
        else:
            self._give_pen(room, target)

    def _watch_idle_holder(self, room: Room) -> None:
        """While someone asks, pass the pen on by itself once the holder has typed nothing for the idle time."""
        if room.idle_check is not None:
            room.idle_check.cancel()
            room.idle_check = None
        if room.holder is None or not room.asking:
            return
        idle = self.clock() - room.holder.last_input()
        if idle >= self.pen_idle_seconds:
            log.info("the pen on %s passed from %s after %d s of silence", room.path.name, room.holder.name, idle)
            self._give_pen(room, room.asking[0])
            return
        room.idle_check = asyncio.get_running_loop().call_later(self.pen_idle_seconds - idle,
                                                                self._watch_idle_holder, room)

    def _saved(self, member: Member, room: Room, message: dict[str, Any]) -> None:
        seq = message.get("seq")
        if room.holder is member and isinstance(seq, int) and 0 <= seq <= room.seq:
            room.saved_seq = seq
            room.broadcast({"type": "saved", "seq": seq, "signature": message.get("signature")}, but=member)

    def _present(self, member: Member, room: Room, message: dict[str, Any]) -> None:
        if message.get("on") and member.editor:
            room.presenter, room.view = member, None
        elif room.presenter is member:
            room.presenter, room.view = None, None
        room.broadcast(room.presence())

    def _view(self, member: Member, room: Room, message: dict[str, Any]) -> None:
        if room.presenter is member:
            room.view = message
            room.broadcast(message, but=member)

    def _leave_message(self, member: Member, room: Room, message: dict[str, Any]) -> None:
        self._leave(member)

    _handlers: dict[str, Callable[[RoomServer, Member, Room, dict[str, Any]], None]] = {
        "edit": _edit, "sync": _sync, "ask": _ask, "pass": _pass, "saved": _saved, "present": _present, "view": _view,
        "leave": _leave_message,
    }


def _new_room(path: Path, snapshot: Any) -> Room:
    """A room on the plan a joiner holds (with unsaved changes), or on the file as it is."""
    if isinstance(snapshot, str):
        return Room(path, loads(snapshot, str(path)), saved_seq=-1)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PlanError(f"cannot read {path.name}: {error.strerror}") from None
    return Room(path, loads_bytes(raw, str(path)), hashlib.sha256(raw).hexdigest())


def room_socket_pair() -> tuple[socket.socket, socket.socket]:
    """The server's end and the planner's end of a new room connection (the planner's end is inheritable)."""
    server_end, planner_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    planner_end.set_inheritable(True)
    with contextlib.suppress(OSError):
        server_end.setblocking(False)
    return server_end, planner_end
