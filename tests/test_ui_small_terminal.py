"""An owner over SSH at 80x24 with no mouse: every view reachable and readable with the keys alone (issue 17).

Keys are sent as an SSH connection delivers them: several at once (`send_burst`), with no pause between them.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from rich.cells import cell_len
from textual.containers import VerticalScroll
from textual.widgets import Button, DataTable, Input, Static
from textual.widgets._footer import FooterKey

from planner.analysis import Band
from planner.analysis.report import Analyser, analyse
from planner.storage.layouts import load_layout
from planner.ui.app import make_app
from planner.ui.labels import band_marker
from planner.ui.screens.assign import AssignScreen
from planner.ui.screens.compare import CompareScreen
from planner.ui.screens.dialogs import Confirm, Notice, UnsavedChanges
from planner.ui.screens.forms import ExportForm, ImportForm, SettingsForm
from planner.ui.screens.help import HelpScreen
from planner.ui.screens.main import MainScreen
from planner.ui.screens.person_form import PersonForm
from planner.ui.screens.picker import Picker
from planner.ui.screens.whatif import MergeForm, ScenarioList, SplitForm
from planner.ui.widgets.checks import Checklist, TickBox
from planner.ui.widgets.reading import ReadingScroll
from planner.ui.widgets.team_view import TeamView

from .ui_apps import (
    SMALL,
    dialog_text,
    keys_for,
    layout_app,
    main_screen,
    panel_text,
    screen_lines,
    select,
    send_burst,
    wait_until,
)

MANAGER = "sales-marketing-manager"  # Jordan Blake in the merged layout
SCROLLBAR_BLANK = str.maketrans("▁▂▃▄▅▆▇█", "        ")  # a scrollbar's thumb, drawn over the ends of lines
BURSTS = 12


# --- keys in bursts -----------------------------------------------------------------------------------------------

async def test_text_typed_right_after_tab_lands_in_the_field_tab_moved_to(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, MANAGER)
        for attempt in range(BURSTS):
            name, title = f"Ana {attempt}", f"Lead {attempt}"
            # open the form, clear the name and type it, tab, clear the title and type it, save: one burst
            send_burst(app, "e", "end", "ctrl+u", *keys_for(name), "tab", "end", "ctrl+u", *keys_for(title), "ctrl+s")
            await wait_until(pilot, lambda: app.session.history.state == attempt + 1, f"edit {attempt}")
            main_screen(app)
            person = app.session.org.person(MANAGER)
            assert (person.name, person.title) == (name, title)


async def test_text_typed_right_after_the_key_that_opens_a_form_lands_in_it(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, MANAGER)
        send_burst(app, "a", *keys_for("Ana Lee"), "ctrl+s")
        await wait_until(pilot, lambda: app.session.history.state == 1, "the person added")
        main_screen(app)
        org = app.session.org
        assert "ana-lee" in org.reports(MANAGER) and org.person("ana-lee").name == "Ana Lee"


# --- help ---------------------------------------------------------------------------------------------------------

def _help_body(app):
    return app.screen.query_one("#help-body", ReadingScroll)


def _section_on_screen(app, title: str) -> bool:
    """Whether the heading of a help section is within the help's visible area."""
    body = _help_body(app)
    block_id = dict(app.screen.sections)[title]
    return body.region.y <= app.screen.query_one(f"#{block_id}").region.y < body.region.bottom


async def test_help_scrolls_with_every_usual_key_at_80x24(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen) and _help_body(app).max_scroll_y > 0,
                         "the help laid out")
        body = _help_body(app)
        assert app.focused is body
        steps = [("down", 1), ("j", 2), ("k", 1), ("up", 0), ("pagedown", None), ("pageup", 0), ("space", None)]
        for key, expected in steps:
            before = body.scroll_y
            await pilot.press(key)
            await wait_until(pilot, lambda: body.scroll_y != before, f"{key} to scroll")
            if expected is not None:
                assert body.scroll_y == expected, key
        await pilot.press("b")
        await wait_until(pilot, lambda: body.scroll_y == 0, "b to scroll a page up")
        await pilot.press("end")
        await wait_until(pilot, lambda: body.scroll_y == body.max_scroll_y, "end")
        await pilot.press("home")
        await wait_until(pilot, lambda: body.scroll_y == 0, "home")


