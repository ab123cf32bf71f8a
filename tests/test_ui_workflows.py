"""The terminal UI, driven through its keys with Textual's Pilot: every workflow checks the plan and the screen."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Input,
    Markdown,
    OptionList,
    SelectionList,
    Static,
)
from textual.widgets._footer import FooterKey

from planner.model.errors import PlanFileError
from planner.storage import load
from planner.storage.layouts import load_layout
from planner.ui.app import PlannerApp, make_app
from planner.ui.screens.assign import AssignScreen
from planner.ui.screens.dialogs import Confirm, Notice, UnsavedChanges
from planner.ui.screens.forms import SaveAsForm, SettingsForm
from planner.ui.screens.help import HelpScreen
from planner.ui.screens.main import MainScreen
from planner.ui.screens.person_form import PersonForm
from planner.ui.screens.picker import Picker, picker
from planner.ui.widgets.person_panel import PersonPanel

from . import ui_apps
from .ui_apps import (
    SMALL,
    WIDE,
    dialog_text,
    file_app,
    layout_app,
    main_screen,
    panel_text,
    replace_input,
    select,
    send_burst,
    tree,
    tree_labels,
    type_text,
    wait_for_saves,
    wait_until,
)

MANAGER = "sales-marketing-manager"  # Jordan Blake, over 10 people in the merged layout
OWNER = "owner"  # Sam Patel
ASSISTANT = "operations-assistant"  # Kim Walsh
EXEC = "marketing-exec-2"  # Ravi Kumar


# --- helpers -------------------------------------------------------------------------------------------------------

def node_of(app: PlannerApp, person_id: str):
    """The visible tree node of a person (failing when it is not shown)."""
    org_tree = tree(app)
    for line in range(org_tree.last_line + 1):
        node = org_tree.get_node_at_line(line)
        if node is not None and node.data == person_id:
            return node
    raise AssertionError(f"{person_id} is not shown in the tree")


# --- adding people -------------------------------------------------------------------------------------------------

async def test_add_report_goes_under_the_selected_person_and_is_selected(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, EXEC)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PersonForm)
        assert "Ravi Kumar" in str(app.screen.query_one(".dialog-title", Static).content)
        await type_text(pilot, "Zoe Quinn")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        org = app.session.org
        assert "zoe-quinn" in org
        assert org.person("zoe-quinn").name == "Zoe Quinn"
        assert org.manager_of("zoe-quinn") == EXEC
        assert tree(app).person_id == "zoe-quinn"
        assert "Zoe Quinn" in tree_labels(app)["zoe-quinn"]
        assert panel_text(app).startswith("Zoe Quinn")
        assert "Reports to Ravi Kumar" in panel_text(app)
        assert app.session.dirty


async def test_add_sibling_goes_under_the_same_manager_and_is_selected(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, EXEC)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PersonForm)
        await type_text(pilot, "Lea Park")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        assert app.session.org.manager_of("lea-park") == MANAGER
        assert tree(app).person_id == "lea-park"
        assert "Reports to Jordan Blake" in panel_text(app)


async def test_add_form_escape_adds_nobody(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await select(pilot, app, EXEC)
        await pilot.press("a")
        await type_text(pilot, "Nobody")
        await pilot.press("escape")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before
        assert tree(app).person_id == EXEC


async def test_add_form_without_a_name_stays_open(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await select(pilot, app, EXEC)
        await pilot.press("a", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonForm)
        assert "give a name" in str(app.screen.query_one("#form-error", Static).content)
        assert app.session.plan == before


# --- editing -------------------------------------------------------------------------------------------------------

async def test_edit_changes_name_title_and_capacity(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, ASSISTANT)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PersonForm)
        assert form.query_one("#name", Input).value == "Kim Walsh"
        assert form.query_one("#title", Input).value == "Operations assistant"
        await replace_input(pilot, app, "#name", "Kim Walsh-Ng")
        await replace_input(pilot, app, "#title", "Office lead")
        await replace_input(pilot, app, "#capacity", "32")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        person = app.session.org.person(ASSISTANT)
        assert (person.name, person.title, person.capacity_hours) == ("Kim Walsh-Ng", "Office lead", 32.0)
        assert person.roles == ("operations-assistant",)
        assert app.session.org.manager_of(ASSISTANT) == OWNER
        text = panel_text(app)
        assert text.startswith("Kim Walsh-Ng\nOffice lead\n")
        assert "against 32 h capacity (own)" in text
        assert "Kim Walsh-Ng · Office lead" in tree_labels(app)[ASSISTANT]
        # 32 h of work on a 32 h week
        assert app.session.analysis.people[ASSISTANT].load.utilisation == pytest.approx(1.0)


@pytest.mark.parametrize("capacity", ["abc", "0", "500"])
async def test_edit_with_invalid_capacity_stays_open_and_changes_nothing(tmp_path, capacity):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        state = app.session.history.state
        await select(pilot, app, ASSISTANT)
        await pilot.press("e")
        await pilot.pause()
        await replace_input(pilot, app, "#name", "Changed Name")
        await replace_input(pilot, app, "#capacity", capacity)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonForm), "an invalid capacity must keep the form open"
        error = str(app.screen.query_one("#form-error", Static).content)
        assert "capacity" in error
        assert app.session.plan == before
        assert app.session.history.state == state
        # Fixing the field lets the same form save.
        await replace_input(pilot, app, "#capacity", "30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        assert app.session.org.person(ASSISTANT).capacity_hours == 30.0
        assert app.session.org.person(ASSISTANT).name == "Changed Name"


# --- moving --------------------------------------------------------------------------------------------------------

async def test_move_to_a_manager_picked_by_part_of_the_name(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, ASSISTANT)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        await type_text(pilot, "jord")
        await pilot.pause()
        options = app.screen.query_one("#picker-options", OptionList)
        assert options.option_count == 1
        assert "Jordan Blake" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        main_screen(app)
        assert app.session.org.manager_of(ASSISTANT) == MANAGER
        assert tree(app).person_id == ASSISTANT
        assert "Reports to Jordan Blake" in panel_text(app)
        assert tree(app).cursor_node.parent.data == MANAGER


def _picker_question(app: PlannerApp) -> tuple[str, str, list[str]]:
    """The open picker's title, filter and offered option ids."""
    picker = app.screen
    assert isinstance(picker, Picker)
    options = picker.query_one("#picker-options", OptionList)
    return (str(picker.query_one(".dialog-title", Static).content), picker.query_one("#picker-filter", Input).value,
            [str(options.get_option_at_index(index).id) for index in range(options.option_count)])


