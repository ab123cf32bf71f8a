"""Snapshots of the terminal UI (pytest-textual-snapshot): regenerate with `pytest --snapshot-update` after a UI change
and look at each SVG before accepting it.

snap_compare runs its own event loop, so these are plain (sync) test functions.
"""

from __future__ import annotations

from planner.ui.widgets.org_tree import OrgTree

from . import ui_apps
from .ui_apps import SMALL, WIDE

MANAGER = "sales-marketing-manager"  # Jordan Blake, the merged manager


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


# --- at 80x24, where the look matters (issue 17) ---------------------------------------------------------------------

def test_help_at_80x24_scrolled_to_the_bands(snap_compare):
    assert snap_compare(ui_apps.merged_app(), press=["f1", "3"], terminal_size=SMALL)


def test_team_view_at_80x24(snap_compare):
    assert snap_compare(ui_apps.merged_app(), press=["t"], terminal_size=SMALL)


def test_team_view_at_80x24_on_the_managers(snap_compare):
    assert snap_compare(ui_apps.merged_app(), press=["t", "tab", "end"], terminal_size=SMALL)


def test_roles_checklist_at_80x24(snap_compare):
    assert snap_compare(ui_apps.merged_app(), press=["r"], terminal_size=SMALL, run_before=_select(MANAGER))


def test_focus_on_one_team_at_80x24(snap_compare):
    assert snap_compare(ui_apps.merged_app(), press=["f"], terminal_size=SMALL, run_before=_select(MANAGER))


def test_unusual_settings_are_confirmed_at_80x24(snap_compare):
    keys = ["comma", "end", "ctrl+u", "2", "ctrl+s"]
    assert snap_compare(ui_apps.merged_app(), press=keys, terminal_size=SMALL)


def test_compare_at_80x24(snap_compare):
    assert snap_compare(ui_apps.merged_app(), press=["c"], terminal_size=SMALL)


def test_footer_at_60x20(snap_compare):
    assert snap_compare(ui_apps.merged_app(), terminal_size=(60, 20))