async def test_help_sections_are_reached_by_tab_by_number_and_by_name(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen) and len(app.screen.sections) == 6,
                         "the help's sections")
        help_screen = app.screen
        titles = [title for title, _ in help_screen.sections]
        assert titles == ["Keys", "How load is worked out", "Bands", "How sure is a verdict", "Span of control",
                          "Merged role"]
        index = str(help_screen.query_one("#help-index", Static).content)
        assert all(f"{number} {title}" in index for number, title in enumerate(titles, 1))
        for title in titles:  # tab goes to each next section in turn
            await pilot.press("tab")
            await wait_until(pilot, lambda: _section_on_screen(app, title), f"tab to {title}")
        for number, title in reversed(list(enumerate(titles, 1))):
            await pilot.press(str(number))
            await wait_until(pilot, lambda: _section_on_screen(app, title), f"{number} to {title}")
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, Picker), "the section finder")
        send_burst(app, *keys_for("bands"), "enter")
        await wait_until(pilot, lambda: app.screen is help_screen and _section_on_screen(app, "Bands"),
                         "/ bands to the bands")


async def test_help_shift_tab_goes_back_a_section_at_a_time(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen) and len(app.screen.sections) == 6,
                         "the help's sections")
        body, titles = _help_body(app), [title for title, _ in app.screen.sections]
        await pilot.press("end")
        await wait_until(pilot, lambda: body.scroll_y == body.max_scroll_y > 0, "end")
        await pilot.press("shift+tab")
        await wait_until(pilot, lambda: _section_at_top(app) is not None, "shift+tab to a section's heading")
        here = titles.index(_section_at_top(app))
        assert here >= 4  # the last screen holds at most the last two sections
        await pilot.press("shift+tab")
        await wait_until(pilot, lambda: _section_at_top(app) == titles[here - 1], "shift+tab to the one before")


def _section_at_top(app) -> str | None:
    """The section whose heading is the first line of the help's visible area, if any."""
    top = _help_body(app).region.y
    return next((title for title, block_id in app.screen.sections
                 if app.screen.query_one(f"#{block_id}").region.y == top), None)


# --- team view ----------------------------------------------------------------------------------------------------

