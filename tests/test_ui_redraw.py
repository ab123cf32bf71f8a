"""Views redraw only what changed: the footer only the keys that differ (what it shows is always what the
bindings of now ask for), the person panel and the team view nothing when an edit leaves them as they are."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey

from planner.storage import save
from planner.storage.layouts import load_layout
from planner.ui.app import make_app
from planner.ui.widgets.footer import FittingFooter
from tests.ui_apps import (
    SMALL,
    burst_handled,
    keys_for,
    layout_app,
    main_screen,
    panel_text,
    screen_lines,
    select,
    send_burst,
    tree,
    wait_until,
)

ASSISTANT = "operations-assistant"


def footer_of(app) -> FittingFooter:
    return main_screen(app).query_one(FittingFooter)


def shows_what_it_should(footer: FittingFooter) -> bool:
    """The footer's keys are, in order, the screen's shown bindings of now (at 80 columns they all fit)."""
    wanted: dict[str, tuple[str, str, bool]] = {}
    for _, binding, enabled, _ in footer.screen.active_bindings.values():
        if binding.show and binding.action not in wanted:
            wanted[binding.action] = (binding.key, binding.description, not enabled)
    shown = [(key.key, key.description, key.has_class("-disabled")) for key in footer.query(FooterKey)
             if not key.has_class("-command-palette")]
    return shown == list(wanted.values())


async def settled(pilot, app, what: str) -> None:
    """Wait until the main screen is on top and its footer shows the bindings of now."""
    await wait_until(pilot, lambda: app.screen is app.main_screen and shows_what_it_should(footer_of(app)), what)
    await pilot.pause()
    assert shows_what_it_should(footer_of(app)), what


async def test_keys_that_leave_the_footer_alike_keep_its_widgets(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app, "the first footer")
        before = list(footer_of(app).query(FooterKey))
        send_burst(app, "down", "down", "m", "escape", "e", "escape", "down")
        await wait_until(pilot, lambda: app.screen is app.main_screen and tree(app).cursor_line == 3,
                         "the dialogs opened and closed, the cursor three down")
        await settled(pilot, app, "the footer after the burst")
        assert list(footer_of(app).query(FooterKey)) == before, "the same key widgets, none mounted again"


async def test_the_way_back_comes_and_goes_in_its_place(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app, "the first footer")
        before = list(footer_of(app).query(FooterKey))
        await pilot.press("t")
        await wait_until(pilot, lambda: "back" in {key.action for key in footer_of(app).query(FooterKey)},
                         "esc Back offered in the team view")
        await settled(pilot, app, "the team view's footer")
        line = screen_lines(app)[-1]
        assert line.index("t Team") < line.index("esc Back") < line.index("f1 Help"), line
        kept = [key for key in footer_of(app).query(FooterKey) if key.action != "back"]
        assert kept == before, "the other keys stay as they were"


async def test_a_burst_of_view_changes_ends_with_the_footer_of_the_last_view(tmp_path):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app, "the first footer")
        screen = main_screen(app)
        for burst, view, one_team in ((("t", "t", "t"), "team-view", False), (("escape", "t", "t"), "org-view", False),
                                      (("t", "escape", "f"), "org-view", True)):
            send_burst(app, *burst)
            await burst_handled(pilot, app)
            assert screen.query_one("#views").current == view and (tree(app).subtree_root is not None) == one_team
            await settled(pilot, app, f"the footer after {burst}")
            back = view == "team-view" or one_team
            await wait_until(pilot, lambda back=back: ("esc Back" in screen_lines(app)[-1]) == back,
                             f"esc Back drawn as the view after {burst} asks")


def counting_calls(monkeypatch, widget, method: str) -> list[object]:
    """Count the calls of one widget's method (it still runs)."""
    calls: list[object] = []
    original = getattr(widget, method)
    monkeypatch.setattr(widget, method, lambda *args, **kwargs: (calls.append(args), original(*args, **kwargs))[1])
    return calls


async def test_a_move_puts_the_new_text_in_the_panel_once(tmp_path, monkeypatch):
    app = layout_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, ASSISTANT)
        updates = counting_calls(monkeypatch, main_screen(app).query_one("#person-details", Static), "update")
        send_burst(app, "m", *keys_for("Jordan"), "enter")
        await wait_until(pilot, lambda: app.screen is app.main_screen and "Reports to Jordan Blake" in panel_text(app),
                         "the move shown in the panel")
        await pilot.pause()
        assert len(updates) == 1, "the edit shows the text; the tree's cursor, back on the person, finds it there"


def two_risks_app(tmp_path):
    """The merged layout with a marketing executive at 5 h a week: two people at risk."""
    plan = load_layout("merged")
    org = plan.scenario()
    org.put(replace(org.person("marketing-exec-1"), capacity_hours=5.0))
    save(plan, tmp_path / "plan.toml")
    return make_app(path=tmp_path / "plan.toml", saves=tmp_path / "saves")


async def test_the_team_view_keeps_its_risks_and_its_place_when_an_edit_leaves_them(tmp_path, monkeypatch):
    app = two_risks_app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await select(pilot, app, ASSISTANT)
        risks = main_screen(app).query_one("#risks", DataTable)
        send_burst(app, "t", "down")
        await wait_until(pilot, lambda: risks.has_focus and risks.cursor_row == 1, "the second risk")
        clears = counting_calls(monkeypatch, risks, "clear")
        send_burst(app, "escape", "e", *keys_for("Kim Walsh-Ng"), "ctrl+s", "t")  # the name is selected: typing replaces it
        await wait_until(pilot, lambda: app.session.org.person(ASSISTANT).name == "Kim Walsh-Ng" and risks.has_focus,
                         "the assistant renamed, the team view again")
        await pilot.pause()
        assert not clears, "a rename of someone not at risk leaves the risks table as it was"
        assert risks.cursor_row == 1, "back on the risk it was on, as a consultant going down the list expects"
        send_burst(app, "down", "enter", "v", "t")  # to the second risk, whose position opens: the risks change
        chloe = "marketing-exec-1"
        await wait_until(pilot, lambda: app.session.org.person(chloe).vacant and risks.has_focus, "Chloe's post open")
        await pilot.pause()
        assert clears, "the risks are shown again when the results behind them change"
