"""The room server alone: fake planners on socket pairs join, edit, ask for and pass the pen, present and drop."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from planner.model.edit_codec import decode_edit, encode_edit
from planner.model.edits import toggle_vacancy, update_person
from planner.serve.rooms import PEN_IDLE_SECONDS, RoomServer, decode, encode, room_socket_pair
from planner.storage import dumps, loads, save
from planner.storage.layouts import load_layout
from planner.storage.safety import file_signature

SAFETY_NET = 30.0
S = "current"


class FakePlanner:
    """One planner's end of a room connection: sends messages and waits for the ones it expects."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.seen: list[dict] = []

    def send(self, message: dict) -> None:
        self.writer.write(encode(message))

    async def expect(self, kind: str, where=lambda message: True) -> dict:
        """The next message of a kind (that passes `where`), skipping others; fails after the safety net."""

        async def read() -> dict:
            while True:
                line = await self.reader.readline()
                assert line, f"the server closed the connection while {kind!r} was awaited; seen {self.seen}"
                message = decode(line)
                self.seen.append(message)
                if message["type"] == kind and where(message):
                    return message

        return await asyncio.wait_for(read(), SAFETY_NET)

    async def presence(self, where) -> dict:
        """The next presence message that passes `where`."""
        return await self.expect("presence", where)

    def close(self) -> None:
        self.writer.close()


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    save(load_layout("merged"), folder / "acme.toml")
    return folder


class FakeClock:
    """The server's clock, moved on by the test instead of by waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _serving(server: RoomServer, plans: Path):
    """The server, and a function that connects a fake planner to it (joined to acme.toml unless told not to)."""
    connected: list[FakePlanner] = []

    async def connect(name: str, role: str = "editor", last_input=None, join: bool = True) -> FakePlanner:
        server_end, planner_end = room_socket_pair()
        server.attach(server_end, name, role, last_input)
        planner = FakePlanner(*await asyncio.open_unix_connection(sock=planner_end))
        connected.append(planner)
        if join:
            planner.send({"type": "join", "plan": "acme.toml", "signature": file_signature(plans / "acme.toml")})
            planner.welcome = await planner.expect("welcome")
        return planner

    yield server, connect
    for planner in connected:
        planner.close()


@pytest.fixture
async def rooms(plans: Path):
    async for serving in _serving(RoomServer(plans, pen_idle_seconds=0.3), plans):
        yield serving


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def clocked_rooms(plans: Path, clock: FakeClock):
    """A room server with the pen's real idle time, on a clock the test moves."""
    async for serving in _serving(RoomServer(plans, clock=clock), plans):
        yield serving


def edit_message(edit, base: int) -> dict:
    return {"type": "edit", "base": base, "edit": encode_edit(edit)}


def vacancy(plan_owner: str = "owner"):
    return toggle_vacancy(load_layout("merged"), S, plan_owner)


async def test_the_first_editor_holds_the_pen_and_presence_names_everyone(rooms):
    server, connect = rooms
    anna = await connect("anna@consulting")
    assert anna.welcome["state"] is None, "the first joiner already holds the file's plan"
    ben = await connect("ben@client")
    vic = await connect("vic@client", "viewer")
    presence = await anna.presence(lambda p: len(p["members"]) == 3)
    assert [m["name"] for m in presence["members"]] == ["anna@consulting", "ben@client", "vic@client"]
    assert presence["holder"] == anna.welcome["you"]
    assert [m["role"] for m in presence["members"]] == ["editor", "editor", "viewer"]
    assert ben.welcome["you"] != anna.welcome["you"] != vic.welcome["you"]


async def test_the_holders_edit_is_acknowledged_and_reaches_the_others_once_and_in_order(rooms):
    server, connect = rooms
    anna, ben, vic = await connect("anna"), await connect("ben"), await connect("vic", "viewer")
    plan = load_layout("merged")
    first = toggle_vacancy(plan, S, "owner")
    first.apply(plan)
    second = update_person(plan, S, "owner", name="Jo Blake")
    anna.send(edit_message(first, 0))
    anna.send(edit_message(second, 1))
    assert (await anna.expect("ack"))["seq"] == 1
    assert (await anna.expect("ack"))["seq"] == 2
    for watcher in (ben, vic):
        relayed = [await watcher.expect("edit"), await watcher.expect("edit")]
        assert [m["seq"] for m in relayed] == [1, 2]
        assert [decode_edit(m["edit"]) for m in relayed] == [first, second]
        assert relayed[0]["by"] == "anna"
    room = next(iter(server.rooms.values()))
    assert room.plan.scenario().person("owner").vacant and room.plan.scenario().person("owner").name == "Jo Blake"
    assert not [m for m in anna.seen if m["type"] == "edit"], "the holder never gets its own edit back"


