"""A plan file changed on disk by someone else: a session with no unsaved changes reloads by itself and says so."""

from __future__ import annotations

import os
import time
from pathlib import Path

from planner.model.edits import toggle_vacancy
from planner.storage import load, save
from planner.ui import disk_watch
from planner.ui.app import make_app
from planner.ui.screens.help import HelpScreen

from .test_hangup import Terminal
from .ui_apps import select, tree, tree_labels, wait_until

SIZE = (100, 30)
SAFETY_NET = 60.0
MANAGER = "sales-marketing-manager"  # Jordan Blake
EXEC = "marketing-exec-2"  # Ravi Kumar


def notes(app) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


def change_elsewhere(path: Path) -> None:
    """Save the plan with Jordan Blake as an open position, as another terminal would."""
    plan = load(path)
    toggle_vacancy(plan, "current", MANAGER).apply(plan)
    save(plan, path)


async def test_a_clean_session_reloads_a_plan_changed_on_disk_and_keeps_its_place(plan_file):
    app = make_app(path=plan_file, saves=plan_file.parent / "saves")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await select(pilot, app, EXEC)
        change_elsewhere(plan_file)
        app.disk_watch.check()
        await wait_until(pilot, lambda: "acme.toml changed on disk and had no unsaved changes here: reloaded."
                         in notes(app), "the reload, told")
        assert app.session.org.person(MANAGER).vacant
        assert not app.session.dirty and tree(app).person_id == EXEC
        await wait_until(pilot, lambda: "OPEN" in tree_labels(app)[MANAGER], "the tree showing the file's plan")


async def test_a_session_with_unsaved_changes_is_not_reloaded(plan_file):
    app = make_app(path=plan_file, saves=plan_file.parent / "saves")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await select(pilot, app, EXEC)
        await pilot.press("v")
        change_elsewhere(plan_file)
        app.disk_watch.check()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.session.org.person(MANAGER).vacant and app.session.org.person(EXEC).vacant
        assert not any("reloaded" in note for note in notes(app))


async def test_a_reload_waits_until_the_users_dialog_is_closed(plan_file):
    app = make_app(path=plan_file, saves=plan_file.parent / "saves")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help opening")
        change_elsewhere(plan_file)
        app.disk_watch.check()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and not app.session.org.person(MANAGER).vacant
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), "help closing")
        app.disk_watch.check()
        await wait_until(pilot, lambda: app.session.org.person(MANAGER).vacant, "the reload after the dialog")


async def test_a_file_changed_into_something_unreadable_is_told_once_and_not_loaded(plan_file):
    app = make_app(path=plan_file, saves=plan_file.parent / "saves")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        plan_file.write_text("name = \n")
        app.disk_watch.check()
        await wait_until(pilot, lambda: any("cannot be read" in note for note in notes(app)), "the warning")
        stat = plan_file.stat()
        os.utime(plan_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched, not changed
        app.disk_watch.check()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sum("cannot be read" in note for note in notes(app)) == 1
        assert app.session.org.person(MANAGER).name == "Jordan Blake"


async def test_a_save_made_here_does_not_reload(plan_file):
    app = make_app(path=plan_file, saves=plan_file.parent / "saves")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        session = app.session
        await pilot.press("v", "ctrl+s")
        await wait_until(pilot, lambda: not app.session.dirty, "the save")
        app.disk_watch.check()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session is session and not any("reloaded" in note for note in notes(app))


def test_two_terminals_on_one_plan_the_second_is_warned_and_reloads_what_the_first_saves(plan_file):
    first = Terminal(str(plan_file), env=dict(os.environ))
    second = None
    try:
        first.read_until(b"Sam Patel", timeout=SAFETY_NET)
        second = Terminal(str(plan_file), env=dict(os.environ))
        second.read_until(b"Open elsewhere", timeout=SAFETY_NET)
        assert b"OPEN" not in second.screen
        first.type(b"v")
        first.read_until(b"OPEN", timeout=SAFETY_NET)
        first.type(b"\x13")  # ctrl+s
        deadline = time.monotonic() + SAFETY_NET
        while not load(plan_file).scenario().person("owner").vacant:
            assert time.monotonic() < deadline, "the first terminal's save never reached the file"
            time.sleep(0.05)
        second.read_until(b"Reloaded", timeout=SAFETY_NET)
        second.read_until(b"OPEN", timeout=SAFETY_NET)
    finally:
        first.close()
        if second is not None:
            second.close()


async def test_the_watch_does_not_parse_a_file_that_has_not_changed(plan_file, monkeypatch):
    parsed, read = [], []
    reading, parsing = disk_watch.read_on_disk, disk_watch.loads_bytes
    monkeypatch.setattr(disk_watch, "read_on_disk", lambda *args: read.append(reading(*args)) or read[-1])
    monkeypatch.setattr(disk_watch, "loads_bytes", lambda *args: parsed.append(args[1]) or parsing(*args))
    app = make_app(path=plan_file, saves=plan_file.parent / "saves")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.disk_watch.check()
        await app.workers.wait_for_complete()
        assert [found.signature for found in read] == [app.session.disk_signature], "the file was looked at"
        assert parsed == [], "a file as it was opened is not parsed again (at 100,000 people: seconds of CPU)"
        change_elsewhere(plan_file)
        app.disk_watch.check()
        await wait_until(pilot, lambda: "acme.toml changed on disk and had no unsaved changes here: reloaded."
                         in notes(app), "the reload, told")
        assert parsed == [str(plan_file)]