async def test_a_picker_opened_again_asks_its_own_question_afresh(tmp_path):
    """The find picker after a cancelled move: its own title and choices, the filter typed before gone."""
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, MANAGER)
        send_burst(app, "m", *"Priya", "escape", "slash")
        await wait_until(pilot, lambda: isinstance(app.screen, Picker)
                         and _picker_question(app)[0] == "Find a person", "the find picker")
        _, typed, offered = _picker_question(app)
        assert typed == "" and len(offered) == min(len(app.session.org), 50) and "=" not in offered
        send_burst(app, *"jord", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and tree(app).person_id == MANAGER,
                         "found Jordan")
        send_burst(app, "m")
        await wait_until(pilot, lambda: isinstance(app.screen, Picker)
                         and _picker_question(app)[0].startswith("Move Jordan Blake"), "the move picker again")
        _, typed, offered = _picker_question(app)
        assert typed == "" and offered == ["=", "=owner", "=operations-assistant"]


async def test_a_picker_asked_for_while_one_is_open_is_a_new_one_and_leaves_the_open_one_as_it_was(tmp_path):
    """Two pickers at once (one opened from the command palette over another): each keeps its own question."""
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, MANAGER)
        send_burst(app, "m", *"own")
        await wait_until(pilot, lambda: isinstance(app.screen, Picker) and _picker_question(app)[1] == "own",
                         "the move picker, filtered")
        move_picker, before = app.screen, _picker_question(app)
        second = picker(app, "Scenario before", [("current", "current", "13 people")])
        assert second is not move_picker
        await app.push_screen(second)
        await wait_until(pilot, lambda: _picker_question(app)[0] == "Scenario before", "the second picker")
        assert _picker_question(app)[2] == ["=current"]
        send_burst(app, "escape")
        await wait_until(pilot, lambda: app.screen is move_picker, "back in the move picker")
        assert _picker_question(app) == before


async def test_move_does_not_offer_the_person_or_their_team(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await select(pilot, app, MANAGER)
        await pilot.press("m")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, Picker)
        options = picker.query_one("#picker-options", OptionList)
        offered = {options.get_option_at_index(i).id for i in range(options.option_count)}
        # the top of the org, the owner and the assistant; never Jordan or the 10 reports
        assert offered == {"=", "=owner", "=operations-assistant"}
        await type_text(pilot, "Priya")  # one of Jordan's reports
        await pilot.pause()
        assert options.option_count == 0
        assert "0 match" in str(picker.query_one("#picker-count", Static).content)
        await pilot.press("enter")  # nothing to pick: stays open
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        await pilot.press("escape")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before


async def test_move_to_the_top_of_the_org(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, MANAGER)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("enter")  # the first choice with an empty filter: nobody, top of the org
        await pilot.pause()
        main_screen(app)
        assert app.session.org.manager_of(MANAGER) is None
        assert set(app.session.org.roots()) == {OWNER, MANAGER}
        assert tree(app).person_id == MANAGER


# --- roles and responsibilities -----------------------------------------------------------------------------------

def _index_of(selection_list: SelectionList, value: str) -> int:
    for index in range(selection_list.option_count):
        if selection_list.get_option_at_index(index).value == value:
            return index
    raise AssertionError(f"{value} is not in the list")


async def _toggle(pilot, selection_list: SelectionList, value: str) -> None:
    selection_list.highlighted = _index_of(selection_list, value)
    await pilot.press("space")
    await pilot.pause()


async def test_assign_a_role_brings_its_responsibilities(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, ASSISTANT)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, AssignScreen)
        checklist = app.screen.query_one("#assign-list", SelectionList)
        assert set(checklist.selected) == {"role:operations-assistant", "item:order-fulfilment", "item:office-admin"}
        await _toggle(pilot, checklist, "role:sales-rep")
        # checking the role checks what it bundles, on screen
        assert {"item:closing-deals", "item:account-care"} <= set(checklist.selected)
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        plan = app.session.plan
        person = app.session.org.person(ASSISTANT)
        assert person.roles == ("operations-assistant", "sales-rep")
        assert plan.responsibilities_of(person) == {
            "order-fulfilment", "office-admin", "closing-deals", "account-care"}
        assert person.extra_responsibilities == () and person.dropped_responsibilities == ()
        text = panel_text(app)
        assert "Roles: Operations assistant, Sales representative" in text
        assert "Follow up and close the leads marketing creates; take orders" in text
        assert app.session.analysis.people[ASSISTANT].load.responsibility.hours == pytest.approx(20 + 12 + 12 + 14 + 10)