async def test_a_watchers_edit_is_refused_and_it_gets_the_rooms_plan_back(rooms):
    server, connect = rooms
    anna, ben = await connect("anna"), await connect("ben")
    ben.send(edit_message(vacancy(), 0))
    refused = await ben.expect("refused")
    assert refused["reason"] == "the pen is with anna"
    state = await ben.expect("welcome")
    assert loads(state["state"]) == load_layout("merged") and state["seq"] == 0
    assert not next(iter(server.rooms.values())).plan.scenario().person("owner").vacant


async def test_an_edit_on_an_older_plan_is_refused(rooms):
    server, connect = rooms
    anna = await connect("anna")
    anna.send(edit_message(vacancy(), 0))
    await anna.expect("ack")
    anna.send(edit_message(update_person(load_layout("merged"), S, "owner", name="Jo"), 0))
    assert (await anna.expect("refused"))["reason"] == "the edit was made on an older plan"
    assert (await anna.expect("welcome"))["seq"] == 1


async def test_a_late_joiner_gets_the_rooms_plan_with_its_unsaved_edits_not_the_files(rooms, plans):
    server, connect = rooms
    anna = await connect("anna")
    anna.send(edit_message(vacancy(), 0))
    await anna.expect("ack")
    late = await connect("late")
    assert late.welcome["seq"] == 1 and late.welcome["unsaved"] is True
    assert loads(late.welcome["state"]).scenario().person("owner").vacant
    assert not loads((plans / "acme.toml").read_text()).scenario().person("owner").vacant


async def test_edits_made_while_a_late_joiner_waits_for_its_plan_follow_its_welcome(rooms, plans):
    server, connect = rooms
    anna = await connect("anna")
    late = await connect("late", join=False)
    late.send({"type": "join", "plan": "acme.toml", "signature": None})
    anna.send(edit_message(vacancy(), 0))
    await anna.expect("ack")
    welcome = await late.expect("welcome")
    relayed = [m for m in late.seen if m["type"] == "edit"]
    if welcome["seq"] == 0:
        relayed = [await late.expect("edit")]
        assert relayed[0]["seq"] == 1
    else:
        assert loads(welcome["state"]).scenario().person("owner").vacant and not relayed


async def test_the_first_joiner_with_unsaved_changes_starts_the_room_from_them(rooms, plans):
    server, connect = rooms
    own = load_layout("merged")
    toggle_vacancy(own, S, "owner").apply(own)
    anna = await connect("anna", join=False)
    anna.send({"type": "join", "plan": "acme.toml", "signature": None, "snapshot": dumps(own)})
    welcome = await anna.expect("welcome")
    assert welcome["state"] is None and welcome["unsaved"] is True
    ben = await connect("ben")
    assert loads(ben.welcome["state"]).scenario().person("owner").vacant


async def test_asking_then_passing_moves_the_pen_and_the_old_holder_can_no_longer_edit(rooms):
    server, connect = rooms
    anna, ben = await connect("anna"), await connect("ben")
    ben_id = ben.welcome["you"]
    ben.send({"type": "ask"})
    assert (await anna.expect("asked"))["by"] == "ben"
    await anna.presence(lambda p: p["asking"] == [ben_id])
    anna.send({"type": "pass"})
    await ben.presence(lambda p: p["holder"] == ben_id and p["asking"] == [])
    anna.send(edit_message(vacancy(), 0))
    assert (await anna.expect("refused"))["reason"] == "the pen is with ben"
    ben.send(edit_message(vacancy(), 0))
    assert (await ben.expect("ack"))["seq"] == 1


async def test_passing_when_nobody_asked_says_so(rooms):
    server, connect = rooms
    anna, _ = await connect("anna"), await connect("ben")
    anna.send({"type": "pass"})
    assert (await anna.expect("notice"))["text"] == "Nobody has asked for the pen."


async def test_the_pen_passes_by_itself_after_the_holders_silence(rooms):
    server, connect = rooms
    anna = await connect("anna", last_input=lambda: server.clock() - 3600)
    ben = await connect("ben")
    ben.send({"type": "ask"})
    await ben.presence(lambda p: p["holder"] == ben.welcome["you"])


async def test_the_pen_passes_by_itself_once_the_holder_has_been_silent_for_two_minutes(clocked_rooms, clock):
    server, connect = clocked_rooms
    typed_at = clock.now
    anna = await connect("anna", last_input=lambda: typed_at)
    ben = await connect("ben")
    clock.now = typed_at + PEN_IDLE_SECONDS - 0.05
    ben.send({"type": "ask"})
    await anna.expect("asked")
    await ben.presence(lambda p: p["asking"] == [ben.welcome["you"]])
    assert PEN_IDLE_SECONDS == 120 and server.rooms[plans_room(server)].holder.name == "anna"
    clock.now = typed_at + PEN_IDLE_SECONDS
    presence = await ben.presence(lambda p: p["holder"] != anna.welcome["you"])
    assert presence["holder"] == ben.welcome["you"] and presence["asking"] == [], "passed with nothing more said"