async def test_team_view_scrolls_and_the_headline_comes_back_at_80x24(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("t")
        view = main_screen(app).query_one(TeamView)
        risks, managers = view.query_one("#risks", DataTable), view.query_one("#managers", DataTable)
        headline = view.query_one("#team-headline", Static)
        await wait_until(pilot, lambda: app.focused is risks and view.max_scroll_y > 0, "the team view")
        assert view.scroll_y == 0 and "Sales vs marketing" in str(headline.content)
        assert _row_on_screen(view, risks)
        await pilot.press("down", "down")  # past the last risk: the view itself scrolls on
        await wait_until(pilot, lambda: view.scroll_y == 2, "down past the last row to scroll the view")
        await pilot.press("tab", "end")
        await wait_until(pilot, lambda: app.focused is managers and managers.cursor_row == managers.row_count - 1,
                         "end to the last manager")
        await wait_until(pilot, lambda: _row_on_screen(view, managers), "the managers' cursor row in sight")
        await pilot.press("home")
        await wait_until(pilot, lambda: managers.cursor_row == 0 and _row_on_screen(view, managers), "home")
        await pilot.press("home")  # at the first row already: to the top, the headline back in sight
        await wait_until(pilot, lambda: view.scroll_y == 0, "home again to the top of the view")
        await pilot.press("shift+tab", "shift+tab")  # the view itself, scrolled with the keys
        await wait_until(pilot, lambda: app.focused is view, "the view focused")
        for key, at in (("pagedown", lambda: view.scroll_y > 0), ("end", lambda: view.scroll_y == view.max_scroll_y),
                        ("pageup", lambda: view.scroll_y < view.max_scroll_y), ("home", lambda: view.scroll_y == 0)):
            await pilot.press(key)
            await wait_until(pilot, at, key)


async def test_team_view_tables_page_through_their_rows_then_the_view(tmp_path):
    app = layout_app(tmp_path, "growing")  # 8 managers: their table starts below the first screen
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("t")
        view = main_screen(app).query_one(TeamView)
        managers = view.query_one("#managers", DataTable)
        await wait_until(pilot, lambda: managers.row_count == 8 and view.max_scroll_y > 0, "the team view")
        send_burst(app, "tab", "pagedown")
        await wait_until(pilot, lambda: app.focused is managers and managers.cursor_row == 7
                         and _row_on_screen(view, managers), "pagedown to the last manager, in sight")
        await pilot.press("pageup")
        await wait_until(pilot, lambda: managers.cursor_row == 0 and _row_on_screen(view, managers),
                         "pageup to the first manager, in sight")
        await pilot.press("pageup")  # at the first row: the view pages up, to its headline
        await wait_until(pilot, lambda: view.scroll_y == 0, "pageup again to the top of the view")
        assert managers.cursor_row == 0 and app.focused is managers


def _row_on_screen(view: TeamView, table: DataTable) -> bool:
    """Whether a table's cursor row is within the view's visible area."""
    row = table.region.y + table.header_height + table.cursor_row
    return view.region.y <= row < view.region.bottom


async def test_team_view_explains_its_counts_shows_managers_load_and_why_in_full(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("t")
        view = main_screen(app).query_one(TeamView)
        await wait_until(pilot, lambda: view.query_one("#managers", DataTable).row_count == 2, "the team view")
        headline = " ".join(str(view.query_one("#team-headline", Static).content).split())
        assert "in the function: people holding one of its roles, its managers too" in headline
        assert "team members: those of them who do not manage it" in headline
        assert "under its managers: everyone below its managers" in headline
        managers = view.query_one("#managers", DataTable)
        assert [str(column.label) for column in managers.columns.values()][:2] == ["Manager", "Load"]
        assert str(managers.get_row(MANAGER)[1]).split() == ["CRIT", "172%"]
        assert all(column.get_render_width(managers) for column in managers.columns.values())
        assert managers.region.right <= SMALL[0]
        why = view.query_one("#risk-why", Static)
        verdict = app.session.analysis.people[MANAGER].load.verdict
        assert " ".join(str(why.content).split()) == f"Why: Jordan Blake: {verdict}"
        assert why.region.right <= SMALL[0] and why.region.height > 1  # wrapped, not cut
        await pilot.press("escape")
        await select(pilot, app, MANAGER)
        assert "possible relationships with the reports, singly, in groups and between them (Graicunas' count" \
            in " ".join(panel_text(app).split())


async def test_compare_table_moves_with_arrows_pages_home_and_end_at_80x24(tmp_path):
    app = layout_app(tmp_path, "growing")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "the comparison")
        table = app.screen.query_one("#compare-table", DataTable)
        await wait_until(pilot, lambda: app.focused is table and table.max_scroll_y > 0, "the table laid out")
        steps = [("down", lambda: table.cursor_row == 1 and table.scroll_y == 0),
                 ("end", lambda: table.cursor_row == table.row_count - 1 and table.scroll_y == table.max_scroll_y),
                 ("home", lambda: table.cursor_row == 0 and table.scroll_y == 0),
                 ("pagedown", lambda: table.cursor_row > 1 and table.scroll_y > 0),
                 ("pageup", lambda: table.cursor_row == 0 and table.scroll_y == 0)]
        for key, moved in steps:
            await pilot.press(key)
            await wait_until(pilot, moved, f"{key} in the comparison")


async def test_a_long_message_scrolls_with_the_keys_while_its_button_has_focus(tmp_path):
    broken = tmp_path / "broken.toml"
    people = "".join(f'[[people]]\nid = "p{n}"\nname = "P {n}"\nmanager = "ghost{n}"\n\n' for n in range(30))
    broken.write_text(f'schema = 1\nname = "Broken"\n\n{people}', encoding="utf-8")
    app = make_app(path=broken, saves=tmp_path / "saves")
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, Notice), "the file's problems")
        body = app.screen.query_one(VerticalScroll)
        await wait_until(pilot, lambda: body.max_scroll_y > 0, "the problems laid out, longer than the box")
        assert isinstance(app.focused, Button)
        steps = [("down", lambda: body.scroll_y == 1), ("up", lambda: body.scroll_y == 0),
                 ("pagedown", lambda: body.scroll_y > 1), ("home", lambda: body.scroll_y == 0),
                 ("end", lambda: body.scroll_y == body.max_scroll_y),
                 ("pageup", lambda: body.scroll_y < body.max_scroll_y)]
        for key, scrolled in steps:
            await pilot.press(key)
            await wait_until(pilot, scrolled, f"{key} to scroll the message")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, Notice), "the message closed")