async def test_unchecking_a_bundled_responsibility_drops_it(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, ASSISTANT)
        await pilot.press("r")
        await pilot.pause()
        checklist = app.screen.query_one("#assign-list", SelectionList)
        await _toggle(pilot, checklist, "item:office-admin")
        assert "item:office-admin" not in checklist.selected
        assert "role:operations-assistant" in checklist.selected
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        person = app.session.org.person(ASSISTANT)
        assert person.roles == ("operations-assistant",)
        assert person.dropped_responsibilities == ("office-admin",)
        assert app.session.plan.responsibilities_of(person) == {"order-fulfilment"}
        assert "Office administration" not in panel_text(app)
        assert "Order fulfilment and stock" in panel_text(app)


async def test_unchecking_a_role_unchecks_what_only_it_brought(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, ASSISTANT)
        await pilot.press("r")
        await pilot.pause()
        checklist = app.screen.query_one("#assign-list", SelectionList)
        await _toggle(pilot, checklist, "role:operations-assistant")
        assert checklist.selected == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        person = app.session.org.person(ASSISTANT)
        assert person.roles == ()
        assert app.session.plan.responsibilities_of(person) == frozenset()
        assert "none: press r to assign" in panel_text(app)


async def test_assign_escape_changes_nothing(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await select(pilot, app, ASSISTANT)
        await pilot.press("r")
        await pilot.pause()
        await _toggle(pilot, app.screen.query_one("#assign-list", SelectionList), "role:sales-rep")
        await pilot.press("escape")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before


# --- deleting ------------------------------------------------------------------------------------------------------

async def test_delete_moves_reports_up_to_the_deleted_persons_manager(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        reports = app.session.org.reports(MANAGER)
        assert len(reports) == 10
        await select(pilot, app, MANAGER)
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        question = " ".join(str(s.content) for s in app.screen.query(Static))
        assert "Delete Jordan Blake?" in question
        assert "Their 10 report(s) will move up to Sam Patel" in question
        await pilot.press("y")
        await pilot.pause()
        main_screen(app)
        org = app.session.org
        assert MANAGER not in org
        assert all(org.manager_of(report) == OWNER for report in reports)
        assert set(org.reports(OWNER)) == {ASSISTANT, *reports}
        assert MANAGER not in tree_labels(app)
        assert all(node_of(app, report).parent.data == OWNER for report in reports)


async def test_delete_n_cancels(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await select(pilot, app, MANAGER)
        await pilot.press("x")  # the other delete key
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before
        assert tree(app).person_id == MANAGER


# --- vacancy and dotted lines --------------------------------------------------------------------------------------

async def test_toggle_vacancy(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, EXEC)
        await pilot.press("v")
        await pilot.pause()
        assert app.session.org.person(EXEC).vacant is True
        assert " OPEN " in tree_labels(app)[EXEC]
        assert "OPEN POSITION" in panel_text(app)
        await pilot.press("v")
        await pilot.pause()
        assert app.session.org.person(EXEC).vacant is False
        assert " OPEN " not in tree_labels(app)[EXEC]
        assert "OPEN POSITION" not in panel_text(app)


async def test_dotted_line_added_then_removed(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, EXEC)
        await pilot.press("d")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, Picker)
        options = picker.query_one("#picker-options", OptionList)
        offered = {options.get_option_at_index(i).id for i in range(options.option_count)}
        assert "=" + EXEC not in offered and "=" + MANAGER not in offered  # not themselves, not the solid line
        await type_text(pilot, "Kim")
        await pilot.press("enter")
        await pilot.pause()
        main_screen(app)
        assert app.session.org.person(EXEC).dotted_managers == (ASSISTANT,)
        assert "Dotted lines to Kim Walsh" in panel_text(app)
        # again: the picker says Kim is a dotted line now, and picking removes it
        await pilot.press("d")
        await pilot.pause()
        await type_text(pilot, "Kim")
        await pilot.pause()
        options = app.screen.query_one("#picker-options", OptionList)
        assert "dotted line now" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.org.person(EXEC).dotted_managers == ()
        assert "Dotted lines" not in panel_text(app)


# --- undo and redo -------------------------------------------------------------------------------------------------

async def test_undo_and_redo_restore_the_exact_plan(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        original = app.session.plan.copy()
        await select(pilot, app, MANAGER)
        await pilot.press("delete", "y")
        await pilot.pause()
        after_delete = app.session.plan.copy()
        assert after_delete != original
        await select(pilot, app, EXEC)
        await pilot.press("v")
        await pilot.pause()
        after_vacancy = app.session.plan.copy()
        assert after_vacancy != after_delete

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.plan == after_delete
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.plan == original
        assert MANAGER in tree_labels(app)
        assert node_of(app, EXEC).parent.data == MANAGER
        await pilot.press("ctrl+z")  # nothing left: no change
        await pilot.pause()
        assert app.session.plan == original

        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.session.plan == after_delete
        assert MANAGER not in tree_labels(app)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.session.plan == after_vacancy
        assert " OPEN " in tree_labels(app)[EXEC]


async def test_undo_back_to_the_saved_plan_is_not_dirty(tmp_path):
    app, _ = file_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert not app.session.dirty and not app.title.startswith("* ")
        await select(pilot, app, EXEC)
        await pilot.press("v")
        await pilot.pause()
        assert app.session.dirty and app.title == "* plan.toml"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not app.session.dirty and app.title == "plan.toml"


# --- saving --------------------------------------------------------------------------------------------------------

async def test_save_writes_the_open_file_and_clears_the_marker(tmp_path):
    app, path = file_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.title == "plan.toml"
        await select(pilot, app, EXEC)
        await pilot.press("v")
        await pilot.pause()
        assert app.title == "* plan.toml"
        assert load(path) != app.session.plan
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_saves(pilot, app)
        main_screen(app)
        assert load(path) == app.session.plan
        assert load(path).scenario().person(EXEC).vacant
        assert app.title == "plan.toml"
        assert not app.session.dirty


async def test_save_of_a_layout_plan_asks_for_a_path(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.title == "untitled (from merged)"  # a layout as shipped: nothing to lose yet
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SaveAsForm)
        assert form.query_one("#path", Input).value == str(tmp_path / "saves" / "merged-sales-and-marketing.toml")
        target = tmp_path / "chosen" / "acme"  # .toml is added
        await replace_input(pilot, app, "#path", str(target))
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_saves(pilot, app)
        main_screen(app)
        saved = target.with_suffix(".toml")
        assert saved.is_file()
        assert load(saved) == app.session.plan
        assert app.session.path == saved
        assert app.title == "acme.toml"
        assert not app.session.dirty


async def test_save_as_cancelled_writes_nothing(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsForm)
        await pilot.press("escape")
        await pilot.pause()
        main_screen(app)
        assert app.session.path is None  # nothing was saved
        assert not (tmp_path / "saves").exists()


async def test_save_as_over_an_existing_file_asks_first(tmp_path):
    app = layout_app(tmp_path)
    other = tmp_path / "other.toml"
    other.write_text("keep me", encoding="utf-8")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        await replace_input(pilot, app, "#path", str(other))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert other.read_text(encoding="utf-8") == "keep me"
        assert app.session.path is None  # nothing was saved
        await pilot.press("ctrl+s")
        await pilot.pause()
        await replace_input(pilot, app, "#path", str(other))
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await wait_for_saves(pilot, app)
        main_screen(app)
        assert load(other) == app.session.plan
        assert not app.session.dirty


# --- quitting with unsaved changes ---------------------------------------------------------------------------------

async def _edit_then_quit(pilot, app: PlannerApp) -> None:
    await select(pilot, app, EXEC)
    await pilot.press("v")
    await pilot.pause()
    assert app.session.dirty
    await pilot.press("ctrl+q")
    await pilot.pause()


async def test_quit_without_changes_exits_at_once(tmp_path):
    app, _ = file_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not isinstance(app.screen, UnsavedChanges)
    assert app.return_code == 0


async def test_unsaved_prompt_cancel_keeps_the_app_running(tmp_path):
    app, path = file_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await _edit_then_quit(pilot, app)
        assert isinstance(app.screen, UnsavedChanges)
        assert "plan.toml has changes that are not saved." in " ".join(
            str(s.content) for s in app.screen.query(Static))
        await pilot.press("c")
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        main_screen(app)
        assert app.session.dirty
        assert load(path) != app.session.plan


async def test_unsaved_prompt_discard_exits_without_saving(tmp_path):
    app, path = file_app(tmp_path)
    saved_before = path.read_bytes()
    async with app.run_test(size=WIDE) as pilot:
        await _edit_then_quit(pilot, app)
        assert isinstance(app.screen, UnsavedChanges)
        await pilot.press("d")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running
    assert path.read_bytes() == saved_before


async def test_unsaved_prompt_save_saves_then_exits(tmp_path):
    app, path = file_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await _edit_then_quit(pilot, app)
        assert isinstance(app.screen, UnsavedChanges)
        edited = app.session.plan.copy()
        await pilot.press("s")
        await pilot.pause()
        await wait_for_saves(pilot, app)
    assert app.return_code == 0
    assert load(path) == edited
    assert load(path).scenario().person(EXEC).vacant


async def test_unsaved_prompt_save_of_a_layout_plan_asks_where_then_exits(tmp_path):
    app = layout_app(tmp_path)
    target = tmp_path / "quit-save.toml"
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, EXEC)
        await pilot.press("v", "v")  # changed and changed back: still never saved to a file
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChanges)
        assert "untitled (from merged) has never been saved to a file." in dialog_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsForm)
        assert app.is_running
        await replace_input(pilot, app, "#path", str(target))
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_saves(pilot, app)
    assert app.return_code == 0
    assert load(target) == load_layout("merged")


