"""Sessions handed to a client: a viewer writes and removes nothing, a confined session sees only its folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import OptionList

from planner.storage import save
from planner.storage.layouts import load_layout
from planner.storage.safety import read_recovery, recovery_files
from planner.ui.app import PlannerApp, make_app
from planner.ui.screens.main import MainScreen

from .ui_apps import dialog_text, wait_until

SIZE = (100, 30)


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    """A plans folder holding acme.toml (the merged layout)."""
    folder = tmp_path / "plans"
    folder.mkdir()
    save(load_layout("merged"), folder / "acme.toml")
    return folder


def files_under(*folders: Path) -> dict[Path, tuple[bytes, int]]:
    """Every file under the folders with its bytes and mode, and every folder with its mode."""
    found: dict[Path, tuple[bytes, int]] = {}
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            content = path.read_bytes() if path.is_file() else b""
            found[path] = (content, path.lstat().st_mode)
    return found


def start_options(app: PlannerApp) -> list[str]:
    """The lines of the start screen's list."""
    return [str(option.prompt) for option in app.screen.query_one(OptionList).options]


async def open_from_start(pilot, app: PlannerApp, option_id: str) -> None:
    """Highlight an entry of the start screen's list and press enter."""
    options = app.screen.query_one(OptionList)
    options.highlighted = options.get_option_index(option_id)
    await pilot.press("enter")
    await pilot.pause()


async def leave_unsaved_changes(app: PlannerApp) -> None:
    """An editor toggles a vacancy and their connection drops: the changes stay in their recovery file."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        app.keep_recovery()
        assert app.session.recovery.exists()


async def test_a_viewer_who_quits_keeps_an_editors_dropped_changes_and_writes_nothing(plans, tmp_path):
    await leave_unsaved_changes(make_app(plans / "acme.toml", saves=plans))
    [dropped] = recovery_files(plans / "acme.toml")
    home = Path(os.environ["HOME"])
    before = files_under(plans, home)
    viewer = make_app(plans / "acme.toml", saves=plans, read_only=True, confine=True)
    async with viewer.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(viewer.screen, MainScreen), "a viewer is not offered an editor's unsaved changes"
        await pilot.press("v", "f9")
        await pilot.pause()
        await pilot.press("enter", "ctrl+q")
        await pilot.pause()
        asked = dialog_text(viewer)
        await pilot.press("d")
        await pilot.pause()
    assert files_under(plans, home) == before, "no recovery, lock, screenshot or state file; nothing removed"
    assert read_recovery(dropped).scenario().person("owner").vacant
    assert "a viewer's session does not keep" in asked


async def test_a_viewer_is_not_shown_untitled_recoveries(tmp_path):
    await leave_unsaved_changes(make_app(layout="merged", saves=tmp_path / "own"))
    editor = make_app(saves=tmp_path / "own")
    async with editor.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any(line.startswith("  recovered plan of") for line in start_options(editor))
    viewer = make_app(saves=tmp_path / "own", read_only=True)
    async with viewer.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not any("recovered" in line.lower() for line in start_options(viewer))


async def test_a_confined_session_keeps_its_state_in_its_folder_and_lists_nothing_from_outside(plans, tmp_path):
    await leave_unsaved_changes(make_app(layout="merged", saves=tmp_path / "consultants-own"))
    client = make_app(saves=plans, confine=True)
    async with client.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not any("recovered" in line.lower() for line in start_options(client)), \
            "the consultant's own recovered plans are not listed to a client"
        await open_from_start(pilot, client, "layout:separate")
        await pilot.press("v")
        await wait_until(pilot, lambda: client.session.dirty, "the vacancy")
        client.keep_recovery()
        kept = client.session.recovery
    assert kept.is_relative_to(plans / ".org-planner") and read_recovery(kept).name == "Separate sales and marketing"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert (plans / ".org-planner").stat().st_mode & 0o777 == 0o700
    assert (plans / ".org-planner" / "recovery").stat().st_mode & 0o777 == 0o700
    again = make_app(saves=plans, confine=True)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        [recovered] = [line for line in start_options(again) if line.startswith("  recovered plan of")]
        await open_from_start(pilot, again, f"recovered:{kept}")
        assert again.session.plan.name == "Separate sales and marketing" and again.session.dirty
        assert again.session.recovery.exists() and not kept.exists(), "the recovery is now this session's own"


async def palette_lines(pilot, app: PlannerApp, query: str) -> list[str]:
    """What the command palette offers for a query (title and help of each)."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    await app.workers.wait_for_complete()
    await pilot.pause()
    commands = app.screen.query_one(CommandList)
    return [str(commands.get_option_at_index(index).prompt) for index in range(commands.option_count)]


@pytest.mark.parametrize("role", [{"confine": True}, {"read_only": True, "confine": True}, {"read_only": True}])
async def test_client_sessions_offer_only_the_planners_own_commands(plans, role):
    app = make_app(plans / "acme.toml", saves=plans, **role)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert {command.title for command in app.get_system_commands(app.screen)} == {"Help", "Quit", "Open or new"}
        offered = " ".join(await palette_lines(pilot, app, "screenshot"))
        assert "picture of the screen to saves/" in offered, "the planner's own f9 stays"
        assert "'screenshot' of the current screen" not in offered, "Textual's screenshot (to ~/Downloads) is gone"
        await pilot.press("escape")
        await pilot.pause()
        assert not [line for line in await palette_lines(pilot, app, "theme") if line.startswith("Theme\n")]


async def test_a_local_editor_keeps_textuals_commands(plans):
    app = make_app(plans / "acme.toml", saves=plans)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
    assert {"Theme", "Screenshot", "Help", "Quit", "Open or new"} <= set(titles) and titles.count("Quit") == 1


async def test_f9_writes_in_the_plans_folder_for_a_confined_editor_only(plans):
    home = Path(os.environ["HOME"])
    editor = make_app(plans / "acme.toml", saves=plans, confine=True)
    async with editor.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = files_under(home)
        await pilot.press("f9")
        await pilot.pause()
    [picture] = plans.glob("*.svg")
    assert "Jordan" in picture.read_text() and files_under(home) == before
    picture.unlink()
    viewer = make_app(plans / "acme.toml", saves=plans, read_only=True, confine=True)
    async with viewer.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert "Read-only session" in dialog_text(viewer)
    assert not list(plans.glob("*.svg"))


async def test_a_viewers_crash_writes_no_log(plans, monkeypatch, capsys):
    def broken(self) -> None:
        raise RuntimeError("internal failure")

    monkeypatch.setattr(MainScreen, "action_find", broken)
    home = Path(os.environ["HOME"])
    before = files_under(plans, home)
    viewer = make_app(plans / "acme.toml", saves=plans, read_only=True, confine=True)
    with pytest.raises(RuntimeError):
        async with viewer.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("v", "slash")
            await pilot.pause()
    shown = " ".join(capsys.readouterr().err.split())
    assert "internal error (RuntimeError)" in shown and "Details" not in shown
    assert files_under(plans, home) == before
