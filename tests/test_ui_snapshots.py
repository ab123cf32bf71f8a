"""Snapshots of the terminal UI (pytest-textual-snapshot): regenerate with `pytest --snapshot-update` after a UI change
and look at each SVG before accepting it.

snap_compare runs its own event loop, so these are plain (sync) test functions.
"""

from __future__ import annotations

from planner.ui.widgets.org_tree import OrgTree

from . import ui_apps
from .ui_apps import SMALL, WIDE



def _select(person_id: str):
    """A run_before hook that puts the tree cursor on a person."""
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.screen.query_one(OrgTree).select_person(person_id)
        await pilot.pause()
        assert pilot.app.screen.query_one(OrgTree).person_id == person_id
    return run_before


def test_main_screen_merged_80x24(snap_compare):
    assert snap_compare(ui_apps.merged_app(), terminal_size=SMALL)


def test_main_screen_merged_120x40(snap_compare):
    assert snap_compare(ui_apps.merged_app(), terminal_size=WIDE, run_before=_select("sales-marketing-manager"))


def test_help_screen(snap_compare):
    assert snap_compare(ui_apps.merged_app(), press=["f1"], terminal_size=WIDE)


def test_person_form_dialog(snap_compare):
    assert snap_compare(ui_apps.merged_app(), press=["e"], terminal_size=SMALL,
                        run_before=_select("sales-marketing-manager"))


def test_team_view(snap_compare):
    assert snap_compare(ui_apps.merged_app(), press=["t"], terminal_size=WIDE)


def test_hostile_names(snap_compare):
    assert snap_compare(ui_apps.hostile_app_in_memory(), terminal_size=WIDE, run_before=_select("red"))
