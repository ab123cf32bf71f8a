"""The what-ifs in the terminal UI, driven with Pilot: merge, split, the scenario list, compare and saving scenarios."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import DataTable, Header, Input, OptionList, Select, Static

from planner.analysis import Band, analyse
from planner.storage import load, save
from planner.storage.layouts import load_layout
from planner.ui.app import PlannerApp, make_app
from planner.ui.screens.compare import CompareScreen
from planner.ui.screens.dialogs import Confirm
from planner.ui.screens.picker import Picker
from planner.ui.screens.whatif import MergeForm, NameForm, ScenarioList, SplitForm

from .ui_apps import (
    SMALL,
    WIDE,
    file_app,
    layout_app,
    main_screen,
    messages,
    panel_text,
    replace_input,
    select,
    tree,
    tree_labels,
    type_text,
    wait_for_saves,
    wait_until,
)


# the separate layout: Dana Reyes over 4 sales reps, Lee Morgan over 6 marketing executives, 14 people
SALES = "sales-manager"  # Dana Reyes
MARKETING = "marketing-manager"  # Lee Morgan
SALES_REPS = [f"sales-rep-{n}" for n in range(1, 5)]
MARKETING_EXECS = [f"marketing-exec-{n}" for n in range(1, 7)]
# the merged layout: the separate one after the merge, Jordan Blake over all 10, 13 people
BOTH = "sales-marketing-manager"  # Jordan Blake
OWNER = "owner"
HEAVY = {Band.OVERLOADED, Band.CRITICAL}
LIGHT = {Band.OK, Band.STRETCHED}


# --- helpers -------------------------------------------------------------------------------------------------------

def tree_parent(app: PlannerApp, person_id: str) -> str | None:
    """The person id of a visible person's parent row in the tree."""
    org_tree = tree(app)
    for line in range(org_tree.last_line + 1):
        node = org_tree.get_node_at_line(line)
        if node is not None and node.data == person_id:
            return node.parent.data
    raise AssertionError(f"{person_id} is not shown in the tree")


async def pick_option(pilot, app: PlannerApp, selector: str, value: str) -> None:
    """Choose a value of a Select on the top screen with the keys: enter opens it, up/down, enter picks."""
    widget = app.screen.query_one(selector, Select)
    values = [option_value for _, option_value in widget._options]  # Select has no public list of its options
    steps = values.index(value) - values.index(widget.value)
    widget.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert widget.expanded
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    await pilot.pause()
    assert not widget.expanded
    assert widget.value == value


async def open_merge(pilot, app: PlannerApp, keeper: str, other_name: str) -> MergeForm:
    """Select the keeper, press M and pick the other person by part of their name."""
    await select(pilot, app, keeper)
    await pilot.press("M")
    await pilot.pause()
    picker = app.screen
    assert isinstance(picker, Picker)
    await type_text(pilot, other_name)
    await pilot.pause()
    assert picker.query_one("#picker-options", OptionList).option_count == 1
    await pilot.press("enter")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, MergeForm)
    return form


async def merge_lee_into_dana(pilot, app: PlannerApp, fate: str = "leave", into: str | None = "merged") -> None:
    """The merge of the separate layout: Dana Reyes keeps, Lee Morgan's roles and reports go to her."""
    form = await open_merge(pilot, app, SALES, "lee")
    if fate != "leave":
        await pick_option(pilot, app, "#fate", fate)
    field = form.query_one("#into", Input)
    if into is None:
        await replace_input(pilot, app, "#into", "")
    else:
        assert field.value == into, "the suggested scenario name"
    await pilot.press("ctrl+s")
    await pilot.pause()
    main_screen(app)


async def open_split(pilot, app: PlannerApp, person_id: str = BOTH) -> SplitForm:
    await select(pilot, app, person_id)
    await pilot.press("S")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, SplitForm)
    return form


async def open_scenarios(pilot, app: PlannerApp) -> OptionList:
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(app.screen, ScenarioList)
    return app.screen.query_one("#scenario-options", OptionList)


def listed_scenarios(options: OptionList) -> list[str]:
    return [options.get_option_at_index(i).id[1:] for i in range(options.option_count)]


async def highlight_scenario(pilot, options: OptionList, name: str) -> None:
    """Move the scenario list's highlight to a scenario with the arrow keys."""
    steps = listed_scenarios(options).index(name) - options.highlighted
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
    await pilot.pause()
    assert listed_scenarios(options)[options.highlighted] == name


def compare_rows(screen: CompareScreen) -> dict[str, list[str]]:
    """The comparison table, person id -> the cells as plain text."""
    table = screen.query_one("#compare-table", DataTable)
    return {row.key.value: [str(cell) for cell in table.get_row(row.key)] for row in table.ordered_rows}


def summary_text(screen: CompareScreen) -> str:
    return str(screen.query_one("#compare-summary", Static).content)


async def open_compare(pilot, app: PlannerApp) -> CompareScreen:
    await pilot.press("c")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CompareScreen)
    return screen