async def test_team_view_leaves_no_gap_where_nobody_is_at_risk(tmp_path):
    app = layout_app(tmp_path, "separate")  # nobody above capacity: no "Why" line to show
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("t")
        view = main_screen(app).query_one(TeamView)
        risks, findings = view.query_one("#risks", DataTable), view.query_one("#team-findings", Static)
        await wait_until(pilot, lambda: risks.row_count == 1 and findings.region.height, "the team view")
        assert "nobody is above capacity" in str(risks.get_row_at(0)[1])
        assert findings.region.y == risks.region.bottom + 1  # one blank line, as between every part of the view


async def test_compare_summary_longer_than_its_box_is_read_with_tab_and_the_keys_at_80x24(tmp_path):
    app = layout_app(tmp_path)  # the merged role's verdict alone takes more lines than the box has
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "the comparison")
        box = app.screen.query_one("#compare-summary-box", VerticalScroll)
        await wait_until(pilot, lambda: box.max_scroll_y > 0, "the summary laid out, longer than its box")
        send_burst(app, "tab", "end")
        await wait_until(pilot, lambda: app.focused is box and box.scroll_y == box.max_scroll_y, "tab, end")
        shown = " ".join(" ".join(screen_lines(app)[:box.region.bottom]).translate(SCROLLBAR_BLANK).split())
        assert shown.endswith("4 h of coordination between the separate managers.")  # the verdict's last words
        send_burst(app, "home", "tab")
        await wait_until(pilot, lambda: box.scroll_y == 0 and app.focused is app.screen.query_one(DataTable),
                         "home, then tab back to the table")


async def test_compare_footer_offers_both_ways_to_a_person_at_80x24(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen)
                         and app.focused is app.screen.query_one(DataTable), "the comparison, its table focused")
        await wait_until(pilot, lambda: {"jump('after')", "jump('before')"} <= _footer_actions(app.screen),
                         "enter and o in the footer")
        line = screen_lines(app)[-1]
        assert "⏎ Go after" in line and "o Go before" in line and "esc Back" in line


# --- settings -----------------------------------------------------------------------------------------------------

async def test_settings_open_on_the_first_field_and_an_absurd_week_is_confirmed_with_its_consequence(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("comma")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsForm), "the settings")
        form = app.screen
        assert app.focused is form.query_one("#capacity_hours", Input)
        send_burst(app, "end", "ctrl+u", "2", "ctrl+s")  # typing goes straight into the first field
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm) and "outside the usual" in dialog_text(app),
                         "a confirmation that says why")  # its title, "Unusual settings", can show first
        text = " ".join(dialog_text(app).split())
        assert "Default weekly capacity 2 h is outside the usual 16-60 h" in text
        assert "13 of the 13 people in current would work beyond their week" in text
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is form, "back to the settings to correct them")
        assert app.session.plan.settings.capacity_hours == 40
        await pilot.press("ctrl+s", "y")
        await wait_until(pilot, lambda: app.session.plan.settings.capacity_hours == 2, "the week applied")
        main_screen(app)


async def test_settings_beyond_what_a_week_can_hold_are_refused_in_sight_at_80x24(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        before = app.session.plan.copy()
        await pilot.press("comma")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsForm), "the settings")
        form = app.screen
        send_burst(app, "end", "ctrl+u", *keys_for("200"), "ctrl+s")
        error = form.query_one(".form-error", Static)
        await wait_until(pilot, lambda: str(error.content), "the refusal")
        assert "168" in str(error.content) and error.region.height and error.region.bottom <= SMALL[1]
        assert app.screen is form and app.session.plan == before


async def test_usual_settings_apply_without_asking(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("comma")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsForm), "the settings")
        send_burst(app, "end", "ctrl+u", *keys_for("37.5"), "ctrl+s")
        await wait_until(pilot, lambda: app.session.plan.settings.capacity_hours == 37.5, "the week applied")
        main_screen(app)


# --- can't tell -----------------------------------------------------------------------------------------------------

