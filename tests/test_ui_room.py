"""The planner in a room, driven with Pilot: a real room server, the other members played by fake planners."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import ContentSwitcher, DataTable, Header
from textual.widgets._footer import FooterKey

from planner.model.edit_codec import decode_edit, encode_edit
from planner.model.edits import toggle_vacancy, update_person
from planner.serve.rooms import MAX_LINE, RoomServer, encode, room_socket_pair
from planner.storage import dumps, load, save
from planner.storage.journal import read_journal
from planner.storage.layouts import load_layout
from planner.storage.safety import file_signature
from planner.ui.app import PlannerApp, make_app
from planner.ui.screens.advice import AdviceScreen
from planner.ui.screens.compare import CompareScreen
from planner.ui.screens.dialogs import UnsavedChanges
from planner.ui.screens.forms import SaveAsForm
from planner.ui.screens.help import HelpScreen
from planner.ui.screens.main import MainScreen
from planner.ui.screens.whatif import NameForm

from .conftest import REPO
from .test_incremental import wide_plan
from .test_rooms import FakePlanner
from .ui_apps import (
    SMALL,
    WIDE,
    main_screen,
    replace_input,
    screen_lines,
    select,
    tree,
    tree_labels,
    type_text,
    wait_until,
)

SIZE = (100, 30)
S = "current"
MANAGER = "sales-marketing-manager"  # Jordan Blake
ASSISTANT = "operations-assistant"  # Kim Walsh
EXEC = "marketing-exec-2"  # Ravi Kumar


class Room:
    """A room server over a plans folder, with apps and fake planners joining it."""

    def __init__(self, plan_file: Path) -> None:
        self.plan_file = plan_file
        self.server = RoomServer(plan_file.parent)
        self.fakes: list[FakePlanner] = []

    def app(self, read_only: bool = False, name: str = "me@laptop") -> PlannerApp:
        """The app on the plan file, connected to the room (it joins once it runs)."""
        server_end, planner_end = room_socket_pair()
        self.server.attach(server_end, name, "viewer" if read_only else "editor", None)
        return make_app(path=self.plan_file, saves=self.plan_file.parent / "saves", read_only=read_only,
                        room_fd=planner_end.detach())

    async def fake(self, name: str, role: str = "editor") -> FakePlanner:
        """Another member, joined and welcomed."""
        server_end, planner_end = room_socket_pair()
        self.server.attach(server_end, name, role, None)
        fake = FakePlanner(*await asyncio.open_unix_connection(sock=planner_end, limit=MAX_LINE))
        self.fakes.append(fake)
        fake.send({"type": "join", "plan": str(self.plan_file), "signature": file_signature(self.plan_file)})
        fake.welcome = await fake.expect("welcome")
        return fake

    def close(self) -> None:
        for fake in self.fakes:
            fake.close()


@pytest.fixture
async def room(plan_file: Path):
    room = Room(plan_file)
    yield room
    room.close()


def notes(app: PlannerApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def joined(pilot, app: PlannerApp, members: int) -> None:
    """Wait until the app is in the room with `members` members."""
    await wait_until(pilot, lambda: app.room.in_room and len(app.room.presence.members) == members,
                     f"the app joining a room of {members}")


def edit_message(edit, base: int) -> dict:
    return {"type": "edit", "base": base, "edit": encode_edit(edit)}


async def test_the_holders_edit_reaches_a_watcher_without_moving_its_cursor_or_closing_its_dialog(room):
    anna = await room.fake("anna@consulting")
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        await joined(pilot, app, 2)
        await select(pilot, app, EXEC)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help opening")
        anna.send(edit_message(toggle_vacancy(load_layout("merged"), S, MANAGER), 0))
        await wait_until(pilot, lambda: app.session.org.person(MANAGER).vacant, "anna's edit arriving")
        await wait_until(pilot, lambda: "OPEN" in tree_labels(app)[MANAGER], "the tree showing it")
        assert isinstance(app.screen, HelpScreen), "the dialog stays open"
        assert tree(app).person_id == EXEC, "the cursor stays on the same person"
        assert app.session.dirty and "* acme.toml" in app.title


async def test_a_watchers_edit_keys_are_refused_saying_who_holds_the_pen(room):
    anna = await room.fake("anna@consulting")
    app = room.app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await joined(pilot, app, 2)
        await select(pilot, app, MANAGER)
        for key in ("v", "e", "ctrl+z", "ctrl+s"):
            await pilot.press(key)
        await wait_until(pilot, lambda: notes(app).count("anna@consulting holds the pen: press P to ask for it.") == 4,
                         "four refusals")
        assert isinstance(app.screen, MainScreen), "no dialog opened"
        dimmed = {key.action for key in app.screen.query(FooterKey) if key.has_class("-disabled")}
        assert {"add_report", "edit", "save"} <= dimmed, "the footer shows the editing keys as unavailable"
        assert not app.session.org.person(MANAGER).vacant and not app.session.dirty
        await wait_until(pilot, lambda: app.title == "2 here · editing: anna@consulting │ acme.toml", "the title")
    assert not [m for m in anna.seen if m["type"] == "edit"]


async def test_the_holders_edits_undo_and_redo_reach_the_room_as_the_edits_applied(room):
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        await joined(pilot, app, 1)
        await wait_until(pilot, lambda: app.title == "1 here · editing: you │ acme.toml", "the presence in the title")
        ben = await room.fake("ben@client")
        await select(pilot, app, MANAGER)
        await pilot.press("v")
        edit = decode_edit((await ben.expect("edit"))["edit"])
        plan = load_layout("merged")
        inverse = edit.apply(plan)
        assert plan.scenario().person(MANAGER).vacant
        await pilot.press("ctrl+z")
        assert decode_edit((await ben.expect("edit"))["edit"]) == inverse
        await pilot.press("ctrl+y")
        assert decode_edit((await ben.expect("edit"))["edit"]) == edit
        assert [m["seq"] for m in ben.seen if m["type"] == "edit"] == [1, 2, 3]
        assert room.server.rooms[room.plan_file.resolve()].plan.scenario().person(MANAGER).vacant


async def test_the_holders_save_clears_the_watchers_unsaved_mark(room):
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        ben = await holding_the_pen_beside(pilot, app, room, "ben@client")
        await pilot.press("v", "ctrl+s")
        saved = await ben.expect("saved")
        assert saved == {"type": "saved", "seq": 1, "signature": file_signature(room.plan_file)}
        assert load(room.plan_file).scenario().person(MANAGER).vacant


async def test_a_save_in_the_background_tells_the_room_the_edit_it_saved_not_a_later_one(room, held_saves):
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        ben = await holding_the_pen_beside(pilot, app, room, "ben@client")
        await pilot.press("v", "ctrl+s")
        await held_saves.started()
        await pilot.press("e", *"Jo", "enter")
        await wait_until(pilot, lambda: app.session.org.person(MANAGER).name == "Jo", "the edit made during the save")
        held_saves.release.set()
        saved = await ben.expect("saved")
        assert saved == {"type": "saved", "seq": 1, "signature": file_signature(room.plan_file)}
        assert load(room.plan_file).scenario().person(MANAGER).name == "Jordan Blake"


async def test_a_watcher_marks_the_plan_saved_at_the_edit_the_holder_saved(room):
    anna = await room.fake("anna@consulting")
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        await joined(pilot, app, 2)
        plan = load_layout("merged")
        first = toggle_vacancy(plan, S, MANAGER)
        first.apply(plan)
        anna.send(edit_message(first, 0))
        anna.send(edit_message(update_person(plan, S, MANAGER, name="Jo Blake"), 1))
        await wait_until(pilot, lambda: app.session.org.person(MANAGER).name == "Jo Blake", "both edits")
        anna.send({"type": "saved", "seq": 1, "signature": "sig"})
        await wait_until(pilot, lambda: app.session.disk_signature == "sig", "the save arriving")
        assert app.session.dirty, "the file holds the first edit only"
        app.keep_recovery()
        recovery = app.session.recovery
        journal = read_journal(recovery.read_bytes(), str(recovery))
        assert journal.snapshot is not None, "the file it was made on is gone: the recovery starts from the plan"
        assert journal.replay(journal.snapshot).scenario().person(MANAGER).name == "Jo Blake"
        anna.send({"type": "saved", "seq": 2, "signature": "sig2"})
        await wait_until(pilot, lambda: not app.session.dirty, "the second save arriving")
        app.keep_recovery()
        assert not recovery.exists(), "nothing left to recover"
        await wait_until(pilot, lambda: not app.title.startswith("* ") and "│ acme.toml" in app.title, "the title")


async def test_asking_for_the_pen_and_getting_it_lets_the_watcher_edit_for_everyone(room):
    anna = await room.fake("anna@consulting")
    app = room.app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await joined(pilot, app, 2)
        await pilot.press("P")
        assert (await anna.expect("asked"))["by"] == "me@laptop"
        anna.send({"type": "pass"})
        await wait_until(pilot, lambda: app.room.holds_pen, "the pen arriving")
        await wait_until(pilot, lambda: not any(key.has_class("-disabled") for key in app.screen.query(FooterKey)),
                         "the editing keys back in the footer")
        await wait_until(pilot, lambda: "You hold the pen: your changes reach everyone in the room." in notes(app),
                         "the pen arriving, told")
        await select(pilot, app, ASSISTANT)
        await pilot.press("v")
        relayed = await anna.expect("edit")
        assert decode_edit(relayed["edit"]).person.id == ASSISTANT and relayed["by"] == "me@laptop"


async def test_the_holder_is_asked_and_passes_the_pen_with_p(room):
    app = room.app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await joined(pilot, app, 1)
        ben = await room.fake("ben@client")
        ben.send({"type": "ask"})
        await wait_until(pilot, lambda: any("ben@client asks for the pen" in note for note in notes(app)),
                         "the request")
        await pilot.press("P")
        await ben.presence(lambda p: p["holder"] == ben.welcome["you"])
        await wait_until(pilot, lambda: "editing: ben@client" in app.title, "the title naming the new holder")


async def test_a_late_joiner_gets_the_rooms_plan_and_keeps_its_screens(room):
    anna = await room.fake("anna@consulting")
    anna.send(edit_message(toggle_vacancy(load_layout("merged"), S, MANAGER), 0))
    await anna.expect("ack")
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.session.org.person(MANAGER).vacant, "the room's plan")
        assert app.session.dirty, "the room's plan holds an edit the file does not"
        assert len(app.screen_stack) == 2 and isinstance(app.screen, MainScreen)
        await wait_until(pilot, lambda: "OPEN" in tree_labels(app)[MANAGER], "the tree showing it")


async def test_a_watcher_leaves_without_being_asked_to_save_the_rooms_changes(room):
    anna = await room.fake("anna@consulting")
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        await joined(pilot, app, 2)
        anna.send(edit_message(toggle_vacancy(load_layout("merged"), S, MANAGER), 0))
        await wait_until(pilot, lambda: app.session.dirty, "anna's edit")
        app.keep_recovery()
        assert app.session.recovery.exists()
        recovery = app.session.recovery
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not isinstance(app.screen, UnsavedChanges)
    assert not recovery.exists(), "the room keeps the changes; the watcher's copy goes"


async def test_the_holder_still_asked_to_save_when_leaving(room):
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        await joined(pilot, app, 1)
        await select(pilot, app, MANAGER)
        await pilot.press("v", "ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChanges), "the question")


async def test_a_viewer_follows_the_presenter_to_the_team_view_and_a_person(room):
    anna = await room.fake("anna@consulting")
    anna.send({"type": "present", "on": True})
    app = room.app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await joined(pilot, app, 2)
        await wait_until(pilot, lambda: "editing: anna@consulting (presenting)" in app.title, "the title")
        anna.send({"type": "view", "screen": "tree", "scenario": S, "selected": EXEC, "open": [MANAGER, "owner"],
                   "subtree": None})
        await wait_until(pilot, lambda: tree(app).person_id == EXEC, "the presenter's selection")
        anna.send({"type": "view", "screen": "team", "scenario": S, "selected": EXEC, "open": [], "subtree": None})
        switcher = main_screen(app).query_one(ContentSwitcher)
        await wait_until(pilot, lambda: switcher.current == "team-view", "the presenter's screen")
        anna.send({"type": "view", "screen": "compare", "scenario": S, "selected": EXEC, "open": [],
                   "subtree": None, "compare": [S, S]})
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "the comparison")
        anna.send({"type": "view", "screen": "tree", "scenario": S, "selected": MANAGER, "open": [MANAGER],
                   "subtree": None})
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and tree(app).person_id == MANAGER,
                         "back to the tree")
        assert switcher.current == "org-view"


async def test_one_who_stops_following_keeps_their_own_view(room):
    anna = await room.fake("anna@consulting")
    anna.send({"type": "present", "on": True})
    app = room.app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await joined(pilot, app, 2)
        await select(pilot, app, ASSISTANT)
        await pilot.press("F")
        assert not app.room.following
        anna.send({"type": "view", "screen": "tree", "scenario": S, "selected": EXEC, "open": [MANAGER],
                   "subtree": None})
        await wait_until(pilot, lambda: app.room._last_view is not None, "the view arriving")
        assert tree(app).person_id == ASSISTANT
        await pilot.press("F")
        await wait_until(pilot, lambda: tree(app).person_id == EXEC, "catching up on following again")


async def holding_the_pen_beside(pilot, app: PlannerApp, room, name: str):
    """Join the room first (so holding the pen), let another editor in, and select the manager; returns it."""
    await joined(pilot, app, 1)
    other = await room.fake(name)
    await select(pilot, app, MANAGER)
    return other


async def presenting_to_a_viewer(pilot, app: PlannerApp, room):
    """Join the room alone, let a viewer in, and start presenting to it; returns the viewer."""
    await joined(pilot, app, 1)
    vic = await room.fake("vic@client", "viewer")
    await pilot.press("p")
    await vic.presence(lambda p: p["presenter"] is not None)
    return vic


async def test_presenting_sends_what_the_presenter_looks_at(room):
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        vic = await presenting_to_a_viewer(pilot, app, room)
        await select(pilot, app, EXEC)
        view = await vic.expect("view", lambda m: m["selected"] == EXEC)
        assert view["screen"] == "tree" and view["scenario"] == S and MANAGER in view["open"]
        await pilot.press("t")
        assert (await vic.expect("view", lambda m: m["screen"] == "team"))["selected"] == EXEC


async def test_presenting_the_hand_off_plan_sends_it_and_whom_it_is_for(room):
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        vic = await presenting_to_a_viewer(pilot, app, room)
        await select(pilot, app, MANAGER)
        await pilot.press("H")
        assert (await vic.expect("view", lambda m: m["screen"] == "advice"))["advice"] is None
        await pilot.press("p")
        assert (await vic.expect("view", lambda m: m.get("advice") == MANAGER))["screen"] == "advice"


async def test_a_follower_is_shown_the_presenters_hand_off_plan_and_cannot_apply_it(room):
    anna = await room.fake("anna@consulting")
    anna.send({"type": "present", "on": True})
    app = room.app(read_only=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await joined(pilot, app, 2)
        anna.send({"type": "view", "screen": "advice", "advice": MANAGER, "scenario": S, "selected": MANAGER,
                   "open": [MANAGER], "subtree": None})
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen) and app.screen.handoff is not None,
                         "the presenter's hand-off plan worked out here")
        assert app.screen.person_id == MANAGER
        await pilot.press("a")
        await wait_until(pilot, lambda: any("a viewer cannot change it" in note for note in notes(app)), "the refusal")
        assert isinstance(app.screen, AdviceScreen) and list(app.session.plan.scenarios) == [S]
        anna.send({"type": "view", "screen": "tree", "scenario": S, "selected": EXEC, "open": [MANAGER],
                   "subtree": None})
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and tree(app).person_id == EXEC,
                         "back to the tree with the presenter")


async def test_outside_a_room_the_pen_keys_say_where_they_work(plan_file):
    app = make_app(path=plan_file, saves=plan_file.parent / "saves")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("P")
        await wait_until(pilot, lambda: notes(app), "a note")
        assert notes(app) == ["The pen, presenting and following work in a live session: `planner serve --ssh`."]


async def test_a_follower_with_a_dialog_open_catches_up_once_it_closes(room):
    anna = await room.fake("anna@consulting")
    anna.send({"type": "present", "on": True})
    app = room.app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await joined(pilot, app, 2)
        await select(pilot, app, ASSISTANT)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help opening")
        anna.send({"type": "view", "screen": "tree", "scenario": S, "selected": EXEC, "open": [MANAGER],
                   "subtree": None})
        anna.send(edit_message(toggle_vacancy(load_layout("merged"), S, MANAGER), 0))
        await wait_until(pilot, lambda: app.session.org.person(MANAGER).vacant, "the edit sent after the view")
        assert isinstance(app.screen, HelpScreen) and tree(app).person_id == ASSISTANT
        await pilot.press("escape")
        await wait_until(pilot, lambda: tree(app).person_id == EXEC, "the view once help closed")


async def test_saving_under_another_name_moves_the_holder_to_that_files_room(room, tmp_path):
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        ben = await holding_the_pen_beside(pilot, app, room, "ben@client")
        await pilot.press("v")
        await ben.expect("edit")
        other = room.plan_file.with_name("copy.toml")
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveAsForm), "save as")
        await replace_input(pilot, app, "#path", str(other))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: other.is_file() and app.session.path == other, "the save")
        await ben.presence(lambda p: len(p["members"]) == 1)
        await wait_until(pilot, lambda: room.plan_file.with_name("copy.toml").resolve() in room.server.rooms,
                         "the room of the new file")
        await wait_until(pilot, lambda: app.room.in_room and app.room.holds_pen, "the pen of the new room")


async def test_an_edit_made_without_the_pen_is_refused_and_the_rooms_plan_comes_back(room):
    anna = await room.fake("anna@consulting")
    app = room.app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await joined(pilot, app, 2)
        await pilot.press("w", "c")  # the scenario list is open to watchers (to switch); a copy is an edit
        await wait_until(pilot, lambda: isinstance(app.screen, NameForm), "the name of the copy")
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("Your last change was not made: the pen is with anna@consulting" in note
                                            for note in notes(app)), "the refusal")
        await wait_until(pilot, lambda: list(app.session.plan.scenarios) == [S], "the room's plan back")
        assert list(room.server.rooms[room.plan_file.resolve()].plan.scenarios) == [S]
        assert not [m for m in anna.seen if m["type"] == "edit"]


async def test_a_watcher_keeps_its_place_and_dialog_through_the_holders_undo_and_redo(room):
    anna = await room.fake("anna@consulting")
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        await joined(pilot, app, 2)
        await select(pilot, app, EXEC)
        opened = tree(app).open_ids
        await pilot.press("w")
        await wait_until(pilot, lambda: not isinstance(app.screen, MainScreen), "the scenario list opening")
        dialog = app.screen
        plan = load_layout("merged")
        edit = toggle_vacancy(plan, S, MANAGER)
        undo = edit.apply(plan)
        for seq, (sent, vacant) in enumerate([(edit, True), (undo, False), (edit, True)], start=1):
            anna.send(edit_message(sent, seq - 1))
            await wait_until(pilot, lambda: app.room.seq == seq, f"the room's edit {seq}")
            await wait_until(pilot, lambda: ("OPEN" in tree_labels(app)[MANAGER]) == vacant, f"the tree after {seq}")
            assert app.session.org.person(MANAGER).vacant == vacant
            assert app.screen is dialog, "the dialog stays open"
            assert tree(app).person_id == EXEC and tree(app).open_ids == opened, "the cursor and open teams stay"


async def test_the_holder_relays_an_edit_in_a_few_hundred_bytes_whatever_the_size_of_the_plan(tmp_path):
    plan_file = tmp_path / "wide.toml"
    save(wide_plan(), plan_file)
    room = Room(plan_file)
    app = room.app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await joined(pilot, app, 1)
            ben = await room.fake("ben@client")
            await select(pilot, app, "p01999")
            await pilot.press("v")
            relayed = await ben.expect("edit")
            ben_plan = load(plan_file)
            decode_edit(relayed["edit"]).apply(ben_plan)
            assert ben_plan.scenario().person("p01999").vacant
            assert len(encode(relayed)) < 500 < len(dumps(app.session.plan)) // 100
            assert relayed["seq"] == 1 and room.server.rooms[plan_file.resolve()].seq == 1
    finally:
        room.close()


@pytest.mark.parametrize("size", [SMALL, WIDE], ids=["80x24", "120x40"])
async def test_a_follower_shows_the_presenters_person_and_screen_at_its_own_size(tmp_path, size):
    plan_file = tmp_path / "wide.toml"
    save(wide_plan(), plan_file)
    room = Room(plan_file)
    deep, chain = "p01999", ["p00249", "p00031", "p00003", "p00000"]
    try:
        anna = await room.fake("anna@consulting")
        anna.send({"type": "present", "on": True})
        app = room.app(read_only=True)
        async with app.run_test(size=size) as pilot:
            await joined(pilot, app, 2)
            anna.send({"type": "view", "screen": "tree", "scenario": S, "selected": deep, "open": chain,
                       "subtree": None})
            await wait_until(pilot, lambda: tree(app).person_id == deep, "the presenter's selection")
            await wait_until(pilot, lambda: any("Person 1999" in line for line in screen_lines(app)),
                             "the presenter's person on this screen")
            assert tree(app).open_ids == set(chain)
            anna.send({"type": "view", "screen": "compare", "scenario": S, "selected": deep, "open": chain,
                       "subtree": None, "compare": [S, S]})
            await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen)
                             and app.screen.query_one(DataTable).row_count == 2000, "the comparison, filled")
    finally:
        room.close()


async def test_pen_present_and_follow_are_in_the_command_palette_and_present_works_from_it(room):
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        await joined(pilot, app, 1)
        vic = await room.fake("vic@client", "viewer")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await type_text(pilot, "Present")
        commands = app.screen.query_one(CommandList)

        def prompts() -> list[str]:
            return [str(commands.get_option_at_index(i).prompt).split("\n")[0] for i in range(commands.option_count)]

        await wait_until(pilot, lambda: "Present" in prompts(), "Present in the palette")
        commands.highlighted = prompts().index("Present")
        await pilot.press("enter")
        assert (await vic.presence(lambda p: p["presenter"] is not None))["presenter"] == \
            next(m for m in room.server.rooms[room.plan_file.resolve()].members if m.name == "me@laptop").id
        await wait_until(pilot, lambda: "(presenting)" in app.title, "presenting, in the title")
        assert {"Pen", "Present", "Follow"} <= {b.description for b in MainScreen.BINDINGS}


def readme_client_screen() -> list[str]:
    """The lines of the README's picture of a client's 80x24 screen in a live session."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index("What the client sees at 80x24"):]
    return after.split("```\n", 2)[1].splitlines()


