"""Exports, screenshots and imports from the UI."""

from __future__ import annotations

import json
from pathlib import Path

from planner.ui.app import make_app

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