def _box(checklist: Checklist, value: str) -> str:
    """The check box of a row as drawn: "X" or " "."""
    index = next(i for i in range(checklist.option_count) if checklist.get_option_at_index(i).value == value)
    checklist.scroll_to(y=index, animate=False, immediate=True)
    return checklist.render_line(index - int(checklist.scroll_offset.y)).text[1]


async def test_the_roles_checklist_shows_each_state_as_text_and_the_hours_checked(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, MANAGER)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, AssignScreen), "the checklist")
        checklist = app.screen.query_one(Checklist)
        total = app.screen.query_one("#assign-total", Static)
        assert _box(checklist, "role:sales-marketing-manager") == "X"
        assert _box(checklist, "role:sales-manager") == " "
        assert str(total.content).startswith("Checked: 1 role(s), 19 responsibilities, 65 h a week against 40 h")
        checklist.highlighted = next(i for i in range(checklist.option_count)
                                     if checklist.get_option_at_index(i).value == "item:hiring")
        await pilot.press("space")
        await wait_until(pilot, lambda: "20 responsibilities, 68 h" in str(total.content), "the total to follow")
        assert _box(checklist, "item:hiring") == "X"


async def test_dialogs_name_what_their_button_does(tmp_path):
    staff = tmp_path / "staff.csv"
    staff.write_text("Name,Title\nAna,Owner\n", encoding="utf-8")
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, MANAGER)
        for keys, form, label in ((["S"], SplitForm, "Split"), (["M", "enter"], MergeForm, "Merge"),
                                  (["E"], ExportForm, "Export"), (["I"], ImportForm, "Import"),
                                  (["comma"], SettingsForm, "Apply"), (["a"], PersonForm, "Add"),
                                  (["e"], PersonForm, "Save")):
            send_burst(app, *keys)
            await wait_until(pilot, lambda: isinstance(app.screen, form) and app.screen.query("#save"), form.__name__)
            button = app.screen.query_one("#save", Button)
            assert str(button.label) == f"{label} (ctrl+s)"
            assert button.region.right <= SMALL[0]
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "back to the plan")


async def test_esc_is_offered_where_it_goes_back(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, MANAGER)
        screen = main_screen(app)
        assert "back" not in _footer_actions(screen)  # nowhere to go back from
        await pilot.press("f")
        bar = screen.query_one("#focus-bar", Static)
        await wait_until(pilot, lambda: bar.display and "back" in _footer_actions(screen), "focus on one team")
        assert str(bar.content) == "Only Jordan Blake's team · esc or f: everyone"
        await wait_until(pilot, lambda: "esc Back" in screen_lines(app)[-1], "esc Back drawn")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not bar.display and "back" not in _footer_actions(screen), "everyone again")
        await pilot.press("enter")  # the narrow terminal's person panel
        await wait_until(pilot, lambda: screen.has_class("-details") and "back" in _footer_actions(screen),
                         "the panel, with a way back")
        await wait_until(pilot, lambda: "esc Back" in screen_lines(app)[-1], "esc Back drawn")


def _footer_actions(screen) -> set[str]:
    return {key.action for key in screen.query(FooterKey)}


async def test_a_title_that_names_a_role_offers_it(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, MANAGER)
        send_burst(app, "a", *keys_for("Ana Lee"), "tab", *keys_for("sales manager"))
        await wait_until(pilot, lambda: isinstance(app.screen, PersonForm)
                         and str(app.screen.query_one("#title-role", TickBox).label), "the role offered")
        box = app.screen.query_one("#title-role", TickBox)
        assert str(box.label) == "Also give the role Sales manager (10 responsibilities, 27 h)"
        assert box.display and box.value
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "ana-lee" in app.session.org, "Ana added")
        assert app.session.org.person("ana-lee").roles == ("sales-manager",)
        for attempt in range(BURSTS):  # tab after the title reaches the offer it just showed, however fast
            name = f"Bo {attempt}"
            send_burst(app, "a", *keys_for(name), "tab", *keys_for("Sales manager"), "tab", "space", "ctrl+s")
            await wait_until(pilot, lambda: f"bo-{attempt}" in app.session.org, f"{name} added")
            assert app.session.org.person(f"bo-{attempt}").roles == ()  # the offer declined


