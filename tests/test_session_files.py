"""The files a session keeps beside a plan: a recovery file of its own, modes no wider than the plan's, odd folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import OptionList

from planner.model.edits import toggle_vacancy
from planner.storage import load, save
from planner.storage.files import backup_path
from planner.storage.layouts import load_layout
from planner.storage.safety import pending_recoveries, recovery_files, state_dir, write_crash_log
from planner.ui.app import make_app
from planner.ui.screens.dialogs import Choice
from planner.ui.screens.main import MainScreen
from planner.ui.session import Session

from .ui_apps import dialog_text, wait_for_saves

SIZE = (100, 30)


def edited_session(plan_file: Path, edit) -> Session:
    """A session on the plan with one unsaved edit, copied to its recovery file."""
    session = Session(load(plan_file), plan_file)
    session.open_lock()
    edit(session.plan)
    session.history.mark_unsaved()
    session.keep_recovery()
    return session


def vacate_owner(plan) -> None:
    """Mark the owner as an open position."""
    toggle_vacancy(plan, "current", "owner").apply(plan)


def rename(plan) -> None:
    """Give the plan another name."""
    plan.name = "Renamed elsewhere"


async def test_two_sessions_keep_their_own_recovery_and_a_save_by_one_keeps_the_others(plan_file):
    first = edited_session(plan_file, vacate_owner)
    second = edited_session(plan_file, rename)
    assert first.recovery != second.recovery and set(recovery_files(plan_file)) == {first.recovery, second.recovery}
    second.save()
    assert recovery_files(plan_file) == [first.recovery], "a save removes only the saving session's recovery"
    first.close()
    [pending] = pending_recoveries(plan_file, load(plan_file))
    assert pending.path == first.recovery and pending.plan.scenario().person("owner").vacant
    app = make_app(plan_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Choice) and "people 1 changed" in dialog_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert app.session.plan == pending.plan and app.session.dirty
        assert recovery_files(plan_file) == [app.session.recovery], "the restored changes are this session's own"


async def test_reopening_offers_each_pending_recovery_in_turn(plan_file):
    for edit in (vacate_owner, rename):
        edited_session(plan_file, edit).close()
    app = make_app(plan_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        offered = [dialog_text(app)]
        assert "(1 of 2)" in offered[0]
        await pilot.press("escape")
        await pilot.pause()
        offered.append(dialog_text(app))
        assert "(2 of 2)" in offered[1]
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert any("people 1 changed" in text for text in offered) and any("renamed" in text for text in offered)
    [kept] = pending_recoveries(plan_file, load(plan_file))
    assert kept.path.name in offered[0], "escape keeps the first for later; only the discarded one is gone"


async def test_restoring_one_of_several_keeps_the_others_for_next_time(plan_file):
    for edit in (vacate_owner, rename):
        edited_session(plan_file, edit).close()
    app = make_app(plan_file, saves=plan_file.parent)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.session.dirty
        assert any("1 more set(s) of unsaved changes" in note.message for note in app._notifications)
        restored = app.session.plan.copy()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_saves(pilot, app)
    assert load(plan_file) == restored
    assert len(pending_recoveries(plan_file, load(plan_file))) == 1


@pytest.mark.parametrize("mode", [0o600, 0o640])
async def test_recovery_lock_and_backup_take_the_plans_mode(plan_file, mode):
    plan_file.chmod(mode)
    session = edited_session(plan_file, vacate_owner)
    assert session.lock.path.stat().st_mode & 0o777 == mode
    assert session.recovery.stat().st_mode & 0o777 == mode
    session.save()
    assert backup_path(plan_file).stat().st_mode & 0o777 == mode
    session.close()


def test_a_recovery_is_never_executable_even_when_the_plan_is(plan_file):
    plan_file.chmod(0o750)
    session = edited_session(plan_file, vacate_owner)
    assert session.recovery.stat().st_mode & 0o777 == 0o640
    session.close()


def test_the_state_folder_and_its_files_are_private(tmp_path):
    untitled = Session(load_layout("merged"), origin="merged")
    vacate_owner(untitled.plan)
    untitled.keep_recovery()
    log = write_crash_log(RuntimeError("boom"))
    assert untitled.recovery.is_relative_to(state_dir())
    for folder in (state_dir(), untitled.recovery.parent, log.parent):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    for path in (untitled.recovery, log):
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_a_state_folder_left_open_by_an_older_version_is_narrowed():
    (state_dir() / "recovery").mkdir(parents=True, mode=0o755)
    for folder in (state_dir(), state_dir() / "recovery"):
        folder.chmod(0o755)
    untitled = Session(load_layout("merged"), origin="merged")
    vacate_owner(untitled.plan)
    untitled.keep_recovery()
    for folder in (state_dir(), state_dir() / "recovery"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    assert state_dir().parent.stat().st_mode & 0o777 != 0o700


@pytest.mark.parametrize("confine", [False, True])
async def test_a_dangling_link_in_the_plans_folder_is_skipped_with_a_note(tmp_path, confine):
    plans = tmp_path / "plans"
    plans.mkdir()
    save(load_layout("merged"), plans / "acme.toml")
    (plans / "gone.toml").symlink_to(tmp_path / "deleted.toml")
    app = make_app(saves=plans, confine=confine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listed = [str(option.prompt) for option in app.screen.query_one(OptionList).options]
        assert "  acme.toml" in listed
        assert "  gone.toml: skipped, a link to a file that is missing" in listed
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.path == plans / "acme.toml"
    assert os.path.islink(plans / "gone.toml")