# --- settings ------------------------------------------------------------------------------------------------------

async def test_settings_change_updates_demand_and_panel(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, MANAGER)
        demand_before = app.session.analysis.people[MANAGER].load.demand_hours
        assert f"{demand_before:.1f} h demand" in panel_text(app)
        await pilot.press("comma")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, SettingsForm)
        assert form.query_one("#critical_hours", Input).value == "55"
        assert form.query_one("#switching_rate", Input).value == "17"  # a percentage
        assert form.query_one("#assumption_spread", Input).value == "25"
        await replace_input(pilot, app, "#switching_rate", "34")
        await replace_input(pilot, app, "#assumption_spread", "10")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        settings = app.session.plan.settings
        assert (settings.switching_rate, settings.assumption_spread) == (pytest.approx(0.34), pytest.approx(0.1))
        load = app.session.analysis.people[MANAGER].load
        demand_after = load.demand_hours
        assert demand_after == pytest.approx(demand_before + 0.17 * 23)  # 17% more of the 23 marketing hours
        assert f"{0.9 * demand_after:.0f}-{1.1 * demand_after:.0f} h if the assumed hours are 10% off" in panel_text(app)
        assert tree(app).person_id == MANAGER
        assert f"{demand_after:.1f} h demand" in panel_text(app)
        assert f"{demand_before:.1f} h demand" not in panel_text(app)