async def cursor_to(pilot, screen: CompareScreen, person_id: str) -> None:
    table = screen.query_one("#compare-table", DataTable)
    table.move_cursor(row=table.get_row_index(person_id))
    await pilot.pause()
    assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == person_id


# --- 1. merging in this scenario -----------------------------------------------------------------------------------

async def test_merge_in_this_scenario_then_undo_and_redo(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        assert app.session.analysis.people[SALES].load.band is Band.OK
        form = await open_merge(pilot, app, SALES, "lee")
        assert "Merge Lee Morgan's roles into Dana Reyes" in str(form.query_one(".dialog-title", Static).content)
        assert form.query_one("#fate", Select).value == "leave"
        await replace_input(pilot, app, "#into", "")  # blank: change this scenario
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)

        plan, org = app.session.plan, app.session.org
        assert list(plan.scenarios) == ["current"], "a blank name must not create a scenario"
        assert app.session.scenario == "current"
        assert MARKETING not in org
        assert len(org) == 13
        assert org.person(SALES).roles == ("sales-marketing-manager",)
        assert org.person(SALES).title == "Sales and marketing manager"
        assert org.span(SALES) == 10
        assert set(org.reports(SALES)) == {*SALES_REPS, *MARKETING_EXECS}
        assert org.manager_of(SALES) == OWNER
        # the analysis, fresh and cached, sees Dana overloaded
        assert app.session.analysis.people[SALES].load.band in HEAVY
        assert analyse(plan, "current").people[SALES].load.band in HEAVY
        assert app.session.analysis.people[SALES].team.span == 10
        # and so does the screen
        labels = tree_labels(app)
        assert MARKETING not in labels
        assert "OVER" in labels[SALES] or "CRIT" in labels[SALES]
        assert "Dana Reyes · Sales and marketing manager" in labels[SALES]
        assert all(tree_parent(app, person) == SALES for person in MARKETING_EXECS)
        assert tree(app).person_id == SALES
        assert "Roles: Sales and marketing manager" in panel_text(app)
        assert app.session.dirty and app.title.startswith("* ")
        merged = plan.copy()

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.plan == before
        assert MARKETING in tree_labels(app)
        assert app.session.analysis.people[SALES].load.band is Band.OK
        assert "OVER" not in tree_labels(app)[SALES] and "CRIT" not in tree_labels(app)[SALES]

        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.session.plan == merged
        assert MARKETING not in tree_labels(app)
        assert app.session.analysis.people[SALES].load.band in HEAVY


async def test_merge_picker_offers_everyone_but_the_keeper_biggest_teams_first(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await select(pilot, app, SALES)
        await pilot.press("M")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, Picker)
        options = picker.query_one("#picker-options", OptionList)
        offered = [options.get_option_at_index(i).id[1:] for i in range(options.option_count)]
        assert SALES not in offered
        assert set(offered) == set(app.session.org) - {SALES}
        assert offered[0] == MARKETING  # the largest team first
        await pilot.press("escape")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before