async def test_an_empty_scenario_says_how_to_start_at_80x24(tmp_path):
    app = layout_app(tmp_path, "blank")
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: "Press a to add the first person." in " ".join(screen_lines(app)), "the hint")
        send_burst(app, "a", *keys_for("Ana Lee"), "ctrl+s")
        await wait_until(pilot, lambda: "ana-lee" in app.session.org, "the first person added")
        await wait_until(pilot, lambda: "Ana Lee" in (shown := " ".join(screen_lines(app)))
                         and "first person" not in shown, "Ana in the tree, in place of the hint")


# --- rough edges ----------------------------------------------------------------------------------------------------

async def test_the_header_shows_the_scenario_uncut_at_80_columns(tmp_path):
    app = layout_app(tmp_path, "growing")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert "— current · " in screen_lines(app)[0]
        await pilot.press("c")
        await wait_until(pilot, lambda: "— compare current → current · " in screen_lines(app)[0], "compare's header")


async def test_the_footer_at_60x20_shows_whole_keys_only(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        keys = list(screen.query(FooterKey))
        palette = next(key for key in keys if key.has_class("-command-palette"))
        shown = [key for key in keys if key is not palette]
        assert "help" in {key.action for key in shown}
        assert all(key.region.width == cell_len(f"{key.key_display} {key.description}") for key in shown)
        assert max(key.region.right for key in shown) <= palette.region.x
        line = screen_lines(app)[-1]
        assert line[:palette.region.x].split() == [part for key in shown
                                                   for part in (key.key_display, key.description)]


async def test_the_first_w_and_c_after_launch_work_out_nothing_the_screen_has_not(tmp_path, monkeypatch):
    analysed: list[str | None] = []
    analyse = Analyser.analyse
    monkeypatch.setattr(Analyser, "analyse",
                        lambda self, plan, scenario=None: (analysed.append(scenario), analyse(self, plan, scenario))[1])
    app = layout_app(tmp_path, "growing")
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: "Sam Patel" in " ".join(screen_lines(app)), "the plan shown")
        shown = list(analysed)
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, ScenarioList), "the scenarios")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "back to the plan")
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen)
                         and app.screen.query_one(DataTable).row_count == 40, "the comparison")
        assert analysed == shown, "the scenario list and the comparison reuse the analysis the tree was drawn from"


async def test_the_footer_at_60x20_keeps_the_way_back(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = main_screen(app)
        for key in ("t", "escape", "enter", "escape", "f"):  # team view, the narrow person panel, one team
            await pilot.press(key)
            await wait_until(pilot, lambda: ("back" in _footer_actions(screen)) == (key != "escape"), key)
            line = screen_lines(app)[-1]
            assert ("esc Back" in line) == (key != "escape") and "f1 Help" in line, (key, line)


async def test_quitting_an_untouched_layout_does_not_ask(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: app.return_code is not None, "the app to end")
    assert app.return_code == 0
    assert not list((tmp_path / "saves").glob("*"))


async def test_keys_on_their_way_when_the_app_closes_are_dropped_not_a_crash(tmp_path):
    for _ in range(12):  # the app closes (a quit, a dropped connection) while a burst is still being handled
        app = layout_app(tmp_path)
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            send_burst(app, "f", "t", "escape", "f", "down", "t")
            await pilot.pause(0.01)


async def test_quitting_an_imported_plan_says_it_was_never_saved(tmp_path):
    staff = tmp_path / "staff.csv"
    staff.write_text("Name,Title\nAna Lee,Owner\n", encoding="utf-8")
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        app.import_staff(staff)
        await wait_until(pilot, lambda: app.session.origin == "staff.csv" and isinstance(app.screen, MainScreen),
                         "the imported plan open")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, UnsavedChanges)
                         and "untitled (from staff.csv) has never been saved to a file." in dialog_text(app),
                         "the question, with why it is asked")


@pytest.mark.parametrize(("band", "utilisation"), [
    (Band.OK, 0.96), (Band.STRETCHED, 1.12), (Band.OVERLOADED, 1.45), (Band.CRITICAL, 9.99)])
def test_a_band_marker_keeps_a_space_between_its_word_and_its_share_in_twelve_cells(band, utilisation):
    result = next(iter(analyse(load_layout("merged")).people.values()))
    marker = band_marker(replace(result, load=replace(result.load, band=band, utilisation=utilisation)))
    word, share = marker.plain.split()
    assert cell_len(marker.plain) == 12 and share == f"{utilisation:.0%}" and marker.plain.startswith(word + " ")