async def test_settings_out_of_range_stays_open(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await pilot.press("comma")
        await pilot.pause()
        await replace_input(pilot, app, "#switching_rate", "abc")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsForm)
        assert "type a number" in str(app.screen.query_one(".form-error", Static).content)
        assert app.session.plan == before


# --- find ----------------------------------------------------------------------------------------------------------

async def test_find_puts_the_cursor_on_the_person(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, Picker)
        await type_text(pilot, "marco")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        main_screen(app)
        assert tree(app).person_id == "sales-rep-4"
        assert "Marco Rossi" in str(tree(app).cursor_node.label)
        assert panel_text(app).startswith("Marco Rossi")
        assert app.focused is tree(app)


async def test_find_opens_a_collapsed_branch(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, MANAGER)
        await pilot.press("left")  # collapse Jordan's team
        await pilot.pause()
        assert "sales-rep-4" not in tree_labels(app)
        await pilot.press("slash")
        await type_text(pilot, "Rossi")
        await pilot.press("enter")
        await pilot.pause()
        assert tree(app).person_id == "sales-rep-4"
        assert "sales-rep-4" in tree_labels(app)


async def test_keys_typed_in_one_burst_after_a_find_act_on_the_person_found(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        send_burst(app, "slash", *"rossi", "enter", "v")
        org = app.session.org
        await wait_until(pilot, lambda: any(person.vacant for person in org.people()), "a vacancy")
        assert [person.id for person in org.people() if person.vacant] == ["sales-rep-4"]
        assert isinstance(app.screen, MainScreen)


# --- team view -----------------------------------------------------------------------------------------------------

async def test_team_view_lists_the_merged_manager_first_and_jumps_back(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, ASSISTANT)
        await pilot.press("t")
        await pilot.pause()
        screen = main_screen(app)
        assert screen.query_one(ContentSwitcher).current == "team-view"
        risks = screen.query_one("#risks", DataTable)
        assert app.focused is risks
        assert risks.row_count >= 1
        first_key = risks.coordinate_to_cell_key((0, 0)).row_key.value
        assert first_key == MANAGER
        assert "Jordan Blake" in str(risks.get_row_at(0)[1])
        assert "CRIT" in str(risks.get_row_at(0)[0])
        findings = str(screen.query_one("#team-findings", Static).content)
        assert "Merged role:" in findings
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(ContentSwitcher).current == "org-view"
        assert tree(app).person_id == MANAGER
        assert app.focused is tree(app)
        assert panel_text(app).startswith("Jordan Blake")


async def test_panel_and_team_view_show_how_far_the_verdict_holds(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, MANAGER)
        text = " ".join(panel_text(app).split())
        assert "68.9 h demand against 40 h capacity (default) 52-86 h if the assumed hours are 25% off: " \
               "overloaded to critical" in text
        assert "stays critical unless duties take 21% less time than assumed" in text
        assert "Responsibilities (19, 50 h + 15 h team duties)" in text
        assert "10.0 h Manage the team and keep its work on schedule management · 1 h per report" in text
        await pilot.press("v")  # the merged manager's post falls vacant
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        risks = app.main_screen.query_one("#risks", DataTable)
        row = [str(cell) for cell in risks.get_row_at(0)]
        assert row[1:] == ["Jordan Blake (open position)", "68.9 h", "52-86 h: overloaded to critical"]
        why = " ".join(str(app.main_screen.query_one("#risk-why", Static).content).split())
        assert why.endswith("stays critical unless duties take 21% less time than assumed, and at least overloaded "
                            "unless 31% less")
        summary = " ".join(str(app.main_screen.query_one("#team-findings", Static).content).split())
        assert "The open position Jordan Blake holds both roles; whoever fills it would be critical" in summary
        assert "sales manager 35.0 h (ok; 26-44 h, stretched at the high end)" in summary
        assert "10 people report to an open position" in summary


async def test_team_view_follows_edits_and_t_toggles_back(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, MANAGER)
        await pilot.press("t")
        await pilot.pause()
        managers = app.main_screen.query_one("#managers", DataTable)
        assert MANAGER in {key.value for key in managers.rows}
        await pilot.press("t")
        await pilot.pause()
        assert app.main_screen.query_one(ContentSwitcher).current == "org-view"
        await pilot.press("delete", "y")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert MANAGER not in {key.value for key in managers.rows}
        risks = app.main_screen.query_one("#risks", DataTable)
        assert MANAGER not in {key.value for key in risks.rows}
        await pilot.press("escape")
        await pilot.pause()
        assert app.main_screen.query_one(ContentSwitcher).current == "org-view"


# --- narrow terminals ----------------------------------------------------------------------------------------------

async def test_narrow_layout_shows_the_panel_on_enter_and_escape_returns(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        panel = screen.query_one(PersonPanel)
        org_tree = tree(app)
        assert screen.has_class("-narrow")
        assert not panel.display and panel.region.width == 0
        assert org_tree.region.width == 80
        await select(pilot, app, EXEC)
        await pilot.press("enter")
        await pilot.pause()
        assert panel.display and panel.region.width == 80
        assert not org_tree.is_on_screen
        assert app.focused is panel
        assert panel_text(app).startswith("Ravi Kumar")
        await pilot.press("escape")
        await pilot.pause()
        assert not panel.display
        assert org_tree.is_on_screen and org_tree.region.width == 80
        assert app.focused is org_tree
        assert org_tree.person_id == EXEC


async def test_widening_the_terminal_shows_both_panes(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(*WIDE)
        await pilot.pause()
        screen = main_screen(app)
        assert not screen.has_class("-narrow")
        assert screen.query_one(PersonPanel).region.width > 0
        assert tree(app).region.width > 0


# --- files that fail to load ---------------------------------------------------------------------------------------

BROKEN_PLANS = {
    "syntax": 'schema = 1\nname = "Broken\n',
    "unknown-manager": 'schema = 1\nname = "x"\n\n[[people]]\nid = "a"\nname = "A"\nmanager = "ghost"\n',
}


@pytest.mark.parametrize("kind", sorted(BROKEN_PLANS))
async def test_a_plan_that_fails_to_load_shows_the_check_message(tmp_path, kind):
    bad = tmp_path / "bad.toml"
    bad.write_text(BROKEN_PLANS[kind], encoding="utf-8")
    with pytest.raises(PlanFileError) as raised:
        load(bad)
    expected = raised.value.render()
    assert expected
    app = make_app(path=bad, saves=tmp_path / "saves")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Notice)
        shown = [str(s.content) for s in app.screen.query(Static)]
        assert f"Could not open {bad}" in shown
        assert expected in shown
        assert app.session is None
        await pilot.press("enter")  # closes the message; the start screen is left to choose another plan
        await pilot.pause()
        assert not isinstance(app.screen, Notice)
        assert app.is_running


def test_the_cli_check_words_the_problem_the_same_way(tmp_path, capsys):
    from planner.cli import main as cli_main
    bad = tmp_path / "bad.toml"
    bad.write_text(BROKEN_PLANS["unknown-manager"], encoding="utf-8")
    try:
        cli_main(["check", str(bad)])
    except SystemExit:
        pass
    printed = capsys.readouterr()
    with pytest.raises(PlanFileError) as raised:
        load(bad)
    assert raised.value.render() in printed.out + printed.err


async def test_opening_a_missing_file_shows_a_message(tmp_path):
    app = make_app(path=tmp_path / "nope.toml", saves=tmp_path / "saves")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Notice)
        assert any("no such file" in str(s.content) for s in app.screen.query(Static))


# --- hostile names -------------------------------------------------------------------------------------------------

HOSTILE_SHOWN = {
    "boss": ui_apps.CLOSE_NAME,
    "bold": ui_apps.BOLD_NAME,
    "red": ui_apps.RED_NAME,
    "osc": ui_apps.OSC_SHOWN,
}


async def test_hostile_names_show_literally_and_nothing_crashes(tmp_path):
    app = ui_apps.hostile_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        main_screen(app)
        labels = tree_labels(app)
        assert set(labels) == set(HOSTILE_SHOWN)
        for person_id, name in HOSTILE_SHOWN.items():
            assert name in labels[person_id], (person_id, labels[person_id])
            assert "\x1b" not in labels[person_id] and "\x07" not in labels[person_id]
        assert "[i]Owner" in labels["boss"] and "Manager [/b]" in labels["bold"]
        assert app.sub_title.endswith(f" · {ui_apps.HOSTILE_PLAN_NAME}")
        # walk every row: the panel names each person literally
        org_tree = tree(app)
        for line in range(org_tree.last_line + 1):
            org_tree.move_cursor_to_line(line)
            await pilot.pause()
            person_id = org_tree.person_id
            assert panel_text(app).startswith(HOSTILE_SHOWN[person_id] + "\n")
        await select(pilot, app, "red")
        assert f"Reports to {ui_apps.BOLD_NAME}" in panel_text(app)
        await pilot.press("down", "up", "left", "right")
        # the team view
        await pilot.press("t")
        await pilot.pause()
        risks = app.main_screen.query_one("#risks", DataTable)
        managers = app.main_screen.query_one("#managers", DataTable)
        risk_names = [str(risks.get_row_at(row)[1]) for row in range(risks.row_count)]
        manager_names = [str(managers.get_row_at(row)[0]) for row in range(managers.row_count)]
        assert ui_apps.BOLD_NAME in risk_names
        assert set(manager_names) == {ui_apps.CLOSE_NAME, ui_apps.BOLD_NAME}
        await pilot.press("down", "up", "escape")
        await pilot.pause()
        # the find picker, filtering by a name full of brackets
        await pilot.press("slash")
        await pilot.pause()
        options = app.screen.query_one("#picker-options", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        for name in HOSTILE_SHOWN.values():
            assert any(prompt.startswith(name) for prompt in prompts), (name, prompts)
        await pilot.press("[", "/", "]")
        await pilot.pause()
        assert app.screen.query_one("#picker-filter", Input).value == "[/]"
        await pilot.press("enter")
        await pilot.pause()
        assert tree(app).person_id == "boss"
        # dialogs that quote names: move, delete, edit
        await select(pilot, app, "red")
        await pilot.press("m")
        await pilot.pause()
        assert ui_apps.RED_NAME in str(app.screen.query_one(".dialog-title", Static).content)
        await pilot.press("escape", "delete")
        await pilot.pause()
        assert any(ui_apps.RED_NAME in str(s.content) for s in app.screen.query(Static))
        await pilot.press("n", "e")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == ui_apps.RED_NAME
        await pilot.press("escape", "r")
        await pilot.pause()
        assert ui_apps.RED_NAME in str(app.screen.query_one(".dialog-title", Static).content)
        await pilot.press("escape")
        await pilot.pause()
        main_screen(app)
    # leaving the context re-raises any exception the app hit while rendering


async def test_hostile_names_typed_into_the_form(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, EXEC)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#name", Input).insert_text_at_cursor("[/]\x1b[31mred")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        added = [p for p in app.session.org.people() if p.name.startswith("[/]")]
        assert len(added) == 1
        assert added[0].name == "[/][31mred"  # the escape character is cleaned out
        assert str(tree(app).cursor_node.label).endswith("[/][31mred")
        assert panel_text(app).startswith("[/][31mred\n")


# --- command palette -----------------------------------------------------------------------------------------------

async def _palette(pilot, app: PlannerApp, query: str) -> CommandList:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await type_text(pilot, query)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen.query_one(CommandList)


def _prompts(commands: CommandList) -> list[str]:
    return [str(commands.get_option_at_index(i).prompt).split("\n")[0] for i in range(commands.option_count)]


async def test_command_palette_team_runs_the_team_view(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, ASSISTANT)
        await _palette(pilot, app, "team")
        await pilot.press("enter")
        await pilot.pause()
        screen = main_screen(app)
        assert screen.query_one(ContentSwitcher).current == "team-view"
        assert tree(app).subtree_root is None


async def test_command_palette_offers_team_and_running_it_shows_the_team_view(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, ASSISTANT)
        commands = await _palette(pilot, app, "team")
        prompts = _prompts(commands)
        assert "Team" in prompts
        commands.highlighted = prompts.index("Team")
        await pilot.press("enter")
        await pilot.pause()
        screen = main_screen(app)
        assert screen.query_one(ContentSwitcher).current == "team-view"
        assert app.focused is screen.query_one("#risks", DataTable)


async def test_command_palette_help_opens_help(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        commands = await _palette(pilot, app, "help")
        prompts = _prompts(commands)
        commands.highlighted = prompts.index("Help")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


# --- keys at 80x24 -------------------------------------------------------------------------------------------------

def assert_footer_fits(screen: MainScreen) -> None:
    """Every key the screen offers now is in the footer, whole, on the last line, and none overlaps another."""
    shown = {b.action for b in [*MainScreen.BINDINGS, *PlannerApp.BINDINGS]
             if b.show and b.description and screen.check_action(b.action, ())}
    keys = list(screen.query(FooterKey))
    in_footer = {key.action for key in keys}
    assert shown <= in_footer, f"missing from the footer: {shown - in_footer}"
    for key in keys:
        region = key.region
        assert region.width > 0, key.description
        assert region.right <= SMALL[0], f"{key.description} is cut off at {region}"
        assert region.y == SMALL[1] - 1
    spans = sorted((key.region.x, key.region.right) for key in keys)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))


async def test_every_shown_binding_fits_the_footer_at_80x24(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert_footer_fits(main_screen(app))
        await select(pilot, app, MANAGER)
        await pilot.press("f")  # focus on one team: esc (back) joins the footer
        await pilot.pause()
        assert "back" in {key.action for key in main_screen(app).query(FooterKey)}
        assert_footer_fits(main_screen(app))


async def test_every_shown_binding_runs_at_80x24(tmp_path):
    """Each footer key opens its dialog or view at 80x24 without an error."""
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, EXEC)
        expected = {"a": PersonForm, "e": PersonForm, "r": AssignScreen, "m": Picker,
                    "delete": Confirm, "f1": HelpScreen}
        for key, screen_type in expected.items():
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_type), key
            dialog = app.screen.query(".dialog")
            if dialog:
                region = dialog.first().region
                assert region.right <= SMALL[0] and region.bottom <= SMALL[1], (key, region)
            await pilot.press("escape")
            await pilot.pause()
            main_screen(app)
        await pilot.press("t")
        await pilot.pause()
        assert main_screen(app).query_one(ContentSwitcher).current == "team-view"
        await pilot.press("escape", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsForm)