async def test_the_pen_stays_with_a_holder_who_typed_within_two_minutes(clocked_rooms, clock):
    server, connect = clocked_rooms
    typed_at = clock.now
    anna = await connect("anna", last_input=lambda: typed_at)
    ben = await connect("ben")
    clock.now = typed_at + PEN_IDLE_SECONDS - 0.05
    ben.send({"type": "ask"})
    await anna.expect("asked")
    room = server.rooms[plans_room(server)]
    typed_at = clock.now = typed_at + PEN_IDLE_SECONDS  # anna types just as her silence would have reached 2 minutes
    first_check = room.idle_check

    async def checked_again() -> None:
        while room.idle_check is first_check:
            await asyncio.sleep(0.01)

    await asyncio.wait_for(checked_again(), SAFETY_NET)
    assert room.holder.name == "anna" and room.idle_check is not None
    assert room.idle_check.when() - first_check.when() > PEN_IDLE_SECONDS - 1, \
        "the next look is two minutes after her last key"


def plans_room(server: RoomServer) -> Path:
    """The path of the one room open on the server."""
    (path,) = server.rooms
    return path


async def test_the_pen_waits_while_the_holder_types(rooms):
    server, connect = rooms
    anna = await connect("anna", last_input=server.clock)
    ben = await connect("ben")
    ben.send({"type": "ask"})
    await anna.expect("asked")
    room = next(iter(server.rooms.values()))
    first_check = room.idle_check
    assert first_check is not None, "the server checks again when the holder's silence could be long enough"

    async def checked_again() -> None:
        while room.idle_check is first_check:
            await asyncio.sleep(0.05)

    await asyncio.wait_for(checked_again(), SAFETY_NET)
    assert room.holder.name == "anna" and room.idle_check is not None


async def test_a_viewer_never_gets_the_pen(rooms):
    server, connect = rooms
    vic = await connect("vic", "viewer")
    assert (await vic.presence(lambda p: True))["holder"] is None
    vic.send({"type": "ask"})
    assert (await vic.expect("notice"))["text"] == "A viewer's session cannot take the pen."
    anna = await connect("anna")
    await vic.presence(lambda p: p["holder"] == anna.welcome["you"])


async def test_a_holder_that_drops_mid_message_leaves_the_room_going_and_the_pen_to_the_asker(rooms):
    server, connect = rooms
    anna, ben, carl = await connect("anna"), await connect("ben"), await connect("carl")
    carl.send({"type": "ask"})
    await anna.expect("asked")
    anna.writer.write(encode(edit_message(vacancy(), 0))[:20])
    anna.close()
    gone = anna.welcome["you"]
    presence = await ben.presence(lambda p: gone not in [m["id"] for m in p["members"]])
    assert presence["holder"] == carl.welcome["you"] and len(presence["members"]) == 2
    room = next(iter(server.rooms.values()))
    assert room.seq == 0 and not room.plan.scenario().person("owner").vacant, "half an edit is no edit"


async def test_the_last_one_out_closes_the_room(rooms):
    server, connect = rooms
    anna = await connect("anna")
    anna.send({"type": "leave"})
    anna.send({"type": "join", "plan": "other.toml"})
    await anna.expect("notice")
    assert server.rooms == {}


async def test_a_plan_outside_the_folder_is_no_room(rooms, plans):
    server, connect = rooms
    save(load_layout("merged"), plans.parent / "secret.toml")
    anna = await connect("anna", join=False)
    anna.send({"type": "join", "plan": "../secret.toml"})
    assert "outside the plans folder" in (await anna.expect("notice"))["text"]
    assert server.rooms == {}


async def test_a_save_is_passed_on_and_a_late_joiner_then_has_nothing_unsaved(rooms):
    server, connect = rooms
    anna, ben = await connect("anna"), await connect("ben")
    anna.send(edit_message(vacancy(), 0))
    await anna.expect("ack")
    anna.send({"type": "saved", "seq": 1, "signature": "abc"})
    assert await ben.expect("saved") == {"type": "saved", "seq": 1, "signature": "abc"}
    assert (await connect("carl")).welcome["unsaved"] is False


async def test_only_the_presenter_s_views_are_passed_on(rooms):
    server, connect = rooms
    anna, ben, vic = await connect("anna"), await connect("ben"), await connect("vic", "viewer")
    vic.send({"type": "present", "on": True})
    ben.send({"type": "view", "screen": "team"})
    anna.send({"type": "present", "on": True})
    await vic.presence(lambda p: p["presenter"] == anna.welcome["you"])
    anna.send({"type": "view", "screen": "team", "selected": "owner"})
    view = await vic.expect("view")
    assert view == {"type": "view", "screen": "team", "selected": "owner"}
    assert not [m for m in vic.seen if m["type"] == "view" and m is not view]