async def test_merge_form_escape_changes_nothing(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        state = app.session.history.state
        await open_merge(pilot, app, SALES, "lee")
        await pilot.press("escape")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before
        assert app.session.history.state == state
        assert app.session.scenario == "current"


async def test_merge_the_keepers_own_manager_moves_the_keeper_up(tmp_path):
    """Merging Sam Patel (Dana's manager) into Dana: Dana takes the top, the owner role and Sam's other reports."""
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await open_merge(pilot, app, SALES, "sam")
        await replace_input(pilot, app, "#into", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        org = app.session.org
        assert OWNER not in org
        assert org.roots() == [SALES]
        assert org.manager_of(SALES) is None
        assert "owner" in org.person(SALES).roles and "sales-manager" in org.person(SALES).roles
        assert set(org.reports(SALES)) == {*SALES_REPS, MARKETING, "operations-assistant"}
        assert tree_parent(app, SALES) is None
        assert OWNER not in tree_labels(app)


# --- 2. merging into a new scenario --------------------------------------------------------------------------------

async def test_merge_into_a_new_scenario_leaves_current_alone(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await merge_lee_into_dana(pilot, app)  # the suggested name, "merged"
        plan = app.session.plan
        assert list(plan.scenarios) == ["current", "merged"]
        assert app.session.scenario == "merged"
        assert app.sub_title.startswith("merged · ")
        assert plan.scenarios["current"] == before.scenarios["current"]
        merged = plan.scenarios["merged"]
        assert MARKETING not in merged and len(merged) == 13
        assert merged.span(SALES) == 10
        assert app.session.org is merged
        assert app.session.analysis.scenario == "merged"
        assert app.session.analysis.people[SALES].load.band in HEAVY
        assert analyse(plan, "current").people[SALES].load.band is Band.OK
        labels = tree_labels(app)
        assert MARKETING not in labels
        assert "OVER" in labels[SALES] or "CRIT" in labels[SALES]
        # a second merge suggests a free name
        await select(pilot, app, OWNER)
        await pilot.press("M")
        await pilot.pause()
        await type_text(pilot, "kim")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#into", Input).value == "merged 2"
        await pilot.press("escape")
        await pilot.pause()
        # undo removes the scenario and shows a scenario that exists
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.plan == before
        assert app.session.scenario == "current"
        assert MARKETING in tree_labels(app)
        assert app.sub_title.startswith("current · ")


@pytest.mark.parametrize(("fate", "vacant"), [("vacancy", True), ("ic", False)])
async def test_merge_keeps_the_other_person_as_a_vacancy_or_contributor(tmp_path, fate, vacant):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await merge_lee_into_dana(pilot, app, fate=fate)
        plan = app.session.plan
        assert list(plan.scenarios) == ["current", "merged"]
        assert app.session.scenario == "merged"
        assert plan.scenarios["current"] == before.scenarios["current"]
        org = app.session.org
        assert len(org) == 14
        lee = org.person(MARKETING)
        assert lee.vacant is vacant
        assert org.manager_of(MARKETING) == SALES
        assert org.span(MARKETING) == 0
        assert lee.roles == ("marketing-executive",), "no manager role left"
        assert set(org.reports(SALES)) == {*SALES_REPS, *MARKETING_EXECS, MARKETING}
        assert org.person(SALES).roles == ("sales-marketing-manager",)
        labels = tree_labels(app)
        assert tree_parent(app, MARKETING) == SALES
        assert (" OPEN " in labels[MARKETING]) is vacant
        assert "Lee Morgan · Marketing executive" in labels[MARKETING]


async def test_merge_into_a_taken_scenario_name_is_refused(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        before = app.session.plan.copy()
        await open_merge(pilot, app, SALES, "lee")
        await replace_input(pilot, app, "#into", "current")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before
        assert app.session.scenario == "current"
        assert any("already exists" in message for message in messages(app))


# --- 3. splitting --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("part", "moved", "kept"), [
    ("marketing-manager", MARKETING_EXECS, [f"sales-rep-{n}" for n in range(1, 5)]),
    ("sales-manager", [f"sales-rep-{n}" for n in range(1, 5)], MARKETING_EXECS),
])
async def test_split_in_this_scenario_and_undo(tmp_path, part, moved, kept):
    app = layout_app(tmp_path, "merged")
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        assert app.session.analysis.people[BOTH].load.band in HEAVY
        form = await open_split(pilot, app)
        assert "Split Jordan Blake's roles" in str(form.query_one(".dialog-title", Static).content)
        await pick_option(pilot, app, "#part", part)
        await replace_input(pilot, app, "#newcomer", "Alex Rivera")
        await replace_input(pilot, app, "#into", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)

        org = app.session.org
        assert list(app.session.plan.scenarios) == ["current"] and app.session.scenario == "current"
        assert len(org) == 14
        newcomer = org.person(part)  # the new person's id comes from the role's title
        assert newcomer.name == "Alex Rivera" and not newcomer.vacant
        assert newcomer.roles == (part,)
        assert org.manager_of(part) == OWNER
        assert sorted(org.reports(part)) == sorted(moved)
        assert sorted(org.reports(BOTH)) == sorted(kept)
        assert sorted([org.span(BOTH), org.span(part)]) == [4, 6]
        kept_role = "sales-manager" if part == "marketing-manager" else "marketing-manager"
        assert org.person(BOTH).roles == (kept_role,)
        bands = {person: app.session.analysis.people[person].load.band for person in (BOTH, part)}
        assert set(bands.values()) <= LIGHT, bands
        labels = tree_labels(app)
        assert "Alex Rivera" in labels[part]
        assert tree_parent(app, part) == OWNER
        await select(pilot, app, part)
        await pilot.press("right")  # open the newcomer's team
        await pilot.pause()
        assert all(tree_parent(app, person) == part for person in moved)
        assert all(tree_parent(app, person) == BOTH for person in kept)
        assert not any(code in labels[BOTH] for code in ("OVER", "CRIT"))

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.plan == before
        assert part not in tree_labels(app)
        assert app.session.analysis.people[BOTH].load.band in HEAVY


async def test_split_with_a_blank_name_makes_an_open_position(tmp_path):
    app = layout_app(tmp_path, "merged")
    async with app.run_test(size=WIDE) as pilot:
        form = await open_split(pilot, app)
        assert form.query_one("#part", Select).value == "marketing-manager"
        assert form.query_one("#newcomer", Input).value == ""
        assert form.query_one("#into", Input).value == "split"
        await pilot.press("ctrl+s")  # into the suggested new scenario
        await pilot.pause()
        main_screen(app)
        plan = app.session.plan
        assert list(plan.scenarios) == ["current", "split"]
        assert app.session.scenario == "split"
        assert plan.scenarios["current"] == load_layout("merged").scenarios["current"]
        org = app.session.org
        opening = org.person(MARKETING)
        assert opening.vacant
        assert opening.name == "Open: Marketing manager"
        assert sorted(org.reports(MARKETING)) == MARKETING_EXECS
        assert " OPEN " in tree_labels(app)[MARKETING]
        await select(pilot, app, MARKETING)
        assert "OPEN POSITION" in panel_text(app)


@pytest.mark.parametrize("person_id", [OWNER, "marketing-exec-2"])
async def test_split_without_a_merged_role_warns_and_changes_nothing(tmp_path, person_id):
    app = layout_app(tmp_path, "merged")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        before = app.session.plan.copy()
        state = app.session.history.state
        await select(pilot, app, person_id)
        await pilot.press("S")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before
        assert app.session.history.state == state
        name = app.session.org.person(person_id).name
        assert any(message.startswith(f"{name} does not hold manager roles of two functions: nothing to split")
                   for message in messages(app))
        assert [n.severity for n in app._notifications] == ["warning"]


async def test_split_on_the_separate_layout_warns_for_a_single_role_manager(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        before = app.session.plan.copy()
        await select(pilot, app, SALES)
        await pilot.press("S")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before
        assert any("nothing to split" in message for message in messages(app))


async def test_merge_then_split_gives_back_two_managers(tmp_path):
    """Merge Lee into Dana, then split marketing off again to a named newcomer, in the same scenario."""
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app, into=None)
        await open_split(pilot, app, SALES)
        await replace_input(pilot, app, "#newcomer", "Lee Morgan")
        await replace_input(pilot, app, "#into", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        org = app.session.org
        assert org.person(SALES).roles == ("sales-manager",)
        newcomer = [p for p in org.people() if p.name == "Lee Morgan"]
        assert len(newcomer) == 1 and newcomer[0].roles == ("marketing-manager",)
        assert sorted(org.reports(newcomer[0].id)) == MARKETING_EXECS
        assert sorted(org.reports(SALES)) == SALES_REPS


async def test_split_with_a_role_title_that_looks_like_markup(tmp_path):
    """Role titles come from the plan file's catalog, so they are user text like names.

    Regression (bug at 397ed30): SplitForm gave the titles to Select as str, parsed as markup: MarkupError, app exits.
    """
    plan = load_layout("merged")
    role = plan.catalog.roles["marketing-manager"]
    plan.catalog.roles["marketing-manager"] = dataclasses.replace(role, title="[/]Marketing")
    path = tmp_path / "odd-roles.toml"
    save(plan, path)
    assert load(path).catalog.roles["marketing-manager"].title == "[/]Marketing"  # the file keeps it
    app = make_app(path=path, saves=tmp_path / "saves")
    async with app.run_test(size=WIDE) as pilot:
        form = await open_split(pilot, app)
        await pilot.pause()
        assert form.query_one("#part", Select).value == "marketing-manager"
        await replace_input(pilot, app, "#into", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        opening = app.session.org.person("marketing")  # the id comes from the title "[/]Marketing"
        assert opening.vacant and opening.name == "Open: [/]Marketing"
        assert "Open: [/]Marketing" in tree_labels(app)["marketing"]


# --- 4. the scenario list ------------------------------------------------------------------------------------------

async def test_scenario_list_shows_each_scenario_and_the_one_shown(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app)
        options = await open_scenarios(pilot, app)
        assert listed_scenarios(options) == ["current", "merged"]
        assert options.highlighted == 1  # the one shown
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert prompts == ["current · 14 people", "merged · 13 people · showing"]
        await pilot.press("escape")
        await pilot.pause()
        main_screen(app)
        assert app.session.scenario == "merged"


async def test_scenario_copy_creates_and_shows_the_copy(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await open_scenarios(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NameForm)
        assert form.query_one("#name", Input).value == "current copy"
        await replace_input(pilot, app, "#name", "plan b")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        plan = app.session.plan
        assert list(plan.scenarios) == ["current", "plan b"]
        assert app.session.scenario == "plan b"
        assert plan.scenarios["plan b"] == plan.scenarios["current"]
        assert plan.scenarios["plan b"] is not plan.scenarios["current"]
        assert app.sub_title.startswith("plan b · ")
        assert set(tree_labels(app)) == set(plan.scenarios["current"])
        # an edit in the copy leaves current alone
        await select(pilot, app, "sales-rep-1")
        await pilot.press("v")
        await pilot.pause()
        assert plan.scenarios["plan b"].person("sales-rep-1").vacant
        assert not plan.scenarios["current"].person("sales-rep-1").vacant


async def test_scenario_copy_with_enter_in_the_name_field(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await open_scenarios(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")  # keep the suggestion
        await pilot.pause()
        main_screen(app)
        assert list(app.session.plan.scenarios) == ["current", "current copy"]
        assert app.session.scenario == "current copy"


async def test_scenario_blank_creates_an_empty_scenario(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await open_scenarios(pilot, app)
        await pilot.press("b")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "blank"
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        assert list(app.session.plan.scenarios) == ["current", "blank"]
        assert app.session.scenario == "blank"
        assert len(app.session.org) == 0
        assert tree_labels(app) == {}
        # the first person added goes at the top
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "First Person")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        assert app.session.org.roots() == ["first-person"]
        assert len(app.session.plan.scenarios["current"]) == 14


async def test_scenario_copy_with_a_taken_name_is_refused(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        before = app.session.plan.copy()
        await open_scenarios(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        await replace_input(pilot, app, "#name", "current")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before
        assert app.session.scenario == "current"
        assert any("already exists" in message for message in messages(app))


async def test_scenario_name_form_refuses_a_blank_name(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await open_scenarios(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        await replace_input(pilot, app, "#name", "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NameForm)
        assert "type a name" in str(app.screen.query_one(".form-error", Static).content)
        assert app.session.plan == before


async def test_scenario_rename_keeps_the_place_and_shows_it(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app)
        merged = app.session.plan.scenarios["merged"].copy()
        options = await open_scenarios(pilot, app)
        await highlight_scenario(pilot, options, "current")
        await pilot.press("r")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NameForm)
        assert "Rename current" in str(form.query_one(".dialog-title", Static).content)
        assert form.query_one("#name", Input).value == "current"
        await replace_input(pilot, app, "#name", "today")
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        plan = app.session.plan
        assert list(plan.scenarios) == ["today", "merged"]
        assert plan.scenarios["merged"] == merged
        assert app.session.scenario == "today"
        assert app.sub_title.startswith("today · ")
        assert MARKETING in tree_labels(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert list(app.session.plan.scenarios) == ["current", "merged"]
        assert app.session.scenario in app.session.plan.scenarios


async def test_scenario_remove_after_confirming(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await merge_lee_into_dana(pilot, app)
        after_merge = app.session.plan.copy()
        await open_scenarios(pilot, app)
        await pilot.press("x")  # the highlighted scenario: merged, the one shown
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, Confirm)
        assert "Remove the scenario merged?" in " ".join(str(s.content) for s in confirm.query(Static))
        await pilot.press("y")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before
        assert app.session.scenario == "current"
        assert MARKETING in tree_labels(app)
        assert app.sub_title.startswith("current · ")
        await pilot.press("ctrl+z")  # the scenario comes back
        await pilot.pause()
        assert app.session.plan == after_merge
        assert app.session.scenario in app.session.plan.scenarios


async def test_scenario_remove_n_keeps_it(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app)
        after_merge = app.session.plan.copy()
        await open_scenarios(pilot, app)
        await pilot.press("x", "n")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == after_merge
        assert app.session.scenario == "merged"


async def test_scenario_remove_refuses_the_last_scenario(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        before = app.session.plan.copy()
        state = app.session.history.state
        await open_scenarios(pilot, app)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before
        assert app.session.history.state == state
        assert app.session.scenario == "current"
        assert any("at least one scenario" in message for message in messages(app))
        assert set(tree_labels(app)) == set(before.scenarios["current"])


async def test_scenario_enter_switches_the_tree(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app)
        assert MARKETING not in tree_labels(app)
        options = await open_scenarios(pilot, app)
        await highlight_scenario(pilot, options, "current")
        await pilot.press("enter")
        await pilot.pause()
        main_screen(app)
        assert app.session.scenario == "current"
        assert app.session.org is app.session.plan.scenarios["current"]
        labels = tree_labels(app)
        assert set(labels) == set(app.session.plan.scenarios["current"])
        assert "OVER" not in labels[SALES] and "CRIT" not in labels[SALES]
        assert app.sub_title.startswith("current · ")
        assert app.session.analysis.scenario == "current"
        # edits now go to the scenario shown
        await select(pilot, app, "sales-rep-2")
        await pilot.press("v")
        await pilot.pause()
        assert app.session.plan.scenarios["current"].person("sales-rep-2").vacant
        assert not app.session.plan.scenarios["merged"].person("sales-rep-2").vacant
        # and back again
        options = await open_scenarios(pilot, app)
        await highlight_scenario(pilot, options, "merged")
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.scenario == "merged"
        assert MARKETING not in tree_labels(app)


async def test_undo_of_an_added_scenario_while_viewing_it(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        before = app.session.plan.copy()
        await open_scenarios(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        await replace_input(pilot, app, "#name", "what if")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.session.scenario == "what if"
        await pilot.press("ctrl+z")
        await pilot.pause()
        main_screen(app)
        assert app.session.plan == before
        assert app.session.scenario == "current"
        assert set(tree_labels(app)) == set(before.scenarios["current"])
        assert app.sub_title.startswith("current · ")
        assert app.session.analysis.scenario == "current"
        # the list, the panel and redo still work
        options = await open_scenarios(pilot, app)
        assert listed_scenarios(options) == ["current"]
        await pilot.press("escape")
        await pilot.pause()
        await select(pilot, app, SALES)
        assert panel_text(app).startswith("Dana Reyes\n")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert list(app.session.plan.scenarios) == ["current", "what if"]
        assert app.session.scenario in app.session.plan.scenarios


async def test_undo_of_a_rename_keeps_showing_that_scenario(tmp_path):
    """Regression (bug at 397ed30): undoing the rename showed the first scenario; the next edit hit the baseline."""
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app)
        await open_scenarios(pilot, app)
        await pilot.press("r")  # the highlighted one: merged, being viewed
        await pilot.pause()
        await replace_input(pilot, app, "#name", "plan b")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert list(app.session.plan.scenarios) == ["current", "plan b"]
        assert app.session.scenario == "plan b"
        await pilot.press("ctrl+z")
        await pilot.pause()
        main_screen(app)
        assert list(app.session.plan.scenarios) == ["current", "merged"]
        # still looking at the merged org, now called merged again; not at current
        assert MARKETING not in tree_labels(app)
        assert app.session.scenario == "merged"


async def test_undo_of_a_rename_falls_back_to_a_valid_scenario(tmp_path):
    """Whatever it shows after undoing a rename, it is a scenario of the plan and the tree matches it."""
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app)
        await open_scenarios(pilot, app)
        await pilot.press("r")
        await pilot.pause()
        await replace_input(pilot, app, "#name", "plan b")
        await pilot.press("ctrl+s")
        await pilot.pause()
        for key, names in (("ctrl+z", ["current", "merged"]), ("ctrl+y", ["current", "plan b"])):
            await pilot.press(key)
            await pilot.pause()
            main_screen(app)
            assert list(app.session.plan.scenarios) == names
            assert app.session.scenario in names
            assert set(tree_labels(app)) == set(app.session.org)
            assert app.sub_title.startswith(f"{app.session.scenario} · ")


async def test_scenario_names_that_look_like_markup(tmp_path):
    """A scenario named "[/]x" is shown literally in the list, the header, the dialogs and the comparison."""
    name = "[/]x [b]"
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_scenarios(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#name", Input).value = name
        await pilot.press("ctrl+s")
        await pilot.pause()
        main_screen(app)
        assert list(app.session.plan.scenarios) == ["current", name]
        assert app.sub_title.startswith(f"{name} · ")
        options = await open_scenarios(pilot, app)
        assert str(options.get_option_at_index(1).prompt).startswith(name + " · 14 people")
        await pilot.press("x")
        await pilot.pause()
        assert any(f"Remove the scenario {name}?" in str(s.content) for s in app.screen.query(Static))
        await pilot.press("n")
        await pilot.pause()
        screen = await open_compare(pilot, app)
        assert summary_text(screen).startswith(f"current compared with {name}: headcount 14→14")
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert f"Undid: add scenario {name} (now showing current)" in messages(app)
        main_screen(app)
        assert list(app.session.plan.scenarios) == ["current"]
    # leaving the context re-raises anything the app hit while rendering


# --- 5. compare ----------------------------------------------------------------------------------------------------

async def test_compare_after_a_merge(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app)
        plan = app.session.plan
        screen = await open_compare(pilot, app)
        assert (screen.before, screen.after) == ("current", "merged")
        assert screen.query_one(Header).screen_sub_title.startswith("compare current → merged · ")
        rows = compare_rows(screen)
        assert set(rows) == set(plan.scenarios["current"]) | set(plan.scenarios["merged"])
        assert len(rows) == 14
        assert rows[MARKETING][0] == "Lee Morgan"
        assert rows[MARKETING][-1] == "removed"
        assert rows[SALES][-1] == "changed"
        assert rows[SALES][2] == "4→10"  # span
        assert rows[SALES][4].startswith("ok→")
        assert all(rows[person][-1] == "moved" for person in MARKETING_EXECS)
        assert rows["sales-rep-1"][-1] == "same"
        summary = summary_text(screen)
        assert summary.startswith("current compared with merged: headcount 14→13 (-1)")
        assert "removed: Lee Morgan" in summary
        assert "merged role in merged: " in summary
        assert "no merged role in current" in summary

        await pilot.press("s")
        await pilot.pause()
        assert (screen.before, screen.after) == ("merged", "current")
        rows = compare_rows(screen)
        assert rows[MARKETING][-1] == "added"
        assert rows[SALES][2] == "10→4"
        assert summary_text(screen).startswith("merged compared with current: headcount 13→14 (+1)")
        assert screen.query_one(Header).screen_sub_title.startswith("compare merged → current · ")

        await pilot.press("escape")
        await pilot.pause()
        main_screen(app)
        assert app.session.scenario == "merged"
        assert app.session.plan is plan


async def test_compare_escape_restores_the_main_subtitle(tmp_path):
    """Regression (bug at 397ed30): escape left the header saying "compare current → merged" on the main screen."""
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app)
        main_subtitle = app.sub_title
        assert main_subtitle.startswith("merged · ")
        await open_compare(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        main_screen(app)
        assert app.sub_title == main_subtitle, "the header still says it is comparing"


async def test_compare_enter_jumps_to_the_person_in_the_after_scenario(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app)
        await select(pilot, app, OWNER)
        # look from current: compare current → merged is shown either way
        options = await open_scenarios(pilot, app)
        await highlight_scenario(pilot, options, "current")
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.scenario == "current"
        screen = await open_compare(pilot, app)
        assert (screen.before, screen.after) == ("current", "merged")
        await cursor_to(pilot, screen, "marketing-exec-3")
        await pilot.press("enter")
        await pilot.pause()
        main_screen(app)
        assert len(app.screen_stack) == 2, "one jump pops only the comparison"
        assert app.session.scenario == "merged"
        assert tree(app).person_id == "marketing-exec-3"
        assert tree_parent(app, "marketing-exec-3") == SALES
        assert app.focused is tree(app)
        assert panel_text(app).startswith("Sofia Lopez\n")
        assert "Reports to Dana Reyes" in panel_text(app)
        assert app.sub_title.startswith("merged · ")


async def test_compare_o_jumps_to_the_person_in_the_before_scenario(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app)
        screen = await open_compare(pilot, app)
        assert app.session.scenario == "merged"
        await cursor_to(pilot, screen, MARKETING)
        await pilot.press("o")
        await pilot.pause()
        main_screen(app)
        assert len(app.screen_stack) == 2
        assert app.session.scenario == "current"
        assert tree(app).person_id == MARKETING
        assert panel_text(app).startswith("Lee Morgan\n")
        assert app.sub_title.startswith("current · ")


async def test_compare_jump_to_someone_not_in_that_scenario_warns(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await merge_lee_into_dana(pilot, app)
        screen = await open_compare(pilot, app)
        await cursor_to(pilot, screen, MARKETING)  # removed in merged
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert "Not in merged." in messages(app)
        assert app.session.scenario == "merged"


async def test_compare_choose_before_and_after_with_the_picker(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app)
        await open_scenarios(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        await replace_input(pilot, app, "#name", "copy")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.session.scenario == "copy"  # a copy of merged
        screen = await open_compare(pilot, app)
        assert (screen.before, screen.after) == ("current", "copy")
        await pilot.press("b")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, Picker)
        options = picker.query_one("#picker-options", OptionList)
        assert [options.get_option_at_index(i).id[1:] for i in range(options.option_count)] == [
            "current", "merged", "copy"]
        await type_text(pilot, "merged")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert (screen.before, screen.after) == ("merged", "copy")
        rows = compare_rows(screen)
        assert {cells[-1] for cells in rows.values()} == {"same"}
        assert summary_text(screen).startswith("merged compared with copy: headcount 13→13 (+0)")
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "current")
        await pilot.press("enter")
        await pilot.pause()
        assert (screen.before, screen.after) == ("merged", "current")
        assert compare_rows(screen)[MARKETING][-1] == "added"
        await pilot.press("a", "escape")  # cancelling the picker keeps the pair
        await pilot.pause()
        assert app.screen is screen
        assert (screen.before, screen.after) == ("merged", "current")


async def test_compare_with_one_scenario_compares_it_with_itself(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_compare(pilot, app)
        assert (screen.before, screen.after) == ("current", "current")
        rows = compare_rows(screen)
        assert len(rows) == 14 and {cells[-1] for cells in rows.values()} == {"same"}


async def test_compare_table_fits_80_columns(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=SMALL) as pilot:
        await merge_lee_into_dana(pilot, app)
        screen = await open_compare(pilot, app)
        table = screen.query_one("#compare-table", DataTable)
        await pilot.pause()
        assert table.virtual_size.width <= SMALL[0], f"the table is {table.virtual_size.width} cells wide"
        assert table.region.right <= SMALL[0]
        # the header row, as drawn, ends with the Change column, and each row's change word is drawn in full
        header = table.render_line(0).text
        assert header.split() == ["Person", "Team", "Span", "Demand", "h", "Band", "Range", "h", "Change"]
        widths = sum(column.get_render_width(table) for column in table.columns.values())
        assert widths <= SMALL[0]
        await cursor_to(pilot, screen, MARKETING)
        drawn = [table.render_line(y).text for y in range(1, table.size.height)]
        assert any("Lee Morgan" in line and line.rstrip().endswith("removed") for line in drawn), drawn


@pytest.mark.parametrize("dialog", ["merge", "split", "scenarios"])
async def test_what_if_dialogs_fit_80x24(tmp_path, dialog):
    app = layout_app(tmp_path, "merged")
    async with app.run_test(size=SMALL) as pilot:
        if dialog == "merge":
            await open_merge(pilot, app, BOTH, "kim")
        elif dialog == "split":
            await open_split(pilot, app)
        else:
            await open_scenarios(pilot, app)
        await pilot.pause()
        box = app.screen.query_one(".dialog").region
        assert box.right <= SMALL[0] and box.bottom <= SMALL[1], box
        for widget in app.screen.query("Input, Select, Button, #scenario-options"):
            region = widget.region
            assert region.height > 0 and region.bottom <= SMALL[1], (widget, region)


# --- 6. saving scenarios -------------------------------------------------------------------------------------------

async def test_save_and_reopen_keeps_both_scenarios_in_order(tmp_path):
    app, path = file_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app, fate="vacancy")
        assert app.session.dirty
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_saves(pilot, app)
        main_screen(app)
        assert not app.session.dirty
        assert app.title == "plan.toml"
        saved = app.session.plan.copy()
    reopened = load(path)
    assert list(reopened.scenarios) == ["current", "merged"]
    assert reopened == saved
    assert reopened.scenarios["current"] == load_layout("separate").scenarios["current"]
    assert reopened.scenarios["merged"].person(MARKETING).vacant
    # and the app opened on it shows the first scenario, with both in the list
    again = make_app(path=path, saves=tmp_path / "saves")
    async with again.run_test(size=WIDE) as pilot:
        assert again.session.scenario == "current"
        options = await open_scenarios(pilot, again)
        assert listed_scenarios(options) == ["current", "merged"]


async def test_save_after_renaming_the_first_scenario_keeps_the_order(tmp_path):
    app, path = file_app(tmp_path, "separate")
    async with app.run_test(size=WIDE) as pilot:
        await merge_lee_into_dana(pilot, app)
        options = await open_scenarios(pilot, app)
        await highlight_scenario(pilot, options, "current")
        await pilot.press("r")
        await pilot.pause()
        await replace_input(pilot, app, "#name", "today")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for_saves(pilot, app)
        saved = app.session.plan.copy()
    reopened = load(path)
    assert list(reopened.scenarios) == ["today", "merged"]
    assert reopened == saved


# --- seen at 80x24 (issue 17) ----------------------------------------------------------------------------------------

async def test_after_a_split_the_new_managers_team_is_open_and_selected(tmp_path):
    app = layout_app(tmp_path, "merged")
    async with app.run_test(size=SMALL) as pilot:
        await open_split(pilot, app)
        await replace_input(pilot, app, "#newcomer", "Alex Rivera")
        await replace_input(pilot, app, "#into", "")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: tree(app).person_id == "marketing-manager", "the newcomer selected")
        labels = tree_labels(app)
        reports = app.session.org.reports("marketing-manager")
        assert len(reports) == 6 and all(report in labels for report in reports)
        assert all(tree_parent(app, report) == "marketing-manager" for report in reports)


@pytest.mark.parametrize("into", ["merged", None])
async def test_after_a_merge_the_keepers_team_is_open_and_selected(tmp_path, into):
    keeper = SALES_REPS[2]  # a sales rep with no team of their own, so nothing of theirs was open before
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=SMALL) as pilot:
        await open_merge(pilot, app, keeper, "lee")
        if into is None:
            await replace_input(pilot, app, "#into", "")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.session.org.reports(keeper), "the merge")
        await wait_until(pilot, lambda: tree(app).person_id == keeper, "the keeper selected")
        labels = tree_labels(app)
        assert all(report in labels and tree_parent(app, report) == keeper for report in MARKETING_EXECS)


async def test_redo_of_a_what_if_shows_the_scenario_it_changed(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await merge_lee_into_dana(pilot, app)  # into a new scenario, which is shown
        assert app.session.scenario == "merged"
        await pilot.press("ctrl+z")  # the new scenario goes: back to current
        await wait_until(pilot, lambda: list(app.session.plan.scenarios) == ["current"], "the merge undone")
        assert app.session.scenario == "current"
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: app.session.scenario == "merged", "the redone merge shown")
        assert app.sub_title.startswith("merged · ")
        assert "CRIT" in tree_labels(app)[SALES]
        assert messages(app)[-1] == "Redid: merge Lee Morgan into Dana Reyes (now showing merged)"
        # an edit in one scenario, undone while another is shown, shows the one it changed
        await select(pilot, app, SALES_REPS[0])
        await pilot.press("v")
        await wait_until(pilot, lambda: app.session.org.person(SALES_REPS[0]).vacant, "a vacancy in merged")
        options = await open_scenarios(pilot, app)
        await highlight_scenario(pilot, options, "current")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.session.scenario == "current", "current shown")
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: app.session.scenario == "merged", "the undone vacancy's scenario")
        assert not app.session.org.person(SALES_REPS[0]).vacant


async def test_compare_names_responsibilities_by_title_and_who_fell_vacant(tmp_path):
    app = layout_app(tmp_path, "separate")
    async with app.run_test(size=SMALL) as pilot:
        await open_scenarios(pilot, app)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, NameForm), "the name of the copy")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.session.scenario == "current copy", "the copy shown")
        await select(pilot, app, MARKETING)
        await pilot.press("v")  # Lee Morgan's post falls vacant: their responsibilities are held by nobody filled
        await wait_until(pilot, lambda: app.session.org.person(MARKETING).vacant, "the vacancy")
        screen = await open_compare(pilot, app)
        rows = compare_rows(screen)
        assert rows[MARKETING][-1] == "vacated"
        assert rows[SALES][-1] == "same"
        summary = " ".join(summary_text(screen).split())
        assert "open positions 0→1 (+1)" in summary and "vacated: Lee Morgan" in summary
        catalog = app.session.plan.catalog.responsibilities
        lost = [item for item in app.session.plan.catalog.role_responsibilities(MARKETING)
                if all(item not in app.session.plan.responsibilities_of(person)
                       for person in app.session.org.people() if not person.vacant)]
        assert lost
        lines = summary_text(screen).splitlines()
        assert f"responsibilities lost: {', '.join(catalog[item].title for item in sorted(lost))}" in lines