# --- more edge cases found while testing ---------------------------------------------------------------------------

async def test_hostile_names_in_notifications_and_undo(tmp_path):
    """With notifications on, the toasts that quote edits and files render literally too."""
    app = ui_apps.hostile_app(tmp_path)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await select(pilot, app, "red")
        before = app.session.plan.copy()
        await pilot.press("delete", "y")
        await pilot.pause()
        assert "red" not in app.session.org
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.plan == before
        await pilot.press("ctrl+y", "ctrl+z")
        await pilot.pause()
        assert app.session.plan == before
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_saves(pilot, app)
        assert load(tmp_path / ui_apps.HOSTILE_FILE) == before
        messages = [notification.message for notification in app._notifications]
        assert any(message.startswith("Undid: ") for message in messages)
        assert f"Saved {tmp_path / ui_apps.HOSTILE_FILE}" in messages
        main_screen(app)


async def test_start_screen_opens_a_layout_after_discarding(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, EXEC)
        await pilot.press("v")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChanges)
        await pilot.press("d")
        await pilot.pause()
        options = app.screen.query_one("#start-options", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("layout:separate")
        await pilot.press("enter")
        await pilot.pause()
        main_screen(app)
        assert app.session.origin == "separate"
        assert app.session.plan == load_layout("separate")
        assert app.title == "untitled (from separate)"
        assert len(app.screen_stack) == 2  # the default screen and one main screen


async def test_start_screen_escape_returns_to_the_open_plan(tmp_path):
    app, _ = file_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, EXEC)
        await pilot.press("ctrl+o")  # clean plan: no question
        await pilot.pause()
        assert not isinstance(app.screen, MainScreen)
        await pilot.press("escape")
        await pilot.pause()
        main_screen(app)
        assert tree(app).person_id == EXEC


