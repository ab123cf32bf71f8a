"""Exports, screenshots and imports from the UI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from planner.render.export import export
from planner.storage import save
from planner.storage.layouts import load_layout
from planner.ui.app import make_app
from planner.ui.screens.dialogs import Confirm, Notice
from planner.ui.screens.forms import ExportForm, SaveAsForm
from planner.ui.screens.main import MainScreen

from .ui_apps import dialog_text

STAFF = "Employee ID,Full Name,Job Title,Reports To\nE1,Sam Patel,Owner,\nE2,Dana Reyes,Sales manager,Sam Patel\n"


async def test_export_writes_the_chosen_format_to_saves(tmp_path):
    saves = tmp_path / "saves"
    app = make_app(layout="merged", saves=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        app.screen.query_one("#format").value = "json"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    (written,) = saves.glob("*.json")
    assert json.loads(written.read_text())["format"] == "org-planner-report"


async def test_f9_saves_an_svg_of_the_screen(tmp_path):
    saves = tmp_path / "saves"
    app = make_app(layout="merged", saves=saves)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
    (picture,) = saves.glob("*.svg")
    assert picture.name.startswith("merged-sales-and-marketing-") and "Jordan" in picture.read_text()


async def test_import_opens_a_new_unsaved_plan(tmp_path):
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF)
    app = make_app(saves=tmp_path / "saves")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        app.import_staff(Path(staff))
        await pilot.pause()
        org = app.session.org
        assert org.manager_of("E2") == "E1" and org.person("E2").roles == ("sales-manager",)
        assert app.session.dirty and app.session.path is None


async def submit_path(pilot, app, form: type, key: str, path: Path) -> None:
    """Open a file form with its key, type the path and submit it."""
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, form)
    app.screen.query_one("#path", Input).value = str(path)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_export_over_an_existing_file_asks_first(tmp_path):
    app = make_app(layout="merged", saves=tmp_path / "saves")
    target = tmp_path / "report.html"
    target.write_text("the client's notes", encoding="utf-8")
    async with app.run_test(size=(100, 30)) as pilot:
        await submit_path(pilot, app, ExportForm, "E", target)
        assert isinstance(app.screen, Confirm) and f"{target} exists" in dialog_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert target.read_text(encoding="utf-8") == "the client's notes"
        await submit_path(pilot, app, ExportForm, "E", target)
        await pilot.press("y")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == export(app.session.plan, "html", app.session.scenario)


async def test_export_never_replaces_a_plan_file(tmp_path):
    plan_file = tmp_path / "acme.toml"
    save(load_layout("separate"), plan_file)
    before = plan_file.read_bytes()
    app = make_app(plan_file, saves=tmp_path / "saves")
    async with app.run_test(size=(100, 30)) as pilot:
        await submit_path(pilot, app, ExportForm, "E", plan_file)
        assert isinstance(app.screen, Notice)
        assert "holds a plan: an export never replaces a plan file" in dialog_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert plan_file.read_bytes() == before


@pytest.mark.parametrize(("key", "form"), [("f2", SaveAsForm), ("E", ExportForm)], ids=["save as", "export"])
async def test_a_file_name_too_long_for_the_system_is_explained_in_a_dialog(key, form, tmp_path):
    app = make_app(layout="merged", saves=tmp_path / "saves")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await submit_path(pilot, app, form, key, tmp_path / ("a" * 300 + ".toml"))
        assert isinstance(app.screen, Notice) and "File name too long" in dialog_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.session.path is None  # nothing was saved
    assert list(tmp_path.iterdir()) == []
