"""Saving never blocks the UI: a worker saves while keys are handled, and the file gets the plan at ctrl+s."""

from __future__ import annotations

import asyncio

from textual.widgets import Static

from planner.model.errors import PlanError
from planner.storage import load
from planner.storage.safety import read_recovery, recovery_files
from planner.ui import session as session_module
from planner.ui.app import make_app
from planner.ui.screens.dialogs import Notice, UnsavedChanges
from planner.ui.screens.main import MainScreen

from .ui_apps import wait_for_saves, wait_until

SIZE = (100, 30)
WAIT = 30.0
OWNER, REP = "owner", "sales-rep-1"


async def test_keys_pressed_during_a_save_are_handled_and_the_file_gets_the_plan_at_ctrl_s(plan_file, held_saves):
    app = make_app(plan_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        at_save = app.session.plan.copy()
        await pilot.press("ctrl+s")
        await held_saves.started()
        app.main_screen.go_to(REP)
        await pilot.press("v", "e", *"Bo", "enter")
        await pilot.pause()
        rep = app.session.org.person(REP)
        assert rep.vacant and rep.name == "Bo", "the keys were handled while the save waited"
        assert isinstance(app.screen, MainScreen) and app.title.startswith("* ")
        assert not load(plan_file).scenario().person(OWNER).vacant, "nothing written yet"
        held_saves.release.set()
        await wait_for_saves(pilot, app)
        assert load(plan_file) == at_save, "the file holds the plan as it was at ctrl+s"
        assert app.session.dirty and app.title.startswith("* "), "the later edits are still unsaved"
        assert read_recovery(app.session.recovery) == app.session.plan, "and they are in the recovery file"


async def test_a_save_that_takes_a_while_shows_its_progress_then_clears_it(plan_file, held_saves):
    app = make_app(plan_file)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("v", "ctrl+s")
        await held_saves.started()
        await wait_until(pilot, lambda: "saving" in app.title, "the save's progress in the title")
        assert app.title == "* acme.toml · saving 1/4: copying…"
        assert any("in the background: keep working" in note.message for note in app._notifications)
        held_saves.release.set()
        await wait_for_saves(pilot, app)
        assert app.title == "acme.toml"


async def test_quitting_during_a_save_lets_it_finish_then_quits(plan_file, held_saves):
    app = make_app(plan_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v", "ctrl+s")
        await held_saves.started()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, UnsavedChanges), "nothing to ask: it is being saved"
        held_saves.release.set()
        for _ in range(int(WAIT / 0.01)):
            if not app.is_running:
                break
            await asyncio.sleep(0.01)
        assert not app.is_running, "the app quits once the save is done"
    assert app.return_code == 0
    assert load(plan_file).scenario().person(OWNER).vacant
    assert not recovery_files(plan_file)


async def test_a_save_that_fails_in_the_worker_says_why_and_keeps_the_changes(plan_file, monkeypatch):
    def full_disk(*args, **kwargs) -> None:
        raise PlanError(f"could not save {plan_file}: No space left on device", "free some space")

    monkeypatch.setattr(session_module, "save", full_disk)
    app = make_app(plan_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v", "ctrl+s")
        await wait_for_saves(pilot, app)
        assert isinstance(app.screen, Notice)
        assert "No space left on device" in " ".join(str(widget.render()) for widget in app.screen.query(Static))
        assert app.session.dirty and app.title == "* acme.toml"
        assert read_recovery(app.session.recovery) == app.session.plan
    assert not load(plan_file).scenario().person(OWNER).vacant