async def test_help_opens_and_closes(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")  # again only closes
        await pilot.pause()
        main_screen(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await pilot.pause()
        main_screen(app)


async def test_help_explains_the_load_model_with_the_plans_figures(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        app.session.plan.settings = replace(app.session.plan.settings, critical_hours=60.0, assumption_spread=0.1)
        await pilot.press("f1")
        await pilot.pause()
        text = " ".join(app.screen.query_one(Markdown).source.split())
        assert "| CRIT (critical) | from 60 h a week, whatever the contract | WHO/ILO" in text
        assert "| OVER (overloaded) | from 48 h a week, whatever the contract | Pencavel" in text
        assert "| stretch | above the person's own weekly hours | over contract |" in text
        assert "17% of the hours outside the person's main function" in text
        assert "1 h, train it 0.5 h" in text and "McKinsey 2023" in text
        assert "may be off by 10%" in text


async def test_new_responsibility_goes_to_the_catalog_and_the_person(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, MANAGER)
        before = app.session.analysis.people[MANAGER].load.responsibility.hours
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Trade shows")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan.catalog.responsibilities["trade-shows"].hours == 2.0
        assert app.session.org.person(MANAGER).extra_responsibilities == ("trade-shows",)
        assert app.session.analysis.people[MANAGER].load.responsibility.hours == pytest.approx(before + 2)
        assert "Trade shows" in panel_text(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "trade-shows" not in app.session.plan.catalog.responsibilities


async def test_focus_shows_only_the_selected_team(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, MANAGER)
        await pilot.press("f")
        await pilot.pause()
        assert set(tree_labels(app)) == {MANAGER, *app.session.org.reports(MANAGER)}
        assert tree(app).person_id == MANAGER
        await pilot.press("escape")
        await pilot.pause()
        assert tree(app).subtree_root is None
        assert {OWNER, ASSISTANT, MANAGER} <= set(tree_labels(app))
        assert tree(app).person_id == MANAGER


async def test_leaving_focus_keeps_the_team_open(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await select(pilot, app, MANAGER)
        everyone = set(tree_labels(app))
        assert everyone == set(app.session.org)  # the whole merged org is open at the start
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert set(tree_labels(app)) == everyone


async def test_narrow_escape_from_team_view_opened_from_details(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, EXEC)
        await pilot.press("enter")  # details
        await pilot.pause()
        await pilot.press("t")  # team view from the details
        await pilot.pause()
        screen = main_screen(app)
        assert screen.query_one(ContentSwitcher).current == "team-view"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one(ContentSwitcher).current == "org-view"
        assert tree(app).is_on_screen and app.focused is tree(app)


async def test_narrow_jump_from_team_view_opened_from_details(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, EXEC)
        await pilot.press("enter", "t")
        await pilot.pause()
        await pilot.press("enter")  # the first risk: Jordan Blake
        await pilot.pause()
        screen = main_screen(app)
        assert screen.query_one(ContentSwitcher).current == "org-view"
        assert tree(app).person_id == MANAGER
        assert tree(app).is_on_screen, "the tree the user jumped to is hidden"
        assert app.focused is tree(app)


async def test_too_long_name_keeps_the_form_open(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await select(pilot, app, ASSISTANT)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "N" * 201
        await replace_input(pilot, app, "#title", "New title")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.session.plan == before
        assert isinstance(app.screen, PersonForm), "the form closed and the typed changes are gone"
        assert "name" in str(app.screen.query_one("#form-error", Static).content)


async def test_a_wait_reads_its_condition_only_once_the_screen_pushed_has_composed(tmp_path):
    """A screen is pushed before its widgets exist: a wait that queries them must not read them in between."""
    app = layout_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        app.push_screen(Notice("Pushed", "its body"))
        await wait_until(pilot, lambda: str(app.screen.query_one(".dialog-title", Static).content) == "Pushed",
                         "the dialog's title")