async def test_the_readmes_80x24_client_screen_is_what_a_viewer_sees(room):
    anna = await room.fake("anna@consulting")
    anna.send({"type": "present", "on": True})
    app = room.app(read_only=True)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await joined(pilot, app, 2)
        anna.send(edit_message(toggle_vacancy(load_layout("merged"), S, MANAGER), 0))
        await wait_until(pilot, lambda: "OPEN" in tree_labels(app)[MANAGER], "anna's edit")
        await pilot.press("v")
        await wait_until(pilot, lambda: any("cannot change it." in line for line in screen_lines(app)), "the refusal")
        shown = [line.rstrip() for line in screen_lines(app)]
    pictured = [line.rstrip() for line in readme_client_screen()]
    elided = pictured.index("   ...")
    assert pictured[:elided] == shown[:elided]
    assert pictured[elided + 1:] == shown[len(shown) - len(pictured) + elided + 1:]


async def test_the_comparisons_header_stays_when_someone_joins_the_room(room):
    app = room.app()
    async with app.run_test(size=SIZE) as pilot:
        await joined(pilot, app, 1)
        await pilot.press("c")

        def subtitle() -> str:
            return app.screen.query_one(Header).screen_sub_title if isinstance(app.screen, CompareScreen) else ""

        await wait_until(pilot, lambda: subtitle().startswith("compare current → current"), "the comparison")
        await room.fake("ben@client")
        await wait_until(pilot, lambda: app.screen.query_one(Header).screen_title.startswith("2 here"),
                         "the presence, in the comparison's header")
        assert subtitle().startswith("compare current → current")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "back on the plan")
        assert app.screen.query_one(Header).screen_sub_title == "current · Merged sales and marketing"
