"""The UI never loses or silently overwrites a plan: conflicts, locks, recovery, crashes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from textual.widgets import OptionList

from planner.model import PlanFileError
from planner.storage import codec, files, load, save
from planner.storage.layouts import load_layout
from planner.storage.safety import PlanLock, read_recovery, recovery_files
from planner.ui.app import make_app
from planner.ui.screens.dialogs import Choice
from planner.ui.screens.main import MainScreen
from planner.ui.screens.start import StartScreen
from planner.ui.widgets.header import PlannerHeader

from .ui_apps import dialog_text, file_app, screen_lines, wait_for_saves, wait_until


async def test_saving_over_a_file_changed_elsewhere_asks_first(plan_file):
    app = make_app(plan_file)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        outside = load_layout("separate")
        save(outside, plan_file)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Choice) and "changed outside this session" in dialog_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert load(plan_file) == outside, "cancel writes nothing"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await wait_for_saves(pilot, app)
        assert load(plan_file) == app.session.plan and not app.session.dirty


async def test_reload_takes_the_file_as_it_is_on_disk(plan_file):
    app = make_app(plan_file)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        outside = load_layout("separate")
        save(outside, plan_file)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.session.plan == outside and not app.session.dirty
        assert not recovery_files(plan_file)


async def test_a_second_session_is_warned(plan_file):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        PlanLock(plan_file).path.write_text(
            f'{{"pid": {other.pid}, "user": "ana", "host": "{os.uname().nodename}", "since": 0}}')
        app = make_app(plan_file)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("also open in another session: ana" in m for m in messages)
    finally:
        other.kill()
        other.wait()


async def test_the_lock_is_released_on_quit(plan_file):
    app = make_app(plan_file)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert PlanLock(plan_file).holder().pid == os.getpid()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not PlanLock(plan_file).path.exists()


async def test_unsaved_edits_go_to_the_recovery_file_and_a_save_clears_it(plan_file):
    app = make_app(plan_file)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        app.keep_recovery()
        assert read_recovery(app.session.recovery).scenario().person("owner").vacant
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_saves(pilot, app)
        assert not recovery_files(plan_file)


async def test_discarding_on_quit_leaves_no_recovery_file(plan_file):
    app = make_app(plan_file)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        app.keep_recovery()
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
    assert not recovery_files(plan_file)
    assert not load(plan_file).scenario().person("owner").vacant


async def test_a_crash_keeps_the_edits_and_shows_no_plan_data(plan_file, monkeypatch, capsys):
    def broken(self) -> None:
        raise RuntimeError("internal failure")

    monkeypatch.setattr(MainScreen, "action_find", broken)
    app = make_app(plan_file)
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("v")
            await pilot.press("slash")
            await pilot.pause()
    shown = " ".join(capsys.readouterr().err.split())
    assert "internal error (RuntimeError)" in shown
    assert "Jordan" not in shown and "Sam Patel" not in shown
    [kept] = recovery_files(plan_file)
    assert read_recovery(kept).scenario().person("owner").vacant


def test_an_oversize_file_is_refused_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setattr(codec, "MAX_BYTES", 1000)
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    path = tmp_path / "huge.toml"
    path.write_text("# " + "x" * 2000 + "\n")
    with pytest.raises(PlanFileError, match="problem") as raised:
        load(path)
    assert "more than the" in raised.value.problems[0].message


async def test_opening_a_broken_file_leaves_the_open_plan_alone(plan_file, tmp_path):
    bad = tmp_path / "saves" / "broken.toml"
    bad.parent.mkdir()
    bad.write_text('schema = 1\nname = "x"\n[[people]]\nid = "a"\nname = "\\u001b[31mA"\nmanager = "ghost"\n')
    app = make_app(plan_file, saves=tmp_path / "saves")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        before = app.session.plan.copy()
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "unknown person 'ghost'" in dialog_text(app)
        assert app.session.plan == before and app.session.dirty
    assert bad.read_text().startswith('schema = 1\nname = "x"')


async def test_a_confined_session_neither_lists_nor_opens_plans_that_lead_outside_the_folder(tmp_path):
    outside = tmp_path / "secret.toml"
    save(load_layout("separate"), outside)
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "link.toml").symlink_to(outside)
    app = make_app(saves=plans, confine=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        listed = [str(option.prompt) for option in app.screen.query_one(OptionList).options]
        assert "  link.toml: skipped, it leads outside " + str(plans) in listed
        assert "  link.toml" not in listed
        app.screen.post_message(StartScreen.Chosen(path=plans / "link.toml"))
        await pilot.pause()
        assert "leads outside" in dialog_text(app)
        assert app.session is None


async def test_a_viewer_session_writes_nothing(plan_file, tmp_path):
    before = plan_file.read_bytes()
    app = make_app(plan_file, saves=tmp_path / "saves", read_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("v", "ctrl+s")
        await pilot.pause()
        assert "Read-only session" in dialog_text(app)
        await pilot.press("escape", "E")
        await pilot.pause()
        assert "Read-only session" in dialog_text(app)
        app.keep_recovery()
    assert plan_file.read_bytes() == before
    assert not recovery_files(plan_file) and not (tmp_path / "saves").exists()


async def test_a_title_change_reaching_a_header_whose_title_is_gone_does_not_stop_the_planner(tmp_path):
    """A screen closing as the title changes (applying the hand-off plan) once crashed Textual's header."""
    app, _ = file_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the plan")
        app.title = "shown in the header"
        await wait_until(pilot, lambda: "shown in the header" in screen_lines(app)[0], "the new title drawn")
        header = app.screen.query_one(PlannerHeader)
        await header.query_one("HeaderTitle").remove()  # where a closing screen's header is when the title changes
        app.title = "after the title widget went"
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, MainScreen)
